"""Paging, sorting, filtering and search: one way for every list page, API list and export.

Why here: seven lists (households, places, placements, hosts, proposals, storage lots, audit log) need the
same query parameters, the same count and the same headers; each domain only says *which* columns it
sorts, searches and filters on (a :class:`ListSpec`), and the query stays one ``SELECT … LIMIT`` plus one
``count(*)`` whatever the size of the data.

API lists keep their item shape (a JSON array): without ``limit`` they answer the first 50 rows (at a large
city's size "every row" was megabytes per request), ``limit`` (at most 500) and ``offset`` page them, and the
headers ``X-Total-Count`` and ``Link`` (RFC 8288, ``rel="next"``/``"prev"``) carry what an envelope would: a
client that wants every row follows ``next``. Pages show 50 rows by default; exports take every row.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Query, Request, Response
from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.orm import QueryableAttribute, Session

from api.core.errors import InvalidInput

PAGE_SIZE = 50  # rows on a page when the request does not say
MAX_LIMIT = 500  # an API page; an export takes every row of the filter
MAX_EXPORT_ROWS = 100_000  # a sanity bound on a download, far above a large city's year
DAY_DOC: dict[str, Any] = {"json_schema_extra": {"format": "date"}}


@dataclass(frozen=True)
class ListQuery:
    """What the caller asked for: a window, an order, a search text and filters (status, dates)."""

    limit: int | None = None
    offset: int = 0
    sort: str | None = None
    q: str | None = None
    status: str | None = None
    since: date | None = None
    until: date | None = None

    def with_status(self, status: str | None) -> ListQuery:
        return replace(self, status=status or None)

    def params(self, **override: Any) -> dict[str, str]:
        """The query as URL parameters (empty ones left out), for pager, sort and export links."""
        values: dict[str, Any] = {
            "q": self.q,
            "status": self.status,
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
            "sort": self.sort,
            "limit": self.limit,
            "offset": self.offset or None,
        }
        values.update(override)
        return {k: str(v) for k, v in values.items() if v not in (None, "")}

    def url(self, path: str, **override: Any) -> str:
        query = urlencode(self.params(**override))
        return f"{path}?{query}" if query else path


AnySelect = Select[*tuple[Any, ...]]  # a list's SELECT, of one entity or of several columns
# A column of the list's SELECT: a mapped attribute or an expression (e.g. a correlated subquery).
Col = ColumnElement[Any] | QueryableAttribute[Any]


@dataclass(frozen=True)
class ListSpec:
    """How one list sorts, searches and filters: column expressions of its main ``SELECT``."""

    sorts: Mapping[str, Col | tuple[Col, ...]]  # name → column(s); ``-name`` sorts descending
    default_sort: str
    tiebreak: Col  # a unique column, so pages never overlap or skip rows
    search: Sequence[Col] = ()
    status: Col | None = None
    day: Col | None = None  # what "since"/"until" filter on
    day_is_datetime: bool = False  # a timestamp column: the days are whole days in UTC


@dataclass(frozen=True)
class Page:
    """One window of a list and the number of rows the filter matches."""

    rows: list[Any]
    total: int
    query: ListQuery

    @property
    def first(self) -> int:
        return self.query.offset + 1 if self.rows else 0

    @property
    def last(self) -> int:
        return self.query.offset + len(self.rows)

    @property
    def prev_offset(self) -> int | None:
        if self.query.offset <= 0 or self.query.limit is None:
            return None
        return max(0, self.query.offset - self.query.limit)

    @property
    def next_offset(self) -> int | None:
        if self.query.limit is None or self.query.offset + self.query.limit >= self.total:
            return None
        return self.query.offset + self.query.limit


def _day(value: str | None, name: str) -> date | None:
    """A day from a filter form; an empty field (forms send ``since=``) means no limit."""
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(code="input.invalid_date_text", loc=("query", name), value=repr(value)) from None


async def list_query(  # async: no I/O, so no trip through the thread pool (see api.auth.dependencies)
    limit: Annotated[int | None, Query(ge=1, le=MAX_LIMIT, description="rows per page; all rows when left out")] = None,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
    sort: Annotated[str | None, Query(max_length=40, description="a column name, '-' first for descending")] = None,
    q: Annotated[str | None, Query(max_length=100, description="search in name, reference and address")] = None,
    since: Annotated[str | None, Query(max_length=10, description="first day (inclusive)", **DAY_DOC)] = None,
    until: Annotated[str | None, Query(max_length=10, description="last day (inclusive)", **DAY_DOC)] = None,
) -> ListQuery:
    """The shared query parameters of every list (``status`` stays each route's own parameter)."""
    return _list_query(limit=limit, offset=offset, sort=sort, q=q, since=since, until=until)


def _list_query(
    *, limit: int | None, offset: int, sort: str | None, q: str | None, since: str | None, until: str | None
) -> ListQuery:
    first, last = _day(since, "since"), _day(until, "until")
    text = (q or "").strip() or None
    return ListQuery(limit=limit, offset=offset, sort=sort or None, q=text, since=first, until=last)


async def api_list_query(
    limit: Annotated[
        int, Query(ge=1, le=MAX_LIMIT, description=f"rows per page: {PAGE_SIZE} when left out, at most {MAX_LIMIT}")
    ] = PAGE_SIZE,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
    sort: Annotated[str | None, Query(max_length=40, description="a column name, '-' first for descending")] = None,
    q: Annotated[str | None, Query(max_length=100, description="search in name, reference and address")] = None,
    since: Annotated[str | None, Query(max_length=10, description="first day (inclusive)", **DAY_DOC)] = None,
    until: Annotated[str | None, Query(max_length=10, description="last day (inclusive)", **DAY_DOC)] = None,
) -> ListQuery:
    """An API list's query: like :func:`list_query`, with a default page (the ``Link`` header has the next)."""
    return _list_query(limit=limit, offset=offset, sort=sort, q=q, since=since, until=until)


def page_query(query: ListQuery, status: str | None = None) -> ListQuery:
    """A page's query: 50 rows unless asked otherwise, and the status filter of the page."""
    return replace(query, limit=query.limit or PAGE_SIZE, status=status or None)


def _like_pattern(text: str) -> str:
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def filtered(stmt: AnySelect, spec: ListSpec, query: ListQuery) -> AnySelect:
    """``stmt`` with the search text, the status and the dates applied (no order, no window)."""
    if query.q and spec.search:
        pattern = _like_pattern(query.q)
        stmt = stmt.where(or_(*(func.lower(col).like(pattern, escape="\\") for col in spec.search)))
    if query.status and spec.status is not None:
        stmt = stmt.where(spec.status == query.status)
    if spec.day is not None:
        if query.since:
            stmt = stmt.where(spec.day >= _bound(query.since, spec.day_is_datetime))
        if query.until and query.until < date.max:
            stmt = stmt.where(spec.day < _bound(query.until + timedelta(days=1), spec.day_is_datetime))
    return stmt


def _bound(day: date, as_datetime: bool) -> date | datetime:
    return datetime.combine(day, time.min, tzinfo=UTC) if as_datetime else day


def ordered(stmt: AnySelect, spec: ListSpec, query: ListQuery) -> AnySelect:
    """``stmt`` in the asked order; an unknown column is a 422 naming ``sort`` and the choices."""
    key = query.sort or spec.default_sort
    descending = key.startswith("-")
    name = key.lstrip("-")
    found = spec.sorts.get(name)
    if found is None:
        raise InvalidInput(
            code="list.unknown_sort", loc=("query", "sort"), value=repr(key), choices=", ".join(sorted(spec.sorts))
        )
    columns = found if isinstance(found, tuple) else (found,)
    return stmt.order_by(*(c.desc() if descending else c.asc() for c in columns), spec.tiebreak)


def fetch(db: Session, stmt: AnySelect, spec: ListSpec, query: ListQuery, *, scalars: bool = True) -> Page:
    """One page in two statements: the count of the filter and the window of rows."""
    base = filtered(stmt, spec, query)
    counted = base.with_only_columns(spec.tiebreak).order_by(None)  # joins and filters kept, no loader options
    total = db.scalar(select(func.count()).select_from(counted.subquery())) or 0
    window = ordered(base, spec, query).offset(query.offset)
    window = window.limit(query.limit if query.limit is not None else MAX_EXPORT_ROWS)
    result = db.scalars(window) if scalars else db.execute(window)
    return Page(rows=list(result.unique().all() if scalars else result.all()), total=int(total), query=query)


def set_headers(response: Response, request: Request, page: Page) -> None:
    """``X-Total-Count`` always; ``Link`` with next/prev when the request pages."""
    response.headers["X-Total-Count"] = str(page.total)
    links = []
    for rel, offset in (("prev", page.prev_offset), ("next", page.next_offset)):
        if offset is not None:
            params = dict(request.query_params)
            params["offset"] = str(offset)
            links.append(f'<{request.url.path}?{urlencode(params)}>; rel="{rel}"')
    if links:
        response.headers["Link"] = ", ".join(links)
