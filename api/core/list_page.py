"""One template for the plain list pages (households, places, placements): filter bar, count, table, pager.

Why shared: the page and its export read the same :class:`api.core.export.Column` tuple, so the
download always has the columns the user saw, and every list looks and navigates the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from fastapi import Request
from fastapi.responses import HTMLResponse

from api.core import i18n
from api.core.export import Column
from api.core.listing import Page
from api.core.templating import render


def render_list(
    request: Request,
    *,
    heading: str,
    path: str,
    export_path: str,
    page: Page,
    columns: Sequence[Column],
    statuses: Sequence[str] = (),
    status_labels: Mapping[str, str] | None = None,
    day_label: str | None = None,
    intro: str | None = None,
    actions: Sequence[tuple[str, str]] = (),
) -> HTMLResponse:
    labels = status_labels or {}

    def status_label(value: str) -> str:
        return i18n.gettext(labels.get(value, value))

    label: Callable[[str], str] = status_label
    return render(
        request,
        "lists/table.html",
        {
            "heading": heading,
            "intro": intro,
            "path": path,
            "export_path": export_path,
            "page": page,
            "query": page.query,
            "columns": columns,
            "statuses": statuses,
            "status_label": label,
            "day_label": day_label,
            "actions": actions,
        },
    )
