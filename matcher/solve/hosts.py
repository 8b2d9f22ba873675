"""Host limits that the flow cannot carry: per-day constraints, the check, the greedy repair.

Why separate from the gadgets (:mod:`.network`): the gadget enforces a host's limit on the
last horizon day inside the network; only a day busier than that one (more busy stays) can
still be breached by a flow optimum, and those days become explicit constraints here, which
the host-limit search (:mod:`.host_search`) branches on.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..eligibility import Arrays, Pairs
from ..nptypes import I32, I64, Bool
from .levels import N_LEVELS


@dataclass(frozen=True)
class HostConstraint:
    """At most `cap` of the pairs `idx` (global pair indices) may be chosen: one host, one day."""

    host: int
    day: int
    idx: I64
    cap: int


def host_constraints(a: Arrays, pairs: Pairs) -> list[HostConstraint]:
    """The per-day host limits that the flow's host gadgets do not already enforce.

    The count on a day only rises at the start of a new or busy stay, so checking those days
    suffices. Pairs that alone breach a limit were already removed by the eligibility filter.
    Together with the gadgets (:func:`~matcher.solve.network.host_gadgets`) these are all the
    host limits.
    """
    out: list[HostConstraint] = []
    if not len(pairs) or not a.p_limited.any():
        return out
    # Every new stay covers the last horizon day D, and the host gadget of the flow already
    # enforces the cap of day D on all of a host's new stays; a day with a cap at least that
    # is implied. So a host needs constraints only if some day is busier than D and it has
    # more rooms with candidates than that day allows. Decided per place and host first, so
    # only the pairs of those hosts' rooms are gathered (not a host per pair for all pairs).
    rooms = np.flatnonzero(np.bincount(pairs.p, minlength=a.n_p).astype(bool) & a.p_limited)
    n_rooms = np.bincount(a.p_host[rooms], minlength=a.host_limit.size)
    busy_d = a.host_busy[:, a.horizon - 1]
    min_cap = a.host_limit - a.host_busy.max(axis=1, initial=0)
    needed = (n_rooms > np.maximum(min_cap, 0)) & (a.host_busy.max(axis=1, initial=0) > busy_d)
    if not needed.any():
        return out
    place_needed = a.p_limited & needed[np.maximum(a.p_host, 0)]
    idx_all = np.flatnonzero(place_needed[pairs.p])
    host_of = a.p_host[pairs.p[idx_all]]
    order = np.argsort(host_of, kind="stable")
    idx_all = idx_all[order]
    hosts, first = np.unique(host_of[order], return_index=True)
    bounds = [*first.tolist(), idx_all.size]
    for k, h in enumerate(hosts.tolist()):
        idx = idx_all[bounds[k] : bounds[k + 1]]
        if np.unique(pairs.p[idx]).size <= 1:
            continue  # one room: its own limit of one new household already holds
        busy = a.host_busy[h]
        rises = np.nonzero(np.diff(busy) > 0)[0] + 1
        days = np.unique(np.concatenate([pairs.start[idx], rises]))
        days = days[busy[np.minimum(days, busy.size - 1)] > busy[a.horizon - 1]]
        limit = int(a.host_limit[h])
        seen: set[tuple[int, ...]] = set()
        for d in days.tolist():
            cover = idx[(pairs.start[idx] <= d) & (pairs.end[idx] > d)]
            cap = max(limit - int(busy[d]) if d < busy.size else limit, 0)
            if np.unique(pairs.p[cover]).size <= cap:
                continue
            key = (cap, *cover.tolist())
            if key in seen:
                continue
            seen.add(key)
            out.append(HostConstraint(host=int(h), day=int(d), idx=cover, cap=max(cap, 0)))
    return out


def host_feasible(constraints: list[HostConstraint], chosen_mask: Bool) -> bool:
    """Whether a selection (mask over all pairs) respects every host constraint."""
    return all(int(chosen_mask[c.idx].sum()) <= c.cap for c in constraints)


def repair(vals: I32, chosen: I64, cons: list[HostConstraint], n_pairs: int) -> I64:
    """Drop the least valuable pairs from violated host constraints until all hold.

    Always host-feasible (each constraint, once repaired, only loses pairs later), so it
    turns any flow solution into an incumbent in one pass; the least valuable pair is the
    lexicographically smallest by the five levels, ties by pair index (lexsort is stable).
    """
    mask = np.zeros(n_pairs, dtype=bool)
    mask[chosen] = True
    for c in cons:
        sel = c.idx[mask[c.idx]]
        excess = sel.size - c.cap
        if excess > 0:
            key = np.lexsort(tuple(vals[lev, sel] for lev in range(N_LEVELS - 1, -1, -1)))
            mask[sel[key[:excess]]] = False
    return np.flatnonzero(mask).astype(np.int64, copy=False)
