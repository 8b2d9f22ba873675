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
