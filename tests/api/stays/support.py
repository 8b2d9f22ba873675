"""Helpers for the stays tests: a confirmed placement in a free place, and a clock the app runs under."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.auth.models import UserAccount
from api.households.models import Household
from api.placements.models import LIVE_STATUSES, Placement
from api.places.models import Place
from tests.api.matching.support import add_household, municipality_id

STAY_DAYS = 56


def host_place(db: Session, email: str = "gastgever1@maastricht.demo") -> Place:
    """A room of the demo host behind ``email`` (its own guests' check-ins are what that host may see)."""
    host_id = db.scalar(select(UserAccount.host_id).where(UserAccount.email == email))
    place = db.scalar(select(Place).where(Place.host_id == host_id).order_by(Place.id))
    assert place is not None, email
    return place


def free_place(db: Session) -> Place:
    """A Maastricht place without any live placement."""
    busy = select(Placement.place_id).where(Placement.status.in_(LIVE_STATUSES))
    place = db.scalar(
        select(Place)
        .where(Place.municipality_id == municipality_id(db), Place.status == "active", Place.id.not_in(busy))
        .order_by(Place.id)
    )
    assert place is not None
    return place


def confirmed_placement(db: Session, reference: str, start: date, place: Place | None = None) -> Placement:
    """A household placed in ``place`` from ``start`` for the maximum stay, as a confirmed proposal leaves it."""
    place = place or free_place(db)
    live_here = select(Placement).where(Placement.place_id == place.id, Placement.status.in_(LIVE_STATUSES))
    for live in db.scalars(live_here):
        live.status = "cancelled"
    household_id = add_household(db, reference, eviction=start - timedelta(days=1))
    db.flush()
    household = db.get(Household, household_id)
    assert household is not None
    household.status = "placed"
    placement = Placement(
        municipality_id=household.municipality_id,
        household_id=household.id,
        place_id=place.id,
        status="confirmed",
        start_date=start,
        end_date=start + timedelta(days=STAY_DAYS),
    )
    db.add(placement)
    db.flush()
    return placement
