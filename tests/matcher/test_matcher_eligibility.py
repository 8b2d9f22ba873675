"""The vectorised eligibility equals the rules applied one pair at a time."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from matcher_support import small_instances

from matcher.check import pair_breaches, pair_dates
from matcher.eligibility import RULES, build_arrays, eligible_pairs, host_ok, rule_masks, stay_end
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


def test_distance_window_keeps_every_pair_at_scale() -> None:
    """On a generated national-style instance the latitude/longitude windows lose nothing."""
    bench = pytest.importorskip("benchmarks.bench_matcher")
    data = bench.generate(150, 600, seed=3)
    inst = validate(data)
    a = build_arrays(inst)
    got = {(int(h), int(p)) for h, p in zip(*(lambda x: (x.h, x.p))(eligible_pairs(a)), strict=True)}
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
