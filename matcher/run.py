"""`solve(instance)`: validation, eligibility, the exact solver and explanations, end to end."""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import date, timedelta
from typing import Any, Literal

import numpy as np
from pydantic import TypeAdapter

from .eligibility import Arrays, Pairs, arrays_from_dict, build_arrays, eligible_pairs
from .explain import explain_unplaced
from .nptypes import I64
from .schema import Bound, Instance, Objective, Placement, Solution, Unplaced, validate
from .settle import settle
from .solve import SolverOptions, level_values, objective_of, solve_pairs

MATCHER_VERSION = "1.0.0"

#: with a time limit, the search stops this share of the preparation time (reading the
#: instance, eligibility) before the deadline: settle, explanations and the Solution model
#: took 0.15-0.2 of it at 1000 x 5000 and 3000 x 15000 (``benchmarks/bench_matcher.py``)
POST_SEARCH_SHARE = 0.25
#: a part's flow is started only if (preparation seconds per pair) x this x (its pairs) is
#: left: the relaxation's staged flow took 0.8-1.2 times the preparation on those instances
FLOW_PACE_FACTOR = 1.0
#: explanations are brief (see :func:`~matcher.explain.explain_unplaced`) when less than this
#: share of the preparation time is left before the deadline: full ones took about 0.15 of it
EXPLAIN_SHARE = 0.2


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
    a = instance_arrays(instance)
    pairs = eligible_pairs(a)
    search_deadline, pace, prep = None, 0.0, 0.0
    if deadline is not None:
        # what happens after the search (settle, explanations, the model) and a flow over all
        # pairs were both measured to cost about a fifth, and about as much as, what was
        # spent so far; so this machine's speed right now sets both (a busy machine is slow
        # everywhere), and the search neither starts a flow it cannot finish nor eats the
        # time of the steps after it
        prep = time.perf_counter() - t_start
        search_deadline = deadline - POST_SEARCH_SHARE * prep
        pace = FLOW_PACE_FACTOR * prep / max(len(pairs), 1)
    outcome = solve_pairs(a, pairs, opts, deadline=search_deadline, pace=pace)
    chosen = settle(a, pairs, outcome.chosen, list(a.h_ids))
    placements = _placements(a, pairs, chosen)
    # explanations in full unless the time left is less than they were measured to need
    brief = deadline is not None and deadline - time.perf_counter() < EXPLAIN_SHARE * prep
    unplaced = _unplaced(a, pairs, chosen, language, brief)
    obj = objective_of(level_values(a, pairs.take(chosen)), np.arange(chosen.size))
    return Solution.model_construct(
        status="optimal" if outcome.optimal else "feasible",
        placements=placements,
        unplaced=unplaced,
        objective=Objective.model_construct(
            placed=obj[0], priority=obj[1], weighted_wait=obj[2], distance=obj[3], stay_days=obj[4]
        ),
        bound=None if outcome.optimal else _bound(outcome.bound),
        solve_seconds=round(time.perf_counter() - t_start, 3),
        explanations="brief" if brief else "full",
        language=language,
        matcher_version=MATCHER_VERSION,
    )


def instance_arrays(instance: Instance | dict[str, Any]) -> Arrays:
    """The arrays of a valid instance; raises InstanceError (every problem with its JSON path)
    for an invalid one.

    A plainly valid dict (exact JSON types and ISO dates, as parsed from JSON) is checked and
    flattened column by column (:func:`~matcher.eligibility.arrays_from_dict`), several times
    faster than building thousands of Pydantic models; anything else goes through the schema.
    """
    if isinstance(instance, dict):
        a = arrays_from_dict(instance)
        if a is not None:
            return a
    return build_arrays(validate(instance))


#: thousands of small models are built faster in one validation of a list (pydantic-core)
#: than one ``model_construct`` call each (Python), and they are validated on top
_PLACEMENTS = TypeAdapter(list[Placement])
_UNPLACED = TypeAdapter(list[Unplaced])


def _day_names(a: Arrays, offsets: list[int]) -> dict[int, date]:
    return {d: a.t0 + timedelta(days=d) for d in set(offsets)}


def _placements(a: Arrays, pairs: Pairs, chosen: I64) -> list[Placement]:
    """The chosen pairs as Placement models, sorted by household id (built without
    re-validation: every value comes from validated input)."""
    hs, ps = pairs.h[chosen].tolist(), pairs.p[chosen].tolist()
    ss, es = pairs.start[chosen].tolist(), pairs.end[chosen].tolist()
    day = _day_names(a, ss + es)
    rows = sorted(zip((a.h_ids[h] for h in hs), ps, ss, es, strict=True))
    return _PLACEMENTS.validate_python(
        [{"household": h, "place": a.p_ids[p], "start": day[s], "end": day[e]} for h, p, s, e in rows]
    )


def _unplaced(a: Arrays, pairs: Pairs, chosen: I64, language: str, brief: bool = False) -> list[Unplaced]:
    """Every household without a placement, sorted by id, with its reasons (`brief`: see
    :func:`~matcher.explain.explain_unplaced`)."""
    placed = np.zeros(a.n_h, dtype=bool)
    placed[pairs.h[chosen]] = True
    idx = sorted(np.flatnonzero(~placed).tolist(), key=a.h_ids.__getitem__)
    reasons = explain_unplaced(a, pairs, chosen, idx, brief=brief)
    return _UNPLACED.validate_python(
        [{"household": a.h_ids[i], "reasons": reasons[i][language], "reasons_en": reasons[i]["en"]} for i in idx]
    )


def _bound(b: list[int | None]) -> Bound:
    return Bound.model_construct(
        placed=b[0],
        priority=b[1],
        weighted_wait=None if b[2] is None else -b[2],
        distance=None if b[3] is None else -b[3],
        stay_days=b[4],
    )
