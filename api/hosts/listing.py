"""The host list (the vetting queue is its ``pending`` filter): sorts, search, filters and columns.

The search reaches the address (street, postcode, town) because coordinators look a host up by it;
the list and its export show only the town, as the vetting page always did.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from api.core.export import Column
from api.core.listing import ListQuery, ListSpec, Page, fetch
from api.hosts import service
from api.hosts.models import HOST_STATUSES, Host

STATUSES = HOST_STATUSES

SPEC = ListSpec(
    sorts={
        # the old order: confirmed sign-ups oldest first, then the never-confirmed ones
        "confirmed_at": (Host.confirmed_at.is_(None), Host.confirmed_at, Host.reference),
        "reference": Host.reference,
        "name": Host.name,
        "city": Host.city,
        "status": Host.status,
    },
    default_sort="confirmed_at",
    tiebreak=Host.id,
    search=(Host.reference, Host.name, Host.street, Host.postcode, Host.city),
    status=Host.status,
    day=Host.confirmed_at,
    day_is_datetime=True,
)

COLUMNS = (
    Column("Kenmerk", lambda h: h.reference, link=lambda h: f"/gastgevers/{h.id}", sort="reference"),
    Column("Naam", lambda h: h.name, sort="name"),
    Column("Woonplaats", lambda h: h.city, sort="city"),
    Column("Bevestigd", lambda h: h.confirmed_at.date() if h.confirmed_at else None, sort="confirmed_at"),
    Column("Checklist open", lambda h: len(service.checklist_missing(h))),
    Column("Status", lambda h: h.status, sort="status"),
)


def host_page(db: Session, *, municipality_id: int, query: ListQuery) -> Page:
    stmt = select(Host).where(Host.municipality_id == municipality_id).options(selectinload(Host.members))
    return fetch(db, stmt, SPEC, query)
