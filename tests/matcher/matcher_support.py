"""Helpers for the matcher tests: instance builders and a brute-force lexicographic oracle.

The oracle shares no code with the solver: eligibility and dates come from `matcher.check`
(plain Python from the spec text), the host limit is counted day by day, and every
assignment is enumerated.
"""

from __future__ import annotations

import copy
from datetime import date, timedelta
from typing import Any

from hypothesis import strategies as st

from matcher.check import great_circle_km, pair_breaches, pair_dates
from matcher.schema import Instance, validate

T0 = date(2026, 12, 1)


def day(offset: int) -> str:
    return (T0 + timedelta(days=offset)).isoformat()


def household(hid: str = "H1", **kw: Any) -> dict[str, Any]:
    h = {
        "id": hid,
        "release_date": day(0),
        "adults": [{"age": 30}],
        "children": [],
        "pets": False,
        "needs_accessible": False,
        "accepts_host": True,
        "priority": 1,
        "location": {"lat": 52.0, "lon": 5.0},
        "excluded_places": [],
    }
    h.update(kw)
    return h


def wachtkamer(pid: str = "P1", **kw: Any) -> dict[str, Any]:
    p = {
        "id": pid,
        "kind": "wachtkamer",
        "capacity": 4,
        "accessible": True,
        "allows_pets": True,
        "allows_children": True,
        "location": {"lat": 52.0, "lon": 5.0},
        "available_from": day(-30),
        "available_until": None,
        "busy": [],
    }
    p.update(kw)
    return p


def host_room(pid: str = "R1", host_id: str = "HOST1", **kw: Any) -> dict[str, Any]:
    host = {"on_benefit": False, "cost_sharing_exemption": False, "landlord": "owner", "landlord_consent": True}
    host.update(kw.pop("host", {}))
    p = wachtkamer(pid, kind="host_room", host_id=host_id, host=host)
    p.update(kw)
    return p


def instance(households: list[dict], places: list[dict], hosts: list[dict] | None = None,
             **kw: Any) -> dict[str, Any]:
    inst = {
        "format": "onderdak.instance/1",
        "planning_date": T0.isoformat(),
        "horizon_days": 14,
        "policy": {"min_stay_days": 42, "max_stay_days": 56, "cost_sharing_age": 27, "max_distance_km": 60},
        "households": households,
        "places": places,
        "hosts": hosts or [],
    }
    pol = kw.pop("policy", {})
    inst["policy"].update(pol)
    inst.update(kw)
    return copy.deepcopy(inst)


# ---------------------------------------------------------------- brute force


def _pair_value(inst: Instance, h, p, s: date, e: date) -> tuple[int, int, int, int, int]:
    wait = (s - max(inst.planning_date, h.release_date)).days
    km = great_circle_km(h.location.lat, h.location.lon, p.location.lat, p.location.lon)
    return (1, h.priority, -h.priority * wait, -round(10 * km), (e - s).days)


def _host_ok(inst: Instance, chosen: list[tuple[Any, date, date]]) -> bool:
    limits = {x.id: x.max_households for x in inst.hosts}
    for host_id, limit in limits.items():
        new = [(s, e) for p, s, e in chosen if p.host_id == host_id]
        if not new:
            continue
        busy = [(b.start, b.end) for p in inst.places if p.host_id == host_id for b in p.busy]
        for s, e in new:
            d = s
            while d < e:
                if sum(a <= d < b for a, b in busy + new) > limit:
                    return False
                d += timedelta(days=1)
    return True


def brute_force(data: dict[str, Any]) -> tuple[int, int, int, int, int]:
    """The lexicographic optimum in spec orientation, by enumerating every assignment."""
    inst = validate(data)
    options = []
    for h in inst.households:
        opts = []
        for p in inst.places:
            if not pair_breaches(inst, h, p):
                s, e = pair_dates(inst, h, p)  # type: ignore[misc]
                opts.append((p, s, e, _pair_value(inst, h, p, s, e)))
        options.append(opts)
    best = (0, 0, 0, 0, 0)

    def rec(i: int, used: set[str], chosen: list, total: tuple) -> None:
        nonlocal best
        if i == len(options):
            if total > best and _host_ok(inst, chosen):
                best = total
            return
        rec(i + 1, used, chosen, total)
        for p, s, e, v in options[i]:
            if p.id in used:
                continue
            used.add(p.id)
            chosen.append((p, s, e))
            rec(i + 1, used, chosen, tuple(a + b for a, b in zip(total, v, strict=True)))
            chosen.pop()
            used.discard(p.id)

    rec(0, set(), [], (0, 0, 0, 0, 0))
    placed, prio, negwait, negdist, stay = best
    return (placed, prio, -negwait, -negdist, stay)


# ---------------------------------------------------------------- hypothesis strategy


@st.composite
def small_instances(draw: st.DrawFn, max_h: int = 6, max_p: int = 6, host_heavy: bool = False) -> dict[str, Any]:
    """Random valid instances with up to 6 households and 6 places, host limits included.

    `host_heavy`: every place a host room of one or two hosts that all have a limit, so the
    limits bind often and the branch and bound is exercised.
    """
    mostly = st.sampled_from([True, True, True, False])
    rarely = st.sampled_from([False, False, False, True])
    horizon = draw(st.integers(1, 6))
    min_stay = draw(st.integers(horizon, horizon + 4))
    max_stay = draw(st.integers(min_stay, min_stay + 5))
    max_km = draw(st.sampled_from([None, 3.0, 8.0, 20.0, 20.0]))
    n_hosts = draw(st.integers(1, 2)) if host_heavy else draw(st.integers(0, 2))
    host_ids = [f"HOST{k}" for k in range(n_hosts)]

    def loc() -> dict[str, float]:
        return {"lat": 52.0 + draw(st.integers(0, 60)) / 1000, "lon": 5.0 + draw(st.integers(0, 60)) / 1000}

    households = []
    for i in range(draw(st.integers(1, max_h))):
        households.append(
            household(
                f"H{i}",
                release_date=day(draw(st.sampled_from([-3, -1, 0, 0, 1, horizon - 1, horizon]))),
                adults=[{"age": draw(st.sampled_from([20, 26, 27, 40]))} for _ in range(draw(st.integers(1, 2)))],
                children=[5] * draw(st.sampled_from([0, 0, 0, 0, 1])),
                pets=draw(rarely),
                needs_accessible=draw(rarely),
                accepts_host=True if host_heavy else draw(mostly),
                priority=draw(st.integers(0, 3)),
                location=loc(),
            )
        )
    places = []
    for j in range(draw(st.integers(1, max_p))):
        af = draw(st.sampled_from([-5, -5, -5, 0, 0, 1, horizon]))
        until = draw(st.sampled_from([None, None, None, "long", "any"]))
        if until == "long":
            until = draw(st.integers(max(af, 0) + min_stay, max(af, 0) + horizon + max_stay + 2))
        elif until == "any":
            until = draw(st.integers(af + 1, af + min_stay + max_stay + 3))
        busy = []
        for _ in range(draw(st.sampled_from([0, 0, 0, 0, 1, 2]))):
            bs = draw(st.integers(-10, horizon + max_stay))
            be = bs + draw(st.integers(1, 12))
            busy.append({"start": day(bs), "end": day(be)})
        common = {
            "capacity": draw(st.integers(1, 5)),
            "accessible": draw(mostly),
            "allows_pets": draw(mostly),
            "allows_children": draw(mostly),
            "location": loc(),
            "available_from": day(af),
            "available_until": None if until is None else day(until),
            "busy": busy,
        }
        if host_ids and (host_heavy or draw(mostly)):
            place = host_room(
                f"P{j}",
                draw(st.sampled_from(host_ids)),
                host={
                    "on_benefit": draw(rarely),
                    "cost_sharing_exemption": draw(st.booleans()),
                    "landlord": draw(st.sampled_from(["corporation", "private", "owner"])),
                    "landlord_consent": draw(st.sampled_from([True] * 7 + [False])),
                },
            )
        else:
            place = wachtkamer(f"P{j}")
        place.update(common)
        places.append(place)
    # a few refusals
    for h in households:
        if draw(st.integers(0, 4)) == 0:
            h["excluded_places"] = [f"P{draw(st.integers(0, len(places) - 1))}"]
    hosts = [{"id": hid, "max_households": draw(st.integers(1, 2))} for hid in host_ids if host_heavy or draw(mostly)]
    return instance(
        households,
        places,
        hosts,
        horizon_days=horizon,
        policy={"min_stay_days": min_stay, "max_stay_days": max_stay, "max_distance_km": max_km},
    )
