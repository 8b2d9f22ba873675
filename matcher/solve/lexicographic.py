"""The lexicographic levels: fold as many levels into one exact weight as fit, stage by stage.

Why: a matching's total over all five levels, folded into one integer, overflows at national
scale, and the flow solver scales costs internally. So each stage folds the longest run of
levels whose folded weight provably fits (the bound is computed from the value ranges and the
largest matching size), the flow model (:mod:`.face`) optimises it and narrows the network to
that stage's optimal face, and the next stage continues with the next levels. `solve_flow`
drives the stages for one set of pairs; `FoldParams` and `StageLog` keep what the host-limit
search needs afterwards (reduced costs per stage).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..nptypes import I32, I64, Bool, IntArray
from .face import FaceFlow
from .levels import N_LEVELS
from .problem import Problem, SolverError

# Largest folded weight per arc handed to the flow solver. OR-Tools scales costs by the node
# count internally; 2**40 x (nodes + 1) stays far below int64 for any realistic component.
MAX_ARC_WEIGHT = 2**40


def next_group(
    vals: I32, alive: I64, first: int, n_match: int
) -> tuple[list[int], I64, FoldParams]:
    """The longest run of levels from `first` whose folded weight fits; with that weight.

    `alive` indexes the pair arcs still in play (columns of `vals`); the weight is returned
    for those only. Each level except level 1 is shifted to start at 0; that changes a
    matching's total by the same amount for all matchings of equal size, and the size is
    either level 1 itself (which dominates) or already fixed by an earlier stage. With U_l the
    range per pair and n the largest matching size, factor(l) = factor(l+1) * (n * U_(l+1) + 1)
    makes every level outweigh the most that all levels below it can differ.
    """
    whole = alive.size == vals.shape[1]
    cols: dict[int, I32] = {}

    def column(lev: int) -> I32:
        if lev not in cols:
            col: I32 = vals[lev] if whole else vals[lev, alive]
            cols[lev] = col
        return cols[lev]

    lo = [0] * N_LEVELS
    rng = [0] * N_LEVELS

    def measure(lev: int) -> None:
        if alive.size:
            v = column(lev)
            lo[lev] = 0 if lev == 0 else int(v.min())
            rng[lev] = max(int(v.max()) - lo[lev], 0)

    measure(first)
    levels = [first]
    while levels[-1] + 1 < N_LEVELS:
        nxt = levels[-1] + 1
        measure(nxt)
        if fold_top(rng, levels + [nxt], n_match) > MAX_ARC_WEIGHT:
            break
        levels.append(nxt)
    if fold_top(rng, levels, n_match) > MAX_ARC_WEIGHT:
        raise SolverError(f"level {first + 1} alone does not fit in a flow weight")
    factor = 1
    factors: dict[int, int] = {}
    terms: list[tuple[I32, int, int]] = []  # (column, shift, factor) of each level that varies
    for lev in reversed(levels):
        factors[lev] = factor
        if rng[lev]:
            terms.append((column(lev), lo[lev], factor))
        factor *= n_match * rng[lev] + 1
    weight = _fold(terms, alive.size)
    return levels, weight, FoldParams(levels=tuple(levels), lo=tuple(lo[lv] for lv in levels),
                                      factors=tuple(factors[lv] for lv in levels))


_CHUNK = 1 << 16  # pairs per step of the fold: its scratch stays in the cache


def _fold(terms: list[tuple[I32, int, int]], n: int) -> I64:
    """Sum of ``(column - shift) * factor`` over `terms`, as int64, chunk by chunk (one
    small scratch buffer instead of a temporary of millions per level: page faults)."""
    weight = np.zeros(n, dtype=np.int64)
    part = np.empty(min(_CHUNK, n), dtype=np.int64)
    for lo in range(0, n, _CHUNK):
        hi = min(lo + _CHUNK, n)
        out, tmp = weight[lo:hi], part[: hi - lo]
        for col, shift, factor in terms:
            np.copyto(tmp, col[lo:hi])
            if shift:
                tmp -= shift
            if factor != 1:
                tmp *= factor
            out += tmp
    return weight


@dataclass(frozen=True)
class FoldParams:
    """How a stage folded its levels, so its weight can be recomputed for any selection."""

    levels: tuple[int, ...]
    lo: tuple[int, ...]
    factors: tuple[int, ...]

    def total(self, vals: I32, chosen: IntArray) -> int:
        """The stage's folded objective of a selection (exact Python integer)."""
        out = 0
        for lev, lo, f in zip(self.levels, self.lo, self.factors, strict=True):
            out += (int(vals[lev, chosen].astype(np.int64).sum()) - lo * int(chosen.size)) * f
        return out


@dataclass
class StageLog:
    """One stage of a flow solve: the fold, which pair arcs were alive, their reduced costs."""

    fold: FoldParams
    alive: Bool  # local pair arcs alive in this stage
    rc: I64  # reduced cost of each alive local pair arc under the stage's optimal potentials


def fold_top(rng: list[int], levels: list[int], n_match: int) -> int:
    """Largest folded weight of one pair for these levels (exact Python integers)."""
    factor, total = 1, 0
    for lev in reversed(levels):
        total += rng[lev] * factor
        factor *= n_match * rng[lev] + 1
    return total


def solve_flow(problem: Problem, idx: I64, log: list[StageLog] | None = None) -> I64:
    """Lexicographically optimal matching over pairs `idx`, host limits only via gadgets (exact).

    With `log`, each stage's fold, alive arcs and reduced costs are recorded (for
    :func:`~matcher.solve.host_search.restrict`).
    """
    return staged_flow(problem, idx, log)[0]


def staged_flow(
    problem: Problem, idx: I64, log: list[StageLog] | None = None, may_stop: bool = False
) -> tuple[I64, int]:
    """:func:`solve_flow`, and the number of levels it proved optimal (5 when complete).

    With `may_stop`, the deadline is checked after each stage; when it has passed, the
    stage's flow is returned as it is: a matching that respects the host gadgets, optimal
    for the levels folded so far (an upper bound for them) and arbitrary below.
    """
    if idx.size == 0:
        return idx, N_LEVELS
    vals, pairs = problem.vals, problem.pairs
    whole = idx.size == len(pairs)  # one component: no copies (idx is then 0..n-1)
    if whole:
        face = FaceFlow(pairs.h, pairs.p, problem.options, problem.gadget)
    else:
        face = FaceFlow(pairs.h[idx], pairs.p[idx], problem.options, problem.gadget)
    sub = vals if whole else vals[:, idx]
    k = 0
    while True:
        alive_mask = face.active[: face.n_pairs].copy()
        alive = np.flatnonzero(alive_mask)
        levels, weight, fold = next_group(sub, alive, k, face.max_match)
        last = levels[-1] == N_LEVELS - 1
        used = face.stage(alive, weight, last, want_rc=log is not None)
        if log is not None:
            log.append(StageLog(fold=fold, alive=alive_mask, rc=face.last_rc))
        if last:
            return idx[face.chosen_pairs(used)], N_LEVELS
        if may_stop and problem.expired():
            return idx[face.chosen_pairs(used)], levels[-1] + 1
        k = levels[-1] + 1
