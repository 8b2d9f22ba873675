"""The day loop: what a policy may see and do each day, and the result it leaves.

Causality is enforced here, not trusted to the policies: on day ``d`` a policy is shown only
households announced on or before ``d`` and not yet placed, and the engine commits a proposed
stay only when it starts on or after ``d`` (and on or after the release day), the pair meets
rules E1–E9 and the calendar has room. A committed stay is never undone.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from ..nptypes import I64
from .stream import SimPlacement, SimResult, Stream
from .world import Calendar, World


@dataclass(frozen=True)
class DayView:
    """What a policy sees on day ``day``: the waiting households it knows of and the calendar."""

    world: World
    calendar: Calendar
    day: int
    waiting: I64  # household indices: announced <= day, not placed


Proposal = tuple[int, int, int]  # (household, place, start day offset)


class Policy(Protocol):
    """A rule that, each day, proposes stays for households it can see."""

    name: str

    def decide(self, view: DayView) -> Sequence[Proposal]: ...


@dataclass(frozen=True)
class Stay:
    household: int
    place: int
    start: int
    decided_on: int


def run_policy(stream: Stream, pol: Policy, *, world: World | None = None) -> SimResult:
    """Run ``pol`` over the stream's days and return its result (``onderdak.simresult/1``)."""
    t_start = time.perf_counter()
    w = world if world is not None else World.build(stream)
    cal = Calendar(w)
    placed = np.zeros(w.n_h, dtype=bool)
    stays: list[Stay] = []
    by_announce = np.argsort(w.announced, kind="stable")
    ann_sorted = w.announced[by_announce]
    for d in range(w.days):
        known = by_announce[: int(np.searchsorted(ann_sorted, d, side="right"))]
        waiting = np.sort(known[~placed[known]])
        if not waiting.size:
            continue
        for h, p, s in pol.decide(DayView(w, cal, d, waiting)):
            if placed[h] or w.announced[h] > d or s < max(d, int(w.release[h])):
                continue
            if not w.eligible[h, p] or not cal.can_start(p, s):
                continue
            cal.add(p, s)
            placed[h] = True
            stays.append(Stay(h, p, s, d))
    return result_of(w, pol.name, stays, time.perf_counter() - t_start)


def year_value(w: World, stays: Iterable[Stay]) -> int:
    """The contract's value of a set of stays: the sum of ``priority × max(0, grace - wait)``."""
    return sum(w.value_of(st.household, st.start) for st in stays)


def result_of(
    w: World, policy: str, stays: list[Stay], seconds: float, *, status: str | None = None, bound: int | None = None
) -> SimResult:
    """The result document of a set of stays, with the contract's value and summary figures."""
    stays = sorted(stays, key=lambda st: (st.start, w.h_ids[st.household]))
    waits = [st.start - int(w.release[st.household]) for st in stays]
    return SimResult(
        policy=policy,
        value=year_value(w, stays),
        placed=len(stays),
        sheltered_on_release_day=sum(1 for x in waits if x == 0),
        mean_wait=round(float(np.mean(waits)), 3) if waits else 0.0,
        placements=[
            SimPlacement(
                household=w.h_ids[st.household],
                place=w.p_ids[st.place],
                start=w.day(st.start),
                end=w.day(st.start + w.stay),
                decided_on=w.day(st.decided_on),
            )
            for st in stays
        ],
        seconds=round(seconds, 3),
        status=status,  # type: ignore[arg-type]
        bound=bound,
    )
