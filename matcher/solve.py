"""The exact solver: five lexicographic levels over the eligible pairs.

Why it is built this way (see /work/shared/matcher-notes.md for the measurements):

* Because ``horizon_days <= min_stay_days`` each place takes at most one new household and
  every eligible pair has fixed dates, so without host limits the problem is a weighted
  bipartite matching, i.e. a min-cost flow.
* The five levels cannot be folded into one integer weight at national scale (the numbers
  overflow), so levels are folded only as far as they provably fit (the bound is computed
  per flow and stage from the value ranges and the largest matching size), and the
  rest is solved in stages *on the optimal face*: after each stage, exact integer node
  potentials (Bellman-Ford over the residual graph) show which arcs no optimal flow uses and
  which every optimal flow uses (complementary slackness). Dropping / fixing those leaves a
  network whose flows are exactly the optimal flows of the stage; the next levels are
  optimised over it. It stays a network, so integrality is kept and every stage is exact.
* Each stage is solved first as a sparse assignment (scipy's LAPJVsp, several times faster
  than a general min-cost flow here). Its float answer is only accepted when the exact
  potentials certify it (Bellman-Ford settles: no negative cycle, so the flow is optimal);
  otherwise OR-Tools min-cost flow (integer, exact) solves the stage.
* Host limits (``max_households``): every new stay covers the last day of the horizon, so
  the limit on that day caps the number of new stays at the host; that is a network
  constraint (the host's rooms drain through one node of that capacity: a "gadget", in the
  assignment encoded by "blocker" rows). Only limits on other days (when an earlier day has
  more busy stays) are left; a component whose flow optimum breaks one gets a feasible
  incumbent from a short "dive" (forbid the cheapest rooms, re-solve), then reduced-cost
  fixing against that incumbent removes pairs no better solution can use, and a best-first
  branch and bound, whose nodes are the same exact staged flows with some pairs forbidden,
  proves the optimum.
* Where host limits need the branch and bound, independent parts (connected components of
  eligible pairs, rooms of a limited host joined) are solved separately, in a fixed order,
  so each search stays local. Without that, one flow over all parts is just as exact (a
  sum of independent matchings) and spares a pass over the graph; at national scale the
  graph is one big part anyway.
"""

from __future__ import annotations

import copy
import heapq
import time
from dataclasses import dataclass, field

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components, min_weight_full_bipartite_matching

from .eligibility import Arrays, Pairs

N_LEVELS = 5
LEVEL_NAMES = ("placed", "priority", "weighted_wait", "distance", "stay_days")
# Largest folded weight per arc handed to the flow solver. OR-Tools scales costs by the node
# count internally; 2**40 x (nodes + 1) stays far below int64 for any realistic component.
_MAX_ARC_WEIGHT = 2**40
# Bellman-Ford rounds allowed to certify a fast-path (float) assignment before falling back.
_LAP_CERTIFY_ROUNDS = 500
# Column generation: arcs per household in the first restricted solve, and the size below
# which a stage is solved whole.
_CANDIDATES_PER_HOUSEHOLD = 48
_CG_MIN_ARCS = 50_000
# A guessed restriction (see _guess_and_verify) is only worth trying while it is this small.
_GUESS_MAX_FRACTION = 0.5


class SolverError(RuntimeError):
    """An internal inconsistency (a bug), never a property of the input."""


@dataclass
class Outcome:
    """Chosen pair indices, whether all five levels are proven optimal, and bounds if not."""

    chosen: np.ndarray
    optimal: bool = True
    bound: list[int | None] = field(default_factory=lambda: [None] * N_LEVELS)


def level_values(a: Arrays, pairs: Pairs) -> np.ndarray:
    """(5, n_pairs) int32 array: each pair's contribution to each level, all to be maximised.

    int32 suffices (priority <= 1000, wait < horizon, distances and stays small) and halves
    memory; folding casts to int64.
    """
    prio = a.h_priority[pairs.h].astype(np.int32)
    out = np.empty((N_LEVELS, len(pairs)), dtype=np.int32)
    out[0] = 1
    out[1] = prio
    out[2] = -(prio * pairs.wait)
    out[3] = -pairs.dist
    out[4] = pairs.stay
    return out


def objective_of(vals: np.ndarray, chosen: np.ndarray) -> tuple[int, ...]:
    """The objective tuple in spec orientation (wait and distance as positive sums)."""
    s = vals[:, chosen].sum(axis=1) if chosen.size else np.zeros(N_LEVELS, dtype=np.int64)
    return (int(s[0]), int(s[1]), int(-s[2]), int(-s[3]), int(s[4]))


# ---------------------------------------------------------------- host limits


@dataclass(frozen=True)
class HostConstraint:
    """At most `cap` of the pairs `idx` (global pair indices) may be chosen: one host, one day."""

    host: int
    day: int
    idx: np.ndarray
    cap: int


def host_constraints(a: Arrays, pairs: Pairs) -> list[HostConstraint]:
    """The per-day host limits that the flow's host gadgets do not already enforce.

    The count on a day only rises at the start of a new or busy stay, so checking those days
    suffices. Pairs that alone breach a limit were already removed by the eligibility filter.
    Together with the gadgets (:func:`host_gadgets`) these are all the host limits.
    """
    out: list[HostConstraint] = []
    if not len(pairs) or not a.p_limited.any():
        return out
    host = a.p_host[pairs.p]
    idx_all = np.flatnonzero(a.p_limited[pairs.p])
    if not idx_all.size:
        return out
    # Every new stay covers the last horizon day D, and the host gadget of the flow already
    # enforces the cap of day D on all of a host's new stays; a day with a cap at least that
    # is implied. So a host needs constraints only if some day is busier than D and it has
    # more rooms with candidates than that day allows.
    hp = np.unique(host[idx_all] * a.n_p + pairs.p[idx_all])
    n_rooms = np.bincount(hp // a.n_p, minlength=a.host_limit.size)
    busy_d = a.host_busy[:, a.horizon - 1]
    min_cap = a.host_limit - a.host_busy.max(axis=1, initial=0)
    needed = (n_rooms > np.maximum(min_cap, 0)) & (a.host_busy.max(axis=1, initial=0) > busy_d)
    idx_all = idx_all[needed[host[idx_all]]]
    order = np.argsort(host[idx_all], kind="stable")
    idx_all = idx_all[order]
    hosts, first = np.unique(host[idx_all], return_index=True)
    bounds = list(first) + [idx_all.size]
    for k, h in enumerate(hosts):
        idx = idx_all[bounds[k] : bounds[k + 1]]
        if np.unique(pairs.p[idx]).size <= 1:
            continue  # one room: its own limit of one new household already holds
        busy = a.host_busy[h]
        rises = np.nonzero(np.diff(busy) > 0)[0] + 1
        days = np.unique(np.concatenate([pairs.start[idx], rises]))
        days = days[busy[np.minimum(days, busy.size - 1)] > busy[a.horizon - 1]]
        limit = int(a.host_limit[h])
        seen: set[tuple[int, ...]] = set()
        for d in days:
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


def host_feasible(constraints: list[HostConstraint], chosen_mask: np.ndarray) -> bool:
    """Whether a selection (mask over all pairs) respects every host constraint."""
    return all(int(chosen_mask[c.idx].sum()) <= c.cap for c in constraints)


# ---------------------------------------------------------------- components


def components(a: Arrays, pairs: Pairs) -> list[np.ndarray]:
    """Pair indices per independent part, ordered by their smallest pair index.

    Households and places are nodes, pairs are edges; rooms of a host with a limit are
    joined too, because the limit couples them. Pairs come sorted by household, so the
    graph's sparse rows are the pairs as they are (no sort).
    """
    if not len(pairs):
        return []
    n = a.n_h + a.n_p
    h_ptr = np.searchsorted(pairs.h, np.arange(a.n_h + 1))
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
    bounds = list(first) + [order.size]
    parts = [np.sort(order[bounds[k] : bounds[k + 1]]) for k in range(labels.size)]
    parts.sort(key=lambda x: int(x[0]))
    return parts


# ---------------------------------------------------------------- flow on the optimal face


def _dense_ids(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(sorted unique values, int32 index of each element in them): np.unique(return_inverse), O(n)."""
    if not x.size:
        return x.astype(np.int64), x.astype(np.int32)
    present = np.zeros(int(x.max()) + 1, dtype=bool)
    present[x] = True
    uniq = np.flatnonzero(present)
    rank = (np.cumsum(present) - 1).astype(np.int32)
    return uniq, rank[x]


def _runs(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(start, length) of each run of equal values in `x` (a sorted array: one run per value)."""
    new = np.empty(x.size, dtype=bool)
    new[:1] = True
    np.not_equal(x[1:], x[:-1], out=new[1:])
    starts = np.flatnonzero(new)
    return starts, np.diff(np.append(starts, x.size))


def _sorted_ids(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_dense_ids` for a sorted array (pair households): runs instead of a lookup."""
    starts, lengths = _runs(x)
    return x[starts].astype(np.int64), np.repeat(np.arange(starts.size, dtype=np.int32), lengths)


@dataclass(frozen=True)
class Gadgets:
    """Per place, the host gadget it drains through (-1: none); per gadget, its capacity.

    Every new stay covers the last day of the horizon (it starts on or before it and lasts at
    least min_stay_days >= horizon_days), so "at most max_households minus the busy ones on
    that day" is a valid limit on the number of new stays at the host, exact on that day, and
    a network can carry it: the host's rooms drain through one node with that capacity.
    """

    of_place: np.ndarray
    cap: np.ndarray


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


def _first_of_runs(starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Positions starts[i] .. starts[i] + counts[i] - 1 for every i, concatenated."""
    total = int(counts.sum())
    offsets = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
    return np.repeat(starts, counts) + offsets


class _FaceFlow:
    """Max-weight bipartite matching as a min-cost flow, optimised level by level on the face.

    Nodes: 0 = source, 1 = sink, then households, then places. Arcs: source->household,
    household->place (one per pair), place->sink, and a source->sink bypass so that leaving
    households unmatched is allowed. Arcs proven unused by every optimal flow are dropped;
    arcs proven saturated in every optimal flow are fixed (moved into the node supplies).
    """

    def __init__(self, hs: np.ndarray, ps: np.ndarray, gadget: Gadgets | None = None):
        self.hu, h_local = _sorted_ids(hs)
        self.pu, p_local = _dense_ids(ps)
        nh, np_ = self.hu.size, self.pu.size
        self.n_pairs = hs.size
        # host gadgets: rooms of a limited host drain through one node with the day-(H-1) cap
        g_of_p = gadget.of_place[self.pu] if gadget is not None else np.full(np_, -1)
        gu, g_local = np.unique(g_of_p[g_of_p >= 0], return_inverse=True)
        ng = gu.size
        self.n_nodes = 2 + nh + np_ + ng
        h_node = 2 + np.arange(nh)
        p_node = 2 + nh + np.arange(np_)
        p_head = np.ones(np_, np.int64)
        p_head[g_of_p >= 0] = 2 + nh + np_ + g_local
        g_cap = gadget.cap[gu] if gadget is not None else np.zeros(0, np.int64)
        # node numbers fit in int32, which halves the traffic of every pass over the arcs
        i32, i64 = np.int32, np.int64
        self.tail = np.concatenate(
            [h_local + i32(2), np.zeros(nh, i32), p_node, [0], 2 + nh + np_ + np.arange(ng)], dtype=i32
        )
        self.head = np.concatenate(
            [p_local + i32(2 + nh), h_node, p_head, [1], np.ones(ng, i32)], dtype=i32
        )
        self.cap = np.ones(hs.size + nh + np_ + 1 + ng, dtype=i64)
        self.cap[hs.size + nh + np_] = nh
        self.cap[hs.size + nh + np_ + 1 :] = g_cap
        self.active = np.ones(self.tail.size, dtype=bool)
        self.fixed = np.zeros(self.tail.size, dtype=bool)
        self.supply = np.zeros(self.n_nodes, dtype=np.int64)
        self.supply[0], self.supply[1] = nh, -nh
        self.max_match = int(min(nh, np_))
        self.nh, self.np_, self.ng = nh, np_, ng
        self.h_local, self.p_local = h_local, p_local
        self.o_sh = hs.size
        self.o_pt = hs.size + nh
        self.o_bypass = hs.size + nh + np_
        self.o_gt = self.o_bypass + 1
        self.prev_flow: np.ndarray | None = None
        self.last_rc = np.zeros(0, dtype=np.int64)
        self.p_gadget = np.full(np_, -1, dtype=np.int64)
        self.p_gadget[g_of_p >= 0] = g_local

    def stage(self, alive: np.ndarray, w: np.ndarray, last: bool, want_rc: bool = False) -> np.ndarray:
        """Maximise the weight `w` (>= 0) of the pair arcs `alive` (all active pair arcs, as
        sorted indices) over the current face; narrow the face.

        Column generation keeps the solves small: only each household's best arcs (plus the
        arcs of the previous stage's flow, which keep the face's requirements satisfiable)
        enter the solve; exact potentials of that solution then price every other arc, and
        the ones with negative reduced cost are added until none is left (adding only the
        most negative few per household was measured: more rounds, slower). Then the
        potentials are an optimal dual for the whole face (LP duality), which is what the
        narrowing needs. The pair arcs alive at the start are handled as one compact index,
        so each pricing round is a few passes over them.
        """
        n = self.n_pairs
        node_cost = np.zeros(self.tail.size - n, dtype=np.int64)  # node arcs cost nothing
        if alive.size == n:  # nothing dropped yet: the arc arrays themselves, no copy
            t_node, h_node = self.tail[:n], self.head[:n]
        else:
            t_node, h_node = self.tail[alive], self.head[alive]
        cand = self._candidates(w, alive)
        while True:
            arcs = alive[cand]
            complete = arcs.size == alive.size
            need = not complete or not last or want_rc
            sub = self._restricted(arcs)
            sub_flow, pot = sub._solve_certified(
                np.concatenate([-w[cand], node_cost]), w[cand], need_potentials=need
            )
            if not need:
                rc = np.zeros(0, dtype=np.int64)
                break
            rc = pot[t_node] - pot[h_node] - w
            if complete:
                break
            bad = (rc < 0) & ~cand
            if not bad.any():
                break
            cand |= bad
        flow = np.zeros(self.tail.size, dtype=np.int64)
        flow[arcs] = sub_flow[: arcs.size]
        flow[n:] = sub_flow[arcs.size :]
        self.prev_flow = arcs[sub_flow[: arcs.size] > 0]
        if want_rc:
            self.last_rc = np.zeros(n, dtype=np.int64)
            self.last_rc[alive] = rc
        if last:
            return flow
        node = n + np.flatnonzero(self.active[n:])
        rc_node = pot[self.tail[node]] - pot[self.head[node]]
        drop = np.concatenate([alive[rc > 0], node[rc_node > 0]])
        fix = np.concatenate([alive[rc < 0], node[rc_node < 0]])
        if np.any(flow[drop] != 0) or np.any(flow[fix] != self.cap[fix]):
            raise SolverError("potentials do not certify the flow")
        self.active[drop] = False
        self.active[fix] = False
        self.fixed[fix] = True
        np.subtract.at(self.supply, self.tail[fix], self.cap[fix])
        np.add.at(self.supply, self.head[fix], self.cap[fix])
        return flow

    def _restricted(self, arcs: np.ndarray) -> _FaceFlow:
        """The same network with only the pair arcs `arcs` (active ones, sorted): node arcs,
        supplies and node numbers are shared, so its potentials price the full network."""
        sub = copy.copy(self)
        keep = np.concatenate([arcs, np.arange(self.n_pairs, self.tail.size)])
        sub.tail, sub.head, sub.cap = self.tail[keep], self.head[keep], self.cap[keep]
        sub.active, sub.fixed = self.active[keep], self.fixed[keep]
        sub.h_local, sub.p_local = self.h_local[arcs], self.p_local[arcs]
        shift = self.n_pairs - arcs.size
        sub.n_pairs = arcs.size
        sub.o_sh, sub.o_pt, sub.o_bypass, sub.o_gt = (
            self.o_sh - shift, self.o_pt - shift, self.o_bypass - shift, self.o_gt - shift
        )
        return sub

    def _groups(self, arcs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(start, length) of each household's run in `arcs` (sorted pair arcs, so grouped)."""
        return _runs(self.h_local[arcs])

    def _candidates(self, w: np.ndarray, alive: np.ndarray) -> np.ndarray:
        """Per household its nearest alive arcs and its best-weighted ones (each at most
        `_CANDIDATES_PER_HOUSEHOLD`), plus the last stage's flow; a mask over `alive`.
        Linear time: arcs are grouped by household and ordered by distance within it (see
        eligible_pairs), so "nearest" is "first in the run"."""
        m = alive.size
        k = _CANDIDATES_PER_HOUSEHOLD
        if m <= max(_CG_MIN_ARCS, 2 * k * self.nh):
            return np.ones(m, dtype=bool)
        starts, lengths = self._groups(alive)
        cand = np.zeros(m, dtype=bool)
        cand[_first_of_runs(starts, np.minimum(lengths, k))] = True
        best = np.flatnonzero(w == np.repeat(np.maximum.reduceat(w, starts), lengths))
        b_starts, b_lengths = self._groups(alive[best])
        cand[best[_first_of_runs(b_starts, np.minimum(b_lengths, k))]] = True
        if self.prev_flow is not None and self.prev_flow.size:
            pos = np.searchsorted(alive, self.prev_flow)
            pos = pos[pos < m]
            cand[pos[alive[pos] == self.prev_flow[: pos.size]]] = True
        return cand

    def _solve_certified(
        self, cost: np.ndarray, weight: np.ndarray, need_potentials: bool
    ) -> tuple[np.ndarray, np.ndarray]:
        """Optimal flow on the active arcs with exact potentials certifying it.

        The sparse assignment (float) is accepted only when Bellman-Ford settles; otherwise
        OR-Tools (integer) solves it. Potentials are skipped only for an OR-Tools flow that
        nobody needs to price (last stage, nothing left out).
        """
        act = np.nonzero(self.active)[0]
        flow = self._lap_flow(weight)
        if flow is not None:
            pot = self._potentials(act, flow, cost, max_rounds=_LAP_CERTIFY_ROUNDS)
            if pot is not None:
                return flow, pot
        flow = self._ortools_flow(act, cost)
        if not need_potentials:
            return flow, np.zeros(self.n_nodes, dtype=np.int64)
        pot = self._potentials(act, flow, cost, max_rounds=self.n_nodes + 1)
        if pot is None:
            raise SolverError("negative cycle in the residual graph: flow not optimal")
        return flow, pot

    def _ortools_flow(self, act: np.ndarray, cost: np.ndarray) -> np.ndarray:
        """The stage optimum by OR-Tools min-cost flow (the reference path, imported when needed)."""
        from ortools.graph.python import min_cost_flow

        mcf = min_cost_flow.SimpleMinCostFlow()
        mcf.add_arcs_with_capacity_and_unit_cost(self.tail[act], self.head[act], self.cap[act], cost[act])
        mcf.set_nodes_supplies(np.arange(self.n_nodes), self.supply)
        status = mcf.solve()
        if status != mcf.OPTIMAL:
            raise SolverError(f"min-cost flow returned status {status}")
        flow = np.zeros(self.tail.size, dtype=np.int64)
        flow[act] = mcf.flows(np.arange(act.size))
        return flow

    def _lap_flow(self, weight: np.ndarray) -> np.ndarray | None:
        """The stage as a sparse assignment problem; None when the face has a shape it does not cover.

        Rows: households still in play, plus "blockers" that occupy rooms of a limited host so
        that households can use at most the host's remaining capacity. Columns: places in play,
        plus one "stay unplaced" column per optional household. Nodes that every optimal
        solution of earlier stages matches (required) get no "unplaced" column (households) or a
        bonus larger than any weight difference (places, rooms of a saturated host).
        """
        nh, np_, ng = self.nh, self.np_, self.ng
        act = self.active
        sup = self.supply
        h_sup = sup[2 : 2 + nh]
        sh = act[self.o_sh : self.o_sh + nh]
        # "done": a fixed pair arc already places the household; its open source arc carries it
        h_done = sh & (h_sup == -1)
        if np.any(sh & (h_sup != 0) & ~h_done) or np.any(~sh & ((h_sup < 0) | (h_sup > 1))):
            return None
        if not act[self.o_bypass]:
            # no household may stay unplaced any more: every open source arc must carry flow
            if self.fixed[self.o_bypass] or int(sup[0]) != int(sh.sum()):
                return None
            h_req = (~sh & (h_sup == 1)) | (sh & ~h_done)
            h_opt = np.zeros(nh, dtype=bool)
        else:
            h_opt = sh & (h_sup == 0)
            h_req = ~sh & (h_sup == 1)
        p_sup = sup[2 + nh : 2 + nh + np_]
        pt = act[self.o_pt : self.o_pt + np_]
        p_opt = pt & (p_sup == 0)
        p_req = ~pt & (p_sup == -1)
        p_done = pt & (p_sup == 1)  # a fixed pair arc fills it; its open out-arc carries that
        if np.any(pt & (p_sup != 0) & ~p_done) or np.any(~pt & ((p_sup > 0) | (p_sup < -1))):
            return None
        # gadgets: remaining capacity c' for optional rooms; exact when the host is saturated
        g_sup = sup[2 + nh + np_ :]
        gt = act[self.o_gt : self.o_gt + ng]
        gt_fixed = self.fixed[self.o_gt : self.o_gt + ng]
        g_room = self.p_gadget  # local gadget per place or -1
        if np.any(g_sup[gt] < 0):
            return None
        g_rest = np.where(gt, self.cap[self.o_gt : self.o_gt + ng] - g_sup, -g_sup)
        if ng:
            g_rest = g_rest - np.bincount(g_room[p_done & (g_room >= 0)], minlength=ng)
            if np.any(g_rest < 0):
                return None
        g_exact = gt_fixed
        g_dead = ~gt & ~gt_fixed
        if np.any(g_dead & (g_sup != 0)):
            return None
        room_opt = p_opt & (g_room >= 0)
        p_in = p_opt | p_req
        if room_opt.any():
            p_in &= ~((g_room >= 0) & g_dead[np.maximum(g_room, 0)] & p_opt)
        # pair arcs in play
        pa = np.nonzero(act[: self.n_pairs])[0]
        ph, pp = self.h_local[pa], self.p_local[pa]
        ok = (h_opt | h_req)[ph] & p_in[pp]
        pa, ph, pp = pa[ok], ph[ok], pp[ok]
        w = weight[pa].astype(np.int64)
        n_rows_h = nh
        wmax = int(w.max()) if w.size else 0
        bonus_p = np.zeros(np_, dtype=np.int64)
        g_rooms_opt: list[np.ndarray] = []
        if ng:  # the optional rooms in play of each gadget, grouped in one pass
            rooms = np.flatnonzero(room_opt & p_in)
            rooms = rooms[np.argsort(g_room[rooms], kind="stable")]
            cut = np.searchsorted(g_room[rooms], np.arange(ng + 1))
            g_rooms_opt = [rooms[cut[g] : cut[g + 1]] for g in range(ng)]
        n_block = [max(rooms.size - int(g_rest[g]), 0) for g, rooms in enumerate(g_rooms_opt)]
        needs_bonus = p_req.any() or any(g_exact[g] and n_block[g] > 0 for g in range(ng))
        big = (min(int((h_opt | h_req).sum()), int(p_in.sum())) + 1) * (wmax + 1) if needs_bonus else 0
        if big * 4 + wmax * 4 > 2**50:
            return None  # not exact in float64: leave it to the integer solver
        bonus_p[p_req] = big
        for g in range(ng):
            if g_exact[g] and n_block[g] > 0:
                bonus_p[g_rooms_opt[g]] = big
        value = w + bonus_p[pp]
        top = int(value.max()) + 1 if value.size else 1
        top = max(top, big + 1)
        # rows: households 0..nh-1 (unused rows dropped below), then blockers
        b_rows, b_cols = [], []
        row = nh
        for g in range(ng):
            for _ in range(n_block[g]):
                b_rows.append(np.full(g_rooms_opt[g].size, row))
                b_cols.append(g_rooms_opt[g])
                row += 1
        n_rows = row
        opt_h = np.nonzero(h_opt)[0]
        dummy_col = np.full(nh, -1, dtype=np.int64)
        dummy_col[opt_h] = np_ + np.arange(opt_h.size)
        n_cols = np_ + opt_h.size
        br = np.concatenate(b_rows) if b_rows else np.zeros(0, np.int64)
        bc = np.concatenate(b_cols) if b_cols else np.zeros(0, np.int64)
        rows = np.concatenate([ph, opt_h, br])
        cols = np.concatenate([pp, dummy_col[opt_h], bc])
        costs = np.concatenate(
            [top - value, np.full(opt_h.size, top), top - bonus_p[bc]]
        ).astype(np.float64)
        # keep only rows in play (required/optional households and blockers)
        row_in = np.concatenate([h_opt | h_req, np.ones(n_rows - nh, dtype=bool)])
        if not row_in.any():
            return np.zeros(self.tail.size, dtype=np.int64)
        row_new = np.cumsum(row_in) - 1
        col_in = np.zeros(n_cols, dtype=bool)
        col_in[cols] = True
        col_new = np.cumsum(col_in) - 1
        graph = csr_matrix(
            (costs, (row_new[rows], col_new[cols])), shape=(int(row_in.sum()), int(col_in.sum()))
        )
        if graph.shape[0] > graph.shape[1]:
            return None
        try:
            r_idx, c_idx = min_weight_full_bipartite_matching(graph)
        except ValueError:
            return None
        if r_idx.size != graph.shape[0]:
            return None
        # back to the flow network
        old_row = np.nonzero(row_in)[0][r_idx]
        old_col = np.nonzero(col_in)[0][c_idx]
        hh = old_row < n_rows_h
        mh, mc = old_row[hh], old_col[hh]
        real = mc < np_
        mh, mc = mh[real], mc[real]
        # each matched household has exactly one arc to its matched place: find them in one pass
        match_col = np.full(nh, -1, dtype=np.int64)
        match_col[mh] = mc
        used = pa[pp == match_col[ph]]
        if used.size != mh.size:
            return None
        flow = np.zeros(self.tail.size, dtype=np.int64)
        flow[used] = 1
        matched_h = np.zeros(nh, dtype=bool)
        matched_h[mh] = True
        matched_p = np.zeros(np_, dtype=bool)
        matched_p[mc] = True
        matched_h |= h_done
        matched_p |= p_done
        flow[self.o_sh + np.nonzero(sh & matched_h)[0]] = 1
        flow[self.o_pt + np.nonzero(pt & matched_p)[0]] = 1
        if ng:
            used = np.bincount(g_room[pt & matched_p & (g_room >= 0)], minlength=ng)
            flow[self.o_gt + np.nonzero(gt)[0]] = used[gt] + g_sup[gt]  # plus units of fixed rooms
        if act[self.o_bypass]:
            flow[self.o_bypass] = sup[0] - int(flow[self.o_sh : self.o_sh + nh].sum())
        return flow if self._balanced(flow) else None

    def _balanced(self, flow: np.ndarray) -> bool:
        """Flow conservation and capacities on the active arcs (a cheap guard on the fast path)."""
        nz = np.flatnonzero(flow)
        f = flow[nz]
        if not self.active[nz].all() or np.any(f < 0) or np.any(f > self.cap[nz]):
            return False
        net = self.supply.copy()
        np.subtract.at(net, self.tail[nz], f)
        np.add.at(net, self.head[nz], f)
        return not net.any()

    def _potentials(
        self, act: np.ndarray, flow: np.ndarray, cost: np.ndarray, max_rounds: int
    ) -> np.ndarray | None:
        """Shortest-path distances in the residual graph from a virtual root (Bellman-Ford).

        Exact integers. If the flow is optimal, the residual graph has no negative cycle and
        the distances are optimal node potentials: every residual arc has reduced cost >= 0.
        None when it does not settle within `max_rounds` (then the flow is not trusted).
        """
        fwd = act[flow[act] < self.cap[act]]
        bwd = act[flow[act] > 0]
        u = np.concatenate([self.tail[fwd], self.head[bwd]])
        v = np.concatenate([self.head[fwd], self.tail[bwd]])
        c = np.concatenate([cost[fwd], -cost[bwd]])
        # stable order by head; 16-bit keys take numpy's radix sort
        order = np.argsort(v.astype(np.int16) if self.n_nodes <= np.iinfo(np.int16).max else v, kind="stable")
        u, v, c = u[order], v[order], c[order]
        heads, starts = np.unique(v, return_index=True)
        dist = np.zeros(self.n_nodes, dtype=np.int64)
        if not u.size:
            return dist
        for _ in range(max_rounds):
            best = np.minimum.reduceat(dist[u] + c, starts)
            better = best < dist[heads]
            if not better.any():
                return dist
            dist[heads[better]] = best[better]
        return None

    def chosen_pairs(self, flow: np.ndarray) -> np.ndarray:
        """Local pair indices carrying flow (fixed arcs count as carrying flow)."""
        used = (flow[: self.n_pairs] > 0) | self.fixed[: self.n_pairs]
        return np.nonzero(used)[0]


def _next_group(
    vals: np.ndarray, alive: np.ndarray, first: int, n_match: int
) -> tuple[list[int], np.ndarray, FoldParams]:
    """The longest run of levels from `first` whose folded weight fits; with that weight.

    `alive` indexes the pair arcs still in play (columns of `vals`); the weight is returned
    for those only. Each level except level 1 is shifted to start at 0; that changes a
    matching's total by the same amount for all matchings of equal size, and the size is
    either level 1 itself (which dominates) or already fixed by an earlier stage. With U_l the
    range per pair and n the largest matching size, factor(l) = factor(l+1) * (n * U_(l+1) + 1)
    makes every level outweigh the most that all levels below it can differ.
    """
    whole = alive.size == vals.shape[1]
    cols: dict[int, np.ndarray] = {}

    def column(lev: int) -> np.ndarray:
        if lev not in cols:
            cols[lev] = vals[lev] if whole else vals[lev, alive]
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
        if _fold_top(rng, levels + [nxt], n_match) > _MAX_ARC_WEIGHT:
            break
        levels.append(nxt)
    if _fold_top(rng, levels, n_match) > _MAX_ARC_WEIGHT:
        raise SolverError(f"level {first + 1} alone does not fit in a flow weight")
    factor = 1
    factors: dict[int, int] = {}
    weight = np.zeros(alive.size, dtype=np.int64)
    for lev in reversed(levels):
        factors[lev] = factor
        if rng[lev]:
            part = column(lev).astype(np.int64)
            if lo[lev]:
                part -= lo[lev]
            if factor != 1:
                part *= factor
            weight += part
        factor *= n_match * rng[lev] + 1
    return levels, weight, FoldParams(levels=tuple(levels), lo=tuple(lo[lv] for lv in levels),
                                      factors=tuple(factors[lv] for lv in levels))


@dataclass(frozen=True)
class FoldParams:
    """How a stage folded its levels, so its weight can be recomputed for any selection."""

    levels: tuple[int, ...]
    lo: tuple[int, ...]
    factors: tuple[int, ...]

    def total(self, vals: np.ndarray, chosen: np.ndarray) -> int:
        """The stage's folded objective of a selection (exact Python integer)."""
        out = 0
        for lev, lo, f in zip(self.levels, self.lo, self.factors, strict=True):
            out += (int(vals[lev, chosen].astype(np.int64).sum()) - lo * int(chosen.size)) * f
        return out


@dataclass
class StageLog:
    """One stage of a flow solve: the fold, which pair arcs were alive, their reduced costs."""

    fold: FoldParams
    alive: np.ndarray  # local pair arcs alive in this stage
    rc: np.ndarray  # reduced cost of each alive local pair arc under the stage's optimal potentials


def _fold_top(rng: list[int], levels: list[int], n_match: int) -> int:
    """Largest folded weight of one pair for these levels (exact Python integers)."""
    factor, total = 1, 0
    for lev in reversed(levels):
        total += rng[lev] * factor
        factor *= n_match * rng[lev] + 1
    return total


def solve_flow(
    vals: np.ndarray,
    pairs: Pairs,
    idx: np.ndarray,
    gadget: Gadgets | None = None,
    log: list[StageLog] | None = None,
) -> np.ndarray:
    """Lexicographically optimal matching over pairs `idx`, host limits only via gadgets (exact).

    With `log`, each stage's fold, alive arcs and reduced costs are recorded (for
    :func:`_restrict`).
    """
    if idx.size == 0:
        return idx
    face = _FaceFlow(pairs.h[idx], pairs.p[idx], gadget)
    whole = idx.size == len(pairs)  # one component: no copy (idx is then 0..n-1)
    sub = vals if whole else vals[:, idx]
    k = 0
    while True:
        alive = np.flatnonzero(face.active[: face.n_pairs])
        levels, weight, fold = _next_group(sub, alive, k, face.max_match)
        last = levels[-1] == N_LEVELS - 1
        flow = face.stage(alive, weight, last, want_rc=log is not None)
        if log is not None:
            alive_mask = np.zeros(face.n_pairs, dtype=bool)
            alive_mask[alive] = True
            log.append(StageLog(fold=fold, alive=alive_mask, rc=face.last_rc))
        if last:
            return idx[face.chosen_pairs(flow)]
        k = levels[-1] + 1


# ---------------------------------------------------------------- host-limit repair


def _repair(vals: np.ndarray, idx: np.ndarray, chosen: np.ndarray, cons: list[HostConstraint],
            n_pairs: int) -> np.ndarray:
    """Drop the least valuable pairs from violated host constraints until all hold (a hint)."""
    mask = np.zeros(n_pairs, dtype=bool)
    mask[chosen] = True
    for c in cons:
        sel = c.idx[mask[c.idx]]
        excess = sel.size - c.cap
        if excess > 0:
            key = np.lexsort(tuple(vals[lev, sel] for lev in range(N_LEVELS - 1, -1, -1)))
            mask[sel[key[:excess]]] = False
    return np.nonzero(mask)[0]


# ---------------------------------------------------------------- branch and bound on host limits


def _tuple(vals: np.ndarray, chosen: np.ndarray) -> tuple[int, ...]:
    return objective_values(vals, chosen)


def solve_host_bb(
    vals: np.ndarray,
    pairs: Pairs,
    idx: np.ndarray,
    cons: list[HostConstraint],
    relaxed: np.ndarray,
    deadline: float | None,
    gadget: Gadgets | None = None,
    incumbent: np.ndarray | None = None,
) -> Outcome:
    """Exact lexicographic optimum with host limits: best-first branch and bound.

    Each node is the flow problem with some pairs forbidden; its flow optimum (all five
    levels, exact) is an upper bound for the node. A node whose optimum respects every host
    limit is feasible; popped in best-first order (ties: feasible first) it is optimal.
    Branching on a violated limit "at most cap of these rooms on day d": the relaxation uses
    more than cap of them, so every feasible solution leaves at least one of those rooms
    without a stay covering d; one child per such room forbids exactly that.
    """
    n_total = len(pairs)
    seq = 0
    heap: list[tuple[tuple[int, ...], int, int, tuple[int, ...], np.ndarray]] = []
    seen: set[tuple[int, ...]] = set()
    if incumbent is None:
        incumbent = _repair(vals, idx, relaxed, cons, n_total)
    inc_val = _tuple(vals, incumbent)

    def push(forbidden: tuple[int, ...], chosen: np.ndarray) -> None:
        nonlocal seq, incumbent, inc_val
        mask = np.zeros(n_total, dtype=bool)
        mask[chosen] = True
        feasible = host_feasible(cons, mask)
        val = _tuple(vals, chosen)
        cand = chosen if feasible else _repair(vals, idx, chosen, cons, n_total)
        cand_val = val if feasible else _tuple(vals, cand)
        if cand_val > inc_val:
            incumbent, inc_val = cand, cand_val
        heapq.heappush(heap, (tuple(-v for v in val), 0 if feasible else 1, seq, forbidden, chosen))
        seq += 1

    push((), relaxed)
    seen.add(())
    while heap:
        if deadline is not None and time.perf_counter() > deadline:
            top = tuple(-v for v in heap[0][0])
            return Outcome(chosen=np.sort(incumbent), optimal=False, bound=_bound(top, inc_val))
        neg, infeasible, _, forbidden, chosen = heapq.heappop(heap)
        if not infeasible:
            return Outcome(chosen=np.sort(chosen), optimal=True)
        mask = np.zeros(n_total, dtype=bool)
        mask[chosen] = True
        c = next(c for c in cons if int(mask[c.idx].sum()) > c.cap)
        used_places = np.unique(pairs.p[c.idx[mask[c.idx]]])
        allowed_base = np.ones(n_total, dtype=bool)
        allowed_base[list(forbidden)] = False
        for q in used_places:
            extra = c.idx[pairs.p[c.idx] == q]
            child = tuple(sorted(set(forbidden) | set(extra.tolist())))
            if child in seen:
                continue
            seen.add(child)
            allowed = allowed_base.copy()
            allowed[extra] = False
            sub = idx[allowed[idx]]
            push(child, solve_flow(vals, pairs, sub, gadget))
    raise SolverError("branch and bound ran out of nodes: the empty selection is always feasible")


def _dive(
    vals: np.ndarray,
    pairs: Pairs,
    idx: np.ndarray,
    cons: list[HostConstraint],
    relaxed: np.ndarray,
    gadget: Gadgets | None,
    deadline: float | None,
    log: list[StageLog] | None = None,
) -> np.ndarray:
    """A good feasible selection: per violated limit, forbid (on that day) the rooms whose
    chosen pair is cheapest to give up, re-solve exactly; a few rounds, then the plain repair.

    "Cheapest to give up" comes from the relaxation's reduced costs: a chosen arc that no
    stage fixed can be dropped without loss; otherwise prefer the one fixed latest, with the
    smallest reduced cost; the pair's own value breaks ties.
    """
    n_total = len(pairs)
    give_up = _give_up_cost(idx, log) if log else None
    allowed = np.zeros(n_total, dtype=bool)
    allowed[idx] = True
    cur = relaxed
    for _ in range(6):
        mask = np.zeros(n_total, dtype=bool)
        mask[cur] = True
        violated = [c for c in cons if int(mask[c.idx].sum()) > c.cap]
        if not violated:
            return cur
        if deadline is not None and time.perf_counter() > deadline:
            break
        for c in violated:
            sel = c.idx[mask[c.idx]]
            keys = [vals[lev, sel] for lev in range(N_LEVELS - 1, -1, -1)]
            if give_up is not None:
                local = np.searchsorted(idx, sel)
                keys += [give_up[1][local], give_up[0][local]]
            worst_first = np.lexsort(tuple(keys))
            for e in sel[worst_first[: sel.size - c.cap]]:
                allowed[c.idx[pairs.p[c.idx] == pairs.p[e]]] = False
        cur = solve_flow(vals, pairs, idx[allowed[idx]], gadget)
    return _repair(vals, idx, cur, cons, n_total)


def _guess_and_verify(
    vals: np.ndarray,
    pairs: Pairs,
    idx: np.ndarray,
    cons: list[HostConstraint],
    relaxed: np.ndarray,
    gadget: Gadgets | None,
    deadline: float | None,
    log: list[StageLog],
) -> np.ndarray | None:
    """Usually the host-limited optimum loses little against the relaxation, and only late.

    Guess: it equals the relaxation on stages before k and falls short on stage k by at most
    delta. Then it only uses arcs on the relaxation's face before stage k with reduced cost
    <= delta at stage k: a small set R. Solve exactly over R (branch and bound); if the result
    x meets the guess (same stages before k, shortfall at k <= delta), it is optimal: the
    true optimum is at least as good as x, so it meets the guess too, hence lies in R, where
    x is best. Otherwise try a looser guess; None when no guess is confirmed.
    """
    root_val = [st.fold.total(vals, relaxed) for st in log]
    local_root = np.searchsorted(idx, relaxed)
    for k in range(len(log) - 1, -1, -1):
        top = log[k].fold.factors[0]
        for delta in (16 * top, 1024 * top):
            if deadline is not None and time.perf_counter() > deadline:
                return None
            keep = log[k].alive & (log[k].rc <= delta)
            keep[local_root] = True  # arcs fixed before stage k are in every face solution
            sub = idx[keep]
            if sub.size > _GUESS_MAX_FRACTION * idx.size:
                break  # not small any more: leave it to the general method
            root = solve_flow(vals, pairs, sub, gadget)
            out = solve_host_bb(vals, pairs, sub, cons, root, deadline, gadget)
            if not out.optimal:
                return None
            x = out.chosen
            same_before = all(log[j].fold.total(vals, x) == root_val[j] for j in range(k))
            if same_before and root_val[k] - log[k].fold.total(vals, x) <= delta:
                return x
    return None


def _give_up_cost(idx: np.ndarray, log: list[StageLog]) -> tuple[np.ndarray, np.ndarray]:
    """Per local pair: (stages from the end at which it was fixed, 0 if never; |reduced cost|)."""
    stage_rank = np.zeros(idx.size, dtype=np.int64)
    size = np.zeros(idx.size, dtype=np.int64)
    for k, st in enumerate(log):
        fixed = st.alive & (st.rc < 0) & (stage_rank == 0)
        stage_rank[fixed] = len(log) - k
        size[fixed] = -st.rc[fixed]
    return stage_rank, size


def _restrict(vals: np.ndarray, idx: np.ndarray, root: np.ndarray, inc: np.ndarray,
              log: list[StageLog]) -> np.ndarray:
    """Pairs (mask over `idx`) that an optimum at least as good as `inc` may use.

    Reduced-cost fixing, stage by stage: for a flow x on a stage's network, the stage
    objective falls short of the optimum by sum(rc_e) over arcs x uses that the optimum does
    not (every term >= 0). The host-limited optimum is at least as good as the feasible `inc`,
    so its shortfall is at most G = F(root) - F(inc), and no arc with rc > G can be in it.
    While G = 0 the optimum lies on the stage's optimal face too, so the next stage applies.
    """
    keep = np.ones(idx.size, dtype=bool)
    for st in log:
        gap = st.fold.total(vals, root) - st.fold.total(vals, inc)
        if gap < 0:
            raise SolverError("a feasible selection beats the relaxation")
        keep &= ~(st.alive & (st.rc > gap))
        if gap > 0:
            break
    return keep


def _bound(top: tuple[int, ...], inc: tuple[int, ...]) -> list[int | None]:
    """Bound per level: a level's bound is known while all levels above it are settled."""
    out: list[int | None] = [None] * N_LEVELS
    for lev in range(N_LEVELS):
        out[lev] = top[lev]
        if top[lev] != inc[lev]:
            break
    return out


# ---------------------------------------------------------------- driver


def solve_pairs(a: Arrays, pairs: Pairs, *, deadline: float | None = None) -> Outcome:
    """Choose pairs: one exact flow, or per component with a branch and bound where host limits bind."""
    vals = level_values(a, pairs)
    cons = host_constraints(a, pairs)
    gadget = host_gadgets(a, pairs)
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
    chosen: list[np.ndarray] = []
    optimal = True
    bound_sum: list[int | None] = [0] * N_LEVELS
    for k, part in enumerate(parts):
        pc = cons_by_part.get(k, [])
        log: list[StageLog] | None = [] if pc else None
        relaxed = solve_flow(vals, pairs, part, gadget, log)
        mask = np.zeros(len(pairs), dtype=bool)
        mask[relaxed] = True
        if not pc or host_feasible(pc, mask):
            chosen.append(relaxed)
            part_bound: list[int | None] = list(objective_values(vals, relaxed))
        else:
            assert log is not None
            guessed = _guess_and_verify(vals, pairs, part, pc, relaxed, gadget, deadline, log)
            inc = guessed if guessed is not None else _dive(vals, pairs, part, pc, relaxed, gadget, deadline, log)
            if guessed is not None or _tuple(vals, inc) == _tuple(vals, relaxed):
                out = Outcome(chosen=np.sort(inc), optimal=True)  # proven (see the functions)
            else:
                sub = part[_restrict(vals, part, relaxed, inc, log)]
                del log
                root = solve_flow(vals, pairs, sub, gadget)
                out = solve_host_bb(vals, pairs, sub, pc, root, deadline, gadget, incumbent=inc)
            chosen.append(out.chosen)
            optimal &= out.optimal
            part_bound = list(out.bound) if not out.optimal else list(objective_values(vals, out.chosen))
        for lev in range(N_LEVELS):
            b, pb = bound_sum[lev], part_bound[lev]
            bound_sum[lev] = None if b is None or pb is None else b + pb
    all_chosen = np.sort(np.concatenate(chosen)) if chosen else np.zeros(0, dtype=np.int64)
    return Outcome(chosen=all_chosen, optimal=optimal, bound=bound_sum)


def objective_values(vals: np.ndarray, chosen: np.ndarray) -> tuple[int, ...]:
    """Raw level sums (maximisation orientation)."""
    if chosen.size == 0:
        return (0,) * N_LEVELS
    return tuple(int(v) for v in vals[:, chosen].sum(axis=1))
