"""The time limit is a promise: whatever stops the search, the answer respects every hard
rule and host limit, says ``feasible`` unless proven, and bounds what it could not prove.
(No wall-clock assertions here: timing lives in benchmarks/bench_matcher.py.)"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from matcher_support import brute_force, small_instances

import matcher
from matcher.eligibility import build_arrays, eligible_pairs
from matcher.schema import validate
from matcher.solve import SolverOptions, host_constraints, host_feasible, host_gadgets, level_values
from matcher.solve.driver import _solve_part, greedy
from matcher.solve.problem import Problem

KEYS = ("placed", "priority", "weighted_wait", "distance", "stay_days")


def _host_heavy() -> dict:
    bench = pytest.importorskip("benchmarks.bench_matcher")
    data = bench.generate(200, 500, seed=5, host_limits=True)
    for h in data["hosts"]:
        h["max_households"] = 1  # make the limits bind
    return data


def _assert_promise(data: dict, sol: matcher.Solution) -> None:
    assert matcher.check(data, sol) == []
    ids = sorted([p.household for p in sol.placements] + [u.household for u in sol.unplaced])
    assert ids == sorted(h["id"] for h in data["households"])
    if sol.status == "feasible":
        assert sol.bound is not None and sol.bound.placed is not None
        assert sol.bound.placed >= sol.objective.placed
    else:
        assert sol.status == "optimal" and sol.bound is None


@pytest.mark.parametrize("limit", [0.0, 0.05])
def test_small_time_limit_on_a_host_heavy_instance(limit: float) -> None:
    data = _host_heavy()
    sol = matcher.solve(data, options=SolverOptions(time_limit=limit))
    _assert_promise(data, sol)
    if limit == 0.0:
        assert sol.status == "feasible"
        assert sol.objective.placed > 0  # the greedy incumbent, not an empty answer


def test_stopping_inside_the_staged_flow_repairs_host_limits() -> None:
    """A deadline that has passed stops the flow after its first stage; the part's answer is
    the repaired stage flow, host-feasible, not claimed optimal."""
    inst = validate(_host_heavy())
    a = build_arrays(inst)
    pairs = eligible_pairs(a)
    problem = Problem(vals=level_values(a, pairs), pairs=pairs, gadget=host_gadgets(a, pairs),
                      options=SolverOptions(), deadline=0.0)
    cons = host_constraints(a, pairs)
    out = _solve_part(problem, np.arange(len(pairs)), cons)
    assert not out.optimal
    assert host_feasible(cons, problem.mask(out.chosen))
    assert np.unique(pairs.h[out.chosen]).size == out.chosen.size == np.unique(pairs.p[out.chosen]).size
    g = greedy(a, problem, np.arange(len(pairs)), cons)
    assert host_feasible(cons, problem.mask(g))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_instances(host_heavy=True))
def test_zero_time_limit_is_feasible_and_bounded(data: dict) -> None:
    sol = matcher.solve(data, options=SolverOptions(time_limit=0.0))
    _assert_promise(data, sol)
    best = brute_force(data)
    got = tuple(sol.objective.model_dump()[k] for k in KEYS)
    assert got[0] <= best[0]
    if sol.status == "optimal":
        assert got == best
    else:
        assert sol.bound is not None and sol.bound.placed is not None and sol.bound.placed >= best[0]


def _plain_greedy(a, problem: Problem, part: np.ndarray, pc: list) -> np.ndarray:  # type: ignore[type-arg]
    """The greedy incumbent written plainly: one Python step per pair, best first."""
    from matcher.solve.hosts import repair

    vals, pairs = problem.vals, problem.pairs
    order = part[np.lexsort((part, *(-vals[lev, part] for lev in range(4, -1, -1))))]
    room = (a.host_limit - a.host_busy[:, a.horizon - 1]).tolist()
    h_used: set[int] = set()
    p_used: set[int] = set()
    take = []
    for i in order.tolist():
        h, p = int(pairs.h[i]), int(pairs.p[i])
        if h in h_used or p in p_used:
            continue
        if a.p_limited[p]:
            if room[a.p_host[p]] <= 0:
                continue
            room[a.p_host[p]] -= 1
        h_used.add(h)
        p_used.add(p)
        take.append(i)
    chosen = np.asarray(sorted(take), dtype=np.int64)
    return repair(vals, chosen, pc, problem.n_pairs) if pc else chosen


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_instances(max_h=8, max_p=10, host_heavy=True))
def test_chunked_greedy_equals_the_plain_greedy(data: dict) -> None:
    a = build_arrays(validate(data))
    pairs = eligible_pairs(a)
    problem = Problem(vals=level_values(a, pairs), pairs=pairs, gadget=host_gadgets(a, pairs),
                      options=SolverOptions(), deadline=0.0)
    cons = host_constraints(a, pairs)
    part = np.arange(len(pairs))
    assert np.array_equal(greedy(a, problem, part, cons), _plain_greedy(a, problem, part, cons))


def test_chunked_greedy_on_a_host_heavy_instance() -> None:
    a = build_arrays(validate(_host_heavy()))
    pairs = eligible_pairs(a)
    problem = Problem(vals=level_values(a, pairs), pairs=pairs, gadget=host_gadgets(a, pairs),
                      options=SolverOptions(), deadline=0.0)
    cons = host_constraints(a, pairs)
    part = np.arange(len(pairs))
    assert np.array_equal(greedy(a, problem, part, cons), _plain_greedy(a, problem, part, cons))


def test_no_time_left_gives_brief_explanations_that_still_hold() -> None:
    """With no time left the explanations are brief (and say so): every unplaced household
    still has a reason; a funnel then ends with one step for distance, time and host limit,
    at zero, and only for households that really have no eligible place."""
    data = _host_heavy()
    sol = matcher.solve(data, options=SolverOptions(time_limit=0.0), language="en")
    _assert_promise(data, sol)
    assert sol.explanations == "brief"
    full = matcher.solve(data, language="en")
    assert full.explanations == "full"
    assert all(u.reasons for u in sol.unplaced)
    a = build_arrays(validate(data))
    pairs = eligible_pairs(a)
    has_pair = {a.h_ids[h] for h in np.unique(pairs.h).tolist()}
    brief_lines = [(u.household, r) for u in sol.unplaced for r in u.reasons if "(E9, E10)" in r]
    assert brief_lines, "the instance has households without any eligible place"
    for household, line in brief_lines:
        assert household not in has_pair
        assert line.rstrip(".").endswith(
            "0 are within 60 km, free in time for 42 days and within the host's limit (E9, E10)"
        )
