"""What the start page shows: households, places and placements of one municipality."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from api.core.models import Municipality
from api.core.principal import Principal
from api.households.models import Household
from api.placements.models import Placement
from api.places.models import Place


@dataclass(frozen=True)
class Overview:
    """The caller's municipality with its households, places and placements."""

    municipality: Municipality | None
    households: Sequence[Household]
    places: Sequence[Place]
    placements: Sequence[Placement]


def for_principal(db: Session, principal: Principal) -> Overview:
    municipality = db.get(Municipality, principal.municipality_id)
    households = db.scalars(
        select(Household)
        .where(Household.municipality_id == principal.municipality_id)
        .options(selectinload(Household.members), selectinload(Household.evictions))
        .order_by(Household.reference)
    ).all()
    places = db.scalars(
        select(Place).where(Place.municipality_id == principal.municipality_id).order_by(Place.kind, Place.reference)
    ).all()
    placements = db.scalars(
        select(Placement)
        .where(Placement.municipality_id == principal.municipality_id)
        .options(selectinload(Placement.household), selectinload(Placement.place))
        .order_by(Placement.start_date.desc())
    ).all()
    return Overview(municipality=municipality, households=households, places=places, placements=placements)
