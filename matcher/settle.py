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
from .nptypes import I32, I64, Bool


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


def pair_keys(a: Arrays, pairs: Pairs) -> tuple[I64, I64, I32, I32]:
    """Levels 2-5 of each pair, larger is better: priority, -weighted wait, -distance, stay."""
    prio = a.h_priority[pairs.h].astype(np.int64)
    return prio, -(prio * pairs.wait), -pairs.dist, pairs.stay


def beats(keys: tuple[I64, I64, I32, I32], i: I64 | int, j: I64 | int) -> Bool:
    """Whether pairs `i` score strictly better than pairs `j` (lexicographically, levels 2-5)."""
    better = np.zeros(np.broadcast(np.asarray(i), np.asarray(j)).shape, dtype=bool)
    equal = np.ones_like(better)
    for k in keys:
        better |= equal & (k[i] > k[j])
        equal &= k[i] == k[j]
    return better


def ties(keys: tuple[I64, I64, I32, I32], i: I64 | int, j: I64 | int) -> Bool:
    equal = np.ones(np.broadcast(np.asarray(i), np.asarray(j)).shape, dtype=bool)
    for k in keys:
        equal &= k[i] == k[j]
    return equal


def settle(a: Arrays, pairs: Pairs, chosen: I64, household_ids: list[str]) -> I64:
    """The selection after the local pass described in the module docstring (sorted)."""
    if not len(pairs):
        return chosen
    keys = pair_keys(a, pairs)
    holder = np.full(a.n_p, -1, dtype=np.int64)  # pair index holding each place
    holder[pairs.p[chosen]] = chosen
    placed = np.zeros(a.n_h, dtype=bool)
    placed[pairs.h[chosen]] = True
    starts = np.searchsorted(pairs.h, np.arange(a.n_h + 1))  # pairs are sorted by household
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
            want = (held < 0) | beats(keys, mine, other) | (
                ties(keys, mine, other) & (rank[u] < rank[pairs.h[other]])
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
