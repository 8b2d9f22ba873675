"""The online policies compared by the simulator.

- ``first-come``: households in announcement order each take the nearest eligible place that
  is free from the day they need it (their release day, or today if already evicted), as far
  ahead as the daily horizon reaches.
- ``greedy``: the same, but highest priority first and the *best* place rather than the
  nearest: the least versatile one that fits (a Coordinated-Access-style rule: keep the
  accessible, pet-friendly and large rooms for who needs them), then the nearest.
- ``daily-optimum``: the daily matcher itself (the steps of :func:`matcher.solve`) each day, on the
  waiting households and the places with every committed stay as ``busy``, the stay bounds set
  to ``stay_days``. What it proposes to start *today* is committed; proposals that start later
  in the horizon are not: in practice a proposal is confirmed when the household arrives, and
  tomorrow's run may improve on it with what becomes known overnight. (Committing them all at
  once would lock places for households who are not there yet; measured, it does no better.)
- ``anticipating``: each day, a look-ahead assignment of every known household (released or
  only announced) to a place and start within ``min(grace_days, stay_days)`` days, weighted by
  the contract's value ``priority × (grace_days - wait)``, with a small preference for the least
  versatile room. Only the stays that start today are committed; a household kept for a room
  that frees up in three days, or a room kept for a household evicted in five, is re-decided
  tomorrow. Because the look-ahead is at most one stay long, each place takes at most one new
  stay in it, so the daily problem is an assignment (scipy's ``linear_sum_assignment``); host
  limits are then enforced by dropping the least valuable stays that break them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import numpy as np
from scipy.optimize import linear_sum_assignment

from ..eligibility import eligible_pairs
from ..nptypes import I64
from ..run import instance_arrays
from ..settle import settle
from ..solve import solve_pairs
from .arrivals import unannounced
from .engine import DayView, Policy, Proposal
from .sampled import SampledFutures

POLICIES = ("first-come", "greedy", "daily-optimum", "anticipating")
"""The policies a comparison runs by default."""
REFERENCES = ("sampled-futures",)
"""Policies that can be run by name but are not compared by default: measured references
(:mod:`.sampled`: slower than a day's matching should be on a medium year)."""


def _book_in_order(view: DayView, order: Sequence[int], place_key: str) -> list[Proposal]:
    """Book each household of ``order`` into the first fitting place by ``place_key``; a scratch
    calendar keeps the bookings of one day from colliding."""
    w, d = view.world, view.day
    cal = view.calendar.copy()
    out: list[Proposal] = []
    for h in order:
        s = max(d, int(w.release[h]))
        if s >= d + w.horizon or s >= w.days:
            continue
        cand = np.flatnonzero(w.eligible[h] & cal.ok[:, s])
        if not cand.size:
            continue
        if place_key == "nearest":
            p = int(cand[np.lexsort((cand, w.km[h, cand]))[0]])
        else:
            p = int(cand[np.lexsort((cand, w.km[h, cand], w.versatility[cand]))[0]])
        cal.add(p, s)
        out.append((int(h), p, s))
    return out


class FirstCome:
    name = "first-come"

    def decide(self, view: DayView) -> Sequence[Proposal]:
        w = view.world
        order = sorted(view.waiting.tolist(), key=lambda h: (int(w.announced[h]), w.h_ids[h]))
        return _book_in_order(view, order, "nearest")


class Greedy:
    name = "greedy"

    def decide(self, view: DayView) -> Sequence[Proposal]:
        w = view.world
        order = sorted(
            view.waiting.tolist(), key=lambda h: (-int(w.priority[h]), int(w.release[h]), w.h_ids[h])
        )
        return _book_in_order(view, order, "best")


class DailyOptimum:
    """Today's matcher, unchanged, run once per simulated day."""

    name = "daily-optimum"

    def decide(self, view: DayView) -> Sequence[Proposal]:
        w, d = view.world, view.day
        horizon = min(w.horizon, w.days - d)
        ready = [int(h) for h in view.waiting if w.release[h] < d + horizon]
        if not ready:
            return []
        # the steps of matcher.solve up to the chosen pairs: the same placements, without the
        # explanations of the unplaced (a fifth of the time, and not needed here)
        a = instance_arrays(_instance(view, ready, horizon))
        pairs = eligible_pairs(a)
        chosen = settle(a, pairs, solve_pairs(a, pairs).chosen, list(a.h_ids))
        today = chosen[pairs.start[chosen] == 0]
        h_index = {w.h_ids[h]: h for h in ready}
        p_index = {pid: j for j, pid in enumerate(w.p_ids)}
        return [(h_index[a.h_ids[int(h)]], p_index[a.p_ids[int(p)]], d) for h, p in zip(
            pairs.h[today].tolist(), pairs.p[today].tolist(), strict=True)]


def _instance(view: DayView, households: list[int], horizon: int) -> dict[str, Any]:
    """The day's ``onderdak.instance/1``: waiting households, places with committed stays as busy."""
    w, d, st = view.world, view.day, view.world.stream
    pol = st.policy
    cal = view.calendar
    places = []
    for j, p in enumerate(st.places):
        doc = p.model_dump(mode="json")
        taken = ~cal.free[j] & w.base_free[j]  # committed stays (not availability, not original busy)
        busy = list(doc["busy"])
        edges = np.flatnonzero(np.diff(np.concatenate([[0], taken.astype(np.int8), [0]])))
        for a, b in zip(edges[::2].tolist(), edges[1::2].tolist(), strict=True):
            busy.append({"start": w.day(a).isoformat(), "end": w.day(b).isoformat()})
        doc["busy"] = busy
        # the simulated period ends: no stay may start after it (the calendar cuts it the same way)
        places.append(doc)
    hh = []
    for h in households:
        doc = st.households[h].model_dump(mode="json")
        doc.pop("announced", None)
        hh.append(doc)
    return {
        "format": "onderdak.instance/1",
        "planning_date": (st.start + timedelta(days=d)).isoformat(),
        "horizon_days": horizon,
        "policy": {
            "min_stay_days": pol.stay_days,
            "max_stay_days": pol.stay_days,
            "cost_sharing_age": pol.cost_sharing_age,
            "max_distance_km": pol.max_distance_km,
        },
        "households": hh,
        "places": places,
        "hosts": [h.model_dump(mode="json") for h in st.hosts],
    }


class Anticipating:
    """Look-ahead assignment on the year's value; commits only today's starts."""

    name = "anticipating"

    def __init__(self, tie_weight: int = 1, expected: float = 0.5, history_days: int = 90) -> None:
        self.tie_weight = tie_weight
        self.expected = expected
        self.history_days = history_days

    def _expected_arrivals(self, view: DayView, look: int) -> tuple[I64, I64]:
        """Households likely to become known in the next ``look`` days, as (template, release):
        copies of recently evicted households (all known by now), as many per day as arrived
        per day lately times the share of them that was announced later than today would be.

        Causal: only households announced on or before today are read, and the draw is seeded
        by the day."""
        w, d = view.world, view.day
        hist, expected = unannounced(w, d, look, self.history_days)
        if not hist.size:
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        mass = np.cumsum(expected) + 0.5  # rounded cumulatively: whole households, none lost
        counts: I64 = np.diff(np.floor(np.concatenate([[0.5], mass])).astype(np.int64))
        release = np.repeat(d + np.arange(1, look), counts)
        rng = np.random.default_rng(d)
        return hist[rng.integers(0, hist.size, release.size)], release.astype(np.int64)

    def decide(self, view: DayView) -> Sequence[Proposal]:
        w, d = view.world, view.day
        look = min(w.grace, w.stay)
        hs = view.waiting[w.release[view.waiting] < d + look]
        if not hs.size:
            return []
        real = hs.size
        rel = w.release[hs]
        weight_of = np.ones(real)
        if self.expected > 0:
            tmpl, prel = self._expected_arrivals(view, look)
            hs = np.concatenate([hs, tmpl])
            rel = np.concatenate([rel, prel])
            weight_of = np.concatenate([weight_of, np.full(tmpl.size, self.expected)])
        lowers = np.maximum(rel, d)
        starts = view.calendar.next_starts(lowers)  # (len(hs), n_p)
        value = w.values_of(hs[:, None], starts, rel[:, None]) * weight_of[:, None]
        usable = w.eligible[hs] & (starts < d + look) & (starts < w.days) & (value > 0)
        if not usable[:real].any():
            return []
        scale = int(w.versatility.max()) + 1
        weight = np.where(usable, value * scale * 4 - self.tie_weight * w.versatility[None, :], 0)
        rows, cols = linear_sum_assignment(weight, maximize=True)
        chosen = [(int(r), int(c)) for r, c in zip(rows, cols, strict=True) if usable[r, c]]
        chosen.sort(key=lambda rc: -int(weight[rc]))
        cal = view.calendar.copy()
        out: list[Proposal] = []
        for r, c in chosen:
            s = int(starts[r, c])
            if not cal.can_start(c, s):
                continue  # a host limit the assignment could not see
            cal.add(c, s)
            if s == d and r < real:
                out.append((int(hs[r]), c, s))
        return out


def make_policy(name: str) -> Policy:
    """The policy called ``name`` (one of :data:`POLICIES` or :data:`REFERENCES`)."""
    table: dict[str, type] = {
        "first-come": FirstCome,
        "greedy": Greedy,
        "daily-optimum": DailyOptimum,
        "anticipating": Anticipating,
        "sampled-futures": SampledFutures,
    }
    if name not in table:
        raise ValueError(f"unknown policy {name!r}; choose one of {', '.join(POLICIES + REFERENCES)}")
    policy: Policy = table[name]()
    return policy
