"""The Regels page (docs/regels/index.md) names where the code applies each rule: every file it names
exists, and every function or constant it names is defined in that file. A rename in the code that
leaves the page pointing nowhere fails here."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "docs" / "regels" / "index.md"
# `path.py:name`, optionally followed by more names of the same file: `, `other``
_REFERENCE = re.compile(r"`([\w/]+\.py)(?::(\w+))?`((?:, `\w+`)*)")


def references(text: str) -> list[tuple[str, list[str]]]:
    """(file, names in it) for each code reference of the page."""
    found = []
    for path, name, more in _REFERENCE.findall(text):
        found.append((path, ([name] if name else []) + re.findall(r"`(\w+)`", more)))
    return found


def test_references_are_read_with_the_names_that_follow_them():
    text = "| x | y | `matcher/rules/stay_clock.py:stay_status`, `upcoming_deadlines`; `api/core/audit.py` |"
    assert references(text) == [("matcher/rules/stay_clock.py", ["stay_status", "upcoming_deadlines"]),
                                ("api/core/audit.py", [])]


def test_every_place_the_rules_page_names_exists_in_the_code():
    refs = references(PAGE.read_text(encoding="utf-8"))
    assert len(refs) > 40  # the tables were read
    missing = []
    for path, names in refs:
        source = ROOT / path
        if not source.exists():
            missing.append(path)
            continue
        text = source.read_text(encoding="utf-8")
        missing += [f"{path}:{n}" for n in names
                    if not re.search(rf"^\s*(?:def|class)\s+{n}\b|^{n}\s*[:=]", text, re.M)]
    assert missing == []
