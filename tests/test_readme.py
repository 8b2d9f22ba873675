"""The documentation in the repository: the short README, the pages generated from each package's
README-section.md (docs/build_docs.py), the guide's screenshots and the rules page's code references.

A page under docs/ontwikkelaars/onderdelen/ edited by hand, or left behind after its section changed,
would be lost or wrong at the next build: the first test catches both."""

from __future__ import annotations

import re
import struct
from pathlib import Path

import pytest

from tests.docs_scripts import build_docs, make_screenshots

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
IMAGE = re.compile(r"!\[[^\]]*\]\(([^)\s]+)\)")
LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s#]+)(#[^)\s]*)?\)")


def markdown_files() -> list[Path]:
    return [ROOT / "README.md", *sorted(DOCS.rglob("*.md"))]


def png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", header[16:24])


def test_the_package_pages_are_the_built_sections():
    expected = build_docs.build(ROOT)
    out = ROOT / build_docs.OUT
    present = {p.relative_to(ROOT) for p in out.glob("*")}
    assert present == set(expected), "run bash docs/build_readme.sh"
    for rel, text in expected.items():
        assert (ROOT / rel).read_text(encoding="utf-8") == text, f"{rel} is stale: run bash docs/build_readme.sh"


def test_every_package_with_a_section_has_a_page():
    found = [p.relative_to(ROOT) for p in ROOT.rglob("README-section.md")]
    sections = {p.parent.as_posix() for p in found if not any(part.startswith(".") for part in p.parts)}
    assert {"api/matching", "matcher", "maps"} <= sections
    pages = {p.stem for p in (ROOT / build_docs.OUT).glob("*.md")}
    assert pages == {s.replace("/", "-") for s in sections}


def test_a_new_section_is_found_without_a_list(tmp_path):
    (tmp_path / "api" / "offers").mkdir(parents=True)
    (tmp_path / "api" / "offers" / "README-section.md").write_text(
        "## Offers\n\n![a form](docs/screenshots/x.png)\n\n```sh\n## a shell comment\n```\n### Details\n",
        encoding="utf-8",
    )
    (tmp_path / ".venv" / "lib").mkdir(parents=True)
    (tmp_path / ".venv" / "lib" / "README-section.md").write_text("## not ours\n", encoding="utf-8")
    pages = build_docs.build(tmp_path)
    assert list(pages) == [build_docs.OUT / "api-offers.md"]
    text = pages[build_docs.OUT / "api-offers.md"]
    assert "api/offers/README-section.md" in text.splitlines()[0]  # where to edit it
    assert "\n# Offers\n" in text and "\n## Details\n" in text
    assert "\n## a shell comment\n" in text  # code is left alone
    assert "](../../screenshots/x.png)" in text


def test_the_readme_is_a_short_page_for_newcomers():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 150
    assert "make demo" in readme and "make test" in readme
    for email in make_screenshots.ACCOUNTS.values():
        assert email in readme
    # A short tour: the daily matching, and the day board and a case file (issue 20 asks for those two).
    assert 1 <= len(IMAGE.findall(readme)) <= 3
    assert "make docs" in readme


@pytest.mark.parametrize("page", markdown_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_image_and_local_link_exists(page):
    text = page.read_text(encoding="utf-8")
    targets = IMAGE.findall(text) + [m[0] for m in LINK.findall(text)]
    for target in targets:
        if re.match(r"[a-z]+:", target):
            continue  # a web address
        assert (page.parent / target).exists(), f"{page.relative_to(ROOT)}: {target} does not exist"


def test_every_screenshot_of_the_guide_is_made_by_the_script():
    shots = {s.file: s for s in make_screenshots.SHOTS}
    shown = set()
    for page in markdown_files():
        for target in IMAGE.findall(page.read_text(encoding="utf-8")):
            path = (page.parent / target).resolve()
            if path.parent == make_screenshots.OUT:
                assert path.name in shots, f"{page.name}: {path.name} is not made by docs/make_screenshots.py"
                shown.add(path.name)
    assert shown == set(shots), f"made but never shown: {sorted(set(shots) - shown)}"
    for name, shot in shots.items():
        path = make_screenshots.OUT / name
        assert path.exists(), f"{name} missing: run .venv/bin/python docs/make_screenshots.py"
        assert png_size(path) == (shot.width, shot.height)
        assert path.stat().st_size < 150_000, f"{name} is not compressed"


def test_every_role_has_its_page_in_the_guide():
    guide = DOCS / "gebruikershandleiding"
    for role in make_screenshots.ACCOUNTS:
        shots = [s for s in make_screenshots.SHOTS if s.role == role]
        assert shots, f"no screenshot for {role}"
        pages = [p for p in guide.glob("*.md") if any(s.file in p.read_text(encoding="utf-8") for s in shots)]
        assert pages, f"no guide page shows the pages of {role}"


def test_the_rules_page_points_at_code_that_exists():
    text = (DOCS / "regels" / "index.md").read_text(encoding="utf-8")
    refs = re.findall(r"`((?:api|matcher|maps)/[\w/]+\.py)(?::(\w+))?((?:`, `\w+)*)`", text)
    assert len(refs) > 30
    for path, function, more in refs:
        source = (ROOT / path).read_text(encoding="utf-8")
        for name in [function, *re.findall(r"`, `(\w+)", more)]:
            if name:
                assert re.search(rf"^def {name}\(", source, re.M), f"{path} has no function {name}"
