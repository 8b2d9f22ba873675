"""Onderdak matcher: households to shelter places, exact under the five-level objective.

Public API (the rest of the project relies on these names):

- ``Instance`` / ``Solution``: Pydantic models of ``onderdak.instance/1`` and
  ``onderdak.solution/1``; ``Solution.model_dump(mode="json")`` gives the spec JSON.
- ``solve(instance, *, time_limit_s=None, language="nl", options=None) -> Solution``;
  ``options`` is a ``SolverOptions`` (time limit, method and the solver's other knobs). Each unplaced
  entry is ``{"household", "reasons", "reasons_en"}``: ``reasons`` in ``language``
  (Dutch by default), ``reasons_en`` always in English. The solution also carries
  ``language``, ``matcher_version`` and, when a time limit stopped the search
  (``status: feasible``), ``bound`` per level where known.
- ``validate(data) -> Instance``, raising ``InstanceError`` whose ``.problems`` is a list
  of ``(json_path, message)``.
- ``check(instance, solution) -> list[str]``: breaches of the hard rules (empty if none);
  ``assert_valid`` raises ``SolutionError`` instead.
- ``matcher.eligibility.explain_pair(instance, household_id, place_id) -> list[str]``.
- ``MATCHER_VERSION``.

The package imports nothing from the rest of the project and never reads the environment.
"""

import time as _time

#: when the package began to import: ``python -m matcher solve --time-limit T`` counts T from
#: here, so numpy, scipy and the rest of the imports are inside the limit, not on top of it
IMPORT_STARTED = _time.perf_counter()

from .check import SolutionError, assert_valid, check  # noqa: E402  (after the clock reading above)
from .run import MATCHER_VERSION, solve  # noqa: E402  (after the clock reading above)
from .schema import Instance, InstanceError, Solution, validate  # noqa: E402  (after the clock reading above)
from .solve.options import SolverOptions  # noqa: E402  (after the clock reading above)

__all__ = [
    "MATCHER_VERSION",
    "Instance",
    "InstanceError",
    "Solution",
    "SolutionError",
    "SolverOptions",
    "assert_valid",
    "check",
    "solve",
    "validate",
]
