"""Rows the rules tests need, found in (or added to) the rolled-back demo database."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.core.models import Municipality, PolicyParameter
from api.hosts.models import Host, HostMember
from api.households.models import Eviction, Household, HouseholdMember
from api.placements.models import Placement
from api.places.models import Place

DAY = date(2024, 3, 1)  # a day with known benefit norms (2024: B = 1834.04)


def municipality(db: Session, code: str = "GM0935") -> Municipality:
    return db.scalar(select(Municipality).where(Municipality.code == code))


def host(db: Session, *, landlord: str = "corporation", code: str = "GM0935") -> Host:
    """A host of the municipality with one member on benefit, aged 44 on DAY."""
    m = municipality(db, code)
    row = db.scalar(
        select(Host).where(Host.municipality_id == m.id, Host.landlord_type == landlord).order_by(Host.id).limit(1)
    )
    row.on_benefit = True
    row.cost_sharing_exemption = False
    row.exemption_decided_on = None
    row.exemption_reference = None
    row.members = [HostMember(first_name="Anna", birth_date=date(1980, 1, 15), on_benefit=True, status="none")]
    db.flush()
    return row


def household(db: Session, *, ages: tuple[int, ...] = (30,), code: str = "GM0935", reference: str = "HH-TEST-1"):
    m = municipality(db, code)
    row = Household(
        municipality_id=m.id,
        reference=reference,
        display_name="Huishouden Test",
        origin_lat=m.lat,
        origin_lon=m.lon,
        status="waiting",
    )
    row.members = [HouseholdMember(first_name="Jan", birth_date=date(DAY.year - a, 1, 10)) for a in ages]
    row.evictions = [
        Eviction(
            announced_date=DAY - timedelta(days=30), eviction_date=DAY - timedelta(days=15), bailiff_reference="DW-1"
        )
    ]
    db.add(row)
    db.flush()
    return row


def host_placement(db: Session, the_host: Host, the_household: Household, start: date = DAY) -> Placement:
    place = db.scalar(select(Place).where(Place.host_id == the_host.id).limit(1))
    if place is None:
        place = Place(
            municipality_id=the_host.municipality_id,
            reference=f"KM-TEST-{the_host.id}",
            kind="host_room",
            host_id=the_host.id,
            label="Logeerkamer",
            lat=the_host.lat,
            lon=the_host.lon,
            capacity=2,
            available_from=start - timedelta(days=10),
        )
        db.add(place)
        db.flush()
    placement = Placement(
        municipality_id=the_host.municipality_id,
        household_id=the_household.id,
        place_id=place.id,
        status="confirmed",
        start_date=start,
        end_date=start + timedelta(days=56),
    )
    db.add(placement)
    db.flush()
    return placement


def override(db: Session, key: str, value: dict, *, valid_from: date = date(2015, 1, 1), code: str = "GM0935") -> None:
    db.add(
        PolicyParameter(
            municipality_id=municipality(db, code).id,
            key=key,
            valid_from=valid_from,
            value_json=value,
            source="Testbesluit B&W",
        )
    )
    db.flush()
