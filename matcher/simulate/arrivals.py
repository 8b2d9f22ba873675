"""Who is likely still unannounced: the arrival estimate the look-ahead policies share.

Why one place: ``anticipating`` (expected arrivals, rounded) and ``sampled-futures`` (Poisson
samples) both need the same causal estimate, and a change to it (more history, seasonality) should
reach both.
"""

from __future__ import annotations

import numpy as np

from ..nptypes import F64, I64
from .world import World


def unannounced(w: World, d: int, look: int, history_days: int) -> tuple[I64, F64]:
    """On day ``d``: the households to copy (evicted in the last ``history_days`` days, all known by
    now) and, for each day ``d + k`` with ``1 <= k < look``, how many households evicted that day are
    expected not to be announced yet: as many per day as were evicted per day lately, times the share
    of them whose notice was shorter than ``k`` days. Nothing (two empty arrays) in the first week
    or with fewer than three to learn from.

    Causal: only households announced on or before ``d`` are read."""
    lo = max(0, d - history_days)
    hist = np.flatnonzero((w.announced <= d) & (w.release < d) & (w.release >= lo))
    if d < 7 or hist.size < 3:
        return np.zeros(0, np.int64), np.zeros(0)
    rate = hist.size / (d - lo)
    leads = w.release[hist] - w.announced[hist]
    ks = np.arange(1, look)
    unknown = (leads[None, :] < ks[:, None]).mean(axis=1)  # P(not yet announced | evicted on d + k)
    expected: F64 = rate * unknown
    return hist, expected
