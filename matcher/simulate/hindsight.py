"""The hindsight optimum: the best value of the year with every household known in advance.

A time-indexed CP-SAT model, in the OR-Tools samples' order:

- data: for every pair meeting rules E1–E9, the starts ``s`` in
  ``[max(release, 0), release + grace_days)`` inside the simulated days at which the place is
  free for the whole stay on its own (later starts are worth 0, so they are left out);
- variables: ``x[h, p, s]`` (household h starts at place p on day s) and
  ``y[p, s] = Σ_h x[h, p, s]`` (some stay starts at p on day s);
- constraints: each household at most once; each place at most one stay on any day
  (``Σ_{s in (t - stay, t]} y[p, s] <= 1``); each limited host at most ``max_households``
  guests on any day, busy stays included;
- objective: maximise ``Σ priority × (grace - wait) × x``.

Per-day sums (rather than interval no-overlap) give CP-SAT a linear relaxation that is nearly
tight (interval matrices are totally unimodular), which is what proves the bound quickly.
"""

from __future__ import annotations

import time

import numpy as np
from ortools.sat.python import cp_model

from .engine import Stay, result_of
from .stream import SimResult, Stream
from .world import Calendar, World


def hindsight(
    stream: Stream, *, time_limit: float = 120.0, workers: int = 2, world: World | None = None, gap: float = 0.0
) -> SimResult:
    """Solve the year offline; ``status`` is ``optimal`` when proven, else ``feasible`` with the bound.

    ``gap`` is a relative gap at which to stop early (0: prove optimality or run to the limit).
    """
    t_start = time.perf_counter()
    w = world if world is not None else World.build(stream)
    ok = Calendar(w).ok  # free and within the host limit for the whole stay, on its own
    h_list, p_list, s_list, val_list = _candidates(w, ok)
    model = cp_model.CpModel()
    n = len(h_list)
    x = [model.new_bool_var(f"x{i}") for i in range(n)]
    _one_stay_per_household(model, x, h_list)
    y_terms = _starts_per_place(w, x, p_list, s_list)
    _one_household_per_place_per_day(model, w, y_terms)
    _host_limits(model, w, y_terms)
    model.maximize(sum(v * xi for v, xi in zip(val_list, x, strict=True)))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.01, time_limit)
    solver.parameters.num_workers = max(1, workers)
    solver.parameters.relative_gap_limit = gap
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        # no solution within the limit: nothing placed is always feasible
        bound = int(sum(val_list))
        return result_of(w, "hindsight", [], time.perf_counter() - t_start, status="feasible", bound=bound)
    stays = [
        Stay(h_list[i], p_list[i], s_list[i], decided_on=0) for i in range(n) if solver.boolean_value(x[i])
    ]
    value = int(round(solver.objective_value))
    proven = status == cp_model.OPTIMAL and gap == 0.0
    bound = value if proven else int(np.floor(solver.best_objective_bound + 1e-6))
    return result_of(
        w, "hindsight", stays, time.perf_counter() - t_start, status="optimal" if proven else "feasible",
        bound=max(bound, value),
    )


def _candidates(w: World, ok: np.ndarray) -> tuple[list[int], list[int], list[int], list[int]]:
    """Every (household, place, start) with a positive value that fits on its own."""
    hs, ps, ss, vs = [], [], [], []
    for h in range(w.n_h):
        rel = int(w.release[h])
        lo, hi = max(rel, 0), min(rel + w.grace, w.days)
        if lo >= hi or not w.priority[h]:
            continue
        places = np.flatnonzero(w.eligible[h])
        if not places.size:
            continue
        sub = ok[places, lo:hi]
        pi, si = np.nonzero(sub)
        for p, s in zip(places[pi].tolist(), (si + lo).tolist(), strict=True):
            hs.append(h)
            ps.append(p)
            ss.append(s)
            vs.append(w.value_of(h, s))
    return hs, ps, ss, vs


def _one_stay_per_household(model: cp_model.CpModel, x: list[cp_model.IntVar], h_list: list[int]) -> None:
    """A household is placed at most once."""
    by_h: dict[int, list[cp_model.IntVar]] = {}
    for xi, h in zip(x, h_list, strict=True):
        by_h.setdefault(h, []).append(xi)
    for terms in by_h.values():
        if len(terms) > 1:
            model.add_at_most_one(terms)


def _starts_per_place(
    w: World, x: list[cp_model.IntVar], p_list: list[int], s_list: list[int]
) -> dict[tuple[int, int], list[cp_model.IntVar]]:
    """The x variables of each (place, start day): a y[p, s] term each."""
    terms: dict[tuple[int, int], list[cp_model.IntVar]] = {}
    for xi, p, s in zip(x, p_list, s_list, strict=True):
        terms.setdefault((p, s), []).append(xi)
    return terms


def _one_household_per_place_per_day(
    model: cp_model.CpModel, w: World, y_terms: dict[tuple[int, int], list[cp_model.IntVar]]
) -> None:
    """A place holds at most one household on any day: starts less than a stay apart exclude each other."""
    by_place: dict[int, dict[int, list[cp_model.IntVar]]] = {}
    for (p, s), terms in y_terms.items():
        by_place.setdefault(p, {})[s] = terms
    for starts in by_place.values():
        days = sorted(starts)
        y = {s: _sum_var(model, starts[s]) for s in days}
        # one constraint per maximal window of starts that pairwise overlap: [s, s + stay)
        last_end = -1
        for i, s in enumerate(days):
            window = [d for d in days[i:] if d < s + w.stay]
            end = window[-1]
            if end <= last_end:
                continue  # contained in the previous window
            last_end = end
            if len(window) > 1 or len(starts[s]) > 1:
                model.add(sum(y[d] for d in window) <= 1)


def _sum_var(model: cp_model.CpModel, terms: list[cp_model.IntVar]) -> cp_model.LinearExprT:
    if len(terms) == 1:
        return terms[0]
    v = model.new_bool_var("")
    model.add(v == sum(terms))
    return v


def _host_limits(model: cp_model.CpModel, w: World, y_terms: dict[tuple[int, int], list[cp_model.IntVar]]) -> None:
    """A limited host has at most max_households guests on any day, busy stays included."""
    if not w.host_limit.size:
        return
    by_host: dict[int, list[tuple[int, list[cp_model.IntVar]]]] = {}
    for (p, s), terms in y_terms.items():
        k = int(w.p_host[p])
        if k >= 0:
            by_host.setdefault(k, []).append((s, terms))
    for k, items in by_host.items():
        room = w.host_limit[k] - w.host_base[k]
        # between two events (a candidate start, a rise of the busy count) the covering stays only
        # leave and the room only grows, so checking the event days suffices
        rises = np.flatnonzero(np.diff(w.host_base[k]) > 0) + 1
        events = sorted({s for s, _ in items} | set(rises.tolist()))
        for t in events:
            cover = [xi for s, terms in items if t - w.stay < s <= t for xi in terms]
            if len(cover) > int(room[t]):
                model.add(sum(cover) <= max(0, int(room[t])))
