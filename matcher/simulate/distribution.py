"""Two figures of one simulated year besides its totals: how long households waited, and how full the places were.

Why these two: a policy's mean and p95 wait hide whether many households wait a day or a few wait a month,
and its value hides whether rooms stand empty while others wait. The comparison page draws both per policy
(a bar chart of :func:`wait_histogram`, a line of :func:`weekly_occupancy`); a comparison averages them
over its seeds (:func:`mean_series`).

Both are computed from a result's placements and the stream alone (no :class:`~.world.World`), so they
apply to any ``onderdak.simresult/1`` of the stream, hindsight's included.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .stream import SimResult, Stream

# Waits in days from the eviction (release) day to the start of the stay, inclusive bounds; ``None`` is
# open-ended. The bounds follow the practice: the same day, a weekend, the first week, the second, the
# first four weeks, longer. The last bucket of :func:`wait_histogram` counts the households never placed.
WAIT_BUCKETS: tuple[tuple[int, int | None], ...] = ((0, 0), (1, 2), (3, 7), (8, 14), (15, 28), (29, None))
NOT_PLACED = "not placed"


def wait_bucket_labels() -> list[str]:
    """``0``, ``1-2``, …, ``>28`` and ``not placed``: the labels of :func:`wait_histogram`'s counts."""
    labels = [f"{lo}" if lo == hi else (f">{lo - 1}" if hi is None else f"{lo}-{hi}") for lo, hi in WAIT_BUCKETS]
    return [*labels, NOT_PLACED]


def waits(stream: Stream, result: SimResult) -> list[int]:
    """Per placement, in order, the days from its household's release to the start of its stay."""
    release = {h.id: h.release_date for h in stream.households}
    return [(p.start - release[p.household]).days for p in result.placements]


def wait_histogram(stream: Stream, result: SimResult) -> list[int]:
    """Households by wait in days, one count per :data:`WAIT_BUCKETS` entry, then those not placed.

    The counts add up to the stream's households (a wait is never negative: the engine starts no stay
    before the release day)."""
    counts = [0] * (len(WAIT_BUCKETS) + 1)
    for wait in waits(stream, result):
        for k, (lo, hi) in enumerate(WAIT_BUCKETS):
            if wait >= lo and (hi is None or wait <= hi):
                counts[k] += 1
                break
    counts[-1] = len(stream.households) - len(result.placements)
    return counts


def weekly_occupancy(stream: Stream, result: SimResult) -> list[float]:
    """Per week of the simulated days (the last one may be short), the share of places occupied.

    A place counts on a day when it is available then (``available_from`` ≤ day < ``available_until``);
    it is occupied on such a day when a simulated stay (``start`` ≤ day < ``end``) or a stay it already had
    (``busy``) covers it. A week's share is occupied place-days / available place-days; a week without an
    available place is 0."""
    days, t0 = stream.days, stream.start.toordinal()
    index = {p.id: j for j, p in enumerate(stream.places)}
    available = np.zeros((len(stream.places), days), dtype=bool)
    occupied = np.zeros_like(available)

    def span(start: int, end: int | None) -> slice:
        return slice(max(0, start - t0), days if end is None else max(0, min(days, end - t0)))

    for j, place in enumerate(stream.places):
        until = place.available_until.toordinal() if place.available_until is not None else None
        available[j, span(place.available_from.toordinal(), until)] = True
        for busy in place.busy:
            occupied[j, span(busy.start.toordinal(), busy.end.toordinal())] = True
    for stay in result.placements:
        occupied[index[stay.place], span(stay.start.toordinal(), stay.end.toordinal())] = True
    occupied &= available
    shares = []
    for week in range(0, days, 7):
        free_days = int(available[:, week : week + 7].sum())
        shares.append(int(occupied[:, week : week + 7].sum()) / free_days if free_days else 0.0)
    return shares


def mean_series(series: Sequence[Sequence[float]]) -> list[float]:
    """The element-wise mean of equally long series (the seeds of one policy); empty without any."""
    if not series:
        return []
    return [float(x) for x in np.asarray(series, dtype=float).mean(axis=0)]
