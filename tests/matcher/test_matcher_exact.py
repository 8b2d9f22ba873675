"""The solver equals a brute-force lexicographic optimum on random small instances."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from matcher_support import brute_force, small_instances

import matcher
from matcher.solve import SolverOptions

EXAMPLES = Path(__file__).parent / "examples"
SHARED = Path(__file__).resolve().parents[3] / "shared" / "matching-examples"
KEYS = ("placed", "priority", "weighted_wait", "distance", "stay_days")


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_instances())
def test_matches_brute_force(data: dict) -> None:
    sol = matcher.solve(data)
    assert sol.status == "optimal"
    assert matcher.check(data, sol) == []
    got = tuple(sol.objective.model_dump()[k] for k in KEYS)
    assert got == brute_force(data)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_instances(host_heavy=True))
def test_matches_brute_force_with_binding_host_limits(data: dict) -> None:
    sol = matcher.solve(data)
    assert sol.status == "optimal"
    assert matcher.check(data, sol) == []
    got = tuple(sol.objective.model_dump()[k] for k in KEYS)
    assert got == brute_force(data)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_instances(max_h=5, max_p=4))
def test_every_unplaced_household_has_reasons(data: dict) -> None:
    sol = matcher.solve(data, language="en")
    assert sol.language == "en"
    for u in sol.unplaced:
        assert u.reasons and u.reasons == u.reasons_en


def _example_names() -> list[str]:
    return sorted(json.loads((EXAMPLES / "expected.json").read_text()))


@pytest.mark.parametrize("name", _example_names())
def test_shared_examples_reproduce_expected(name: str) -> None:
    expected = json.loads((EXAMPLES / "expected.json").read_text())[name]
    data = json.loads((EXAMPLES / f"{name}.json").read_text())
    sol = matcher.solve(data)
    assert sol.status == "optimal"
    assert sol.objective.model_dump() == expected
    assert matcher.check(data, sol) == []


def test_example_copies_match_shared_folder() -> None:
    """The copies in tests/matcher/examples must not drift from ../shared (when present)."""
    if not SHARED.is_dir():
        pytest.skip("../shared/matching-examples not present (clean clone)")
    for src in sorted(SHARED.glob("*.json")):
        assert (EXAMPLES / src.name).read_bytes() == src.read_bytes(), src.name


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_instances(host_heavy=True))
def test_column_generation_path_matches_brute_force(data: dict) -> None:
    """Force column generation with one candidate arc per household (normally only at scale)."""
    sol = matcher.solve(data, options=SolverOptions(cg_min_arcs=0, candidates_per_household=1))
    got = tuple(sol.objective.model_dump()[k] for k in KEYS)
    assert got == brute_force(data)
    assert matcher.check(data, sol) == []


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_instances(host_heavy=True))
def test_min_cost_flow_method_matches_brute_force(data: dict) -> None:
    """The reference path (OR-Tools on every stage, no sparse-assignment fast path)."""
    sol = matcher.solve(data, options=SolverOptions(method="min_cost_flow"))
    assert sol.status == "optimal"
    got = tuple(sol.objective.model_dump()[k] for k in KEYS)
    assert got == brute_force(data)
    assert matcher.check(data, sol) == []


def test_solver_options_reject_nonsense() -> None:
    for bad in ({"time_limit": -1.0}, {"time_limit": float("nan")}, {"method": "simplex"},
                {"candidates_per_household": 0}, {"guess_max_fraction": 2.0}):
        with pytest.raises(ValueError):
            SolverOptions(**bad)  # type: ignore[arg-type]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_instances(max_h=12, max_p=12, host_heavy=True))
def test_reduced_cost_fixing_keeps_the_optimum(data: dict) -> None:
    """The branch and bound on the reduced pair set equals the one on all pairs."""
    fast = matcher.solve(data)
    full = matcher.solve(data, options=SolverOptions(reduced_cost_fixing=False))
    assert fast.objective == full.objective
    assert matcher.check(data, fast) == []


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_instances(max_h=12, max_p=12, host_heavy=True))
def test_guessed_restriction_is_verified_exactly(data: dict) -> None:
    """The guess-and-verify shortcut (forced on here) gives the same optimum as without it."""
    fast = matcher.solve(data, options=SolverOptions(guess_max_fraction=1.0))
    full = matcher.solve(data, options=SolverOptions(guess_max_fraction=0.0))
    assert fast.objective == full.objective
    assert matcher.check(data, fast) == []


@pytest.mark.parametrize("host_limits", [False, True])
def test_pricing_rounds_reach_the_whole_problem_optimum_at_scale(
    host_limits: bool,
) -> None:
    """On a generated regional instance, column generation started from two arcs per
    household (many pricing rounds) ends at the same five-level optimum as solving every
    stage on all arcs at once, and both are feasible."""
    bench = pytest.importorskip("benchmarks.bench_matcher")
    data = bench.generate(150, 500, seed=11, host_limits=host_limits)
    whole = matcher.solve(data, options=SolverOptions(cg_min_arcs=10**12))
    priced = matcher.solve(data, options=SolverOptions(cg_min_arcs=0, candidates_per_household=2))
    assert whole.status == priced.status == "optimal"
    assert priced.objective == whole.objective
    assert whole.objective.placed > 0
    assert matcher.check(data, priced) == []
    assert matcher.check(data, whole) == []
