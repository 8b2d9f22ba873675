"""`solve(instance)`: validation, eligibility, the exact solver and explanations, end to end."""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import timedelta
from typing import Any, Literal

import numpy as np

from .eligibility import build_arrays, eligible_pairs
from .explain import explain_unplaced
from .schema import Bound, Instance, Objective, Placement, Solution, Unplaced, validate
from .settle import settle
from .solve import SolverOptions, level_values, objective_of, solve_pairs

MATCHER_VERSION = "1.0.0"


def solve(
    instance: Instance | dict[str, Any],
    *,
    time_limit_s: float | None = None,
    language: Literal["nl", "en"] = "nl",
    options: SolverOptions | None = None,
) -> Solution:
    """Solve one instance exactly (or as well as possible within the time limit).

    `options` carries every solver knob; `time_limit_s`, kept for existing callers, when
    given replaces ``options.time_limit``. The limit counts from the call, validation and
    eligibility included. `reasons` of each unplaced household are in `language`;
    `reasons_en` always holds the English text. Deterministic: the same instance gives the
    same placements.
    """
    t_start = time.perf_counter()
    opts = options if options is not None else SolverOptions()
    if time_limit_s is not None:
        opts = replace(opts, time_limit=float(time_limit_s))
    deadline = None if opts.time_limit is None else t_start + opts.time_limit
    inst = validate(instance)
    a = build_arrays(inst)
    pairs = eligible_pairs(a)
    outcome = solve_pairs(a, pairs, opts, deadline=deadline)
    chosen = settle(a, pairs, outcome.chosen, [h.id for h in inst.households])
    vals = level_values(a, pairs)
    placed_h = set(pairs.h[chosen].tolist())
    t0 = inst.planning_date
    placements = [
        Placement.model_construct(
            household=inst.households[int(pairs.h[i])].id,
            place=inst.places[int(pairs.p[i])].id,
            start=t0 + timedelta(days=int(pairs.start[i])),
            end=t0 + timedelta(days=int(pairs.end[i])),
        )
        for i in chosen
    ]
    placements.sort(key=lambda x: x.household)
    unplaced_idx = sorted((i for i in range(a.n_h) if i not in placed_h), key=lambda i: inst.households[i].id)
    reasons = explain_unplaced(inst, a, pairs, chosen, unplaced_idx)
    unplaced = [
        Unplaced.model_construct(
            household=inst.households[i].id,
            reasons=reasons[i][language],
            reasons_en=reasons[i]["en"],
        )
        for i in unplaced_idx
    ]
    obj = objective_of(vals, np.asarray(chosen, dtype=np.int64))
    bound = None
    if not outcome.optimal:
        b = outcome.bound
        bound = Bound(
            placed=b[0],
            priority=b[1],
            weighted_wait=None if b[2] is None else -b[2],
            distance=None if b[3] is None else -b[3],
            stay_days=b[4],
        )
    return Solution(
        status="optimal" if outcome.optimal else "feasible",
        placements=placements,
        unplaced=unplaced,
        objective=Objective(
            placed=obj[0], priority=obj[1], weighted_wait=obj[2], distance=obj[3], stay_days=obj[4]
        ),
        bound=bound,
        solve_seconds=round(time.perf_counter() - t_start, 3),
        language=language,
        matcher_version=MATCHER_VERSION,
    )
