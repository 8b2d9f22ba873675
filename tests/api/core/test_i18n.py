"""Every Dutch string in the templates has an English translation in the Babel catalog."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from api.core.i18n import catalog_files, pick_language

API = Path(__file__).resolve().parents[3] / "api"


def _catalog():
    merged = {}
    for po_path in catalog_files("en"):
        with po_path.open("rb") as handle:
            for message in read_po(handle, locale="en"):
                if message.id:
                    merged[message.id] = message
    return merged


def test_every_template_string_is_translated():
    catalog = _catalog()
    missing = []
    for filename, _lineno, message, _comments, _context in extract_from_dir(
        str(API), method_map=[("**.html", "jinja2")], options_map={"**.html": {"extensions": "jinja2.ext.i18n"}}
    ):
        msgid = message if isinstance(message, str) else message[0]
        entry = catalog.get(msgid)
        if entry is None or not entry.string:
            missing.append(f"{filename}: {msgid!r}")
    assert not missing, "untranslated:\n" + "\n".join(missing)


def test_language_choice_order():
    assert pick_language("en", "nl", "nl-NL") == "en"
    assert pick_language(None, "en", "nl-NL") == "en"
    assert pick_language(None, None, "en-GB,en;q=0.9") == "en"
    assert pick_language("fr", None, "de-DE") == "nl"
