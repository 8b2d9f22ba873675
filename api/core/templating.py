"""The one Jinja2 environment: autoescaped, translated, with the CSRF token at hand."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import jinja2
from babel.dates import format_date, format_datetime, format_time
from babel.numbers import format_currency, format_decimal
from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from api.core import i18n
from api.core.csrf import csrf_token
from api.core.static_assets import static_url

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates"

_env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(str(TEMPLATE_DIR)), autoescape=True, extensions=["jinja2.ext.i18n"]
)
templates = Jinja2Templates(env=_env)
templates.env.install_gettext_callables(i18n.gettext, i18n.ngettext, newstyle=True)  # type: ignore[attr-defined]


def _locale() -> str:
    return "nl_NL" if i18n.current_language.get() == "nl" else "en_GB"


def _nl_date(value: date | None, fmt: str = "d MMMM y") -> str:
    if value is None:
        return "—"
    return format_date(value, fmt, locale=_locale())


_AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def _nl_datetime(value: datetime | None, fmt: str = "d MMM y HH:mm") -> str:
    """A moment as people here read it: '27 nov 2026 09:30', Dutch month, 24-hour clock, Dutch local time.

    Moments are stored in UTC (naive ones too); staff read them on the clock on their wall.
    """
    if value is None:
        return "—"
    aware = value if value.tzinfo else value.replace(tzinfo=UTC)
    return format_datetime(aware, fmt, tzinfo=_AMSTERDAM, locale=_locale())


def _nl_time(value: time | datetime | None) -> str:
    """A time of day ('09:30'); a full moment is first put on Dutch local time."""
    if value is None:
        return "—"
    if isinstance(value, datetime):
        return _nl_datetime(value, "HH:mm")
    return format_time(value, "HH:mm", locale=_locale())


def _money(value: Decimal | float | int | None) -> str:
    """Euros the Dutch way (€ 1.234,50): Babel, never an f-string with a dot for decimals."""
    if value is None:
        return "—"
    return format_currency(value, "EUR", locale=_locale())


def _number(value: Decimal | float | int | None) -> str:
    if value is None:
        return "—"
    return format_decimal(value, locale=_locale())


templates.env.filters["datum"] = _nl_date
templates.env.filters["datumtijd"] = _nl_datetime
templates.env.filters["tijd"] = _nl_time
templates.env.filters["geld"] = _money
templates.env.filters["getal"] = _number


def _show(value: Any) -> str:
    """A list cell as text: dates in Dutch, yes/no in the page's language, a dash for nothing."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return i18n.gettext("ja") if value else i18n.gettext("nee")
    if isinstance(value, datetime):
        return _nl_datetime(value)
    if isinstance(value, date):
        return _nl_date(value, "d MMM y")
    return str(value)


templates.env.globals["show"] = _show
templates.env.globals["static"] = static_url  # {{ static("css/onderdak.css") }}: a versioned, long-cached URL


# ---------------------------------------------------------------- theme (NL Design System, per municipality)

DEFAULT_THEME_COLOUR = "#01689b"  # the Rijkshuisstijl blue: 5.9:1 on white, so white text on it passes WCAG AA
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


@dataclass(frozen=True)
class Theme:
    """What base.html puts over the NL Design System tokens: the municipality's colour, logo and name."""

    colour: str = DEFAULT_THEME_COLOUR
    logo: str | None = None
    name: str | None = None


def valid_theme_colour(value: str) -> bool:
    """Only "#rrggbb": the value goes into a style attribute, so nothing else may pass."""
    return bool(_COLOUR.match(value))


def theme_of(colour: str | None, logo: str | None, name: str | None) -> Theme:
    """The theme from a municipality's settings; a stored value that is not safe falls back to the default."""
    return Theme(
        colour=colour if colour and valid_theme_colour(colour) else DEFAULT_THEME_COLOUR,
        logo=logo if logo and logo.startswith("/static/") and ".." not in logo else None,
        name=name,
    )


# ---------------------------------------------------------------- feedback after an action

_FLASH_KEY = "melding"


def flash(request: Request, message: str) -> None:
    """Keep a short message (a Dutch msgid) for the next page: the page after a POST-redirect says what happened."""
    request.session[_FLASH_KEY] = message


def _take_flash(request: Request) -> str | None:
    if "session" not in request.scope:
        return None
    message = request.session.pop(_FLASH_KEY, None)
    return message if isinstance(message, str) else None


def render(request: Request, template: str, context: dict[str, Any], status_code: int = 200) -> HTMLResponse:
    """Render a page with the common context: language, principal, CSRF token, theme and a pending message."""
    base = {
        "lang": i18n.current_language.get(),
        "principal": getattr(request.state, "principal", None),
        "csrf_token": csrf_token(request),
        "theme": getattr(request.state, "theme", None) or Theme(),
        "flash": _take_flash(request),
    }
    return templates.TemplateResponse(request, template, {**base, **context}, status_code=status_code)
