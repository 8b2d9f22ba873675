"""Dutch first, English second, with Babel catalogs read at start-up (no compile step).

Source strings in templates and code are Dutch; ``locale/en/LC_MESSAGES/messages.po``
holds the English. The language of a request comes from ``?lang=``, then the
``lang`` cookie, then Accept-Language, and defaults to Dutch.
"""

from __future__ import annotations

import contextvars
from functools import lru_cache
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
LANGUAGES = ("nl", "en")
DEFAULT_LANGUAGE = "nl"

current_language: contextvars.ContextVar[str] = contextvars.ContextVar("language", default=DEFAULT_LANGUAGE)


def catalog_files(language: str) -> list[Path]:
    """One .po per domain (messages.po, hosts.po, …), merged: domains never edit each other's file."""
    return sorted((LOCALE_DIR / language / "LC_MESSAGES").glob("*.po"))


@lru_cache(maxsize=len(LANGUAGES))
def translations(language: str) -> NullTranslations:
    files = catalog_files(language)
    if language == DEFAULT_LANGUAGE or not files:
        return NullTranslations()
    merged = None
    for po_path in files:
        with po_path.open("rb") as handle:
            catalog = read_po(handle, locale=language)
        if merged is None:
            merged = catalog
        else:
            for message in catalog:
                if message.id:
                    merged[message.id] = message
    buffer = BytesIO()
    if merged is not None:
        write_mo(buffer, merged)
    buffer.seek(0)
    return Translations(fp=buffer)


def gettext(message: str) -> str:
    return translations(current_language.get()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(current_language.get()).ngettext(singular, plural, n)


def pick_language(query: str | None, cookie: str | None, accept_language: str | None) -> str:
    for candidate in (query, cookie):
        if candidate in LANGUAGES:
            return candidate
    for part in (accept_language or "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LANGUAGES:
            return code
    return DEFAULT_LANGUAGE
