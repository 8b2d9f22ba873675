"""Re-check a solution against the hard rules, independently of the solver.

Deliberately written from the spec text with plain Python dates and loops, sharing no code
with the vectorised eligibility: it is the second pair of eyes before a proposal reaches a
household, and the tests use it as an oracle for the fast path.
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from typing import Any

from .schema import Household, Instance, Place, Solution, validate

EARTH_RADIUS_KM = 6371.0088


class SolutionError(ValueError):
    """A solution breaks hard rules; ``breaches`` lists them, one readable line each."""

    def __init__(self, breaches: list[str]):
        self.breaches = breaches
        super().__init__("\n".join(breaches))


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Haversine distance on a sphere of radius 6371.0088 km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dphi, dlam = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dphi / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dlam / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, max(0.0, h))))


def _free(place: Place, day: date) -> bool:
    if day < place.available_from:
        return False
    if place.available_until is not None and day >= place.available_until:
        return False
    return all(not (b.start <= day < b.end) for b in place.busy)


def pair_dates(instance: Instance, h: Household, p: Place) -> tuple[date, date] | None:
    """E10: the pair's start and end day, or None when no start day fits."""
    pol = instance.policy
    t0 = instance.planning_date
    earliest = max(t0, h.release_date)
    last_start = t0 + timedelta(days=instance.horizon_days - 1)
    s = earliest
    while s <= last_start:
        if all(_free(p, s + timedelta(days=k)) for k in range(pol.min_stay_days)):
            run = pol.min_stay_days
            while run < pol.max_stay_days and _free(p, s + timedelta(days=run)):
                run += 1
            return s, s + timedelta(days=run)
        s += timedelta(days=1)
    return None


def pair_breaches(instance: Instance, h: Household, p: Place) -> list[str]:
    """Rules E1–E10 that the pair breaks (rule id first), from the spec text."""
    out = _breaches_but_time(instance, h, p)
    if pair_dates(instance, h, p) is None:
        out.append("E10 time")
    return out


def _breaches_but_time(instance: Instance, h: Household, p: Place) -> list[str]:
    """Rules E1–E9 (E10 needs :func:`pair_dates`, which :func:`check` computes once per pair)."""
    pol = instance.policy
    out = []
    if len(h.adults) + len(h.children) > p.capacity:
        out.append("E1 capacity")
    if h.pets and not p.allows_pets:
        out.append("E2 pets")
    if h.children and not p.allows_children:
        out.append("E3 children")
    if h.needs_accessible and not p.accessible:
        out.append("E4 access")
    if p.kind == "host_room" and not h.accepts_host:
        out.append("E5 guest does not accept a host")
    if p.host is not None and p.host.landlord in ("corporation", "private") and not p.host.landlord_consent:
        out.append("E6 landlord consent")
    if (
        p.host is not None
        and p.host.on_benefit
        and not p.host.cost_sharing_exemption
        and any(a.age >= pol.cost_sharing_age for a in h.adults)
    ):
        out.append("E7 cost-sharing norm")
    if p.id in h.excluded_places:
        out.append("E8 excluded")
    if pol.max_distance_km is not None:
        km = great_circle_km(h.location.lat, h.location.lon, p.location.lat, p.location.lon)
        if km > pol.max_distance_km:
            out.append("E9 distance")
    return out


def check(instance: Instance | dict[str, Any], solution: Solution | dict[str, Any]) -> list[str]:
    """All breaches of the hard rules and of the output contract; empty when it is sound."""
    inst = validate(instance)
    sol = solution if isinstance(solution, Solution) else Solution.model_validate(solution)
    hh = {h.id: h for h in inst.households}
    pl = {p.id: p for p in inst.places}
    out: list[str] = []
    seen_h: dict[str, str] = {}
    seen_p: dict[str, str] = {}
    stays: list[tuple[Place, date, date]] = []
    for k, m in enumerate(sol.placements):
        where = f"placements[{k}]"
        h, p = hh.get(m.household), pl.get(m.place)
        if h is None or p is None:
            out.append(f"{where}: unknown household or place ({m.household}, {m.place})")
            continue
        if m.household in seen_h:
            out.append(f"{where}: household {m.household} placed twice")
        if m.place in seen_p:
            out.append(f"{where}: place {m.place} used twice")
        seen_h[m.household] = m.place
        seen_p[m.place] = m.household
        dates = pair_dates(inst, h, p)
        for b in _breaches_but_time(inst, h, p) + (["E10 time"] if dates is None else []):
            out.append(f"{where}: {m.household} in {m.place} breaks {b}")
        if dates is not None and dates != (m.start, m.end):
            out.append(f"{where}: dates {m.start}..{m.end} differ from the rule ({dates[0]}..{dates[1]})")
        stays.append((p, m.start, m.end))
    out.extend(_host_breaches(inst, stays))
    unplaced = [u.household for u in sol.unplaced]
    for u in sol.unplaced:
        if not u.reasons:
            out.append(f"unplaced {u.household}: no reason given")
    listed = list(seen_h) + unplaced
    if sorted(listed) != sorted(hh) or len(set(listed)) != len(listed):
        out.append("every household must appear exactly once, placed or unplaced")
    obj = objective(inst, sol)
    if obj != sol.objective.model_dump():
        out.append(f"objective {sol.objective.model_dump()} does not match the placements ({obj})")
    return out


def _host_breaches(inst: Instance, stays: list[tuple[Place, date, date]]) -> list[str]:
    """Host limits: per host and day, busy plus new stays at its rooms; new stays must fit."""
    limits = {h.id: h.max_households for h in inst.hosts}
    out = []
    by_host: dict[str, list[tuple[date, date]]] = {}
    for p, s, e in stays:
        if p.host_id in limits:
            by_host.setdefault(p.host_id, []).append((s, e))
    busy_of: dict[str, list[tuple[date, date]]] = {}
    for p in inst.places:
        if p.host_id in by_host:
            busy_of.setdefault(p.host_id, []).extend((b.start, b.end) for b in p.busy)
    for host_id, new in sorted(by_host.items()):
        busy = busy_of.get(host_id, [])
        for s, e in new:
            day = s
            while day < e:
                n = sum(a <= day < b for a, b in busy) + sum(a <= day < b for a, b in new)
                if n > limits[host_id]:
                    out.append(f"host {host_id}: {n} households on {day}, limit {limits[host_id]}")
                    break
                day += timedelta(days=1)
    return out


def objective(inst: Instance, sol: Solution) -> dict[str, int]:
    """The five objective sums recomputed from the placements."""
    hh = {h.id: h for h in inst.households}
    pl = {p.id: p for p in inst.places}
    t0 = inst.planning_date
    res = {"placed": 0, "priority": 0, "weighted_wait": 0, "distance": 0, "stay_days": 0}
    for m in sol.placements:
        h, p = hh.get(m.household), pl.get(m.place)
        if h is None or p is None:
            continue
        km = great_circle_km(h.location.lat, h.location.lon, p.location.lat, p.location.lon)
        res["placed"] += 1
        res["priority"] += h.priority
        res["weighted_wait"] += h.priority * (m.start - max(t0, h.release_date)).days
        res["distance"] += round(10 * km)
        res["stay_days"] += (m.end - m.start).days
    return res


def assert_valid(instance: Instance | dict[str, Any], solution: Solution | dict[str, Any]) -> None:
    """Raise SolutionError listing every breach; return quietly when the solution is sound."""
    breaches = check(instance, solution)
    if breaches:
        raise SolutionError(breaches)
