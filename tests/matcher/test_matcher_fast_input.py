"""The fast input path (`arrays_from_dict`) accepts only what the schema accepts, and then
gives exactly the arrays of ``build_arrays(validate(data))``; everything else goes through
the schema, so `solve()` reports the same problems as before."""

from __future__ import annotations

import copy
import dataclasses
import json
import random
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from matcher_support import small_instances

import matcher
from matcher.eligibility import Arrays, arrays_from_dict, build_arrays
from matcher.run import instance_arrays
from matcher.schema import InstanceError, validate

EXAMPLES = sorted((Path(__file__).parent / "examples").glob("ex[0-9]*.json"))

# values a mutation may put anywhere: wrong types, bounds, odd dates and ids
ODD: list[Any] = [
    None, True, False, 0, -1, 1, 31, 131, 1001, 10_001, 10**50, 1.0, 1.5, -0.5, 91.0, 181.0,
    float("nan"), float("inf"), "", "x", "1", "\ud800", "a" * 201, [], [{}], {}, {"age": 30},
    "2026-12-01", "2026-12-1", "2026-13-01", "1989-12-31", "2201-01-01", "2026-12-01T00:00",
    "20261201", "NaT", "2026-12-01\x00", "host_room", "wachtkamer", "owner", "H0", "P0",
]


def assert_same(a: Arrays, b: Arrays) -> None:
    for f in dataclasses.fields(Arrays):
        x, y = getattr(a, f.name), getattr(b, f.name)
        if isinstance(x, np.ndarray):
            assert x.dtype == y.dtype and x.shape == y.shape and np.array_equal(x, y), f.name
        else:
            assert x == y, f.name


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_examples_take_the_fast_path_with_the_same_arrays(path: Path) -> None:
    data = json.loads(path.read_text())
    a = arrays_from_dict(data)
    assert a is not None
    assert_same(a, build_arrays(validate(data)))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(small_instances(), small_instances(host_heavy=True)))
def test_random_instances_take_the_fast_path(data: dict[str, Any]) -> None:
    a = arrays_from_dict(data)
    assert a is not None
    assert_same(a, build_arrays(validate(data)))


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix] if prefix else []
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _paths(v, (*prefix, i))
    return out


def _mutate(data: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    out = copy.deepcopy(data)
    for _ in range(rng.choice([1, 1, 2])):
        path = rng.choice(_paths(out))
        parent = out
        for part in path[:-1]:
            parent = parent[part]
        if isinstance(parent, dict) and rng.random() < 0.2:
            del parent[path[-1]]
        else:
            parent[path[-1]] = copy.deepcopy(rng.choice(ODD))
    return out


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(small_instances(), small_instances(host_heavy=True)), st.randoms(use_true_random=False))
def test_fast_path_never_accepts_what_the_schema_refuses(data: dict[str, Any], rng: random.Random) -> None:
    bad = _mutate(data, rng)
    fast = arrays_from_dict(bad)
    try:
        inst = validate(bad)
    except InstanceError:
        assert fast is None
        return
    if fast is not None:
        assert_same(fast, build_arrays(inst))


def test_refused_input_reports_the_schema_problems() -> None:
    data = json.loads(EXAMPLES[0].read_text())
    data["households"][0]["adults"][0]["age"] = "34"
    data["places"][0]["capacity"] = -1
    with pytest.raises(InstanceError) as fast_err:
        matcher.solve(data)
    with pytest.raises(InstanceError) as schema_err:
        validate(data)
    assert fast_err.value.problems == schema_err.value.problems
    assert any(path == "households[0].adults[0].age" for path, _ in fast_err.value.problems)


def test_models_and_lax_dicts_still_work() -> None:
    data = json.loads(EXAMPLES[1].read_text())
    lax = copy.deepcopy(data)
    lax["places"][0]["available_from"] = date.fromisoformat(lax["places"][0]["available_from"])
    assert arrays_from_dict(lax) is None  # not JSON: the schema judges it (and accepts it)
    assert_same(instance_arrays(lax), build_arrays(validate(lax)))
    assert_same(instance_arrays(validate(data)), instance_arrays(data))
    a, b = matcher.solve(validate(data)).model_dump(), matcher.solve(data).model_dump()
    a.pop("solve_seconds"), b.pop("solve_seconds")
    assert a == b
