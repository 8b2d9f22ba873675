"""The flow model: one part's matching as a min-cost flow, optimised stage by stage on its
optimal face.

Why a face: the five levels cannot be folded into one exact weight at national scale, so each
stage optimises the levels that fit (see :mod:`.lexicographic`) and then narrows the network,
with exact integer node potentials (Bellman-Ford over the residual graph), to the flows that
are optimal for that stage: arcs no optimal flow uses are dropped, arcs every optimal flow
uses are fixed (complementary slackness). It stays a network, so every stage is exact and
integral. Each stage is first tried as a sparse assignment (:mod:`.assignment`, several times
faster) and accepted only when the potentials certify it; otherwise OR-Tools solves it.
"""

from __future__ import annotations

import copy

import numpy as np

from ..nptypes import I64, Bool, IntArray
from .assignment import lap_flow
from .network import Gadgets, dense_ids, first_of_runs, runs, sorted_ids
from .options import SolverOptions
from .problem import SolverError

_CHUNK = 1 << 16  # arcs per step of a pass over millions: temporaries stay in the cache


def reduced_costs(pot: I64, tail: IntArray, head: IntArray, w: I64, out: I64) -> I64:
    """``pot[tail] - pot[head] - w`` into `out`, chunk by chunk.

    Why chunks: the whole-array expression makes three temporaries of millions of int64,
    each of them fresh memory (page faults) and a pass through main memory; per chunk the
    temporaries stay in the cache and are reused, about twice as fast. ``mode="clip"``
    only spares numpy a bounds-check buffer: node numbers are always in range.
    """
    tmp = np.empty(min(_CHUNK, out.size), dtype=np.int64)
    for lo in range(0, out.size, _CHUNK):
        hi = min(lo + _CHUNK, out.size)
        r, t = out[lo:hi], tmp[: hi - lo]
        np.take(pot, tail[lo:hi], out=r, mode="clip")
        np.take(pot, head[lo:hi], out=t, mode="clip")
        r -= t
        r -= w[lo:hi]
    return out


class FaceFlow:
    """Max-weight bipartite matching as a min-cost flow, optimised level by level on the face.

    Nodes: 0 = source, 1 = sink, then households, then places. Arcs: source->household,
    household->place (one per pair), place->sink, and a source->sink bypass so that leaving
    households unmatched is allowed. Arcs proven unused by every optimal flow are dropped;
    arcs proven saturated in every optimal flow are fixed (moved into the node supplies).
    """

    def __init__(self, hs: IntArray, ps: IntArray, options: SolverOptions, gadget: Gadgets | None = None):
        self.options = options
        self.hu, h_local = sorted_ids(hs)
        self.pu, p_local = dense_ids(ps)
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
        self.prev_flow: I64 | None = None
        self.last_rc = np.zeros(0, dtype=np.int64)
        self.p_gadget = np.full(np_, -1, dtype=np.int64)
        self.p_gadget[g_of_p >= 0] = g_local

    def stage(self, alive: I64, w: I64, last: bool, want_rc: bool = False) -> I64:
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

        Returns the pair arcs carrying flow (sorted local indices; the arcs fixed by earlier
        stages carry flow too, see :meth:`chosen_pairs`): only a few thousand, where a flow
        over all arcs would be an array of millions.
        """
        n = self.n_pairs
        whole = alive.size == n
        node_cost = np.zeros(self.tail.size - n, dtype=np.int64)  # node arcs cost nothing
        if whole:  # nothing dropped yet: the arc arrays themselves, no copy
            t_node, h_node = self.tail[:n], self.head[:n]
        else:
            t_node, h_node = self.tail[alive], self.head[alive]
        cand = self._candidates(w, alive)
        # one buffer for the reduced costs of every pricing round (a fresh array of millions
        # per round costs its page faults on top of its pass)
        rc = np.empty(alive.size, dtype=np.int64)
        while True:
            arcs = alive[cand]
            complete = arcs.size == alive.size
            need = not complete or not last or want_rc
            sub = self._restricted(arcs)
            sub_flow, pot = sub._solve_certified(
                np.concatenate([-w[cand], node_cost]), w[cand], need_potentials=need
            )
            if not need:
                break
            reduced_costs(pot, t_node, h_node, w, out=rc)
            if complete:
                break
            bad = rc < 0
            bad &= ~cand
            if not bad.any():
                break
            cand |= bad
        used = arcs[sub_flow[: arcs.size] > 0]
        self.prev_flow = used
        if want_rc:
            if whole:
                self.last_rc = rc
            else:
                self.last_rc = np.zeros(n, dtype=np.int64)
                self.last_rc[alive] = rc
        if last:
            return used
        node_flow = sub_flow[arcs.size :]  # node arc n + k carries node_flow[k]
        node = np.flatnonzero(self.active[n:])
        rc_node = pot[self.tail[n + node]] - pot[self.head[n + node]]
        # the certificate (complementary slackness): an arc with a positive reduced cost
        # carries no flow, one with a negative reduced cost carries its capacity (pair arcs:
        # 1, so it is one of the used arcs)
        used_rc = rc[used if whole else np.searchsorted(alive, used)]
        neg = rc < 0
        n_fix = int(np.count_nonzero(neg))
        if (
            np.any(used_rc > 0)
            or int(np.count_nonzero(used_rc < 0)) != n_fix
            or np.any(node_flow[node[rc_node > 0]] != 0)
            or np.any(node_flow[node[rc_node < 0]] != self.cap[n + node[rc_node < 0]])
        ):
            raise SolverError("potentials do not certify the flow")
        # narrow the face: arcs with a reduced cost other than zero leave it, the negative
        # ones as fixed (their flow moves into the node supplies)
        fix = np.concatenate([alive[neg] if not whole else np.flatnonzero(neg), n + node[rc_node < 0]])
        if whole:  # every pair arc was active and none fixed
            np.equal(rc, 0, out=self.active[:n])
            self.fixed[:n] = neg
        else:
            self.active[alive] = rc == 0
            self.fixed[alive] = neg
        self.active[n + node[rc_node != 0]] = False
        self.fixed[n + node[rc_node < 0]] = True
        np.subtract.at(self.supply, self.tail[fix], self.cap[fix])
        np.add.at(self.supply, self.head[fix], self.cap[fix])
        return used

    def _restricted(self, arcs: I64) -> FaceFlow:
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

    def _groups(self, arcs: I64) -> tuple[I64, I64]:
        """(start, length) of each household's run in `arcs` (sorted pair arcs, so grouped)."""
        return runs(self.h_local[arcs])

    def _candidates(self, w: I64, alive: I64) -> Bool:
        """Per household its nearest alive arcs and its best-weighted ones (each at most
        ``options.candidates_per_household``), plus the last stage's flow; a mask over `alive`.
        Linear time: arcs are grouped by household and ordered by distance within it (see
        eligible_pairs), so "nearest" is "first in the run"."""
        m = alive.size
        k = self.options.candidates_per_household
        if m <= max(self.options.cg_min_arcs, 2 * k * self.nh):
            return np.ones(m, dtype=bool)
        starts, lengths = self._groups(alive)
        cand = np.zeros(m, dtype=bool)
        cand[first_of_runs(starts, np.minimum(lengths, k))] = True
        is_best = w == np.repeat(np.maximum.reduceat(w, starts), lengths)
        best = np.flatnonzero(is_best)
        # the best arcs keep the grouping: each household's run of them starts where the
        # runs before it end (every run has one at least, its maximum)
        n_best = np.add.reduceat(is_best, starts, dtype=np.int64)
        cand[best[first_of_runs(np.cumsum(n_best) - n_best, np.minimum(n_best, k))]] = True
        if self.prev_flow is not None and self.prev_flow.size:
            pos = np.searchsorted(alive, self.prev_flow)
            pos = pos[pos < m]
            cand[pos[alive[pos] == self.prev_flow[: pos.size]]] = True
        return cand

    def _solve_certified(
        self, cost: I64, weight: I64, need_potentials: bool
    ) -> tuple[I64, I64]:
        """Optimal flow on the active arcs with exact potentials certifying it.

        The sparse assignment (float) is accepted only when Bellman-Ford settles; otherwise
        OR-Tools (integer) solves it. Potentials are skipped only for an OR-Tools flow that
        nobody needs to price (last stage, nothing left out).
        """
        act = np.nonzero(self.active)[0]
        if self.options.method == "auto":
            flow = lap_flow(self, weight)
            if flow is not None:
                pot = self._potentials(act, flow, cost, max_rounds=self.options.lap_certify_rounds)
                if pot is not None:
                    return flow, pot
        flow = self._ortools_flow(act, cost)
        if not need_potentials:
            return flow, np.zeros(self.n_nodes, dtype=np.int64)
        pot = self._potentials(act, flow, cost, max_rounds=self.n_nodes + 1)
        if pot is None:
            raise SolverError("negative cycle in the residual graph: flow not optimal")
        return flow, pot

    def _ortools_flow(self, act: I64, cost: I64) -> I64:
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

    def balanced(self, flow: I64) -> bool:
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
        self, act: I64, flow: I64, cost: I64, max_rounds: int
    ) -> I64 | None:
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

    def chosen_pairs(self, used: I64) -> I64:
        """Local pair indices of the selection: `used` (the pair arcs carrying flow in the
        last stage, as :meth:`stage` returns them) and the fixed arcs (a stage that narrowed
        the face fixed some of its own used arcs: the union, sorted)."""
        return np.union1d(used, np.flatnonzero(self.fixed[: self.n_pairs])).astype(np.int64, copy=False)
