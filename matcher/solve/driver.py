"""`solve_pairs`: the whole choice of pairs, part by part, within the time limit.

Why parts only sometimes: where host limits need the search (:mod:`.host_search`),
independent parts (connected components of eligible pairs, rooms of a limited host joined)
are solved separately, in a fixed order, so each search stays local. Without that, one flow
over all parts is just as exact (a sum of independent matchings) and spares a pass over the
graph; at national scale the graph is one big part anyway.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from ..eligibility import Arrays, Pairs
from ..nptypes import I64
from .host_search import branch_and_bound, dive, guess_and_verify, restrict, search_parts
from .hosts import HostConstraint, host_constraints, host_feasible, repair
from .levels import N_LEVELS, bound_of, level_values, objective_values
from .lexicographic import StageLog, solve_flow, staged_flow
from .network import components, first_of_runs, host_gadgets, import_scipy
from .options import SolverOptions
from .problem import Outcome, Problem


def solve_pairs(
    a: Arrays,
    pairs: Pairs,
    options: SolverOptions | None = None,
    *,
    deadline: float | None = None,
    pace: float = 0.0,
) -> Outcome:
    """Choose pairs: one exact flow, or per part with the host-limit search where limits bind.

    `deadline` (a ``time.perf_counter()`` value) overrides ``options.time_limit`` counted from
    now; callers that spent time before (validation, eligibility) pass their own. The result
    always respects every host limit; past the deadline it is the best found so far (parts
    not reached get the greedy incumbent) and ``optimal`` is False, with a bound per level
    where one is known. `pace`: expected seconds of flow per eligible pair on this machine
    now (see :meth:`Problem.affords`); a part whose flow would not end before the deadline
    gets the greedy incumbent instead of a flow cut short.
    """
    opts = options if options is not None else SolverOptions()
    if deadline is None and opts.time_limit is not None:
        deadline = time.perf_counter() + opts.time_limit
    problem = Problem(
        vals=level_values(a, pairs), pairs=pairs, gadget=host_gadgets(a, pairs), options=opts, deadline=deadline,
        pace=pace,
    )
    cons = host_constraints(a, pairs)
    if len(pairs) and problem.affords(len(pairs)):
        import_scipy()  # before the decisions below, which then see the time it took
    everything = np.arange(len(pairs))
    first: _First | None = None
    # components only pay off where a branch and bound must stay local; one flow over
    # independent parts is exactly as optimal, and at national scale there is one big part.
    # So with host constraints the flow over everything comes first too: when it meets
    # every limit (the usual case) it is the optimum, and no components are needed
    if cons and len(pairs) and problem.affords(len(pairs)):
        log: list[StageLog] = []
        relaxed, proven = staged_flow(problem, everything, log, may_stop=True)
        if proven == N_LEVELS and host_feasible(cons, problem.mask(relaxed)):
            return Outcome(chosen=relaxed, optimal=True)
        first = _First(relaxed, proven, log)
        parts = components(a, pairs)
        if len(parts) > 1:
            first = None  # per part after all: each part's flow is solved again, locally
    else:
        parts = [everything] if len(pairs) else []
    cons_by_part: dict[int, list[HostConstraint]] = {}
    if cons:  # (a part label per pair is an array of millions: only when there is a use)
        pair_part = np.full(len(pairs), -1, dtype=np.int64)
        for k, part in enumerate(parts):
            pair_part[part] = k
        for c in cons:
            cons_by_part.setdefault(int(pair_part[c.idx[0]]), []).append(c)
    chosen: list[I64] = []
    optimal = True
    bound_sum: list[int | None] = [0] * N_LEVELS
    for k, part in enumerate(parts):
        pc = cons_by_part.get(k, [])
        if problem.expired() or not problem.affords(part.size):
            out = Outcome(chosen=greedy(a, problem, part, pc), optimal=False,
                          bound=[_placed_bound(pairs, part)] + [None] * (N_LEVELS - 1))
        else:
            out = _solve_part(problem, part, pc, first)
        chosen.append(out.chosen)
        optimal &= out.optimal
        part_bound = list(out.bound) if not out.optimal else list(objective_values(problem.vals, out.chosen))
        for lev in range(N_LEVELS):
            b, pb = bound_sum[lev], part_bound[lev]
            bound_sum[lev] = None if b is None or pb is None else b + pb
    all_chosen = np.sort(np.concatenate(chosen)) if chosen else np.zeros(0, dtype=np.int64)
    return Outcome(chosen=all_chosen, optimal=optimal, bound=bound_sum)


def _placed_bound(pairs: Pairs, part: I64) -> int:
    """At most one pair per household and per place: a bound on level 1 for a part (linear:
    it runs when time is already short, so no sort of millions of pairs)."""
    n_h = int(pairs.h[part].max(initial=-1)) + 1
    n_p = int(pairs.p[part].max(initial=-1)) + 1
    return int(min(np.count_nonzero(np.bincount(pairs.h[part], minlength=n_h)),
                   np.count_nonzero(np.bincount(pairs.p[part], minlength=n_p))))


def _stopped(problem: Problem, relaxed: I64, proven: int, inc: I64) -> Outcome:
    """The incumbent after the deadline; bounds from the relaxation's proven levels."""
    top = objective_values(problem.vals, relaxed)
    bound = bound_of(top, objective_values(problem.vals, inc))
    return Outcome(chosen=np.sort(inc), optimal=False,
                   bound=[b if lev < proven else None for lev, b in enumerate(bound)])


@dataclass
class _First:
    """The flow over a whole part already solved (relaxation, levels proven, stage log)."""

    relaxed: I64
    proven: int
    log: list[StageLog]


def _solve_part(problem: Problem, part: I64, pc: list[HostConstraint], first: _First | None = None) -> Outcome:
    """One part: its flow optimum, or the host-limit search when that breaks a limit.

    Past the deadline (checked between flow stages and search steps) the best host-feasible
    selection so far is returned: at worst the relaxation repaired greedily. `first`: the
    part's flow when the caller has solved it already (with a stage log).
    """
    vals = problem.vals
    log: list[StageLog] | None
    if first is not None:
        relaxed, proven, log = first.relaxed, first.proven, first.log
    else:
        log = [] if pc else None
        relaxed, proven = staged_flow(problem, part, log, may_stop=True)
    if not pc or host_feasible(pc, problem.mask(relaxed)):
        if proven == N_LEVELS:
            return Outcome(chosen=relaxed, optimal=True)
        return _stopped(problem, relaxed, proven, relaxed)
    if proven < N_LEVELS or problem.expired():
        return _stopped(problem, relaxed, proven, repair(vals, relaxed, pc, problem.n_pairs))
    assert log is not None
    guessed = guess_and_verify(problem, part, pc, relaxed, log)
    inc = guessed if guessed is not None else dive(problem, part, pc, relaxed, log)
    if guessed is not None or objective_values(vals, inc) == objective_values(vals, relaxed):
        return Outcome(chosen=np.sort(inc), optimal=True)  # proven (see the functions)
    if problem.expired():
        return _stopped(problem, relaxed, N_LEVELS, inc)
    sub = part[restrict(problem, part, relaxed, inc, log)]
    del log
    if problem.mask(sub)[relaxed].all():  # always (its arcs have reduced cost <= 0): the root
        return search_parts(problem, sub, pc, relaxed, incumbent=inc)
    return branch_and_bound(problem, sub, pc, solve_flow(problem, sub), incumbent=inc)


_GREEDY_CHUNK = 4096
#: the greedy looks at each household's nearest pairs only, at most this many
GREEDY_PER_HOUSEHOLD = 64


def greedy_candidates(pairs: Pairs, part: I64, k: int = GREEDY_PER_HOUSEHOLD) -> I64:
    """Per household of `part` (sorted pair indices) its `k` nearest pairs, as sorted pair
    indices.

    Why: the greedy runs when the deadline leaves no time for a flow, often on a busy
    machine, so it must not sort (or even pass over) millions of pairs: pairs come grouped by
    household and ordered by distance within it, so the nearest ones are the first of each
    household's run, found by a binary search per household.
    """
    if part.size == 0:
        return part
    whole = part.size == len(pairs)  # part is then 0..n-1
    h = pairs.h if whole else pairs.h[part]
    n_h = int(h[-1]) + 1
    starts = np.searchsorted(h, np.arange(n_h + 1, dtype=h.dtype)).astype(np.int64)  # same dtype: no copy of h
    lengths = np.diff(starts)
    pos = first_of_runs(starts[:-1], np.minimum(lengths, k))
    return pos if whole else part[pos]


def greedy(a: Arrays, problem: Problem, part: I64, pc: list[HostConstraint]) -> I64:
    """A host-feasible selection without any flow: pairs best-first by the five levels (ties
    by pair index), each taken while its household, its place and its host's count on the
    last horizon day are free, then the per-day host constraints repaired. For parts the
    deadline leaves no time for: only each household's GREEDY_PER_HOUSEHOLD nearest pairs
    are looked at (:func:`greedy_candidates`), so it never sorts millions of pairs.
    """
    vals, pairs = problem.vals, problem.pairs
    cand = greedy_candidates(pairs, part)
    # level 1 (placed) is 1 for every pair: sorting by it would change nothing
    order = cand[np.lexsort((cand, *(-vals[lev, cand] for lev in range(N_LEVELS - 1, 0, -1))))]
    host_room_left = (a.host_limit - a.host_busy[:, a.horizon - 1]).tolist() if a.host_limit.size else []
    limited = a.p_limited.tolist()
    p_host = a.p_host.tolist()
    h_used = np.zeros(a.n_h, dtype=bool)
    p_used = np.zeros(a.n_p, dtype=bool)
    p_blocked = a.p_limited.copy()  # limited rooms whose host has no room left on that day
    p_blocked[a.p_limited] = (a.host_limit - a.host_busy[:, a.horizon - 1])[a.p_host[a.p_limited]] <= 0
    # places by host: the rooms of host k are rooms[room_start[k] : room_start[k + 1]]
    rooms = np.argsort(a.p_host, kind="stable")
    room_start = np.searchsorted(a.p_host[rooms], np.arange(a.host_limit.size + 1)).tolist()
    take: list[int] = []
    # in chunks: pairs whose household or place is already used, or whose host is full, are
    # dropped by numpy (the loop would skip them too), so Python only sees the few that may
    # still be taken
    for lo in range(0, order.size, _GREEDY_CHUNK):
        chunk = order[lo : lo + _GREEDY_CHUNK]
        hc, pc_ = pairs.h[chunk], pairs.p[chunk]
        live = ~(h_used[hc] | p_used[pc_] | p_blocked[pc_])
        for i, h, p in zip(chunk[live].tolist(), hc[live].tolist(), pc_[live].tolist(), strict=True):
            if h_used[h] or p_used[p]:
                continue
            if limited[p]:
                k = p_host[p]
                if host_room_left[k] <= 0:
                    continue
                host_room_left[k] -= 1
                if host_room_left[k] <= 0:
                    p_blocked[rooms[room_start[k] : room_start[k + 1]]] = True
            h_used[h] = p_used[p] = True
            take.append(i)
    chosen = np.asarray(sorted(take), dtype=np.int64)
    return repair(vals, chosen, pc, problem.n_pairs) if pc else chosen
