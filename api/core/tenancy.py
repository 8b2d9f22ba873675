"""Tenant scoping in one place: the municipality by its CBS code (CLI, API, public forms), and the one
check that a row belongs to the caller's municipality.

Another municipality's row answers exactly like a missing one (404 by default), so ids cannot be probed.
Every service that loads a row by id goes through :func:`owned`.
"""

from __future__ import annotations

from typing import Annotated, Any, Protocol, TypeVar

from fastapi import Path
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.core.errors import NotFound, OnderdakError
from api.core.models import Municipality
from api.core.principal import Principal


def municipality_by_code(db: Session, code: str, *, loc: tuple[str | int, ...] = ("municipality",)) -> Municipality:
    """The municipality with this code; an unknown code is a NotFound at ``loc`` (the caller's field)."""
    municipality = db.scalar(select(Municipality).where(Municipality.code == code))
    if municipality is None:
        raise NotFound(code="municipality.unknown", loc=loc, municipality=repr(code))
    return municipality


class _Tenanted(Protocol):
    municipality_id: Any


T = TypeVar("T", bound=_Tenanted)


def owned(
    db: Session,
    model: type[T],
    row_id: int,
    principal: Principal,
    *,
    code: str,
    loc: tuple[str | int, ...],
    error: type[OnderdakError] = NotFound,
) -> T:
    """The row ``row_id`` of ``model`` if it belongs to the caller's municipality, else ``error``
    (with ``code`` at ``loc``)."""
    row = db.get(model, row_id)
    if row is None or row.municipality_id != principal.municipality_id:
        raise error(code=code, loc=loc)
    return row


def ensure_own(principal: Principal, municipality_id: int | None, *, code: str, loc: tuple[str | int, ...]) -> None:
    """For a row already loaded: another municipality's is reported as missing."""
    if principal.municipality_id != municipality_id:
        raise NotFound(code=code, loc=loc)


MAX_ROW_ID = 2**31 - 1
# A row id in a path: the OpenAPI document says its range, and an id beyond it is bad input (422), not a database error.
RowId = Annotated[int, Path(ge=1, le=MAX_ROW_ID)]
