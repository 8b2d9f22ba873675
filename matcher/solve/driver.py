"""`solve_pairs`: the whole choice of pairs, part by part, within the time limit.

Why parts only sometimes: where host limits need the search (:mod:`.host_search`),
independent parts (connected components of eligible pairs, rooms of a limited host joined)
are solved separately, in a fixed order, so each search stays local. Without that, one flow
over all parts is just as exact (a sum of independent matchings) and spares a pass over the
graph; at national scale the graph is one big part anyway.
"""

from __future__ import annotations

import time

import numpy as np

from ..eligibility import Arrays, Pairs
from ..nptypes import I64
from .host_search import branch_and_bound, dive, guess_and_verify, restrict
from .hosts import HostConstraint, host_constraints, host_feasible
from .levels import N_LEVELS, level_values, objective_values
from .lexicographic import StageLog, solve_flow
from .network import components, host_gadgets
from .options import SolverOptions
from .problem import Outcome, Problem


def solve_pairs(
    a: Arrays, pairs: Pairs, options: SolverOptions | None = None, *, deadline: float | None = None
) -> Outcome:
    """Choose pairs: one exact flow, or per part with the host-limit search where limits bind.

    `deadline` (a ``time.perf_counter()`` value) overrides ``options.time_limit`` counted from
    now; callers that spent time before (validation, eligibility) pass their own.
    """
    opts = options if options is not None else SolverOptions()
    if deadline is None and opts.time_limit is not None:
        deadline = time.perf_counter() + opts.time_limit
    problem = Problem(
        vals=level_values(a, pairs), pairs=pairs, gadget=host_gadgets(a, pairs), options=opts, deadline=deadline
    )
    cons = host_constraints(a, pairs)
    # components only pay off where a branch and bound must stay local; one flow over
    # independent parts is exactly as optimal, and at national scale there is one big part
    if cons:
        parts = components(a, pairs)
    else:
        parts = [np.arange(len(pairs))] if len(pairs) else []
    pair_part = np.full(len(pairs), -1, dtype=np.int64)
    for k, part in enumerate(parts):
        pair_part[part] = k
    cons_by_part: dict[int, list[HostConstraint]] = {}
    for c in cons:
        cons_by_part.setdefault(int(pair_part[c.idx[0]]), []).append(c)
    chosen: list[I64] = []
    optimal = True
    bound_sum: list[int | None] = [0] * N_LEVELS
    for k, part in enumerate(parts):
        out = _solve_part(problem, part, cons_by_part.get(k, []))
        chosen.append(out.chosen)
        optimal &= out.optimal
        part_bound = list(out.bound) if not out.optimal else list(objective_values(problem.vals, out.chosen))
        for lev in range(N_LEVELS):
            b, pb = bound_sum[lev], part_bound[lev]
            bound_sum[lev] = None if b is None or pb is None else b + pb
    all_chosen = np.sort(np.concatenate(chosen)) if chosen else np.zeros(0, dtype=np.int64)
    return Outcome(chosen=all_chosen, optimal=optimal, bound=bound_sum)


def _solve_part(problem: Problem, part: I64, pc: list[HostConstraint]) -> Outcome:
    """One part: its flow optimum, or the host-limit search when that breaks a limit."""
    vals = problem.vals
    log: list[StageLog] | None = [] if pc else None
    relaxed = solve_flow(problem, part, log)
    if not pc or host_feasible(pc, problem.mask(relaxed)):
        return Outcome(chosen=relaxed, optimal=True)
    assert log is not None
    guessed = guess_and_verify(problem, part, pc, relaxed, log)
    inc = guessed if guessed is not None else dive(problem, part, pc, relaxed, log)
    if guessed is not None or objective_values(vals, inc) == objective_values(vals, relaxed):
        return Outcome(chosen=np.sort(inc), optimal=True)  # proven (see the functions)
    sub = part[restrict(problem, part, relaxed, inc, log)]
    del log
    root = solve_flow(problem, sub)
    return branch_and_bound(problem, sub, pc, root, incumbent=inc)
