"""Finding the tenant by its CBS code: one lookup for the CLI, the API and the public forms."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.core.errors import NotFound
from api.core.models import Municipality


def municipality_by_code(db: Session, code: str, *, loc: tuple[str | int, ...] = ("municipality",)) -> Municipality:
    """The municipality with this code; an unknown code is a NotFound at ``loc`` (the caller's field)."""
    municipality = db.scalar(select(Municipality).where(Municipality.code == code))
    if municipality is None:
        raise NotFound(code="municipality.unknown", loc=loc, municipality=repr(code))
    return municipality
