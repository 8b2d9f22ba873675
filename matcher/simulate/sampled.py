"""``sampled-futures``: today's starts chosen against sampled futures (a two-stage sample average).

Why: ``anticipating`` decides on the households it knows, and those not yet announced are what no
causal policy can see. This one samples them. Each day on which a stay could start, it draws
``scenarios`` futures over the next ``look`` days: copies of households evicted in the last
``history_days`` days, as many per day as were evicted per day lately, times the share of them that
was announced later than today would be. It then solves one MIP over all futures: today's starts
are variables *shared* by every future, every later start belongs to its own future, and the
objective is today's value plus the mean of the futures' values. So today's decision is the one
that is best on average over the futures, not in one of them (the nonanticipativity of two-stage
stochastic programming; a consensus vote over separately solved futures did not beat
``anticipating``). Only today's starts are committed; tomorrow samples again.

In each future the model is the hindsight model in small: a household at most once, a place at most
one stay on any day (one row per place and start day: the stays covering it), and per pair only the
*dominant* starts (the earliest free day, or the day another candidate stay there ends). Host limits
are left to the calendar when today's starts are committed, as in ``anticipating``.

It is a measured reference, not one of :data:`~matcher.simulate.policies.POLICIES`: it runs by name
(``onderdak simulate S.json --policy sampled-futures``) and in the benchmark (``python -m
benchmarks.bench_simulate --policies anticipating,sampled-futures --notice-days 7,14,28,400
--notice-policy sampled-futures``). Measured on the small profile, 10 seeds, at 80 / 100 / 120% demand:
95.3 / 94.4 / 94.8% of hindsight, where ``anticipating`` reaches 95.9 / 94.3 / 93.1% (the same within the
noise but at 120%), with shorter waits (mean 1.2–1.4 days against 1.7–2.2; 95th percentile 8.5–9.0
against 11.0–13.6) at 4–8 s a year. Its use is as a measure of information: told every household 7,
14 or 28 days earlier it reaches 95.7–97.6, 96.6–97.5 and 97.9–98.8%, told everything 99.2–99.3%. On
the medium profile, with four futures over 56 days, it took 79–103 s a year and was 0.3% better than
``anticipating`` on four years at 100% demand, inside the noise (−65 to +310 per year).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_matrix

from ..nptypes import F64, I64
from .arrivals import unannounced
from .engine import DayView, Proposal
from .world import Calendar, World


class SampledFutures:
    """Two-stage sample average over sampled arrivals; commits only today's starts."""

    name = "sampled-futures"

    def __init__(
        self, scenarios: int = 8, look: int = 77, history_days: int = 90, time_limit: float = 5.0
    ) -> None:
        self.scenarios = scenarios
        self.look = look
        self.history_days = history_days
        self.time_limit = time_limit

    def _arrivals(self, w: World, d: int, rng: np.random.Generator) -> tuple[I64, I64]:
        """One sampled future: (template household, release day) of the households not yet
        announced who are evicted in the next ``look`` days. Causal: reads only households
        announced on or before ``d``."""
        hist, expected = unannounced(w, d, self.look, self.history_days)
        if not hist.size:
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        release = np.repeat(d + np.arange(1, self.look), rng.poisson(expected)).astype(np.int64)
        return hist[rng.integers(0, hist.size, release.size)], release

    def decide(self, view: DayView) -> Sequence[Proposal]:
        w, d, cal = view.world, view.day, view.calendar
        wait = view.waiting
        known = wait[(w.release[wait] < d + self.look) & (w.release[wait] + w.grace > d)]
        now = known[w.release[known] <= d]
        pairs = w.eligible[now] & cal.ok[:, d][None, :]
        if not pairs.any():
            return []  # nothing can start today: no decision to take
        th_idx, tp = np.nonzero(pairs)
        th = now[th_idx]
        tv = w.values_of(th, np.full(th.size, d)).astype(float)
        today = _Today(th, tp.astype(np.int64), tv, np.searchsorted(known, th))
        model = _Model(today)
        rng = np.random.default_rng(d)
        for _ in range(self.scenarios):
            tmpl, rel = self._arrivals(w, d, rng)
            model.add_future(w, cal, d, min(d + self.look, w.days), known, tmpl, rel, 1 / self.scenarios)
        chosen = model.solve(self.time_limit)
        out: list[Proposal] = []
        booked = cal.copy()
        for k in sorted(chosen, key=lambda k: -tv[k]):
            h, p = int(today.h[k]), int(today.p[k])
            if booked.can_start(p, d):  # host limits, which the model leaves to the calendar
                booked.add(p, d)
                out.append((h, p, d))
        return out


@dataclass(frozen=True)
class _Today:
    """Today's candidate starts, shared by every future: household, place, value, and the
    household's position among the known ones (its row in each future)."""

    h: I64
    p: I64
    v: F64
    known_pos: I64


class _Model:
    """The two-stage MIP, built one future at a time: ``x ≤ 1`` rows, all of them packing rows."""

    def __init__(self, today: _Today) -> None:
        self.today = today
        self.values: list[F64] = [today.v]
        self.n_cols = today.h.size
        self.n_rows = 0
        self.rows: list[I64] = []
        self.cols: list[I64] = []

    def add_future(
        self, w: World, cal: Calendar, d: int, end: int, known: I64, tmpl: I64, rel_new: I64, weight: float
    ) -> None:
        """The known households and one sample of unknown ones, each at most once; a place holds one
        stay on any day. Today's columns take part in both."""
        t = self.today
        hh = np.concatenate([known, tmpl])
        rel = np.concatenate([w.release[known], rel_new])
        first = cal.next_starts(np.maximum(rel, d))  # (households, places)
        live = w.eligible[hh] & (first < end) & (first < rel[:, None] + w.grace)
        a_idx, p_idx = np.nonzero(live)
        f = first[a_idx, p_idx]
        ch, cp, cs = [a_idx], [p_idx], [f]
        # the dominant later starts: the day another candidate's earliest stay at the place ends
        for p in np.unique(p_idx).tolist():
            mine = np.flatnonzero(p_idx == p)
            ends = np.unique(f[mine]) + w.stay
            ends = ends[ends < end]  # end <= days
            for e in ends[cal.ok[p, ends]].tolist():
                fit = mine[(f[mine] < e) & (rel[a_idx[mine]] + w.grace > e)]
                ch.append(a_idx[fit])
                cp.append(np.full(fit.size, p, dtype=np.int64))
                cs.append(np.full(fit.size, e, dtype=np.int64))
        h_, p_, s_ = np.concatenate(ch), np.concatenate(cp).astype(np.int64), np.concatenate(cs).astype(np.int64)
        mine_today = (h_ < known.size) & (s_ == d)  # those are today's shared columns
        h_, p_, s_ = h_[~mine_today], p_[~mine_today], s_[~mine_today]
        v = w.values_of(hh[h_], s_, rel[h_]).astype(float)
        ids = self.n_cols + np.arange(h_.size)
        self.n_cols += h_.size
        self.values.append(v * weight)
        # a household at most once
        base = self.n_rows
        self.n_rows += hh.size
        self.rows += [base + h_, base + t.known_pos]
        self.cols += [ids, np.arange(t.h.size)]
        # a place holds one stay on any day: the stays covering each start day
        pp = np.concatenate([p_, t.p])
        ss = np.concatenate([s_, np.full(t.h.size, d)])
        ii = np.concatenate([ids, np.arange(t.h.size)])
        for p in np.unique(pp).tolist():
            at = pp == p
            s_p, i_p = ss[at], ii[at]
            for day in np.unique(s_p).tolist():
                cover = (s_p <= day) & (day < s_p + w.stay)
                self.rows.append(np.full(int(cover.sum()), self.n_rows))
                self.cols.append(i_p[cover])
                self.n_rows += 1

    def solve(self, time_limit: float) -> list[int]:
        """Today's chosen columns (indices into :class:`_Today`)."""
        rows, cols = np.concatenate(self.rows), np.concatenate(self.cols)
        a = coo_matrix((np.ones(rows.size), (rows, cols)), shape=(self.n_rows, self.n_cols)).tocsr()
        res = milp(
            -np.concatenate(self.values),
            constraints=LinearConstraint(a, -np.inf, 1),
            integrality=np.ones(self.n_cols),
            bounds=Bounds(0, 1),
            options={"time_limit": time_limit, "mip_rel_gap": 1e-3, "disp": False},
        )
        if res.x is None:
            return []
        return np.flatnonzero(res.x[: self.today.h.size] > 0.5).tolist()
