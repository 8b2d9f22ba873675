"""The exact solver: five lexicographic levels over the eligible pairs.

Why it is built this way (see /work/shared/matcher-notes.md for the measurements):

* Because ``horizon_days <= min_stay_days`` each place takes at most one new household and
  every eligible pair has fixed dates, so without host limits the problem is a weighted
  bipartite matching, i.e. a min-cost flow (:mod:`.face`).
* The five levels cannot be folded into one integer weight at national scale, so they are
  folded only as far as they provably fit and the rest is solved in stages on the optimal
  face (:mod:`.lexicographic`); each stage is tried as a sparse assignment first
  (:mod:`.assignment`) and certified by exact potentials.
* Host limits: the limit on the last horizon day is a network capacity (a gadget,
  :mod:`.network`); the other days are explicit constraints (:mod:`.hosts`) handled by the
  host-limit search (:mod:`.host_search`) where the flow optimum breaks one.
* :mod:`.driver` puts it together part by part; :mod:`.options` holds every knob.

Modules:

- ``options``: :class:`SolverOptions`, the frozen set of knobs (time limit, method, ...).
- ``levels``: the five levels as values per pair; objective and bound of a selection.
- ``problem``: the shared context of one solve (:class:`Problem`), :class:`Outcome`, errors.
- ``network``: connected parts, host gadgets, index helpers.
- ``hosts``: per-day host constraints, the feasibility check and the greedy repair.
- ``face``: the flow model optimised stage by stage on its optimal face.
- ``assignment``: the fast path of a stage as a sparse assignment problem.
- ``lexicographic``: folding levels into stage weights; :func:`solve_flow`.
- ``host_search``: incumbent, reduced-cost fixing and branch and bound on host limits.
- ``driver``: :func:`solve_pairs`.
"""

from __future__ import annotations

from .driver import solve_pairs
from .hosts import HostConstraint, host_constraints, host_feasible
from .levels import LEVEL_NAMES, N_LEVELS, level_values, objective_of, objective_values
from .network import Gadgets, components, host_gadgets
from .options import SolverOptions
from .problem import Outcome, Problem, SolverError

__all__ = [
    "LEVEL_NAMES",
    "N_LEVELS",
    "Gadgets",
    "HostConstraint",
    "Outcome",
    "Problem",
    "SolverError",
    "SolverOptions",
    "components",
    "host_constraints",
    "host_feasible",
    "host_gadgets",
    "level_values",
    "objective_of",
    "objective_values",
    "solve_pairs",
]
