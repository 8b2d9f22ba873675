"""The structure holds: one clock, the import contracts of pyproject.toml, no import circles.

These guard what every later change relies on: a suite that passes on any day (time is injected,
see api.core.clock) and layers that stay layers (README, "Architecture").
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("api", "matcher", "maps", "seed_data", "benchmarks")
THE_CLOCK = ROOT / "api" / "core" / "clock.py"
# (module or class name, attribute) pairs that read the wall clock for a date or an instant
WALL_CLOCK_CALLS = {
    ("date", "today"),
    ("datetime", "now"),
    ("datetime", "utcnow"),
    ("datetime", "today"),
    ("time", "time"),
}


def _wall_clock_reads(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        owner = node.func.value
        name = owner.id if isinstance(owner, ast.Name) else owner.attr if isinstance(owner, ast.Attribute) else None
        if (name, node.func.attr) in WALL_CLOCK_CALLS:
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {name}.{node.func.attr}()")
    return found


def test_only_the_clock_reads_the_wall_clock():
    """Business dates come from api.core.clock (injected); nothing else asks the machine what day it is."""
    offenders = [
        hit
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
        if path != THE_CLOCK and "migrations" not in path.parts
        for hit in _wall_clock_reads(path)
    ]
    assert offenders == [], "read the time through api.core.clock instead:\n" + "\n".join(offenders)


def test_the_scan_finds_a_wall_clock_read(tmp_path):
    """The scan above is not blind: it sees each form of reading the wall clock."""
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import datetime as dt, time\nfrom datetime import date, datetime\n"
        "a = date.today()\nb = datetime.now()\nc = dt.datetime.utcnow()\nd = time.time()\n"
    )
    assert len(_wall_clock_reads_outside_root(sample)) == 4


def _wall_clock_reads_outside_root(path: Path) -> list[str]:
    global ROOT
    saved, ROOT = ROOT, path.parent  # noqa: PLW0603 - relative paths in messages only
    try:
        return _wall_clock_reads(path)
    finally:
        ROOT = saved


def test_import_contracts_are_kept():
    """Layers (shell > domains in their order > floor > pure packages), no circles, a pure matcher."""
    lint_imports = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    if lint_imports is None:
        pytest.fail("lint-imports is not installed: pip install -e '.[dev]'")
    run = subprocess.run([lint_imports, "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert "0 broken" in run.stdout


def test_types_hold():
    """`mypy --strict matcher` and `mypy api` report no error (pyproject.toml [tool.mypy])."""
    mypy = shutil.which("mypy", path=str(Path(sys.executable).parent))
    if mypy is None:
        pytest.fail("mypy is not installed: pip install -e '.[dev]'")
    for args in (["--strict", "matcher"], ["api"]):
        run = subprocess.run([mypy, *args], cwd=ROOT, capture_output=True, text=True, timeout=600)
        assert run.returncode == 0, f"mypy {' '.join(args)}:\n{run.stdout[-4000:]}"
