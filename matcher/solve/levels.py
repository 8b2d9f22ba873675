"""The five objective levels as numbers per pair, and the objective of a selection.

Why per pair: every level of the spec is a sum over placed households of a value that only
depends on the pair (household, place), so a (5, n_pairs) table is all any solver step needs;
everything is oriented "larger is better" inside the solver and turned back to the spec's
orientation (wait and distance as positive sums) only for output.
"""

from __future__ import annotations

import numpy as np

from ..eligibility import Arrays, Pairs
from ..nptypes import I32, I64, IntArray

N_LEVELS = 5
LEVEL_NAMES = ("placed", "priority", "weighted_wait", "distance", "stay_days")


def level_values(a: Arrays, pairs: Pairs) -> I32:
    """(5, n_pairs) int32 array: each pair's contribution to each level, all to be maximised.

    int32 suffices (priority <= 1000, wait < horizon, distances and stays small) and halves
    memory; folding casts to int64.
    """
    out = np.empty((N_LEVELS, len(pairs)), dtype=np.int32)
    # written in place, row by row: at millions of pairs every temporary array costs page
    # faults on top of its pass (this was a tenth of the solve at 3000 x 15000)
    out[0] = 1
    np.take(a.h_priority.astype(np.int32, copy=False), pairs.h, out=out[1])
    np.multiply(out[1], pairs.wait, out=out[2])
    np.negative(out[2], out=out[2])
    np.negative(pairs.dist, out=out[3])
    out[4] = pairs.stay
    return out


def objective_values(vals: I32, chosen: IntArray) -> tuple[int, ...]:
    """Raw level sums of a selection (maximisation orientation)."""
    if chosen.size == 0:
        return (0,) * N_LEVELS
    return tuple(int(v) for v in vals[:, chosen].sum(axis=1))


def objective_of(vals: I32, chosen: I64) -> tuple[int, ...]:
    """The objective tuple in spec orientation (wait and distance as positive sums)."""
    s = objective_values(vals, chosen)
    return (s[0], s[1], -s[2], -s[3], s[4])


def bound_of(top: tuple[int, ...], inc: tuple[int, ...]) -> list[int | None]:
    """Bound per level from the best open relaxation `top` and the incumbent `inc`.

    A level's bound is only known while all levels above it are settled (equal in both):
    below the first level where they differ, the relaxation says nothing about the incumbent.
    """
    out: list[int | None] = [None] * N_LEVELS
    for lev in range(N_LEVELS):
        out[lev] = top[lev]
        if top[lev] != inc[lev]:
            break
    return out
