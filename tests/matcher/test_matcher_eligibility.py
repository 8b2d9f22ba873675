"""The vectorised eligibility equals the rules applied one pair at a time."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from matcher_support import small_instances

import matcher.eligibility as eligibility_mod
from matcher.check import pair_breaches, pair_dates
from matcher.eligibility import RULES, build_arrays, eligible_pairs, host_ok, pair_km, rule_masks, stay_end
from matcher.schema import validate


def _alone_ok(a, j: int, s: int) -> bool:
    p, st = np.asarray([j]), np.asarray([s])
    return bool(host_ok(a, p, st, stay_end(a, p, st))[0])


def _fast(data: dict) -> dict[tuple[str, str], tuple[int, int]]:
    inst = validate(data)
    a = build_arrays(inst)
    pairs = eligible_pairs(a)
    return {
        (inst.households[int(h)].id, inst.places[int(p)].id): (int(s), int(e))
        for h, p, s, e in zip(pairs.h, pairs.p, pairs.start, pairs.end, strict=True)
    }


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_instances(max_h=6, max_p=8))
def test_vectorised_rules_equal_the_spec_pair_by_pair(data: dict) -> None:
    inst = validate(data)
    fast = _fast(data)
    a = build_arrays(inst)
    for i, h in enumerate(inst.households):
        masks, start, _ = rule_masks(a, np.asarray([i]))
        for j, p in enumerate(inst.places):
            slow_ok = not pair_breaches(inst, h, p)
            mask_ok = all(bool(masks[r][0, j]) for r in RULES)
            assert slow_ok == mask_ok, (h.id, p.id, pair_breaches(inst, h, p))
            if slow_ok:
                s = int(start[0, j])
                alone_ok = _alone_ok(a, j, s) if a.n_p else True
                assert ((h.id, p.id) in fast) == alone_ok
                if alone_ok:
                    dates = pair_dates(inst, h, p)
                    assert dates is not None
                    t0 = inst.planning_date
                    assert fast[(h.id, p.id)] == ((dates[0] - t0).days, (dates[1] - t0).days)
            else:
                assert (h.id, p.id) not in fast


def _spread_instance(seed: int, n_h: int, n_p: int, centres: list[tuple[float, float]], km: float) -> dict:
    """Households and places scattered around a few centres (any latitude and longitude)."""
    rng = np.random.default_rng(seed)

    def point() -> dict:
        lat, lon = centres[rng.integers(len(centres))]
        lat = float(np.clip(lat + rng.normal(0, 0.6), -90, 90))
        lon = (lon + rng.normal(0, 1.5) + 180) % 360 - 180
        return {"lat": round(lat, 5), "lon": round(float(lon), 5)}

    households = [
        {"id": f"H{i}", "release_date": "2026-12-01", "adults": [{"age": 30}], "children": [],
         "pets": False, "needs_accessible": False, "accepts_host": True, "priority": 1,
         "location": point(), "excluded_places": []}
        for i in range(n_h)
    ]
    places = [
        {"id": f"P{j}", "kind": "wachtkamer", "capacity": 2, "accessible": False, "allows_pets": False,
         "allows_children": True, "location": point(), "available_from": "2026-11-01",
         "available_until": None, "busy": []}
        for j in range(n_p)
    ]
    return {"format": "onderdak.instance/1", "planning_date": "2026-12-01", "horizon_days": 14,
            "policy": {"min_stay_days": 42, "max_stay_days": 56, "cost_sharing_age": 27,
                       "max_distance_km": km},
            "households": households, "places": places, "hosts": []}


def _bench_instance() -> dict:
    bench = pytest.importorskip("benchmarks.bench_matcher")
    return bench.generate(150, 600, seed=3)


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(_bench_instance, id="netherlands"),
        pytest.param(lambda: _spread_instance(1, 80, 300, [(0.0, 179.6), (-17.0, -179.8)], 90), id="antimeridian"),
        pytest.param(lambda: _spread_instance(2, 80, 300, [(89.4, 20.0), (-89.2, -100.0)], 120), id="poles"),
        pytest.param(lambda: _spread_instance(3, 60, 200, [(52.0, 5.0), (40.0, -3.0)], 2500), id="continental"),
    ],
)
def test_distance_window_keeps_every_pair_at_scale(make, monkeypatch: pytest.MonkeyPatch) -> None:
    """The grid blocks and their latitude/longitude windows lose nothing, also across the
    antimeridian, near the poles and with a limit of thousands of kilometres (the windows are
    forced on: instances this small normally skip them)."""
    monkeypatch.setattr(eligibility_mod, "_WINDOWLESS_CELLS", 0)
    monkeypatch.setattr(eligibility_mod, "_BLOCK", 16)
    data = make()
    inst = validate(data)
    a = build_arrays(inst)
    got = {(int(h), int(p)) for h, p in zip(*(lambda x: (x.h, x.p))(eligible_pairs(a)), strict=True)}
    assert got  # the instance has pairs to lose
    want = set()
    for i in range(a.n_h):
        masks, start, _ = rule_masks(a, np.asarray([i]))
        ok = masks["E1"][0].copy()
        for r in RULES[1:]:
            ok &= masks[r][0]
        for j in ok.nonzero()[0]:
            s = int(start[0, j])
            if _alone_ok(a, int(j), s):
                want.add((i, int(j)))
    assert got == want


def _km_instance(offsets_km: list[float], max_km: float | None) -> dict:
    """One place at (52, 5) and a household due north of it per offset (km along the meridian)."""
    deg_per_km = 180.0 / (np.pi * 6371.0088)
    households = [
        {"id": f"H{i}", "release_date": "2026-12-01", "adults": [{"age": 30}], "children": [],
         "pets": False, "needs_accessible": False, "accepts_host": True, "priority": 1,
         "location": {"lat": 52.0 + km * deg_per_km, "lon": 5.0}, "excluded_places": []}
        for i, km in enumerate(offsets_km)
    ]
    place = {"id": "P0", "kind": "wachtkamer", "capacity": 2, "accessible": False, "allows_pets": False,
             "allows_children": True, "location": {"lat": 52.0, "lon": 5.0},
             "available_from": "2026-11-01", "available_until": None, "busy": []}
    return {"format": "onderdak.instance/1", "planning_date": "2026-12-01", "horizon_days": 14,
            "policy": {"min_stay_days": 42, "max_stay_days": 56, "cost_sharing_age": 27,
                       "max_distance_km": max_km},
            "households": households, "places": [place], "hosts": []}


@pytest.mark.parametrize("max_km", [12.35, None])
def test_fast_distances_equal_the_reference_on_every_boundary(max_km: float | None) -> None:
    """The fast distance (dot product of unit vectors) never decides differently from the
    haversine reference: not at the limit, not at a rounding boundary of the 100 m units,
    not for points a few metres apart."""
    offsets = [0.0, 0.003, 0.05, 0.0499999999, 1.25, 1.2499999999, 1.2500000001, 12.35, 12.3499999999,
               12.3500000001, 12.349, 30.05]
    inst = validate(_km_instance(offsets, max_km))
    a = build_arrays(inst)
    pairs = eligible_pairs(a)
    ref = pair_km(a, np.arange(a.n_h), np.zeros(a.n_h, dtype=np.int64))
    want = {i: int(np.rint(ref[i] * 10.0)) for i in range(a.n_h) if max_km is None or ref[i] <= max_km}
    got = {int(h): int(d) for h, d in zip(pairs.h, pairs.dist, strict=True)}
    assert got == want
    if max_km is not None:
        assert 0 < len(got) < len(offsets)  # both sides of the limit are present


def test_fast_distances_equal_the_reference_at_scale() -> None:
    """Every distance of a generated national instance, with and without a limit."""
    bench = pytest.importorskip("benchmarks.bench_matcher")
    for max_km in (60, None):
        data = bench.generate(120, 400, seed=7)
        data["policy"]["max_distance_km"] = max_km
        a = build_arrays(validate(data))
        pairs = eligible_pairs(a)
        ref = pair_km(a, pairs.h.astype(np.int64), pairs.p.astype(np.int64))
        assert np.array_equal(pairs.dist, np.rint(ref * 10.0).astype(pairs.dist.dtype))
        order = np.lexsort((pairs.dist, pairs.h))
        assert np.array_equal(order, np.arange(len(pairs)))  # by household, then distance


@pytest.mark.parametrize("d_max", [600, 2**56])  # 2**56: keys too wide to pack
def test_pair_order_is_household_then_distance_then_position(d_max: int) -> None:
    """The packed-key sort and its wide-key fallback give the same stable order as lexsort."""
    rng = np.random.default_rng(d_max % 97)
    h = rng.integers(0, 50, 5000).astype(np.int64)
    d = rng.integers(0, 8, 5000).astype(np.int64) * (d_max // 8)  # many ties
    order = eligibility_mod._by_household_then_distance(h, d, 50)
    assert np.array_equal(order, np.lexsort((np.arange(h.size), d, h)))
