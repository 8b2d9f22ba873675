"""What the start page shows: counts of households, places and placements of one municipality, and the first rows.

Why bounded: at a large city's size (ten times the demo) the page listed every record and took seconds; the
full lists, with paging, search and filters, are a link away (/huishoudens, /plaatsen, /plaatsingen).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from api.core.models import Municipality
from api.core.principal import Principal
from api.households.models import Household
from api.placements.models import Placement
from api.places.models import Place

FIRST_ROWS = 10  # rows per section on the start page; the rest is on the list pages


@dataclass(frozen=True)
class Overview:
    """The caller's municipality: how many households, places and placements, and the first of each."""

    municipality: Municipality | None
    households: Sequence[Household]
    places: Sequence[Place]
    placements: Sequence[Placement]
    household_total: int = 0
    place_total: int = 0
    placement_total: int = 0


def _count(db: Session, model: type[Household] | type[Place] | type[Placement], municipality_id: int) -> int:
    return int(db.scalar(select(func.count()).select_from(model).where(model.municipality_id == municipality_id)) or 0)


def for_principal(db: Session, principal: Principal, rows: int = FIRST_ROWS) -> Overview:
    mid = principal.municipality_id
    municipality = db.get(Municipality, mid)
    households = db.scalars(
        select(Household)
        .where(Household.municipality_id == mid)
        .options(selectinload(Household.members), selectinload(Household.evictions))
        .order_by(Household.reference)
        .limit(rows)
    ).all()
    places = db.scalars(
        # the municipality's own dwellings first ("wachtkamer" after "host_room"), then the host rooms
        select(Place).where(Place.municipality_id == mid).order_by(Place.kind.desc(), Place.reference).limit(rows)
    ).all()
    placements = db.scalars(
        select(Placement)
        .where(Placement.municipality_id == mid)
        .options(selectinload(Placement.household), selectinload(Placement.place))
        .order_by(Placement.start_date.desc(), Placement.id.desc())
        .limit(rows)
    ).all()
    return Overview(
        municipality=municipality,
        households=households,
        places=places,
        placements=placements,
        household_total=_count(db, Household, mid),
        place_total=_count(db, Place, mid),
        placement_total=_count(db, Placement, mid),
    )
