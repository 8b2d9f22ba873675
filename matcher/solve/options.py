"""`SolverOptions`: every knob of the solver in one frozen value.

Why one object: the knobs used to be loose keyword arguments and module constants that tests
patched; one immutable value passed down the call chain makes a run reproducible from its
options alone and lets a test change a knob without touching module state.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

Method = Literal["auto", "min_cost_flow"]


@dataclass(frozen=True)
class SolverOptions:
    """How to solve; the defaults are the measured best (see matcher-notes.md).

    - ``time_limit``: seconds for the whole solve (``None``: no limit), counted from the call
      of :func:`matcher.solve`. When it is reached the best solution found so far is returned
      with ``status: feasible`` and a bound per level where known. The promise is "T plus a
      constant": the deadline is checked after every flow stage (also inside search nodes), so the search
      overruns it by at most one flow stage; on top of that come the steps that run
      whatever the limit, because without them there is no answer at all: reading and
      checking the instance, eligibility, the solver's setup (level values, host constraints,
      components), the greedy incumbent for every part the deadline left no time for, the
      settle pass, the explanations of the unplaced households and the ``Solution`` model.
      Measured with ``time_limit=0`` on host-heavy instances from their dict
      (``python -m benchmarks.bench_matcher --sizes 1000x5000,3000x15000 --time-limits 0``):
      it grows with the number of eligible pairs. :func:`matcher.solve` keeps that constant
      small on a busy machine: the time its preparation took sets the pace, no flow is
      started that would not end in time (the greedy incumbent instead, on each household's
      nearest pairs only), and explanations turn brief when little time is left.
    - ``method``: ``"auto"`` solves each flow stage as a sparse assignment (scipy) and accepts
      it only when exact potentials certify it, else OR-Tools min-cost flow; ``"min_cost_flow"``
      always uses OR-Tools (the reference path, slower).
    - ``candidates_per_household`` / ``cg_min_arcs``: column generation starts from this many
      arcs per household, and only on stages with at least ``cg_min_arcs`` arcs.
    - ``guess_max_fraction``: the guess-and-verify shortcut of the host-limit search is tried
      while its restricted pair set is at most this fraction of the part (0 turns it off).
    - ``reduced_cost_fixing``: drop pairs that no solution better than the incumbent can use
      before the branch and bound (exact; off only to test that it is).
    - ``dive_rounds``: rounds of the dive that finds a first host-feasible incumbent.
    - ``lap_certify_rounds``: Bellman-Ford rounds allowed to certify a fast-path assignment.

    There is no ``threads`` knob: every solver used here (scipy's LAPJVsp, OR-Tools
    ``SimpleMinCostFlow``) is single-threaded, and a knob that does nothing would mislead.
    """

    time_limit: float | None = None
    method: Method = "auto"
    candidates_per_household: int = 48
    cg_min_arcs: int = 50_000
    guess_max_fraction: float = 0.5
    reduced_cost_fixing: bool = True
    dive_rounds: int = 6
    lap_certify_rounds: int = 500

    def __post_init__(self) -> None:
        if self.time_limit is not None and not (math.isfinite(self.time_limit) and self.time_limit >= 0):
            raise ValueError(f"time_limit must be a finite number of seconds >= 0, not {self.time_limit!r}")
        if self.method not in ("auto", "min_cost_flow"):
            raise ValueError(f"method must be 'auto' or 'min_cost_flow', not {self.method!r}")
        if self.candidates_per_household < 1 or self.cg_min_arcs < 0:
            raise ValueError("candidates_per_household must be >= 1 and cg_min_arcs >= 0")
        if not 0.0 <= self.guess_max_fraction <= 1.0:
            raise ValueError("guess_max_fraction must be between 0 and 1")
        if self.dive_rounds < 0 or self.lap_certify_rounds < 0:
            raise ValueError("dive_rounds and lap_certify_rounds must be >= 0")
