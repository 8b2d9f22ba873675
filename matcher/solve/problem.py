"""What every solver step shares: the pairs with their level values, the host gadgets, the
options and the deadline (one `Problem`), and what a step returns (`Outcome`).

Why a context object: the steps of the host-limit search need the same five or six inputs;
passing them as one frozen value keeps the signatures short and makes clear that none of
them changes during a solve.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from ..eligibility import Pairs
from ..nptypes import I32, I64, Bool
from .levels import N_LEVELS
from .network import Gadgets
from .options import SolverOptions


class SolverError(RuntimeError):
    """An internal inconsistency (a bug), never a property of the input."""


@dataclass
class Outcome:
    """Chosen pair indices, whether all five levels are proven optimal, and bounds if not."""

    chosen: I64
    optimal: bool = True
    bound: list[int | None] = field(default_factory=lambda: [None] * N_LEVELS)


@dataclass(frozen=True)
class Problem:
    """One solve: `vals` is :func:`~matcher.solve.levels.level_values` of `pairs`."""

    vals: I32
    pairs: Pairs
    gadget: Gadgets
    options: SolverOptions
    deadline: float | None = None
    #: seconds per eligible pair that a flow over a part is expected to take (0: unknown)
    pace: float = 0.0

    @property
    def n_pairs(self) -> int:
        return len(self.pairs)

    def expired(self) -> bool:
        """Whether the time limit has been reached (never without one)."""
        return self.deadline is not None and time.perf_counter() > self.deadline

    def affords(self, n_pairs: int) -> bool:
        """Whether a flow over `n_pairs` pairs is expected to end before the deadline.

        Why: a flow stage cannot be interrupted, so starting one that cannot end in time
        breaks the time limit by the whole stage; the greedy is then the better answer.
        The pace comes from the caller's own measurement on this machine, now (see
        :func:`matcher.run.solve`), so a busy machine is accounted for.
        """
        if self.deadline is None:
            return True
        return time.perf_counter() + self.pace * n_pairs <= self.deadline

    def mask(self, chosen: I64) -> Bool:
        """A boolean mask over all pairs with `chosen` set."""
        out = np.zeros(self.n_pairs, dtype=bool)
        out[chosen] = True
        return out
