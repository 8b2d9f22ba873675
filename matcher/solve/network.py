"""The graph side of the solver: independent parts, host gadgets and index helpers.

Why here: which pairs interact (connected components, rooms of one host) and how host limits
become network capacities are properties of the eligibility graph, not of any one solve; the
flow model and the host-limit search both read them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..eligibility import Arrays, Pairs
from ..nptypes import I32, I64, Bool, IntArray


def import_scipy() -> None:
    """Load the parts of scipy the flows use (sparse matrices, graph algorithms).

    Why a function: scipy is imported only when a flow will run (half a second on a quiet
    machine, several on a busy one), and the driver loads it before it decides, with the
    time that took, whether a flow still fits in the time limit.
    """
    import scipy.sparse.csgraph  # noqa: F401


def components(a: Arrays, pairs: Pairs) -> list[I64]:
    """Pair indices per independent part, ordered by their smallest pair index.

    Households and places are nodes, pairs are edges; rooms of a host with a limit are
    joined too, because the limit couples them. Pairs come sorted by household, so the
    graph's sparse rows are the pairs as they are (no sort).
    """
    if not len(pairs):
        return []
    from scipy.sparse import csr_matrix  # imported when needed: see matcher.solve.assignment
    from scipy.sparse.csgraph import connected_components

    n = a.n_h + a.n_p
    h_ptr = np.searchsorted(pairs.h, np.arange(a.n_h + 1, dtype=pairs.h.dtype))  # same dtype: no copy
    cols = [pairs.p.astype(np.int32) + np.int32(a.n_h)]
    p_ptr = np.zeros(a.n_p + 1, dtype=np.int64)
    # rooms of a host with a limit are coupled: join each to the host's first room
    host = a.p_host
    if a.p_limited.any():
        limited = np.flatnonzero(a.p_limited)
        first_room = np.full(a.host_limit.size, -1, dtype=np.int64)
        first_room[host[limited[::-1]]] = limited[::-1]
        link = np.full(a.n_p, -1, dtype=np.int64)
        link[limited] = first_room[host[limited]]
        has = link >= 0
        p_ptr[1:] = np.cumsum(has)
        cols.append((a.n_h + link[has]).astype(np.int32))
    indptr = np.concatenate([h_ptr, h_ptr[-1] + p_ptr[1:]])
    indices = np.concatenate(cols)
    graph = csr_matrix((np.ones(indices.size), indices, indptr), shape=(n, n))
    # no duplicate edges exist; the column order within a row does not matter for
    # components, so scipy is spared sorting 5 million indices
    graph.has_canonical_format = True
    n_comp, label = connected_components(graph, directed=False)
    if n_comp == 1:
        return [np.arange(len(pairs))]
    pair_label = label[pairs.h]
    if np.all(pair_label == pair_label[0]):
        return [np.arange(len(pairs))]
    order = np.argsort(pair_label, kind="stable")
    labels, first = np.unique(pair_label[order], return_index=True)
    bounds = [*first.tolist(), order.size]
    parts = [np.sort(order[bounds[k] : bounds[k + 1]]) for k in range(labels.size)]
    parts.sort(key=lambda x: int(x[0]))
    return parts


def subset_components(pairs: Pairs, idx: I64, of_place: I64, linked: list[I64]) -> list[I64]:
    """Independent parts of the pairs `idx` (sorted global indices), ordered by first pair.

    Why besides :func:`components`: the host-limit search restricts a part to the few pairs
    that can still matter (reduced costs), and that small set usually falls apart into many
    tiny parts, of which only those holding a violated host limit need a branch and bound.
    Pairs interact through a shared household or place, through a host gadget (`of_place`:
    the gadget each place drains through, -1 for none) and through each group of pairs in
    `linked` (the pairs of one per-day host constraint); all of them join here.
    """
    if not idx.size:
        return []
    from scipy.sparse import csr_matrix  # imported when needed: see matcher.solve.assignment
    from scipy.sparse.csgraph import connected_components

    n_h = int(pairs.h.max()) + 1
    n_p = of_place.size
    n_g = int(of_place.max(initial=-1)) + 1
    h, p = pairs.h[idx], pairs.p[idx].astype(np.int64) + n_h
    rooms = np.flatnonzero(of_place >= 0)
    src: list[I64] = [h.astype(np.int64), rooms + n_h]
    dst: list[I64] = [p, of_place[rooms] + n_h + n_p]
    for group in linked:
        places = pairs.p[group].astype(np.int64) + n_h
        src.append(np.full(places.size, places[0]))
        dst.append(places)
    u, v = np.concatenate(src), np.concatenate(dst)
    n = n_h + n_p + n_g
    graph = csr_matrix((np.ones(u.size, dtype=np.int8), (u, v)), shape=(n, n))
    _, label = connected_components(graph, directed=False)
    pair_label = label[h]
    order = np.argsort(pair_label, kind="stable")
    starts, lengths = runs(pair_label[order])
    parts = [idx[order[s : s + n_]] for s, n_ in zip(starts.tolist(), lengths.tolist(), strict=True)]
    parts.sort(key=lambda x: int(x[0]))
    return parts


@dataclass(frozen=True)
class Gadgets:
    """Per place, the host gadget it drains through (-1: none); per gadget, its capacity.

    Every new stay covers the last day of the horizon (it starts on or before it and lasts at
    least min_stay_days >= horizon_days), so "at most max_households minus the busy ones on
    that day" is a valid limit on the number of new stays at the host, exact on that day, and
    a network can carry it: the host's rooms drain through one node with that capacity.
    """

    of_place: I64
    cap: I64


def host_gadgets(a: Arrays, pairs: Pairs) -> Gadgets:
    """Gadgets for limited hosts whose rooms with candidate pairs outnumber the day-(H-1) cap."""
    of_place = np.full(a.n_p, -1, dtype=np.int64)
    if not len(pairs) or not a.p_limited.any():
        return Gadgets(of_place, np.zeros(0, np.int64))
    cap = a.host_limit - a.host_busy[:, a.horizon - 1]
    rooms = np.flatnonzero(np.bincount(pairs.p, minlength=a.n_p).astype(bool) & a.p_limited)
    host = a.p_host[rooms]
    n_rooms = np.bincount(host, minlength=a.host_limit.size)
    binding = n_rooms > cap
    sel = binding[host]
    of_place[rooms[sel]] = host[sel]
    return Gadgets(of_place, np.maximum(cap, 0).astype(np.int64))


def dense_ids(x: IntArray) -> tuple[I64, I32]:
    """(sorted unique values, int32 index of each element in them): np.unique(return_inverse), O(n)."""
    if not x.size:
        return x.astype(np.int64), x.astype(np.int32)
    present = np.zeros(int(x.max()) + 1, dtype=bool)
    present[x] = True
    uniq = np.flatnonzero(present).astype(np.int64, copy=False)
    rank = (np.cumsum(present) - 1).astype(np.int32)
    return uniq, rank[x]


def runs(x: IntArray) -> tuple[I64, I64]:
    """(start, length) of each run of equal values in `x` (a sorted array: one run per value)."""
    new: Bool = np.empty(x.size, dtype=bool)
    new[:1] = True
    np.not_equal(x[1:], x[:-1], out=new[1:])
    starts = np.flatnonzero(new).astype(np.int64, copy=False)
    return starts, np.diff(np.append(starts, x.size)).astype(np.int64, copy=False)


def sorted_ids(x: IntArray) -> tuple[I64, I32]:
    """:func:`dense_ids` for a sorted array (pair households): runs instead of a lookup."""
    starts, lengths = runs(x)
    return x[starts].astype(np.int64), np.repeat(np.arange(starts.size, dtype=np.int32), lengths)


def first_of_runs(starts: I64, counts: I64) -> I64:
    """Positions starts[i] .. starts[i] + counts[i] - 1 for every i, concatenated."""
    total = int(counts.sum())
    offsets = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
    return (np.repeat(starts, counts) + offsets).astype(np.int64, copy=False)
