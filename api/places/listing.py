"""The place list (Wachtkamer dwellings and host rooms): sorts, search, filters and columns for page and export.

A host room's address is never in this list: hosts keep theirs (the label names the town), only
Wachtkamer dwellings have one here.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from api.core.export import Column
from api.core.listing import ListQuery, ListSpec, Page, fetch
from api.places.models import PLACE_KINDS, PLACE_STATUSES, Place

STATUSES = PLACE_STATUSES
KINDS = PLACE_KINDS
STATUS_LABELS = {"pending": "in afwachting", "active": "actief", "paused": "gepauzeerd", "inactive": "niet actief"}
KIND_LABELS = {"wachtkamer": "Wachtkamerwoning", "host_room": "Kamer bij gastgever"}

SPEC = ListSpec(
    sorts={
        "reference": Place.reference,
        "kind": Place.kind,
        "label": Place.label,
        "capacity": Place.capacity,
        "available_from": Place.available_from,
        "status": Place.status,
    },
    default_sort="reference",
    tiebreak=Place.id,
    search=(Place.reference, Place.label, Place.address),
    status=Place.status,
    day=Place.available_from,
)

COLUMNS = (
    Column("Kenmerk", lambda p: p.reference, link=lambda p: f"/plaatsen/{p.id}", sort="reference"),
    Column("Soort", lambda p: KIND_LABELS.get(p.kind, p.kind), sort="kind"),
    Column("Naam", lambda p: p.label, sort="label"),
    Column("Adres", lambda p: p.address if p.kind == "wachtkamer" else None),
    Column("Personen", lambda p: p.capacity, sort="capacity"),
    Column("Vrij vanaf", lambda p: p.available_from, sort="available_from"),
    Column("Vrij tot", lambda p: p.available_until),
    Column("Status", lambda p: STATUS_LABELS.get(p.status, p.status), sort="status"),
)


def place_page(db: Session, *, municipality_id: int, query: ListQuery, kind: str | None = None) -> Page:
    """One window of places; the busy periods come in one more statement (the API shows them)."""
    stmt = select(Place).where(Place.municipality_id == municipality_id).options(selectinload(Place.unavailable))
    if kind:
        stmt = stmt.where(Place.kind == kind)
    return fetch(db, stmt, SPEC, query)
