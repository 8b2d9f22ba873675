"""A year of daily matching, simulated: arrivals over time, online policies, the hindsight optimum.

Why a simulator: the daily matcher is optimal for one day, but a municipality wants to know how
well day-by-day decisions do over a year, and how many rooms it needs. The stream format
``onderdak.stream/1`` and the result format ``onderdak.simresult/1`` are described in
``docs/stream-spec.md``. Pure like the rest of ``matcher``: no database, no web, no clock.

Public names:

- :func:`load_stream` / :func:`validate_stream` → :class:`Stream` (raises ``InstanceError``);
- :func:`simulate(stream, policy)` → :class:`SimResult`; :data:`POLICIES` (compared by default) and
  :data:`REFERENCES` (measured references, by name);
- :func:`hindsight(stream, time_limit=…)` → :class:`SimResult` with ``status`` and ``bound``;
- :func:`check_result(stream, result)` → list of breaches (empty when feasible).
"""

from __future__ import annotations

from .check import check_result
from .hindsight import hindsight
from .policies import POLICIES, REFERENCES
from .stream import SimResult, Stream, load_stream, validate_stream
from .year import simulate

__all__ = [
    "POLICIES",
    "REFERENCES",
    "SimResult",
    "Stream",
    "check_result",
    "hindsight",
    "load_stream",
    "simulate",
    "validate_stream",
]
