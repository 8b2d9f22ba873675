"""Constraints live in the database: the same bad rows are refused on both backends."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from api.core.models import Municipality
from api.households.models import Household
from api.placements.models import Placement, Refusal
from api.places.models import Place


def _maastricht(db) -> Municipality:
    return db.scalar(select(Municipality).where(Municipality.code == "GM0935"))


def _refused(db, row) -> None:
    nested = db.begin_nested()
    db.add(row)
    with pytest.raises(IntegrityError):
        db.flush()
    nested.rollback()


def _place(m, **overrides) -> Place:
    values = {
        "municipality_id": m.id,
        "reference": "WK-TEST",
        "kind": "wachtkamer",
        "label": "x",
        "lat": 50.85,
        "lon": 5.69,
        "capacity": 2,
        "available_from": date(2026, 1, 1),
    }
    values.update(overrides)
    return Place(**values)


def test_place_capacity_must_be_positive(db):
    _refused(db, _place(_maastricht(db), capacity=0))


def test_host_room_needs_a_host(db):
    _refused(db, _place(_maastricht(db), kind="host_room"))


def test_availability_window_must_be_forward(db):
    _refused(db, _place(_maastricht(db), available_until=date(2025, 12, 31)))


def test_unknown_place_kind_refused(db):
    _refused(db, _place(_maastricht(db), kind="hotel"))


def test_a_household_holds_at_most_one_live_placement(db):
    live = db.scalars(select(Placement).where(Placement.status == "started")).first()
    other_place = db.scalars(select(Place).where(Place.id != live.place_id, Place.kind == "wachtkamer")).first()
    twin = Placement(
        municipality_id=live.municipality_id,
        household_id=live.household_id,
        place_id=other_place.id,
        status="confirmed",
        start_date=date(2026, 12, 1),
        end_date=date(2027, 1, 1),
    )
    _refused(db, twin)


def test_an_ended_placement_needs_an_outcome(db):
    live = db.scalars(select(Placement).where(Placement.status == "started")).first()
    nested = db.begin_nested()
    live.status = "ended"
    live.ended_on = date(2026, 12, 1)
    with pytest.raises(IntegrityError):
        db.flush()
    nested.rollback()


def test_refusal_needs_a_reason_and_is_unique(db):
    m = _maastricht(db)
    household = db.scalars(select(Household).where(Household.municipality_id == m.id)).first()
    place = db.scalars(select(Place).where(Place.municipality_id == m.id)).first()
    _refused(db, Refusal(municipality_id=m.id, household_id=household.id, place_id=place.id, reason="  "))
    db.add(Refusal(municipality_id=m.id, household_id=household.id, place_id=place.id, reason="te ver"))
    db.flush()
    _refused(db, Refusal(municipality_id=m.id, household_id=household.id, place_id=place.id, reason="nogmaals"))


def test_household_reference_unique_per_municipality(db):
    existing = db.scalars(select(Household)).first()
    twin = Household(
        municipality_id=existing.municipality_id,
        reference=existing.reference,
        display_name="x",
        origin_lat=50.8,
        origin_lon=5.7,
    )
    _refused(db, twin)
