"""Records → ``onderdak.instance/1``: the only door from the database into the matcher.

Only what the matcher needs leaves the database: reference codes instead of
names, ages at the planning date instead of birth dates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from api.core.timeutil import age_on
from api.hosts.models import Host
from api.households.models import Household
from api.placements.models import LIVE_STATUSES, Placement, Refusal
from api.places.models import Place

ADULT_AGE = 18


@dataclass(frozen=True)
class MatchingPolicy:
    """The policy block of the instance, taken from the dated parameters at the planning date."""

    min_stay_days: int
    max_stay_days: int
    cost_sharing_age: int
    max_distance_km: float | None
    horizon_days: int


def household_priority(household: Household) -> int:
    """Fallback priority when no rules engine is wired in: the override, else 1."""
    return household.priority_override if household.priority_override is not None else 1


def build_instance(
    db: Session, *, municipality_id: int, day: date, policy: MatchingPolicy, priority=household_priority
) -> dict[str, Any]:
    households = _waiting_households(db, municipality_id, day)
    refusals = _refusals(db, municipality_id)
    places = db.scalars(
        select(Place)
        .where(Place.municipality_id == municipality_id, Place.status == "active")
        .options(selectinload(Place.unavailable), selectinload(Place.host))
        .order_by(Place.reference)
    ).all()
    places = [p for p in places if p.kind == "wachtkamer" or (p.host is not None and p.host.status == "active")]
    busy = _busy_periods(db, [p.id for p in places], day)
    place_refs = {p.id: p.reference for p in places}
    hosts = sorted({p.host for p in places if p.host is not None}, key=lambda h: h.reference)
    return {
        "format": "onderdak.instance/1",
        "planning_date": day.isoformat(),
        "horizon_days": policy.horizon_days,
        "policy": {
            "min_stay_days": policy.min_stay_days,
            "max_stay_days": policy.max_stay_days,
            "cost_sharing_age": policy.cost_sharing_age,
            "max_distance_km": policy.max_distance_km,
        },
        "households": [
            _household_block(
                h, day, priority(h), sorted(place_refs[p] for p in refusals.get(h.id, ()) if p in place_refs)
            )
            for h in households
        ],
        "places": [_place_block(p, busy.get(p.id, [])) for p in places],
        "hosts": [{"id": h.reference, "max_households": h.max_households} for h in hosts if h.max_households],
    }


def _waiting_households(db: Session, municipality_id: int, day: date) -> list[Household]:
    rows = db.scalars(
        select(Household)
        .where(Household.municipality_id == municipality_id, Household.status == "waiting")
        .options(selectinload(Household.members), selectinload(Household.evictions))
        .order_by(Household.reference)
    ).all()
    return [h for h in rows if h.evictions and h.members]


def _refusals(db: Session, municipality_id: int) -> dict[int, set[int]]:
    result: dict[int, set[int]] = {}
    for household_id, place_id in db.execute(
        select(Refusal.household_id, Refusal.place_id).where(Refusal.municipality_id == municipality_id)
    ):
        result.setdefault(household_id, set()).add(place_id)
    return result


def _busy_periods(db: Session, place_ids: list[int], day: date) -> dict[int, list[tuple[date, date]]]:
    result: dict[int, list[tuple[date, date]]] = {}
    rows = db.execute(
        select(Placement.place_id, Placement.start_date, Placement.end_date).where(
            Placement.place_id.in_(place_ids), Placement.status.in_(LIVE_STATUSES), Placement.end_date > day
        )
    )
    for place_id, start, end in rows:
        result.setdefault(place_id, []).append((start, end))
    return result


def _household_block(h: Household, day: date, priority: int, excluded: list[str]) -> dict[str, Any]:
    ages = [age_on(m.birth_date, day) for m in h.members]
    return {
        "id": h.reference,
        "release_date": max(e.eviction_date for e in h.evictions).isoformat(),
        "adults": [{"age": a} for a in ages if a >= ADULT_AGE],
        "children": sorted(a for a in ages if a < ADULT_AGE),
        "pets": h.pets,
        "needs_accessible": h.needs_accessible,
        "accepts_host": h.accepts_host,
        "priority": priority,
        "location": {"lat": h.origin_lat, "lon": h.origin_lon},
        "excluded_places": excluded,
    }


def _place_block(p: Place, busy: list[tuple[date, date]]) -> dict[str, Any]:
    periods = sorted(busy + [(u.start_date, u.end_date) for u in p.unavailable])
    block: dict[str, Any] = {
        "id": p.reference,
        "kind": p.kind,
        "capacity": p.capacity,
        "accessible": p.accessible,
        "allows_pets": p.allows_pets,
        "allows_children": p.allows_children,
        "location": {"lat": p.lat, "lon": p.lon},
        "available_from": p.available_from.isoformat(),
        "available_until": p.available_until.isoformat() if p.available_until else None,
        "busy": [{"start": s.isoformat(), "end": e.isoformat()} for s, e in periods],
    }
    if p.kind == "host_room" and p.host is not None:
        block["host_id"] = p.host.reference
        block["host"] = _host_block(p.host)
    return block


def _host_block(host: Host) -> dict[str, Any]:
    return {
        "on_benefit": host.on_benefit,
        "cost_sharing_exemption": host.cost_sharing_exemption,
        "landlord": host.landlord_type,
        "landlord_consent": host.landlord_consent,
    }
