"""The hindsight optimum: the best value of the year with every household known in advance.

A time-indexed integer program, in the OR-Tools samples' order:

- data: for every pair meeting rules E1–E9, the starts ``s`` in
  ``[max(release, 0), release + grace_days)`` inside the simulated days at which the place is
  free (and within its host's limit) for the whole stay on its own; later starts are worth 0;
- variables: ``x[h, p, s]`` (household h starts at place p on day s) and the occupancy
  ``z[p, t]`` of each place on each day, ``0 <= z <= 1``;
- constraints: each household at most once; the occupancy is a flow over time,
  ``z[p, t] = z[p, t-1] + Σ_h x[h, p, t] - Σ_h x[h, p, t - stay]`` (three nonzeros per
  variable: the sparse form of "one household per place per day"); each limited host at most
  ``max_households`` guests on any day, busy stays included: ``Σ_{p of host} z[p, t] <= room``;
- objective: maximise ``Σ priority × (grace - wait) × x``.

Why HiGHS (scipy's ``milp``) and not CP-SAT: measured on the small profile, CP-SAT with two
workers was still 1.5% below the optimum and far from its bound after 120 s, while HiGHS proved
the optimum in 6 s. A medium year has about 260,000 ``x`` variables: the whole MIP finds no
solution in 60 s, and its LP relaxation alone takes 90 s. So, in this order:

1. an incumbent: the best online policy's stays (``anticipating``, run as it is and told every
   household in advance: :meth:`World.foreseen`; the better of the two), then *fix-and-optimise
   windows* (:func:`window_stays`): the same MIP on the starts of three weeks plus nine weeks
   of lookahead, earlier windows fixed, keeping only the first three weeks; in a window only
   the *dominant* starts of each pair are tried (the earliest free one, or the day another
   new stay there ends: any other stay could start earlier and be worth more). Measured on a
   medium year (311 households): 14491 in 28 s, 0.15% below the LP bound (14512);
2. a Lagrangian bound (household constraints relaxed, and host limits of two or more guests
   dropped; each place, or all rooms of a one-guest host together, is then a longest-path
   problem over its days, solved for all at once: :func:`_resources`) improved by subgradient
   steps (14513 on that year, the LP bound 14512; 14542 before a one-guest host's rooms were kept
   as one machine), and *reduced-cost fixing*: a start whose
   best relaxed value, with it forced, cannot beat the incumbent is removed. No better solution
   uses a removed start, so the optimum of the rest (or the incumbent) is the optimum of the
   whole; the rest is solved whole when small enough (a small year: proven optimal in seconds).

The result's ``bound`` is the Lagrangian bound, or the MIP's proven bound on what is left when
that was solved; ``status`` is ``optimal`` when value and bound meet. Tried and dropped: all
starts in the windows (the same quality, 3–6 times slower); the LP relaxation as bound (no
better than the Lagrangian one, four times slower).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_matrix, csr_matrix

from ..nptypes import F64, I64, Bool
from .engine import Stay, result_of, year_value
from .stream import SimResult, Stream
from .world import Calendar, World
from .year import simulate

# Subgradient steps: the step factor starts at THETA and halves after STALE steps without a
# better bound. Measured on a medium year: (6, 0.5) stopped 2.0% above the LP bound,
# (40, 2.0) 0.2% above it, in 24 s.
STALE = 40
THETA = 2.0
# fix-and-optimise windows (see window_stays), with only the dominant starts of each pair:
# measured on a medium year (311 households), (28, 42) reached 14474 in 12 s and (21, 63) 14491
# in 28 s (all starts: 14489 in 70 s; LP bound 14512); on 465 households (28, 42) 18136 in 18 s
WINDOWS = ((28, 42), (21, 63))  # (step, lookahead) of each pass, in days
# the whole remaining MIP is only worth solving when this small (a small year: seconds)
FULL_MIP_COLUMNS = 60_000
WINDOW_GAP = 1e-4
# improvement windows (see improve_stays): width and step in days, and the share of the time
# limit they may run until
IMPROVE_WIDTH, IMPROVE_STEP, IMPROVE_UNTIL = 84, 28, 0.9
DOMINANT = True


@dataclass(frozen=True)
class Columns:
    """The candidate starts: household, place, start day and value, aligned."""

    h: I64
    p: I64
    s: I64
    v: F64

    def take(self, keep: Bool) -> Columns:
        return Columns(self.h[keep], self.p[keep], self.s[keep], self.v[keep])


def candidates(w: World) -> Columns:
    """Every (household, place, start) with a positive value that fits on its own."""
    ok = Calendar(w).ok
    hs, ps, ss = [], [], []
    for h in range(w.n_h):
        rel = int(w.release[h])
        lo, hi = max(rel, 0), min(rel + w.grace, w.days)
        if lo >= hi or not w.priority[h]:
            continue
        places = np.flatnonzero(w.eligible[h])
        pi, si = np.nonzero(ok[places, lo:hi])
        hs.append(np.full(pi.size, h, dtype=np.int64))
        ps.append(places[pi])
        ss.append(si + lo)
    if not hs:
        z = np.zeros(0, dtype=np.int64)
        return Columns(z, z, z, np.zeros(0))
    h_, p_, s_ = np.concatenate(hs), np.concatenate(ps).astype(np.int64), np.concatenate(ss).astype(np.int64)
    v = w.values_of(h_, s_).astype(float)
    return Columns(h_, p_, s_, v)


def hindsight(
    stream: Stream,
    *,
    time_limit: float = 120.0,
    world: World | None = None,
    gap: float = 0.0,
    iterations: int = 3000,
) -> SimResult:
    """Solve the year offline; ``status`` is ``optimal`` when proven, else ``feasible`` with the bound.

    ``gap``: a relative gap at which the MIP may stop (0: prove optimality or run to the limit).
    """
    t_start = time.perf_counter()
    w = world if world is not None else World.build(stream)
    cols = candidates(w)
    # the first incumbent: the best policy, and the same policy told every household in advance
    # (allowed here: hindsight knows the year), whichever is worth more; on a large year the
    # windows may not finish, and the foresight run alone was 0.5% better (three seeds)
    inc = max(
        (simulate(stream, "anticipating", world=w), simulate(stream, "anticipating", world=w.foreseen())),
        key=lambda r: r.value,
    )
    h_index = {hid: i for i, hid in enumerate(w.h_ids)}
    p_index = {pid: j for j, pid in enumerate(w.p_ids)}
    t0 = stream.start.toordinal()
    inc_stays = [
        Stay(h_index[pl.household], p_index[pl.place], pl.start.toordinal() - t0, 0) for pl in inc.placements
    ]
    inc_value = inc.value
    # a quick window pass, the bound, then a finer pass that falls back on the quick one where
    # time runs out: on a loaded machine the bound and a good incumbent both still come out
    for k, ((step, lookahead), until) in enumerate(zip(WINDOWS, (0.45, 0.97), strict=True)):
        if k == 1:
            lag_bound, u = _lagrangian(w, cols, inc_value, iterations, t_start + 0.7 * time_limit)
            if inc_value >= lag_bound:
                break
        win = window_stays(w, cols, step=step, lookahead=lookahead, deadline=t_start + until * time_limit,
                           fallback=inc_stays)
        win_value = year_value(w, win)
        if win_value > inc_value:
            inc_stays, inc_value = win, win_value
    stays, value, bound = inc_stays, inc_value, lag_bound
    proven = inc_value >= lag_bound
    left = time_limit - (time.perf_counter() - t_start)
    if not proven and left > 1:
        # with the better incumbent, reduced-cost fixing removes more; what is left is solved
        # whole when it is small enough to help (a small year: proven optimal in seconds); on a
        # larger year the improvement windows use the time instead
        rest = cols.take(_keep(w, cols, u, inc_value))
        if rest.h.size <= FULL_MIP_COLUMNS:
            left = max(0.01, time_limit - (time.perf_counter() - t_start))
            got, got_value, got_bound, got_proven = _solve_mip(w, rest, left, gap)
            bound = min(lag_bound, max(got_bound, inc_value))
            proven = got_proven
            if got_value > inc_value:
                stays, value = got, got_value
        elif (left := t_start + IMPROVE_UNTIL * time_limit - time.perf_counter()) > 1:
            stays = improve_stays(w, cols, inc_stays, deadline=time.perf_counter() + left)
            value = year_value(w, stays)
    done = proven or value >= bound
    return result_of(
        w, "hindsight", [st for st in stays if w.value_of(st.household, st.start) > 0],
        time.perf_counter() - t_start, status="optimal" if done else "feasible", bound=max(bound, value),
    )


def window_stays(
    w: World, c: Columns, *, step: int, lookahead: int, deadline: float, window_seconds: float = 20.0,
    fallback: list[Stay] | None = None,
) -> list[Stay]:
    """A good year by fix-and-optimise over time: the exact MIP on the starts of ``[a, a + step +
    lookahead)`` with everything before ``a`` fixed, keeping only the starts before ``a + step``.

    Why: the whole year is too large a MIP to find good solutions quickly, and a window of a few
    weeks solves in seconds; the lookahead lets each window see who competes for its places next.
    Starts are visited in order, so what a window fixes is never undone. When ``deadline``
    comes first, the rest of the year is taken from ``fallback`` (an earlier pass), where it fits.
    """
    cal = Calendar(w)
    placed = np.zeros(w.n_h, dtype=bool)
    stays: list[Stay] = []
    for a in range(0, w.days, step):
        sel = (c.s >= a) & (c.s < a + step + lookahead) & ~placed[c.h] & cal.ok[c.p, c.s]
        if DOMINANT:
            sel &= _dominant(w, cal, c, placed, a, a + step + lookahead)
        left = deadline - time.perf_counter()
        if left <= 0.5:
            for st in sorted(fallback or [], key=lambda x: x.start):
                if st.start >= a and not placed[st.household] and cal.can_start(st.place, st.start):
                    cal.add(st.place, st.start)
                    placed[st.household] = True
                    stays.append(st)
            break
        days = (a, min(w.timeline, a + step + lookahead + w.stay))
        got, _, _, _ = _solve_mip(w, c.take(sel), min(window_seconds, left), WINDOW_GAP, cal.host_count, days)
        for st in sorted(got, key=lambda x: x.start):
            if st.start < a + step and not placed[st.household] and cal.can_start(st.place, st.start):
                cal.add(st.place, st.start)
                placed[st.household] = True
                stays.append(st)
    return stays


def improve_stays(
    w: World, c: Columns, stays: list[Stay], *, deadline: float, width: int = IMPROVE_WIDTH,
    step: int = IMPROVE_STEP, window_seconds: float = 10.0,
) -> list[Stay]:
    """A better year from a good one: windows of ``width`` days slide over the year by ``step``;
    in each, every stay outside it is fixed and the MIP rearranges the stays that start inside it
    (and may add households left out), and the result is kept when it is worth more.

    Why: the constructive windows (:func:`window_stays`) never revisit a decision, so on a busy
    year (demand at capacity) they end up to 1% below the LP bound; a window that sees both sides
    of its decisions repairs part of that (all starts, not only the dominant ones: next to fixed
    stays the dominant ones miss the fits). Measured on a medium year at full demand (437
    households, LP bound 18,944): 18,679 → 18,801 in 67 s with (84, 28); (42, 21) stopped at 18,736.
    Each accepted window only raises the value; passes go on while windows improve, until ``deadline``."""
    best = list(stays)
    best_value = year_value(w, best)
    improved = True
    while improved:
        improved = False
        for a in range(0, w.days, step):
            left = deadline - time.perf_counter()
            if left <= 0.5:
                return best
            hi = a + width
            fixed = [st for st in best if not a <= st.start < hi]
            cal = Calendar(w)
            placed = np.zeros(w.n_h, dtype=bool)
            for st in fixed:
                cal.add(st.place, st.start)
                placed[st.household] = True
            sel = (c.s >= a) & (c.s < hi) & ~placed[c.h] & cal.ok[c.p, c.s]
            days = (a, min(w.timeline, hi + w.stay))
            got, _, _, _ = _solve_mip(w, c.take(sel), min(window_seconds, left), WINDOW_GAP, cal.host_count, days)
            value = year_value(w, fixed + got)
            if value > best_value and _fits(cal, placed, got):
                best, best_value, improved = fixed + got, value, True
    return best


def _fits(cal: Calendar, placed: Bool, stays: list[Stay]) -> bool:
    """Whether ``stays`` fit together on ``cal`` (which holds the other stays; ``placed``: their
    households), each household once: a safety net around a window's MIP. Neither is changed."""
    cal, seen = cal.copy(), set(np.flatnonzero(placed).tolist())
    for st in sorted(stays, key=lambda x: x.start):
        if st.household in seen or not cal.can_start(st.place, st.start):
            return False
        seen.add(st.household)
        cal.add(st.place, st.start)
    return True


def _dominant(w: World, cal: Calendar, c: Columns, placed: Bool, lo: int, hi: int) -> Bool:
    """The starts worth trying in a window ``[lo, hi)`` no longer than two stays: a stay can be
    moved earlier (worth more) unless it starts as early as its place allows, or right when
    another new stay at that place ends. So per pair: the earliest free start, and the days
    another household's earliest start there plus ``stay_days`` (host limits aside: a window
    only looks for a good solution, it proves nothing)."""
    first = cal.next_starts(np.maximum(w.release, lo))  # (n_h, n_p)
    live = (~placed)[:, None] & w.eligible & (first < hi)
    hh, pp = np.nonzero(live)
    follow = np.zeros((w.n_p, w.timeline + 1), dtype=bool)
    ends = first[hh, pp] + w.stay
    inside = ends < hi
    follow[pp[inside], ends[inside]] = True
    keep: Bool = (c.s == first[c.h, c.p]) | follow[c.p, c.s]
    return keep


def _resources(w: World) -> tuple[I64, int]:
    """Per place, the resource it is a machine of in the relaxation, and how many resources.

    A place is its own resource (one household per day), except that all places of a host who may
    take one guest at a time form one resource: at most one stay runs among them on any day, so
    they are one machine, and the relaxation keeps that limit exactly instead of dropping it. The
    other host limits (two or more guests) are dropped in the relaxation, which keeps it a bound.
    Measured on a medium year (353 households, four hosts with two rooms and a limit of one): the
    bound fell from 15,942 (the LP without host limits: 15,938) towards the LP with them (15,810)."""
    res = np.arange(w.n_p, dtype=np.int64)
    for k in np.flatnonzero(w.host_limit == 1).tolist():
        rooms = np.flatnonzero(w.p_host == k)
        res[rooms] = rooms[0]
    _, dense = np.unique(res, return_inverse=True)
    out: I64 = dense.astype(np.int64)
    return out, int(out.max()) + 1 if out.size else 0


def _place_after(weight: F64, stay: int) -> F64:
    """Per place (rows), the best total weight of non-overlapping stays from day t on: longest
    paths over the days, all places at once."""
    n_p, t_len = weight.shape
    after = np.zeros((n_p, t_len + stay + 1))
    for t in range(t_len - 1, -1, -1):
        after[:, t] = np.maximum(after[:, t + 1], weight[:, t] + after[:, t + stay])
    return after


def _place_dp(weight: F64, stay: int) -> tuple[F64, F64]:
    """:func:`_place_after`, and the same before day t (``before``)."""
    n_p, t_len = weight.shape
    after = _place_after(weight, stay)
    before = np.zeros((n_p, t_len + 1))
    for t in range(1, t_len + 1):
        take = before[:, t - stay] + weight[:, t - stay] if t - stay >= 0 else np.full(n_p, -np.inf)
        before[:, t] = np.maximum(before[:, t - 1], take)
    return after, before


def _lagrangian(
    w: World, c: Columns, incumbent: int, iterations: int, deadline: float
) -> tuple[int, F64]:
    """A proven upper bound and its multipliers (one per household); the subgradient steps stop
    at ``deadline``, a quarter of the time limit."""
    t_len = w.days
    if not c.h.size:
        return incumbent, np.zeros(w.n_h)
    res, n_r = _resources(w)
    cr = res[c.p]
    key = cr * t_len + c.s
    u = np.zeros(w.n_h)
    best_bound = np.inf
    best_u = u.copy()
    theta, stale = THETA, 0
    for _ in range(iterations):
        red = c.v - u[c.h]
        flat = np.zeros(n_r * t_len)
        np.maximum.at(flat, key, red)
        weight: F64 = flat.reshape(n_r, t_len)
        after = _place_after(weight, w.stay)
        bound = float(u.sum() + after[:, 0].sum())
        if best_bound == np.inf or bound < best_bound - 1e-6 * abs(best_bound):
            best_bound, best_u, stale = bound, u.copy(), 0
        else:
            stale += 1
            if stale >= STALE:
                theta, stale = theta / 2, 0
        # which households the relaxed places took: follow each place's best path
        count = _households_taken(w, c.h, cr, c.s, red, weight, after)
        g = 1.0 - count
        g[(u <= 0) & (g > 0)] = 0.0
        norm = float(g @ g)
        if norm == 0 or best_bound - incumbent < 1 or theta < 1e-3 or time.perf_counter() > deadline:
            break
        u = np.maximum(0.0, u - theta * (bound - incumbent) / norm * g)
    return int(np.floor(float(best_bound) + 1e-6)), best_u


def _keep(w: World, c: Columns, u: F64, incumbent: int) -> Bool:
    """Reduced-cost fixing: the columns that, forced in, may still beat ``incumbent`` under the
    multipliers ``u`` (every other column is in no better solution)."""
    t_len = w.days
    res, n_r = _resources(w)
    cr = res[c.p]
    red = c.v - u[c.h]
    flat = np.zeros(n_r * t_len)
    np.maximum.at(flat, cr * t_len + c.s, red)
    weight = flat.reshape(n_r, t_len)
    after, before = _place_dp(weight, w.stay)
    total = float(u.sum() + after[:, 0].sum())
    forced = total - after[cr, 0] + before[cr, c.s] + red + after[cr, np.minimum(c.s + w.stay, t_len)]
    keep: Bool = forced >= incumbent + 1 - 1e-6
    return keep


def _households_taken(w: World, ch: I64, cr: I64, cs: I64, red: F64, weight: F64, after: F64) -> F64:
    """How often each household appears on the relaxed resources' best paths (columns given as
    household ``ch``, resource ``cr`` and start ``cs``)."""
    t_len = w.days
    n_r = weight.shape[0]
    take = weight + after[:, w.stay : w.stay + t_len] > after[:, 1 : t_len + 1] + 1e-9
    starts = np.zeros_like(take)
    pos = np.zeros(n_r, dtype=np.int64)
    rows = np.arange(n_r)
    while True:
        live = pos < t_len
        if not live.any():
            break
        r, t = rows[live], pos[live]
        hit = take[r, t] & (weight[r, t] > 0)
        starts[r[hit], t[hit]] = True
        pos[live] = t + np.where(hit, w.stay, 1)
    # the household behind each chosen (place, start): the best reduced value there
    chosen = starts[cr, cs] & (red >= weight[cr, cs] - 1e-9) & (red > 0)
    idx = np.flatnonzero(chosen)
    keyed = cr[idx] * t_len + cs[idx]
    _, first = np.unique(keyed, return_index=True)
    count = np.zeros(w.n_h)
    np.add.at(count, ch[idx[first]], 1.0)
    return count


def _model(
    w: World, c: Columns, host_base: I64 | None = None, days: tuple[int, int] | None = None
) -> tuple[csr_matrix, F64, F64]:
    """Rows: households (at most once), occupancy flow per place and day (= 0), host limits per day.
    Columns: the candidate starts, then the occupancy ``z[p, t]``. ``host_base``: guests already
    booked per limited host and day (the stream's busy stays unless given); ``days``: the days
    ``[lo, hi)`` the columns' stays lie in (a window needs only those; default the whole timeline)."""
    t_lo, t_hi = days if days is not None else (0, w.timeline)
    base = (w.host_base if host_base is None else host_base)[:, t_lo:t_hi]
    n = c.h.size
    t_len, n_p, stay = t_hi - t_lo, w.n_p, w.stay
    cs = c.s - t_lo
    r0 = w.n_h
    pt = np.arange(n_p * t_len)
    tt = pt % t_len
    nxt = tt < t_len - 1
    late = cs + stay < t_len
    rows = [c.h, r0 + c.p * t_len + cs, (r0 + c.p * t_len + cs + stay)[late], r0 + pt, (r0 + pt + 1)[nxt]]
    cols = [np.arange(n), np.arange(n), np.arange(n)[late], n + pt, (n + pt)[nxt]]
    vals = [np.ones(n), -np.ones(n), np.ones(int(late.sum())), np.ones(pt.size), -np.ones(int(nxt.sum()))]
    lo = [np.zeros(w.n_h), np.zeros(pt.size)]
    hi = [np.ones(w.n_h), np.zeros(pt.size)]
    n_rows = r0 + pt.size
    for k in range(w.host_limit.size):
        rooms = np.flatnonzero(w.p_host == k)
        room = np.maximum(0, w.host_limit[k] - base[k])
        for t in range(t_len):
            rows.append(np.full(rooms.size, n_rows))
            cols.append(n + rooms * t_len + t)
            vals.append(np.ones(rooms.size))
            lo.append(np.zeros(1))
            hi.append(np.array([float(room[t]) if room[t] < rooms.size else rooms.size]))
            n_rows += 1
    a = coo_matrix(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(n_rows, n + pt.size)
    ).tocsr()
    return a, np.concatenate(lo), np.concatenate(hi)


def _solve_mip(
    w: World, c: Columns, time_limit: float, gap: float, host_base: I64 | None = None,
    days: tuple[int, int] | None = None,
) -> tuple[list[Stay], int, int, bool]:
    """The flow-over-time MIP on the remaining columns (HiGHS): stays, value, bound, proven."""
    n = c.h.size
    if n == 0:
        return [], 0, 0, True
    a, lo, hi = _model(w, c, host_base, days)
    pt_size = a.shape[1] - n
    obj = np.concatenate([-c.v, np.zeros(pt_size)])
    integrality = np.concatenate([np.ones(n), np.zeros(pt_size)])
    res = milp(
        obj,
        constraints=LinearConstraint(a, lo, hi),
        integrality=integrality,
        bounds=Bounds(0, 1),
        options={"time_limit": time_limit, "mip_rel_gap": gap, "disp": False},
    )
    if res.x is None:
        return [], 0, int(np.floor(c.v.sum())), False
    x = res.x[:n] > 0.5
    stays = [Stay(int(h), int(p), int(s), 0) for h, p, s in zip(c.h[x], c.p[x], c.s[x], strict=True)]
    value = int(round(float(c.v[x].sum())))
    dual = getattr(res, "mip_dual_bound", None)
    bound = value if res.status == 0 and gap == 0 else int(np.floor(-float(dual) + 1e-6)) if dual is not None else value
    return stays, value, max(bound, value), res.status == 0 and gap == 0
