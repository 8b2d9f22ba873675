"""The placement list: sorts, search (household or place reference, place name or address), filters, columns.

Household and place come in the same statement (joins with ``contains_eager``), so a page is two
statements: the count and the window.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, contains_eager

from api.core.export import Column
from api.core.listing import ListQuery, ListSpec, Page, fetch
from api.households.models import Household
from api.placements.models import OUTCOMES, PLACEMENT_STATUSES, Placement
from api.places.models import Place

STATUSES = PLACEMENT_STATUSES
STATUS_LABELS = {"confirmed": "bevestigd", "started": "gestart", "ended": "beëindigd", "cancelled": "geannuleerd"}
OUTCOME_LABELS = {
    "back_home_addendum": "terug naar huis met allonge op het huurcontract",
    "other_home": "andere woning",
    "own_network": "eigen netwerk",
    "shelter": "maatschappelijke opvang",
    "unknown": "onbekend",
    "own_rental": "eigen huurwoning",
    "social_housing": "sociale huurwoning",
    "family": "familie of vrienden",
    "other_shelter": "andere opvang",
    "street": "straat",
}
assert set(OUTCOME_LABELS) == set(OUTCOMES)

SPEC = ListSpec(
    sorts={
        "start_date": (Placement.start_date, Placement.id),  # "-start_date": newest first, as before paging
        "end_date": Placement.end_date,
        "household": Household.reference,
        "place": Place.reference,
        "status": Placement.status,
        "confirmed_at": Placement.confirmed_at,
    },
    default_sort="-start_date",
    tiebreak=Placement.id,
    search=(Household.reference, Place.reference, Place.label, Place.address),
    status=Placement.status,
    day=Placement.start_date,
)

COLUMNS = (
    Column(
        "Huishouden",
        lambda p: p.household.reference,
        link=lambda p: f"/huishoudens/{p.household_id}#plaatsing-{p.id}",
        sort="household",
    ),
    Column("Plaats", lambda p: p.place.reference, sort="place"),
    Column("Naam van de plaats", lambda p: p.place.label),
    Column("Begin", lambda p: p.start_date, sort="start_date"),
    Column("Uiterlijk einde", lambda p: p.end_date, sort="end_date"),
    Column("Aangekomen", lambda p: p.arrived_on),
    Column("Vertrokken", lambda p: p.ended_on),
    Column("Status", lambda p: STATUS_LABELS.get(p.status, p.status), sort="status"),
    Column("Afloop", lambda p: OUTCOME_LABELS.get(p.outcome, p.outcome) if p.outcome else None),
)


def placement_page(db: Session, *, municipality_id: int, query: ListQuery) -> Page:
    stmt = (
        select(Placement)
        .join(Placement.household)
        .join(Placement.place)
        .where(Placement.municipality_id == municipality_id)
        .options(contains_eager(Placement.household), contains_eager(Placement.place))
    )
    return fetch(db, stmt, SPEC, query)
