"""uv.lock belongs to pyproject.toml: `make install` runs `uv sync --frozen`, which installs the lock as it
is without comparing it to pyproject.toml, so a dependency changed without `uv lock` would be silently
missing (or stale) on every fresh clone. This compares the two without the network."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REQUIREMENT = re.compile(r"^([A-Za-z0-9_.-]+)(?:\[([\w,]+)\])?(==[\w.]+)$")


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def declared() -> set[tuple[str, str, str | None]]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = [(r, None) for r in project["dependencies"]]
    wanted += [(r, extra) for extra, reqs in project["optional-dependencies"].items() for r in reqs]
    found = set()
    for requirement, extra in wanted:
        match = REQUIREMENT.match(requirement)
        assert match, f"{requirement}: pin every dependency with =="
        found.add((_normal(match[1]), match[3], extra))
    return found


def test_the_lock_is_made_from_this_pyproject():
    lock = tomllib.loads((ROOT / "uv.lock").read_text(encoding="utf-8"))
    (own,) = [p for p in lock["package"] if p["name"] == "onderdak"]
    locked = set()
    for req in own["metadata"]["requires-dist"]:
        extra = re.search(r"extra == '(\w+)'", req.get("marker", ""))
        locked.add((_normal(req["name"]), req["specifier"], extra[1] if extra else None))
    assert locked == declared(), "pyproject.toml changed without `uv lock`: run it and commit uv.lock"


def test_every_pin_is_the_locked_version():
    lock = tomllib.loads((ROOT / "uv.lock").read_text(encoding="utf-8"))
    versions = {_normal(p["name"]): p["version"] for p in lock["package"]}
    for name, specifier, _ in declared():
        assert versions.get(name) == specifier[2:], name
