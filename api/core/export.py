"""Lists as CSV or XLSX downloads, with the columns the page shows.

Why one module: every list (households, places, placements, hosts, proposals, storage lots) exports the
same way — the filter of the page, its columns (:class:`Column`, shared with the page's table), Dutch
headers, dates as real dates in XLSX and as ISO text in CSV — and every cell is defused against
spreadsheet formulas (CSV/XLSX injection: a text never starts with ``= + - @``).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from fastapi import Response
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from api.core import clock

Format = Literal["csv", "xlsx"]
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MEDIA_TYPES: dict[str, str] = {"csv": "text/csv; charset=utf-8", "xlsx": XLSX_TYPE}


@dataclass(frozen=True)
class Column:
    """One column of a list: its Dutch title (the msgid the page translates), how to read a row's value."""

    title: str
    value: Callable[[Any], Any]
    link: Callable[[Any], str] | None = None  # on the page only
    sort: str | None = None  # the ListSpec sort key when the page may sort on this column


def defused(value: Any) -> Any:
    """A text that a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _csv_text(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, date | datetime):
        return value.isoformat()
    return defused(value)


def to_csv(columns: Sequence[Column], rows: Sequence[Any]) -> bytes:
    """UTF-8 with a byte-order mark and ``;`` between fields: what Dutch Excel opens without a wizard."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow([c.title for c in columns])
    for row in rows:
        writer.writerow([_csv_text(c.value(row)) for c in columns])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _xlsx_value(value: Any) -> Any:
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)  # Excel has no time zones; the app stores UTC
    return defused(value)


def to_xlsx(columns: Sequence[Column], rows: Sequence[Any], *, sheet: str) -> bytes:
    """One sheet, a bold frozen header row, dates formatted as dd-mm-jjjj."""
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = sheet[:31]
    ws.append([c.title for c in columns])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"
    for row in rows:
        ws.append([_xlsx_value(c.value(row)) for c in columns])
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        ws.column_dimensions[letter].width = max(12, min(40, len(column.title) + 4))
        for cell in ws[letter][1:]:
            if isinstance(cell.value, datetime):
                cell.number_format = "dd-mm-yyyy hh:mm"
            elif isinstance(cell.value, date):
                cell.number_format = "dd-mm-yyyy"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def download(fmt: Format, *, name: str, columns: Sequence[Column], rows: Sequence[Any]) -> Response:
    """The list as an attachment named ``onderdak-<name>-<date>.<fmt>``; never cached (it holds case data)."""
    body = to_csv(columns, rows) if fmt == "csv" else to_xlsx(columns, rows, sheet=name)
    stamp = clock.today().isoformat()
    return Response(
        body,
        media_type=MEDIA_TYPES[fmt],
        headers={
            "Content-Disposition": f'attachment; filename="onderdak-{name}-{stamp}.{fmt}"',
            "Cache-Control": "no-store",
        },
    )
