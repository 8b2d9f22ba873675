"""A simulator profile from a municipality's recorded history (``onderdak simulate generate --from-db``).

Why: the shipped profiles describe a typical small, medium or large municipality; a crisis team wants
the year simulated and the rooms planned for *its own* arrivals and stock. Everything here is counted
from the records, no names leave the database, and the result is an ordinary
:class:`matcher.simulate.generate.Profile` (validated), so the pure simulator never sees the database.

What is counted, and how:

- **Arrivals**: households with an eviction day in the window of the last 52 weeks up to ``today``
  (or from the first recorded eviction, if that is later). ``arrivals_per_week`` is their number × 7 /
  the window's days. One household counts once (its latest eviction in the window).
- **Seasonality**: only with a full year of history, the first harmonic of the eviction days over the
  52-week cycle (amplitude ``2·|mean e^{iθ}|``, capped at 1, and the week of its peak, counted from the
  profile's start); with less history a season cannot be told from a trend, so the amplitude is 0.
- **Lead days**: days from the notice reaching the municipality to the eviction, the 5th and 95th
  percentile (the generator draws uniformly between them).
- **Household mix**: persons per household, children, pets, accessibility, hosts accepted, adults past
  the cost-sharing age, and the rules engine's priority on the eviction day (the matcher's priority).
- **Stock**: the active Wachtkamer dwellings and the active hosts' active rooms today: capacities,
  accessibility, pets, children, hosts with two or more rooms, hosts on benefit or with an exemption,
  rooms open only part of the year, and places with a live stay today.
- **Policy**: the dated matching policy in force today; ``stay_days`` is the median length of the ended
  stays (within the policy's bounds), else the middle of the bounds.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from datetime import date, timedelta
from statistics import median
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from api.core.errors import InvalidInput
from api.core.models import Municipality
from api.core.policy import policy_book
from api.core.tenancy import municipality_by_code
from api.hosts.models import Host
from api.households.models import Eviction, Household
from api.matching.instance import priority_breakdown
from api.matching.policy import matching_policy
from api.placements.models import LIVE_STATUSES, Placement
from api.places.models import Place
from matcher.rules.dates import age_on
from matcher.schema import MAX_PRIORITY
from matcher.simulate.generate import Profile, validate_profile

WINDOW_DAYS = 364  # 52 weeks: the seasonality's cycle
MIN_HOUSEHOLDS = 20  # fewer arrivals say too little about a mix or a rate
MIN_DAYS = 56  # eight weeks of history at least
GRACE_DAYS = 28
ADULT_AGE = 18
EARTH_KM = 6371.0


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_KM * math.asin(min(1.0, math.sqrt(a)))


def _share(hits: int, total: int) -> float:
    return round(hits / total, 4) if total else 0.0


def _weights(values: Sequence[int]) -> dict[str, float]:
    """Observed values → their shares (a generator weight table)."""
    counts = Counter(values)
    return {str(k): round(counts[k] / len(values), 4) for k in sorted(counts)}


def _percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-quantile by linear interpolation between order statistics."""
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q
    lo = math.floor(pos)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def next_monday(day: date) -> date:
    """The profile's start: the first Monday after ``day`` (a simulated year starts on a week)."""
    return day + timedelta(days=7 - day.weekday())


def arrivals_window(db: Session, municipality_id: int, today: date) -> tuple[date, list[tuple[Household, Eviction]]]:
    """The window's first day and each household with its latest eviction in ``[first day, today]``."""
    earliest = today - timedelta(days=WINDOW_DAYS - 1)
    rows = db.execute(
        select(Household, Eviction)
        .join(Eviction, Eviction.household_id == Household.id)
        .where(
            Household.municipality_id == municipality_id,
            Eviction.eviction_date >= earliest,
            Eviction.eviction_date <= today,
        )
        .options(selectinload(Household.members), selectinload(Household.evictions))
        .order_by(Household.id, Eviction.eviction_date)
    ).all()
    latest: dict[int, tuple[Household, Eviction]] = {}
    for household, eviction in rows:
        latest[household.id] = (household, eviction)
    picked = list(latest.values())
    first = min((e.eviction_date for _, e in picked), default=today)
    return max(earliest, first), picked


def _seasonality(days: Sequence[date], start: date, window_days: int) -> dict[str, Any]:
    if window_days < WINDOW_DAYS or not days:
        return {"amplitude": 0.0, "peak_week": 1}
    angles = [2 * math.pi * (((d - start).days / 7.0) % 52) / 52.0 for d in days]
    c = sum(math.cos(a) for a in angles) / len(angles)
    s = sum(math.sin(a) for a in angles) / len(angles)
    amplitude = min(1.0, 2 * math.hypot(c, s))
    peak = (math.atan2(s, c) / (2 * math.pi) * 52) % 52
    return {"amplitude": round(amplitude, 4), "peak_week": int(round(peak)) % 52 + 1}


def _stay_days(db: Session, municipality_id: int, lo: int, hi: int) -> int:
    lengths = [
        (ended - start).days
        for start, ended in db.execute(
            select(Placement.start_date, Placement.ended_on).where(
                Placement.municipality_id == municipality_id,
                Placement.status == "ended",
                Placement.ended_on.is_not(None),
            )
        )
        if ended is not None and ended > start
    ]
    middle = median(lengths) if lengths else (lo + hi) / 2
    return int(min(hi, max(lo, round(middle))))


def _households(
    picked: list[tuple[Household, Eviction]], cost_sharing_age: int, db: Session, municipality_id: int
) -> dict[str, Any]:
    book = policy_book(db, municipality_id=municipality_id)
    sizes, priorities = [], []
    families = with_children = old = 0
    for household, eviction in picked:
        ages = [age_on(m.birth_date, eviction.eviction_date) for m in household.members]
        sizes.append(max(1, len(ages)))
        adults = [a for a in ages if a >= ADULT_AGE]
        if len(ages) >= 2:
            families += 1
            with_children += any(a < ADULT_AGE for a in ages)
        old += bool(adults) and max(adults) >= cost_sharing_age
        total = priority_breakdown(household, eviction.eviction_date, book).total
        priorities.append(min(MAX_PRIORITY, max(0, total)))
    n = len(picked)
    return {
        "size": _weights(sizes),
        "children_share_of_families": _share(with_children, families),
        "pets_share": _share(sum(h.pets for h, _ in picked), n),
        "accessible_share": _share(sum(h.needs_accessible for h, _ in picked), n),
        "accepts_host_share": _share(sum(h.accepts_host for h, _ in picked), n),
        "over_cost_sharing_age_share": _share(old, n),
        "priority": _weights(priorities),
    }


def _stock(db: Session, municipality_id: int, today: date) -> tuple[dict[str, Any], list[Place]]:
    places = db.scalars(
        select(Place)
        .where(Place.municipality_id == municipality_id, Place.status == "active")
        .options(selectinload(Place.host))
        .order_by(Place.reference)
    ).all()
    places = [
        p for p in places
        if (p.available_until is None or p.available_until > today)
        and (p.kind == "wachtkamer" or (p.host is not None and p.host.status == "active"))
    ]
    w = [p for p in places if p.kind == "wachtkamer"]
    r = [p for p in places if p.kind == "host_room"]
    rooms_per_host = Counter(p.host_id for p in r)
    hosts: list[Host] = [p.host for p in r if p.host is not None]
    unique_hosts = {h.id: h for h in hosts}.values()
    occupied = set(
        db.scalars(
            select(Placement.place_id).where(
                Placement.municipality_id == municipality_id,
                Placement.status.in_(LIVE_STATUSES),
                Placement.start_date <= today,
                Placement.end_date > today,
            )
        )
    )
    stock = {
        "wachtkamer": len(w),
        "host_rooms": len(r),
        "wachtkamer_capacity": _weights([p.capacity for p in w]) if w else {"1": 1.0},
        "host_room_capacity": _weights([p.capacity for p in r]) if r else {"1": 1.0},
        "accessible_share": _share(sum(p.accessible for p in places), len(places)),
        "pets_share": _share(sum(p.allows_pets for p in places), len(places)),
        "children_share": _share(sum(p.allows_children for p in r), len(r)),
        "rooms_per_host_two_share": _share(sum(1 for n in rooms_per_host.values() if n >= 2), len(rooms_per_host)),
        "host_on_benefit_share": _share(sum(h.on_benefit for h in unique_hosts), len(unique_hosts)),
        "host_exemption_share": _share(sum(h.cost_sharing_exemption for h in unique_hosts), len(unique_hosts)),
        "part_year_share": _share(sum(p.available_until is not None for p in r), len(r)),
        "occupied_at_start_share": _share(sum(p.id in occupied for p in places), len(places)),
    }
    return stock, list(places)


def profile_from_history(
    db: Session, *, municipality: Municipality, today: date, days: int = 365, loc: tuple[str | int, ...] = ("from_db",)
) -> Profile:
    """The municipality's profile as counted from its records up to ``today``, for a simulated
    period of ``days`` starting the next Monday. Too little history is bad input at ``loc``."""
    first, picked = arrivals_window(db, municipality.id, today)
    window_days = (today - first).days + 1
    if len(picked) < MIN_HOUSEHOLDS or window_days < MIN_DAYS:
        raise InvalidInput(
            code="capacity.too_little_history",
            loc=loc,
            municipality=municipality.code,
            households=len(picked),
            weeks=window_days // 7,
            min_households=MIN_HOUSEHOLDS,
            min_weeks=MIN_DAYS // 7,
        )
    policy = matching_policy(policy_book(db, municipality_id=municipality.id), today)
    stay = _stay_days(db, municipality.id, policy.min_stay_days, policy.max_stay_days)
    start = next_monday(today)
    leads = [(e.eviction_date - e.announced_date).days for _, e in picked]
    stock, places = _stock(db, municipality.id, today)
    spots = [(h.origin_lat, h.origin_lon) for h, _ in picked] + [(p.lat, p.lon) for p in places]
    radius = _percentile([_km(municipality.lat, municipality.lon, a, b) for a, b in spots], 0.95)
    data = {
        "name": municipality.code,
        "description": f"Uit de geschiedenis van {municipality.name}: {len(picked)} huishoudens in "
        f"{window_days} dagen tot {today.isoformat()}.",
        "start": start.isoformat(),
        "days": days,
        "policy": {
            "min_stay_days": policy.min_stay_days,
            "max_stay_days": policy.max_stay_days,
            "cost_sharing_age": policy.cost_sharing_age,
            "max_distance_km": policy.max_distance_km,
            "horizon_days": min(policy.horizon_days, stay),
            "stay_days": stay,
            "grace_days": GRACE_DAYS,
        },
        "center": {"lat": municipality.lat, "lon": municipality.lon},
        "radius_km": round(min(200.0, max(1.0, radius)), 2),
        "arrivals_per_week": round(len(picked) * 7 / window_days, 4),
        "seasonality": _seasonality([e.eviction_date for _, e in picked], start, window_days),
        "lead_days": {
            "min": int(min(365, math.floor(_percentile(leads, 0.05)))),
            "max": int(min(365, math.ceil(_percentile(leads, 0.95)))),
        },
        "households": _households(picked, policy.cost_sharing_age, db, municipality.id),
        "stock": stock,
    }
    return validate_profile(data)


def profile_for_code(db: Session, code: str, *, today: date, days: int = 365, loc: tuple[str | int, ...]) -> Profile:
    """:func:`profile_from_history` for the municipality with CBS code ``code`` (unknown: NotFound at ``loc``)."""
    municipality = municipality_by_code(db, code, loc=loc)
    return profile_from_history(db, municipality=municipality, today=today, days=days, loc=loc)
