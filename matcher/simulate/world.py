"""The static side of a stream as arrays, and the changing calendar of places and hosts.

Eligibility (rules E1–E9) comes from the matcher's own rule masks
(:func:`matcher.eligibility.static_rule_masks`, :func:`matcher.eligibility.distance_km`), so a
simulated stay obeys exactly the rules a daily run obeys. Time (E10) is the simulator's own:
every stay lasts exactly ``stay_days``, so a place fits a stay starting on day ``s`` when it is
free on every day of ``[s, s + stay_days)`` and no host limit is reached on those days.

All days are integer offsets from the stream's ``start``; the calendar runs to
``days + stay_days`` so that a stay starting on the last day fits on it.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from ..eligibility import build_arrays, distance_km, static_rule_masks
from ..nptypes import F64, I64, Bool
from ..schema import Household, Instance, Policy
from .stream import Stream


def _window_all(ok: Bool, length: int) -> Bool:
    """(rows, T) → (rows, T): True at s where ok holds on every day of [s, s + length)."""
    rows, t = ok.shape
    bad = np.concatenate([np.zeros((rows, 1), np.int64), np.cumsum(~ok, axis=1, dtype=np.int64)], axis=1)
    out = np.zeros((rows, t), dtype=bool)
    if length <= t:
        out[:, : t - length + 1] = (bad[:, length:] - bad[:, : t - length + 1]) == 0
    return out


@dataclass(frozen=True)
class World:
    """What does not change during a simulation."""

    stream: Stream
    days: int
    stay: int
    grace: int
    horizon: int
    n_h: int
    n_p: int
    h_ids: tuple[str, ...]
    p_ids: tuple[str, ...]
    release: I64  # offset from start (may be negative: evicted before the year began)
    announced: I64
    priority: I64
    eligible: Bool  # (n_h, n_p) rules E1–E9
    km: F64  # (n_h, n_p)
    base_free: Bool  # (n_p, T) inside availability and outside busy stays
    p_host: I64  # index of the place's limited host, -1 when none
    host_limit: I64
    host_base: I64  # (n_hosts, T) busy stays per limited host and day
    versatility: I64  # per place: features a household may not need (keep such rooms for who does)

    @property
    def timeline(self) -> int:
        return self.days + self.stay

    def day(self, offset: int) -> date:
        return date.fromordinal(self.stream.start.toordinal() + offset)

    def foreseen(self) -> World:
        """This world with every household announced before the year began: what hindsight knows.
        Not for an online policy (it breaks causality); hindsight starts from a policy run on it, and
        the comparison's foresight reference row measures with it what information is worth."""
        return dataclasses.replace(self, announced=np.minimum(self.announced, -self.days - 1))

    def told_earlier(self, days: int) -> World:
        """This world with every household announced ``days`` days earlier: the same year, had the
        bailiff's notice reached the municipality sooner. A policy run on it is causal in *that* world,
        so the comparison's notice rows measure what earlier signals would be worth (the profile's
        ``lead_days`` shifted by ``days`` generates the same year, announced that much earlier)."""
        return dataclasses.replace(self, announced=self.announced - days)

    def value_of(self, h: int, start: int) -> int:
        """priority × max(0, grace - wait): the contract's value of one stay."""
        return int(self.values_of(np.array([h]), np.array([start]))[0])

    def values_of(self, h: I64, start: I64, release: I64 | None = None) -> I64:
        """:meth:`value_of` element by element (numpy broadcasting). ``release``: the households' own
        unless given, as for a sampled household that copies ``h`` but is evicted another day."""
        rel = self.release[h] if release is None else release
        out: I64 = self.priority[h] * np.maximum(0, self.grace - (start - rel))
        return out

    @staticmethod
    def build(stream: Stream) -> World:
        pol = stream.policy
        t0 = stream.start.toordinal()
        inst = Instance.model_construct(
            format="onderdak.instance/1",
            planning_date=stream.start,
            horizon_days=1,
            policy=Policy.model_construct(
                min_stay_days=pol.stay_days,
                max_stay_days=pol.stay_days,
                cost_sharing_age=pol.cost_sharing_age,
                max_distance_km=pol.max_distance_km,
            ),
            households=[Household.model_construct(**dict(h)) for h in stream.households],
            places=list(stream.places),
            hosts=list(stream.hosts),
        )
        a = build_arrays(inst)
        rows = np.arange(a.n_h, dtype=np.int64)
        if a.n_h and a.n_p:
            masks = static_rule_masks(a, rows)
            eligible = np.logical_and.reduce(list(masks.values()))
            km = distance_km(a, rows)
            if a.max_km is not None:
                eligible &= km <= a.max_km
        else:
            eligible = np.zeros((a.n_h, a.n_p), dtype=bool)
            km = np.zeros((a.n_h, a.n_p))
        t_len = stream.days + pol.stay_days
        free = np.zeros((len(stream.places), t_len), dtype=bool)
        limits = {h.id: h.max_households for h in stream.hosts}
        limited = sorted({p.host_id for p in stream.places if p.host_id in limits})
        host_index = {hid: k for k, hid in enumerate(limited)}
        host_base = np.zeros((len(limited), t_len), dtype=np.int64)
        p_host = np.full(len(stream.places), -1, dtype=np.int64)
        for j, p in enumerate(stream.places):
            lo = max(0, p.available_from.toordinal() - t0)
            hi = t_len if p.available_until is None else min(t_len, p.available_until.toordinal() - t0)
            if hi > lo:
                free[j, lo:hi] = True
            k = host_index.get(p.host_id) if p.host_id is not None else None
            if k is not None:
                p_host[j] = k
            for b in p.busy:
                bl, bh = max(0, b.start.toordinal() - t0), min(t_len, b.end.toordinal() - t0)
                if bh > bl:
                    free[j, bl:bh] = False
                    if k is not None:
                        host_base[k, bl:bh] += 1
        versatility = (
            np.minimum(a.p_capacity, 12) + 3 * a.p_access.astype(np.int64) + 2 * a.p_pets.astype(np.int64)
            + a.p_children.astype(np.int64) + 2 * (~a.p_is_host).astype(np.int64)
        )
        return World(
            stream=stream,
            days=stream.days,
            stay=pol.stay_days,
            grace=pol.grace_days,
            horizon=pol.horizon_days,
            n_h=a.n_h,
            n_p=a.n_p,
            h_ids=a.h_ids,
            p_ids=a.p_ids,
            release=np.array([h.release_date.toordinal() - t0 for h in stream.households], dtype=np.int64),
            announced=np.array([h.announced.toordinal() - t0 for h in stream.households], dtype=np.int64),
            priority=np.array([h.priority for h in stream.households], dtype=np.int64),
            eligible=eligible,
            km=km,
            base_free=free,
            p_host=p_host,
            host_limit=np.array([limits[h] for h in limited], dtype=np.int64),
            host_base=host_base,
            versatility=versatility.astype(np.int64),
        )


@dataclass
class Calendar:
    """Which place is taken on which day, and how many guests each limited host has per day.

    ``ok[p, s]`` says whether a stay of ``stay_days`` may start at place p on day s (free and
    within the host limit on every day of it, and s inside the simulated days); it is kept up
    to date place by place as stays are added.
    """

    world: World
    free: Bool = field(init=False)
    host_count: I64 = field(init=False)
    ok: Bool = field(init=False)

    def __post_init__(self) -> None:
        w = self.world
        self.free = w.base_free.copy()
        self.host_count = w.host_base.copy()
        self.ok = np.zeros_like(self.free)
        self._refresh(np.arange(w.n_p))

    def copy(self) -> Calendar:
        other = Calendar.__new__(Calendar)
        other.world = self.world
        other.free, other.host_count, other.ok = self.free.copy(), self.host_count.copy(), self.ok.copy()
        return other

    def _refresh(self, places: I64) -> None:
        w = self.world
        ok = _window_all(self.free[places], w.stay)
        hosts = w.p_host[places]
        lim = hosts >= 0
        if lim.any():
            room = self.host_count[hosts[lim]] < w.host_limit[hosts[lim]][:, None]
            ok[lim] &= _window_all(room, w.stay)
        ok[:, w.days :] = False
        self.ok[places] = ok

    def can_start(self, p: int, s: int) -> bool:
        return 0 <= s < self.world.days and bool(self.ok[p, s])

    def add(self, p: int, s: int) -> None:
        """Book place p for [s, s + stay_days); the caller checked :meth:`can_start`."""
        w = self.world
        self.free[p, s : s + w.stay] = False
        k = int(w.p_host[p])
        if k >= 0:
            self.host_count[k, s : s + w.stay] += 1
            self._refresh(np.flatnonzero(w.p_host == k))
        else:
            self._refresh(np.array([p], dtype=np.int64))

    def next_start(self, lower: int) -> I64:
        """Per place, the earliest day >= lower on which a stay may start (``days`` if none)."""
        w = self.world
        if lower >= w.days:
            return np.full(w.n_p, w.days, dtype=np.int64)
        seg = self.ok[:, lower : w.days]
        has = seg.any(axis=1)
        first = np.argmax(seg, axis=1) + lower
        return np.where(has, first, w.days).astype(np.int64)

    def next_starts(self, lowers: I64) -> I64:
        """(len(lowers), n_p): earliest feasible start >= each lower bound, ``days`` if none."""
        w = self.world
        idx = np.where(self.ok[:, : w.days], np.arange(w.days)[None, :], w.days)
        nxt = np.minimum.accumulate(idx[:, ::-1], axis=1)[:, ::-1]
        nxt = np.concatenate([nxt, np.full((w.n_p, 1), w.days)], axis=1)
        lo = np.clip(lowers, 0, w.days)
        out: I64 = nxt[:, lo].T.astype(np.int64)
        return out
