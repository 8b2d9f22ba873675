"""Explanations are true of the returned solution, checked with the independent oracle
(matcher.check) on random small instances."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from matcher_support import small_instances

import matcher
from matcher.check import great_circle_km, pair_breaches, pair_dates
from matcher.schema import Placement, Solution, validate

TOOK = re.compile(r"^(\S+) went to (\S+), (.*)\.$")
EMPTY = re.compile(r"^(\S+) stayed empty, but host (\S+) would then exceed")
RULE = re.compile(r"\((E\d+)\)")


def _value(inst, h, p) -> tuple[int, int, int, int]:
    s, e = pair_dates(inst, h, p)  # type: ignore[misc]
    wait = (s - max(inst.planning_date, h.release_date)).days
    km = great_circle_km(h.location.lat, h.location.lon, p.location.lat, p.location.lon)
    return (h.priority, -h.priority * wait, -round(10 * km), (e - s).days)


def _with(sol: Solution, inst, h, p, drop: str | None) -> Solution:
    s, e = pair_dates(inst, h, p)  # type: ignore[misc]
    placements = [x for x in sol.placements if x.household != drop]
    placements.append(Placement(household=h.id, place=p.id, start=s, end=e))
    return sol.model_copy(update={"placements": placements})


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(small_instances(), small_instances(host_heavy=True)), st.sampled_from([None, 0.0]))
def test_every_reason_is_true_of_the_solution(data: dict, limit: float | None) -> None:
    inst = validate(data)
    sol = matcher.solve(data, language="en", options=matcher.SolverOptions(time_limit=limit))
    assert matcher.check(data, sol) == []
    hh = {h.id: h for h in inst.households}
    pl = {p.id: p for p in inst.places}
    at = {x.place: x.household for x in sol.placements}
    for u in sol.unplaced:
        h = hh[u.household]
        eligible = {p.id for p in inst.places if not pair_breaches(inst, h, p)}
        for line in u.reasons_en:
            if m := TOOK.match(line):
                place, other, why = m.groups()
                assert place in eligible and at.get(place) == other, line
                mine, theirs = _value(inst, h, pl[place]), _value(inst, hh[other], pl[place])
                if "would score better" in why:  # a host limit: the swap must break it
                    assert mine > theirs or (mine == theirs and h.id < other)
                    assert matcher.check(data, _with(sol, inst, h, pl[place], other)), line
                elif "same on every level" in why:
                    assert mine == theirs and other < h.id, line
                else:
                    assert theirs > mine, line
            elif m := EMPTY.match(line):
                place = m.group(1)
                assert place in eligible and place not in at, line
                assert matcher.check(data, _with(sol, inst, h, pl[place], None)), line
            elif line.startswith("No eligible place"):
                for place in eligible:  # only the host limit (busy stays) can exclude these
                    assert matcher.check(data, _with(sol, inst, h, pl[place], None)), line
                for rule in RULE.findall(line):
                    assert any(b.split()[0] == rule for p in inst.places
                               for b in pair_breaches(inst, h, p)), (rule, line)
        # every eligible place is either held by someone or would break a host limit
        for place in eligible:
            if place not in at:
                assert matcher.check(data, _with(sol, inst, h, pl[place], None)), place
