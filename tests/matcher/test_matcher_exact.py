"""The solver equals a brute-force lexicographic optimum on random small instances."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from matcher_support import brute_force, small_instances

import matcher

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
