"""The host-limit search: a part whose flow optimum breaks a host limit.

Why this shape (each step is exact, or only produces an incumbent):

* an incumbent first: the cheap guess-and-verify (:func:`guess_and_verify`) or a short dive
  (:func:`dive`, forbid the rooms cheapest to give up and re-solve), whose last resort is
  the greedy repair, so a host-feasible solution exists before any search starts;
* reduced-cost fixing (:func:`restrict`) against that incumbent removes pairs that no better
  solution can use;
* a best-first branch and bound (:func:`branch_and_bound`), whose nodes are the same exact
  staged flows with some pairs forbidden, proves the optimum, or stops at the deadline with
  the incumbent and a bound per level;
* both restrictions (the guess, the fixing) leave a small set of pairs that falls apart into
  many independent parts: :func:`search_parts` keeps the relaxation where it already meets
  every host limit and runs the branch and bound only on the parts that break one, so a node
  re-solves a few dozen pairs instead of the whole restricted set.
"""

from __future__ import annotations

import heapq

import numpy as np

from ..nptypes import I64, Bool
from .hosts import HostConstraint, host_feasible, repair
from .levels import N_LEVELS, bound_of, objective_values
from .lexicographic import StageLog, staged_flow
from .network import subset_components
from .problem import Outcome, Problem, SolverError


def branch_and_bound(
    problem: Problem, idx: I64, cons: list[HostConstraint], relaxed: I64, incumbent: I64 | None = None
) -> Outcome:
    """Exact lexicographic optimum with host limits over pairs `idx`: best-first branch and bound.

    Each node is the flow problem with some pairs forbidden; its flow optimum (all five
    levels, exact) is an upper bound for the node. A node whose optimum respects every host
    limit is feasible; popped in best-first order (ties: feasible first, then first pushed)
    it is optimal. Branching on a violated limit "at most cap of these rooms on day d": the
    relaxation uses more than cap of them, so every feasible solution leaves at least one of
    those rooms without a stay covering d; one child per such room forbids exactly that.
    Every node's flow, repaired greedily, may improve the incumbent, which is returned (not
    optimal, with the bound of the best open node) when the deadline passes.
    """
    vals, pairs, n_total = problem.vals, problem.pairs, problem.n_pairs
    seq = 0
    heap: list[tuple[tuple[int, ...], int, int, tuple[int, ...], I64]] = []
    seen: set[tuple[int, ...]] = set()
    inc = incumbent if incumbent is not None else repair(vals, relaxed, cons, n_total)
    inc_val = objective_values(vals, inc)

    def push(forbidden: tuple[int, ...], chosen: I64) -> None:
        nonlocal seq, inc, inc_val
        feasible = host_feasible(cons, problem.mask(chosen))
        val = objective_values(vals, chosen)
        cand = chosen if feasible else repair(vals, chosen, cons, n_total)
        cand_val = val if feasible else objective_values(vals, cand)
        if cand_val > inc_val:
            inc, inc_val = cand, cand_val
        heapq.heappush(heap, (tuple(-v for v in val), 0 if feasible else 1, seq, forbidden, chosen))
        seq += 1

    push((), relaxed)
    seen.add(())
    while heap:
        if problem.expired():
            top = tuple(-v for v in heap[0][0])
            return Outcome(chosen=np.sort(inc), optimal=False, bound=bound_of(top, inc_val))
        neg_val, infeasible, _, forbidden, chosen = heapq.heappop(heap)
        if not infeasible:
            return Outcome(chosen=np.sort(chosen), optimal=True)
        mask = problem.mask(chosen)
        c = next(c for c in cons if int(mask[c.idx].sum()) > c.cap)
        used_places = np.unique(pairs.p[c.idx[mask[c.idx]]])
        allowed_base = np.ones(n_total, dtype=bool)
        allowed_base[list(forbidden)] = False
        for q in used_places.tolist():
            extra = c.idx[pairs.p[c.idx] == q]
            child = tuple(sorted(set(forbidden) | set(extra.tolist())))
            if child in seen:
                continue
            seen.add(child)
            allowed = allowed_base.copy()
            allowed[extra] = False
            # a child's flow stops after the stage in which the deadline passes; then it is
            # dropped: the popped node was the best open one, so its value bounds the rest
            flow, proven = staged_flow(problem, idx[allowed[idx]], may_stop=True)
            if proven == N_LEVELS:
                push(child, flow)
            if proven < N_LEVELS or problem.expired():
                top = tuple(-v for v in neg_val)
                return Outcome(chosen=np.sort(inc), optimal=False, bound=bound_of(top, inc_val))
    raise SolverError("branch and bound ran out of nodes: the empty selection is always feasible")


def search_parts(
    problem: Problem, idx: I64, cons: list[HostConstraint], relaxed: I64, incumbent: I64 | None = None
) -> Outcome:
    """:func:`branch_and_bound` over pairs `idx`, part by independent part.

    `relaxed` must be a lexicographic flow optimum over `idx` (host gadgets only). Restricted
    to an independent part it is that part's flow optimum (the objective is a sum over
    parts, and lexicographic order respects sums), so a part where it meets every host limit
    is solved as it is; only the others get a branch and bound, rooted at their share of
    `relaxed` and started from their share of `incumbent` (feasible part by part, since each
    host constraint lies within one part). Bounds add up over parts like in the driver.
    """
    if not cons:
        return Outcome(chosen=np.sort(relaxed), optimal=True)
    parts = subset_components(problem.pairs, idx, problem.gadget.of_place, [c.idx for c in cons])
    part_of = np.full(problem.n_pairs, -1, dtype=np.int64)
    for k, part in enumerate(parts):
        part_of[part] = k
    cons_of: dict[int, list[HostConstraint]] = {}
    for c in cons:
        ks = part_of[c.idx]
        ks = ks[ks >= 0]
        if ks.size:
            cons_of.setdefault(int(ks[0]), []).append(c)
    relaxed_mask = problem.mask(relaxed)
    inc_mask = problem.mask(incumbent) if incumbent is not None else None
    chosen: list[I64] = []
    optimal = True
    bound: list[int | None] = list(objective_values(problem.vals, relaxed))
    for k in sorted(cons_of):
        part, pc = parts[k], cons_of[k]
        if host_feasible(pc, relaxed_mask):
            continue
        root = part[relaxed_mask[part]]
        inc = part[inc_mask[part]] if inc_mask is not None else None
        out = branch_and_bound(problem, drop_dominated(problem, part, pc, relaxed_mask), pc, root, incumbent=inc)
        relaxed_mask[root] = False
        chosen.append(out.chosen)
        optimal &= out.optimal
        part_bound = list(objective_values(problem.vals, out.chosen)) if out.optimal else out.bound
        root_val = objective_values(problem.vals, root)
        for lev in range(N_LEVELS):
            b, pb = bound[lev], part_bound[lev]
            bound[lev] = None if b is None or pb is None else b - root_val[lev] + pb
    chosen.append(np.flatnonzero(relaxed_mask))
    out_chosen = np.sort(np.concatenate(chosen))
    return Outcome(chosen=out_chosen, optimal=optimal, bound=bound if not optimal else [None] * N_LEVELS)


def drop_dominated(problem: Problem, idx: I64, cons: list[HostConstraint], keep: Bool) -> I64:
    """`idx` without the pairs that no branch-and-bound node needs: of the places that only
    one household of `idx` can use and that no host limit touches, each household keeps only
    its best (by the five levels; ties: a pair in `keep`, then the smaller index).

    Why exact: the branch and bound forbids only pairs of rooms under a host constraint, so
    in every node such a household can move from any of its private places to its best one,
    which nobody else wants, without losing on any level. Why it pays: the restricted parts
    are long chains of households with several private places each, and the sparse
    assignment's time grows with rows × columns.
    """
    pairs, vals = problem.pairs, problem.vals
    pp = pairs.p[idx]
    _, inv, cnt = np.unique(pp, return_inverse=True, return_counts=True)
    free = (cnt[inv] == 1) & (problem.gadget.of_place[pp] < 0)
    if cons:
        free &= ~np.isin(pp, np.concatenate([pairs.p[c.idx] for c in cons]))
    cand = np.flatnonzero(free)
    if cand.size < 2:
        return idx
    g = idx[cand]
    order = np.lexsort((g, ~keep[g], *(-vals[lev, g] for lev in range(N_LEVELS - 1, -1, -1)), pairs.h[g]))
    hs = pairs.h[g[order]]
    later = np.zeros(order.size, dtype=bool)
    later[1:] = hs[1:] == hs[:-1]
    drop = np.zeros(idx.size, dtype=bool)
    drop[cand[order[later]]] = True
    if keep[idx[drop]].any():
        return idx  # cannot happen for an optimal `keep`; never drop what it uses
    return idx[~drop]


def dive(
    problem: Problem, idx: I64, cons: list[HostConstraint], relaxed: I64, log: list[StageLog] | None = None
) -> I64:
    """A good feasible selection: per violated limit, forbid (on that day) the rooms whose
    chosen pair is cheapest to give up, re-solve exactly; a few rounds, then the plain repair.

    "Cheapest to give up" comes from the relaxation's reduced costs: a chosen arc that no
    stage fixed can be dropped without loss; otherwise prefer the one fixed latest, with the
    smallest reduced cost; the pair's own value breaks ties, then the pair index.
    """
    vals, pairs, n_total = problem.vals, problem.pairs, problem.n_pairs
    give_up = give_up_cost(idx, log) if log else None
    allowed = np.zeros(n_total, dtype=bool)
    allowed[idx] = True
    cur = relaxed
    for _ in range(problem.options.dive_rounds):
        mask = problem.mask(cur)
        violated = [c for c in cons if int(mask[c.idx].sum()) > c.cap]
        if not violated:
            return cur
        if problem.expired():
            break
        for c in violated:
            sel = c.idx[mask[c.idx]]
            keys = [vals[lev, sel] for lev in range(N_LEVELS - 1, -1, -1)]
            if give_up is not None:
                local = np.searchsorted(idx, sel)
                keys += [give_up[1][local], give_up[0][local]]
            worst_first = np.lexsort(tuple(keys))
            for e in sel[worst_first[: sel.size - c.cap]].tolist():
                allowed[c.idx[pairs.p[c.idx] == pairs.p[e]]] = False
        cur, proven = staged_flow(problem, idx[allowed[idx]], may_stop=True)
        if proven < N_LEVELS:
            break  # the deadline passed inside the flow: repair what it has
    return repair(vals, cur, cons, n_total)


def guess_and_verify(
    problem: Problem, idx: I64, cons: list[HostConstraint], relaxed: I64, log: list[StageLog]
) -> I64 | None:
    """Usually the host-limited optimum loses little against the relaxation, and only late.

    Guess: it equals the relaxation on stages before k and falls short on stage k by at most
    delta. Then it only uses arcs on the relaxation's face before stage k with reduced cost
    <= delta at stage k: a small set R. Solve exactly over R (branch and bound); if the result
    x meets the guess (same stages before k, shortfall at k <= delta), it is optimal: the
    true optimum is at least as good as x, so it meets the guess too, hence lies in R, where
    x is best. Otherwise try a looser guess; None when no guess is confirmed.
    """
    vals = problem.vals
    root_val = [st.fold.total(vals, relaxed) for st in log]
    local_root = np.searchsorted(idx, relaxed)
    for k in range(len(log) - 1, -1, -1):
        top = log[k].fold.factors[0]
        for delta in (16 * top, 1024 * top):
            if problem.expired():
                return None
            keep = log[k].alive & (log[k].rc <= delta)
            keep[local_root] = True  # arcs fixed before stage k are in every face solution
            sub = idx[keep]
            if sub.size > problem.options.guess_max_fraction * idx.size:
                break  # not small any more: leave it to the general method
            # the relaxation lies in R and is optimal over the larger part: R's flow optimum
            out = search_parts(problem, sub, cons, relaxed)
            if not out.optimal:
                return None
            x = out.chosen
            same_before = all(log[j].fold.total(vals, x) == root_val[j] for j in range(k))
            if same_before and root_val[k] - log[k].fold.total(vals, x) <= delta:
                return x
    return None


def give_up_cost(idx: I64, log: list[StageLog]) -> tuple[I64, I64]:
    """Per local pair: (stages from the end at which it was fixed, 0 if never; |reduced cost|)."""
    stage_rank = np.zeros(idx.size, dtype=np.int64)
    size = np.zeros(idx.size, dtype=np.int64)
    for k, st in enumerate(log):
        fixed = st.alive & (st.rc < 0) & (stage_rank == 0)
        stage_rank[fixed] = len(log) - k
        size[fixed] = -st.rc[fixed]
    return stage_rank, size


def restrict(problem: Problem, idx: I64, root: I64, inc: I64, log: list[StageLog]) -> Bool:
    """Pairs (mask over `idx`) that an optimum at least as good as `inc` may use.

    Reduced-cost fixing, stage by stage: for a flow x on a stage's network, the stage
    objective falls short of the optimum by sum(rc_e) over arcs x uses that the optimum does
    not (every term >= 0). The host-limited optimum is at least as good as the feasible `inc`,
    so its shortfall is at most G = F(root) - F(inc), and no arc with rc > G can be in it.
    While G = 0 the optimum lies on the stage's optimal face too, so the next stage applies.
    """
    keep = np.ones(idx.size, dtype=bool)
    if not problem.options.reduced_cost_fixing:
        return keep
    for st in log:
        gap = st.fold.total(problem.vals, root) - st.fold.total(problem.vals, inc)
        if gap < 0:
            raise SolverError("a feasible selection beats the relaxation")
        keep &= ~(st.alive & (st.rc > gap))
        if gap > 0:
            break
    return keep
