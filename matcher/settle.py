"""Make the returned selection locally stable, so that its explanations are true by construction.

An explanation says, for every eligible place of an unplaced household u, why u did not get
it: the place went to a household o that scores better there, or ties with u and comes first
in id order, or giving it to u would break a host limit. This pass makes each of those
statements a fact about the returned selection instead of a hope: for every unplaced u and
eligible place q (in pair order), it

* gives q to u when q is empty and the host limit allows it (only possible when a time limit
  stopped the search: an optimal selection has no such place);
* swaps u in for the holder o when u's pair scores better on the five levels (same), or
  scores the same and u's household id sorts before o's (the deterministic tie-break: among
  households with equal value at a place, the smaller id wins), whenever the host limit
  allows the swap;

and repeats until nothing changes. Each step either improves the objective or keeps it and
replaces a placed id by a smaller one, so the pass ends; it never makes a selection worse and
never breaks a hard rule (swaps and additions are host-checked day by day).
"""

from __future__ import annotations

import numpy as np

from .eligibility import Arrays, Pairs
from .nptypes import I64, Bool


class _HostDays:
    """New stays per limited host per day, to test an addition or a swap exactly."""

    def __init__(self, a: Arrays, pairs: Pairs, chosen: I64):
        self.a, self.pairs = a, pairs
        self.count = np.zeros_like(a.host_busy, dtype=np.int64)
        for i in chosen.tolist():
            self._add(i, 1)

    def _limited(self, i: int) -> int:
        p = int(self.pairs.p[i])
        return int(self.a.p_host[p]) if bool(self.a.p_limited[p]) else -1

    def _add(self, i: int, sign: int) -> None:
        k = self._limited(i)
        if k >= 0:
            self.count[k, int(self.pairs.start[i]) : int(self.pairs.end[i])] += sign

    def fits(self, add: int, remove: int | None) -> bool:
        """Whether pair `add` may be chosen when pair `remove` (or nothing) leaves."""
        k = self._limited(add)
        if k < 0:
            return True
        s, e = int(self.pairs.start[add]), int(self.pairs.end[add])
        days = self.a.host_busy[k, s:e] + self.count[k, s:e] + 1
        if remove is not None and self._limited(remove) == k:
            rs, re_ = int(self.pairs.start[remove]), int(self.pairs.end[remove])
            days = days.copy()
            lo, hi = max(s, rs), min(e, re_)
            if hi > lo:
                days[lo - s : hi - s] -= 1
        return bool(np.all(days <= self.a.host_limit[k]))

    def move(self, add: int, remove: int | None) -> None:
        if remove is not None:
            self._add(remove, -1)
        self._add(add, 1)


Keys = tuple[I64, I64, I64, I64]


def pair_keys(a: Arrays, pairs: Pairs, idx: I64) -> Keys:
    """Levels 2-5 of the pairs `idx`, larger is better: priority, -weighted wait, -distance, stay.

    Only for the pairs asked about (the unplaced households' pairs and their holders): the
    pass looks at a few thousand pairs, and keys for all millions cost more than the pass.
    """
    prio = a.h_priority[pairs.h[idx]].astype(np.int64)
    return (prio, -(prio * pairs.wait[idx]), -pairs.dist[idx].astype(np.int64),
            pairs.stay[idx].astype(np.int64))


def beats(ki: Keys, kj: Keys) -> Bool:
    """Whether pairs with keys `ki` score strictly better than those with keys `kj`
    (lexicographically, levels 2-5; element by element)."""
    better = np.zeros(ki[0].shape, dtype=bool)
    equal = np.ones_like(better)
    for x, y in zip(ki, kj, strict=True):
        better |= equal & (x > y)
        equal &= x == y
    return better


def ties(ki: Keys, kj: Keys) -> Bool:
    equal = np.ones(ki[0].shape, dtype=bool)
    for x, y in zip(ki, kj, strict=True):
        equal &= x == y
    return equal


def settle(a: Arrays, pairs: Pairs, chosen: I64, household_ids: list[str]) -> I64:
    """The selection after the local pass described in the module docstring (sorted)."""
    if not len(pairs):
        return chosen
    holder = np.full(a.n_p, -1, dtype=np.int64)  # pair index holding each place
    holder[pairs.p[chosen]] = chosen
    placed = np.zeros(a.n_h, dtype=bool)
    placed[pairs.h[chosen]] = True
    # pairs are sorted by household; int32 keys like pairs.h, or numpy copies all of pairs.h
    starts = np.searchsorted(pairs.h, np.arange(a.n_h + 1, dtype=pairs.h.dtype))
    rank = np.empty(a.n_h, dtype=np.int64)  # household id order
    rank[np.argsort(np.asarray(household_ids, dtype=object), kind="stable")] = np.arange(a.n_h)
    hosts = _HostDays(a, pairs, chosen)
    changed = True
    while changed:
        changed = False
        for u in np.flatnonzero(~placed).tolist():
            mine = np.arange(starts[u], starts[u + 1])
            if not mine.size:
                continue
            held = holder[pairs.p[mine]]
            other = np.maximum(held, 0)
            k_mine, k_other = pair_keys(a, pairs, mine), pair_keys(a, pairs, other)
            want = (held < 0) | beats(k_mine, k_other) | (
                ties(k_mine, k_other) & (rank[u] < rank[pairs.h[other]])
            )
            for i in mine[want].tolist():
                j = int(holder[pairs.p[i]])
                if not hosts.fits(i, j if j >= 0 else None):
                    continue
                hosts.move(i, j if j >= 0 else None)
                holder[pairs.p[i]] = i
                placed[u] = True
                if j >= 0:
                    placed[pairs.h[j]] = False
                changed = True
                break
    out = holder[holder >= 0]
    return np.sort(out)
