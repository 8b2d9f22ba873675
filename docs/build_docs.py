"""Build the developer pages of the documentation site from every package's README-section.md.

Each package keeps the engineering text about itself next to its code (``api/matching/README-section.md``,
``matcher/rules/README-section.md`` …), so whoever changes the code updates the text in the same commit.
This script copies each of them into ``docs/ontwikkelaars/onderdelen/`` as one page of the MkDocs site:
headings one level up (a section starts at ``##``, a page at ``#``) and image paths made relative to the
page. A new section file anywhere in the tree is picked up without editing a list; the whole
``onderdelen/`` folder is generated, and tests/test_readme.py fails when it is stale.

Run ``bash docs/build_readme.sh`` (or ``python3 docs/build_docs.py``) after editing a section. Standard
library only, so it runs before anything is installed.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SECTION = "README-section.md"
OUT = Path("docs") / "ontwikkelaars" / "onderdelen"
SKIP = {"node_modules", "site", "build", "dist"}  # besides hidden folders such as .venv and .git
_FENCE = re.compile(r"^\s*(```|~~~)")


def sections(root: Path = ROOT) -> list[Path]:
    """Every README-section.md in the repository, relative to its root, in path order."""
    found = []
    for path in root.rglob(SECTION):
        rel = path.relative_to(root)
        if not any(part.startswith(".") or part in SKIP for part in rel.parts[:-1]):
            found.append(rel)
    return sorted(found)


def page_name(section: Path) -> str:
    """``api/matching/README-section.md`` → ``api-matching.md``."""
    return "-".join(section.parent.parts) + ".md"


def render(section: Path, text: str) -> str:
    """The section as a page: a note where to edit it, headings one level up, image paths from the page."""
    lines = [f"<!-- Generated from {section.as_posix()} by docs/build_docs.py: edit that file, not this one. -->", ""]
    in_code = False
    for line in text.splitlines():
        if _FENCE.match(line):
            in_code = not in_code
        elif not in_code and line.startswith("##"):
            line = line[1:]
        lines.append(line.replace("](docs/", "](../../"))
    return "\n".join(lines) + "\n"


def build(root: Path = ROOT) -> dict[Path, str]:
    """The generated pages (path relative to the root → text)."""
    return {OUT / page_name(s): render(s, (root / s).read_text(encoding="utf-8")) for s in sections(root)}


def main() -> int:
    pages = build()
    out = ROOT / OUT
    out.mkdir(parents=True, exist_ok=True)
    for stale in out.glob("*.md"):
        if stale.relative_to(ROOT) not in pages:
            stale.unlink()
    for rel, text in pages.items():
        (ROOT / rel).write_text(text, encoding="utf-8")
    sys.stdout.write(f"{len(pages)} pages in {OUT}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
