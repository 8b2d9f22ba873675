"""The household list: what it sorts, searches and filters on, and its columns (page and export alike).

Two statements for the rows (the window, then members and evictions by ``selectinload``) and one for the
count, whatever the number of households.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from api.core.export import Column
from api.core.listing import ListQuery, ListSpec, Page, fetch
from api.households.models import Eviction, Household

STATUSES = ("waiting", "placed", "closed")
STATUS_LABELS = {"waiting": "wacht op een plaats", "placed": "geplaatst", "closed": "afgesloten"}

# The latest eviction date of a household: what the list shows, sorts and filters on (index ix_eviction_household_date).
EVICTION_DAY = (
    select(func.max(Eviction.eviction_date)).where(Eviction.household_id == Household.id).correlate(Household)
).scalar_subquery()

SPEC = ListSpec(
    sorts={
        "reference": Household.reference,
        "status": Household.status,
        "eviction_date": EVICTION_DAY,
        "created_at": Household.created_at,
    },
    default_sort="reference",
    tiebreak=Household.id,
    search=(Household.reference, Household.display_name, Household.origin_postcode),
    status=Household.status,
    day=EVICTION_DAY,
)


def eviction_date(household: Household) -> date | None:
    return max((e.eviction_date for e in household.evictions), default=None)


COLUMNS = (
    Column("Kenmerk", lambda h: h.reference, link=lambda h: f"/huishoudens/{h.id}", sort="reference"),
    Column("Naam voor de brieven", lambda h: h.display_name),
    Column("Postcode oude woning", lambda h: h.origin_postcode),
    Column("Personen", lambda h: len(h.members)),
    Column("Ontruiming", eviction_date, sort="eviction_date"),
    Column("Status", lambda h: STATUS_LABELS.get(h.status, h.status), sort="status"),
    Column("Geregistreerd", lambda h: h.created_at, sort="created_at"),
)


def household_page(db: Session, *, municipality_id: int, query: ListQuery) -> Page:
    stmt = (
        select(Household)
        .where(Household.municipality_id == municipality_id)
        .options(selectinload(Household.members), selectinload(Household.evictions))
    )
    return fetch(db, stmt, SPEC, query)
