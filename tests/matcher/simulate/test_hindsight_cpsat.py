"""Hindsight against a second, independent model of the same year.

The simulator's hindsight is a time-indexed MIP (HiGHS) over candidate starts it derives from
its own calendar, with fix-and-optimise windows and a Lagrangian bound around it. This test
rebuilds the optimum from the stream alone with CP-SAT: optional interval variables per
(household, place, start), no overlap per place (busy stays as fixed intervals), a cumulative per
limited host, availability read from the place's dates. Only the rules E1–E9 come from the
matcher's rule code (they are the contract's definition, not part of the hindsight model).
Streams are larger than the brute force can try, and drawn from seeds the other tests do not use.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from ortools.sat.python import cp_model

from matcher.schema import Place
from matcher.simulate import check_result, hindsight, simulate, validate_stream
from matcher.simulate.stream import Stream, StreamHousehold
from matcher.simulate.world import World

from .tiny import tiny_stream


def _waits(st: Stream, h: StreamHousehold, p: Place) -> list[int]:
    """Waits (days after release) at which a stay at ``p`` lies in the year and the place's
    availability; a wait of ``grace_days`` or more is worth nothing."""
    stay, first, last = st.policy.stay_days, st.start, st.start + timedelta(days=st.days)
    out = []
    for k in range(st.policy.grace_days):
        s = h.release_date + timedelta(days=k)
        if first <= s < last and s >= p.available_from and (
            p.available_until is None or s + timedelta(days=stay) <= p.available_until
        ):
            out.append(k)
    return out


def cpsat_optimum(st: Stream) -> int:
    """The best value of the year by CP-SAT, proven optimal (the test fails otherwise)."""
    eligible = World.build(st).eligible  # rules E1–E9 only
    stay, grace = st.policy.stay_days, st.policy.grace_days
    first = st.start
    m = cp_model.CpModel()
    per_place: dict[str, list[cp_model.IntervalVar]] = {p.id: [] for p in st.places}
    per_host: dict[str, list[cp_model.IntervalVar]] = {h.id: [] for h in st.hosts}
    terms = []
    for i, h in enumerate(st.households):
        chosen = []
        for j, p in enumerate(st.places):
            if not eligible[i, j]:
                continue
            for k in _waits(st, h, p):
                s = h.release_date + timedelta(days=k)
                x = m.new_bool_var(f"x_{h.id}_{p.id}_{k}")
                day = (s - first).days
                iv = m.new_optional_fixed_size_interval_var(day, stay, x, f"i_{h.id}_{p.id}_{k}")
                per_place[p.id].append(iv)
                if p.host_id in per_host:
                    per_host[p.host_id].append(iv)
                chosen.append(x)
                terms.append(h.priority * (grace - k) * x)
        m.add_at_most_one(chosen)
    for p in st.places:
        for b in p.busy:
            iv = m.new_fixed_size_interval_var((b.start - first).days, (b.end - b.start).days, f"b_{p.id}_{b.start}")
            per_place[p.id].append(iv)
            if p.host_id in per_host:
                per_host[p.host_id].append(iv)
        m.add_no_overlap(per_place[p.id])
    for host in st.hosts:
        if per_host[host.id]:
            m.add_cumulative(per_host[host.id], [1] * len(per_host[host.id]), host.max_households)
    m.maximize(sum(terms))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 60
    assert solver.solve(m) == cp_model.OPTIMAL
    return int(round(solver.objective_value))


@pytest.mark.parametrize("seed", range(100, 112))
def test_hindsight_equals_an_independent_cpsat_optimum(seed: int) -> None:
    st = validate_stream(tiny_stream(seed, households=9, places=3, days=30))
    best = hindsight(st, time_limit=30)
    assert best.status == "optimal"
    assert check_result(st, best) == []
    optimum = cpsat_optimum(st)
    assert best.value == optimum
    assert best.bound == optimum
    assert simulate(st, "anticipating").value <= optimum
