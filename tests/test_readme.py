"""README.md is assembled from docs/README-head.md and each domain's README-section.md
(docs/build_readme.sh): an edit made in README.md alone would be lost at the next build."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_readme_is_the_assembled_sections():
    script = (ROOT / "docs" / "build_readme.sh").read_text(encoding="utf-8")
    sections = re.findall(r"[\w/]+README-section\.md", script)
    assert sections, "docs/build_readme.sh names no section"
    expected = (ROOT / "docs" / "README-head.md").read_text(encoding="utf-8")
    for section in sections:
        expected += "\n" + (ROOT / section).read_text(encoding="utf-8")
    assert (ROOT / "README.md").read_text(encoding="utf-8") == expected, "run docs/build_readme.sh"
