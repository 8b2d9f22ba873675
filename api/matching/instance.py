"""Records → ``onderdak.instance/1``: the only door from the database into the matcher.

Only what the matcher needs leaves the database: reference codes instead of
names, ages at the planning date instead of birth dates. Which rules apply on the
planning date (stay limits, cost-sharing age, horizon, distance, priority weights,
the temporary-stay exemption) comes from the dated policy book, never a literal.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from api.hosts.models import Host
from api.hosts.rules import host_cost_sharing_exemption, landlord_consent_in_force
from api.hosts.vetting import held_back_hosts
from api.households.models import Eviction, Household, HouseholdMember
from api.matching.models import MatchingRun, Proposal
from api.matching.policy import MatchingPolicy
from api.placements.models import LIVE_STATUSES, Placement, Refusal
from api.places.models import Place
from api.stays.rematch import rematch_factor
from matcher.rules import priority as priority_rules
from matcher.rules.dates import age_on
from matcher.rules.policy import PolicyBook

ADULT_AGE = 18

__all__ = ["ADULT_AGE", "MatchingPolicy", "build_instance", "priority_breakdown", "host_exemption"]


class _HasBirthDate(Protocol):
    @property
    def birth_date(self) -> date: ...


class _HasEvictionDate(Protocol):
    @property
    def eviction_date(self) -> date: ...


class PriorityRecord(Protocol):
    """What the priority rules read of a household: a :class:`Household` row or a :class:`WaitingRecord`."""

    @property
    def reference(self) -> str: ...
    @property
    def medical_need(self) -> bool: ...
    @property
    def needs_accessible(self) -> bool: ...
    @property
    def priority_override(self) -> int | None: ...
    @property
    def priority_override_reason(self) -> str | None: ...
    @property
    def updated_at(self) -> datetime | None: ...
    @property
    def members(self) -> Sequence[_HasBirthDate]: ...
    @property
    def evictions(self) -> Sequence[_HasEvictionDate]: ...


@dataclasses.dataclass(frozen=True)
class MemberRecord:
    birth_date: date


@dataclasses.dataclass(frozen=True)
class EvictionRecord:
    eviction_date: date


@dataclasses.dataclass(frozen=True)
class WaitingRecord:
    """A waiting household as the instance needs it, read as plain rows.

    Why not the ORM objects: loading ~1,000 households with their members and evictions as mapped objects
    (identity map, collections, events) took most of a run's and of every staleness check's time at ten
    times the demo; three column queries give the same values at a fraction of the cost."""

    id: int
    reference: str
    pets: bool
    needs_accessible: bool
    medical_need: bool
    accepts_host: bool
    priority_override: int | None
    priority_override_reason: str | None
    updated_at: datetime | None
    origin_lat: float
    origin_lon: float
    members: list[MemberRecord] = dataclasses.field(default_factory=list)
    evictions: list[EvictionRecord] = dataclasses.field(default_factory=list)


def priority_breakdown(
    household: PriorityRecord, day: date, book: PolicyBook, *, breakdowns: int = 0
) -> priority_rules.PriorityBreakdown:
    """The household's priority points on ``day`` (rules engine), with a line per factor.

    ``breakdowns`` earlier stays that broke down add the rematch factor (api.stays.rematch).

    A crisis-team override on the household (``priority_override`` with its reason) counts
    as the rules engine's ``crisis_override`` factor; the points come from the policy.
    """
    ages = [age_on(m.birth_date, day) for m in household.members]
    override = None
    if household.priority_override is not None and household.priority_override_reason:
        decided = household.updated_at.date() if household.updated_at else day
        override = priority_rules.CrisisOverride(
            reason=household.priority_override_reason, decided_by="crisisteam", decided_on=min(decided, day)
        )
    evictions = [e.eviction_date for e in household.evictions]
    breakdown = priority_rules.compute(
        priority_rules.PriorityInput(
            household_ref=household.reference,
            children=sum(1 for a in ages if a < ADULT_AGE),
            medical_need=household.medical_need,
            accessibility_need=household.needs_accessible,
            eviction_date=max(evictions) if evictions else None,
            override=override,
        ),
        day,
        book,
    )
    extra = rematch_factor(breakdowns, breakdown.total, day, book)
    return breakdown if extra is None else dataclasses.replace(breakdown, factors=(*breakdown.factors, extra))


def host_exemption(host: Host, day: date, policy: MatchingPolicy) -> bool:
    """E7's ``cost_sharing_exemption``: a recorded decision covering every day a new stay could reach."""
    return policy.exemption_applies and host_cost_sharing_exemption(host, day, policy.last_day_reached(day))


def build_instance(
    db: Session,
    *,
    municipality_id: int,
    day: date,
    policy: MatchingPolicy,
    priority: Callable[[WaitingRecord], int],
) -> dict[str, Any]:
    """The instance for ``day``: waiting households, active places, busy periods, refusals.

    A household with an open offer (``Proposal.offered_at``) is held for that place: it leaves the pool and
    the place is busy for the offered stay until the offer is accepted, declined or expires. Rooms of a host
    whose required vetting item has expired on ``day`` are left out (:func:`api.hosts.vetting.held_back_hosts`).
    """
    offered = _offered(db, municipality_id)
    held_households = {household_id for household_id, _, _, _ in offered}
    households = [h for h in _waiting_households(db, municipality_id) if h.id not in held_households]
    refusals = _refusals(db, municipality_id)
    places = db.scalars(
        select(Place)
        .where(Place.municipality_id == municipality_id, Place.status == "active")
        .options(selectinload(Place.unavailable), selectinload(Place.host))
        .order_by(Place.reference)
    ).all()
    held_back = held_back_hosts(db, municipality_id=municipality_id, day=day)
    places = [
        p
        for p in places
        if p.kind == "wachtkamer" or (p.host is not None and p.host.status == "active" and p.host.id not in held_back)
    ]
    busy = _busy_periods(db, [p.id for p in places], day)
    for _, place_id, start, end in offered:
        if end > day:
            busy.setdefault(place_id, []).append((start, end))
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
        "places": [_place_block(p, busy.get(p.id, []), day, policy) for p in places],
        "hosts": [{"id": h.reference, "max_households": h.max_households} for h in hosts if h.max_households],
    }


def _waiting_households(db: Session, municipality_id: int) -> list[WaitingRecord]:
    """The waiting households with at least one eviction and one member, by reference (three statements)."""
    rows = db.execute(
        select(
            Household.id,
            Household.reference,
            Household.pets,
            Household.needs_accessible,
            Household.medical_need,
            Household.accepts_host,
            Household.priority_override,
            Household.priority_override_reason,
            Household.updated_at,
            Household.origin_lat,
            Household.origin_lon,
        )
        .where(Household.municipality_id == municipality_id, Household.status == "waiting")
        .order_by(Household.reference)
    ).all()
    records = {row[0]: WaitingRecord(*row) for row in rows}
    waiting = select(Household.id).where(Household.municipality_id == municipality_id, Household.status == "waiting")
    for household_id, birth_date in db.execute(
        select(HouseholdMember.household_id, HouseholdMember.birth_date)
        .where(HouseholdMember.household_id.in_(waiting))
        .order_by(HouseholdMember.id)
    ):
        if household_id in records:  # a household that stopped waiting between the statements is left out
            records[household_id].members.append(MemberRecord(birth_date))
    for household_id, eviction_date in db.execute(
        select(Eviction.household_id, Eviction.eviction_date)
        .where(Eviction.household_id.in_(waiting))
        .order_by(Eviction.id)
    ):
        if household_id in records:
            records[household_id].evictions.append(EvictionRecord(eviction_date))
    return [h for h in records.values() if h.evictions and h.members]


def _offered(db: Session, municipality_id: int) -> list[tuple[int, int, date, date]]:
    """(household, place, start, end) of the open proposals that were offered: held until answered."""
    rows = db.execute(
        select(Proposal.household_id, Proposal.place_id, Proposal.start_date, Proposal.end_date)
        .join(MatchingRun, MatchingRun.id == Proposal.run_id)
        .where(
            MatchingRun.municipality_id == municipality_id,
            Proposal.status == "open",
            Proposal.offered_at.is_not(None),
        )
    )
    return [(h, p, s, e) for h, p, s, e in rows]


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


def _household_block(h: WaitingRecord, day: date, priority: int, excluded: list[str]) -> dict[str, Any]:
    ages = [age_on(m.birth_date, day) for m in h.members]
    return {
        "id": h.reference,
        "release_date": max(e.eviction_date for e in h.evictions).isoformat(),
        "adults": [{"age": a} for a in sorted(ages) if a >= ADULT_AGE],
        "children": sorted(a for a in ages if a < ADULT_AGE),
        "pets": h.pets,
        "needs_accessible": h.needs_accessible,
        "accepts_host": h.accepts_host,
        "priority": priority,
        "location": {"lat": h.origin_lat, "lon": h.origin_lon},
        "excluded_places": excluded,
    }


def _place_block(p: Place, busy: list[tuple[date, date]], day: date, policy: MatchingPolicy) -> dict[str, Any]:
    periods = sorted(busy + [(u.start_date, u.end_date) for u in p.unavailable if u.end_date > day])
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
        block["host"] = {
            "on_benefit": p.host.on_benefit,
            "cost_sharing_exemption": host_exemption(p.host, day, policy),
            "landlord": p.host.landlord_type,
            "landlord_consent": landlord_consent_in_force(p.host, day),
        }
    return block
