"""Re-checks a simulation result against the stream, without the simulator's own bookkeeping.

Used by the tests and by ``compare``: a result is feasible when every stay meets rules E1–E9,
lasts exactly ``stay_days``, starts on or after the release day and inside the simulated days,
lies inside its place's availability and outside its busy stays, no place holds two households
on one day, every host limit holds on every day (busy stays included), and, for an online
policy, every stay was decided on or after its household was announced and on or before it
started. The summary figures must agree with the placements.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from .stream import SimResult, Stream
from .world import World


def check_result(stream: Stream, result: SimResult, *, world: World | None = None) -> list[str]:
    """Every breach found, one readable line each (empty: the result is feasible)."""
    w = world if world is not None else World.build(stream)
    problems: list[str] = []
    h_index = {hid: i for i, hid in enumerate(w.h_ids)}
    p_index = {pid: j for j, pid in enumerate(w.p_ids)}
    places = {p.id: p for p in stream.places}
    limits = {h.id: h.max_households for h in stream.hosts}
    first, last = stream.start, stream.start + timedelta(days=stream.days)
    seen: set[str] = set()
    per_place: dict[str, list[tuple[date, date, str]]] = defaultdict(list)
    host_days: dict[str, dict[date, int]] = defaultdict(lambda: defaultdict(int))
    value = sheltered = 0
    for pl in result.placements:
        tag = f"{pl.household} at {pl.place} from {pl.start}"
        if pl.household not in h_index or pl.place not in p_index:
            problems.append(f"{tag}: unknown household or place")
            continue
        if pl.household in seen:
            problems.append(f"{tag}: household placed twice")
        seen.add(pl.household)
        h, p = h_index[pl.household], p_index[pl.place]
        hh, place = stream.households[h], places[pl.place]
        if not w.eligible[h, p]:
            problems.append(f"{tag}: breaks a rule of E1-E9")
        if (pl.end - pl.start).days != stream.policy.stay_days:
            problems.append(f"{tag}: stay is {(pl.end - pl.start).days} days, not {stream.policy.stay_days}")
        if pl.start < hh.release_date:
            problems.append(f"{tag}: starts before the release day {hh.release_date}")
        if not first <= pl.start < last:
            problems.append(f"{tag}: starts outside the simulated days")
        if pl.start < place.available_from or (place.available_until is not None and pl.end > place.available_until):
            problems.append(f"{tag}: outside the place's availability")
        for b in place.busy:
            if b.start < pl.end and pl.start < b.end:
                problems.append(f"{tag}: overlaps a busy stay {b.start}..{b.end}")
        if result.policy != "hindsight":
            if pl.decided_on < hh.announced:
                problems.append(f"{tag}: decided on {pl.decided_on}, before it was announced ({hh.announced})")
            if pl.decided_on > pl.start:
                problems.append(f"{tag}: decided on {pl.decided_on}, after it started")
        per_place[pl.place].append((pl.start, pl.end, pl.household))
        if place.host_id in limits:
            for k in range((pl.end - pl.start).days):
                host_days[place.host_id][pl.start + timedelta(days=k)] += 1
        wait = (pl.start - hh.release_date).days
        value += hh.priority * max(0, stream.policy.grace_days - wait)
        sheltered += wait == 0
    for pid, stays in per_place.items():
        stays.sort()
        for (_, e1, h1), (s2, _, h2) in zip(stays, stays[1:], strict=False):
            if s2 < e1:
                problems.append(f"place {pid} holds {h1} and {h2} on {s2}")
    for hid, counts in host_days.items():
        room_of = [p for p in stream.places if p.host_id == hid]
        for day, n in sorted(counts.items()):
            busy = sum(1 for p in room_of for b in p.busy if b.start <= day < b.end)
            if n and n + busy > limits[hid]:
                problems.append(f"host {hid} has {n + busy} households on {day} (limit {limits[hid]})")
                break
    if value != result.value:
        problems.append(f"value is {value}, the result says {result.value}")
    if len(result.placements) != result.placed or sheltered != result.sheltered_on_release_day:
        problems.append("placed or sheltered_on_release_day disagree with the placements")
    if result.bound is not None and result.bound < result.value:
        problems.append(f"bound {result.bound} is below the value {result.value}")
    return problems
