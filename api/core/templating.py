"""The one Jinja2 environment: autoescaped, translated, with the CSRF token at hand."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import jinja2
from babel.dates import format_date
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


def _nl_date(value: date | None, fmt: str = "d MMMM y") -> str:
    if value is None:
        return "—"
    return format_date(value, fmt, locale="nl_NL" if i18n.current_language.get() == "nl" else "en_GB")


templates.env.filters["datum"] = _nl_date


def _show(value: Any) -> str:
    """A list cell as text: dates in Dutch, yes/no in the page's language, a dash for nothing."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return i18n.gettext("ja") if value else i18n.gettext("nee")
    if isinstance(value, datetime):
        return _nl_date(value.date(), "d MMM y") + value.strftime(" %H:%M")
    if isinstance(value, date):
        return _nl_date(value, "d MMM y")
    return str(value)


templates.env.globals["show"] = _show
templates.env.globals["static"] = static_url  # {{ static("css/onderdak.css") }}: a versioned, long-cached URL


def render(request: Request, template: str, context: dict[str, Any], status_code: int = 200) -> HTMLResponse:
    """Render a page with the common context: language, principal, CSRF token."""
    base = {
        "lang": i18n.current_language.get(),
        "principal": getattr(request.state, "principal", None),
        "csrf_token": csrf_token(request),
    }
    return templates.TemplateResponse(request, template, {**base, **context}, status_code=status_code)
