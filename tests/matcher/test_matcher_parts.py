"""The host-limit search part by part (with dominated private places dropped) equals one
branch and bound over the whole pair set, on regional instances whose flow optimum breaks
per-day host limits (seeds chosen so that it does; the first assertion checks that)."""

from __future__ import annotations

import numpy as np
import pytest

from matcher.eligibility import build_arrays, eligible_pairs
from matcher.schema import validate
from matcher.solve import SolverOptions, host_constraints, host_feasible, host_gadgets, level_values
from matcher.solve.host_search import branch_and_bound, drop_dominated, search_parts
from matcher.solve.levels import objective_values
from matcher.solve.lexicographic import solve_flow
from matcher.solve.problem import Problem


@pytest.mark.parametrize("seed", [1, 3, 9])
def test_part_by_part_search_equals_one_branch_and_bound(seed: int) -> None:
    bench = pytest.importorskip("benchmarks.bench_matcher")
    data = bench.generate(300, 800, seed=seed, host_limits=True)
    data["policy"]["max_distance_km"] = 25  # several regions, contested rooms
    a = build_arrays(validate(data))
    pairs = eligible_pairs(a)
    problem = Problem(vals=level_values(a, pairs), pairs=pairs, gadget=host_gadgets(a, pairs),
                      options=SolverOptions())
    cons = host_constraints(a, pairs)
    idx = np.arange(len(pairs))
    relaxed = solve_flow(problem, idx)
    assert not host_feasible(cons, problem.mask(relaxed))  # the search has work to do
    by_parts = search_parts(problem, idx, cons, relaxed)
    whole = branch_and_bound(problem, idx, cons, relaxed)
    assert by_parts.optimal and whole.optimal
    assert objective_values(problem.vals, by_parts.chosen) == objective_values(problem.vals, whole.chosen)
    assert host_feasible(cons, problem.mask(by_parts.chosen))
    chosen = by_parts.chosen
    assert np.unique(pairs.h[chosen]).size == chosen.size == np.unique(pairs.p[chosen]).size
    kept = drop_dominated(problem, idx, cons, problem.mask(relaxed))
    assert kept.size < idx.size  # the reduction really drops pairs here
    assert problem.mask(kept)[relaxed].all()
