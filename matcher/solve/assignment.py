"""The fast path of a flow stage: the face as a sparse assignment problem (scipy's LAPJVsp).

Why: on these bipartite networks a sparse assignment solver is several times faster than a
general min-cost flow. It works in floats, so its answer is only a candidate: the caller
(:meth:`.face.FaceFlow._solve_certified`) accepts it only when exact integer potentials
certify it, and falls back to OR-Tools otherwise. This module only translates the face
(required / optional households and places, host gadgets as "blocker" rows) into rows and
columns and the matching back into a flow; it returns None for any shape it does not cover.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..nptypes import I64
from .network import first_of_runs

if TYPE_CHECKING:
    from .face import FaceFlow


def lap_flow(self: FaceFlow, weight: I64) -> I64 | None:
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
    # the optional rooms in play of each gadget, grouped in one pass: gadget g's rooms are
    # rooms[cut[g] : cut[g + 1]]; everything per gadget below is vectorised (thousands of
    # gadgets at national scale: a Python loop per gadget or per blocker row cost more than
    # the assignment itself)
    if ng:
        rooms = np.flatnonzero(room_opt & p_in)
        rooms = rooms[np.argsort(g_room[rooms], kind="stable")]
        cut = np.searchsorted(g_room[rooms], np.arange(ng + 1))
        g_size = np.diff(cut)
        n_block = np.maximum(g_size - g_rest, 0).astype(np.int64)
    else:
        rooms = cut = g_size = n_block = np.zeros(0, dtype=np.int64)
    exact_blocked = g_exact & (n_block > 0)
    needs_bonus = bool(p_req.any() or exact_blocked.any())
    big = (min(int((h_opt | h_req).sum()), int(p_in.sum())) + 1) * (wmax + 1) if needs_bonus else 0
    if big * 4 + wmax * 4 > 2**50:
        return None  # not exact in float64: leave it to the integer solver
    bonus_p[p_req] = big
    if exact_blocked.any():
        g_of_room = np.repeat(np.arange(ng), g_size)
        bonus_p[rooms[exact_blocked[g_of_room]]] = big
    value = w + bonus_p[pp]
    top = int(value.max()) + 1 if value.size else 1
    top = max(top, big + 1)
    # rows: households 0..nh-1 (unused rows dropped below), then blockers: n_block[g] rows
    # per gadget g, each with an entry for every optional room of g (in room order)
    n_blockers = int(n_block.sum()) if ng else 0
    if n_blockers:
        blk_g = np.repeat(np.arange(ng), n_block)
        per_row = g_size[blk_g]
        br = np.repeat(nh + np.arange(n_blockers, dtype=np.int64), per_row)
        bc = rooms[first_of_runs(cut[blk_g].astype(np.int64), per_row.astype(np.int64))].astype(np.int64)
    else:
        br = bc = np.zeros(0, np.int64)
    n_rows = nh + n_blockers
    opt_h = np.nonzero(h_opt)[0]
    dummy_col = np.full(nh, -1, dtype=np.int64)
    dummy_col[opt_h] = np_ + np.arange(opt_h.size)
    n_cols = np_ + opt_h.size
    rows = np.concatenate([ph, opt_h, br])
    cols = np.concatenate([pp, dummy_col[opt_h], bc])
    costs = np.concatenate(
        [top - value, np.full(opt_h.size, top), top - bonus_p[bc]]
    ).astype(np.float64)
    # keep only rows in play (required/optional households and blockers)
    row_in = np.concatenate([h_opt | h_req, np.ones(n_rows - nh, dtype=bool)])
    if not row_in.any():
        return np.zeros(self.tail.size, dtype=np.int64)
    # scipy only here and in network.components: a solve that the deadline sends straight to
    # the greedy never loads it (half a second of imports on a quiet machine)
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import min_weight_full_bipartite_matching

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
    return flow if self.balanced(flow) else None
