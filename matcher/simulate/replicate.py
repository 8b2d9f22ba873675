"""Replications of a profile run through one small executor interface.

Why an interface: a comparison is many independent (profile, seed, load) runs; on a laptop they
run in a process pool, on a cluster they could run elsewhere. An executor is anything with
``map(fn, items) -> list`` that preserves order. To plug in Dask, wrap a
``distributed.Client``: ``map`` becomes ``client.gather(client.map(fn, items))``; for Ray,
``ray.get([ray.remote(fn).remote(i) for i in items])``. ``fn`` and its items are plain picklable
values (dicts, ints), so nothing else needs to change.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, Protocol, TypeVar

import numpy as np

from .distribution import mean_series, wait_histogram, waits, weekly_occupancy
from .generate import Profile, generate, validate_profile
from .hindsight import hindsight
from .policies import POLICIES
from .stream import SimResult, Stream, validate_stream
from .world import World
from .year import simulate

FORESIGHT = "anticipating-foresight"
"""The reference row of :func:`compare` with ``foresight=True``: the ``anticipating`` policy run as if
every household had been announced before the year began. It is not a policy (it breaks causality), it
measures how much of the gap to hindsight is the policy's and how much is what no causal policy can know."""


def notice_row(days: int, policy: str = "anticipating") -> str:
    """The name of :func:`compare`'s reference row for ``notice_days``: ``policy`` run on the same year
    with every household announced ``days`` days earlier (:meth:`World.told_earlier`). It answers what
    earlier signals from the bailiff would be worth, next to what a better policy would be."""
    return f"{policy}+{days}d"


T = TypeVar("T")
R = TypeVar("R")


class Executor(Protocol):
    def map(self, fn: Callable[[Any], Any], items: Sequence[Any]) -> list[Any]: ...


class LocalExecutor:
    """Runs replications in a process pool of ``jobs`` workers (inline when ``jobs`` is 1)."""

    def __init__(self, jobs: int = 1) -> None:
        self.jobs = max(1, jobs)

    def map(self, fn: Callable[[Any], Any], items: Sequence[Any]) -> list[Any]:
        if self.jobs == 1 or len(items) <= 1:
            return [fn(i) for i in items]
        with ProcessPoolExecutor(max_workers=self.jobs) as pool:
            return list(pool.map(fn, items))


def summary(stream: Stream, result: SimResult) -> dict[str, Any]:
    """The figures of one run that a comparison averages (the two series: :mod:`.distribution`)."""
    ws = waits(stream, result)
    return {
        "value": result.value,
        "placed": result.placed,
        "sheltered": result.sheltered_on_release_day,
        "households": len(stream.households),
        "mean_wait": float(np.mean(ws)) if ws else 0.0,
        "p95_wait": float(np.percentile(ws, 95)) if ws else 0.0,
        "seconds": result.seconds,
        "bound": result.bound,
        "status": result.status,
        "wait_histogram": wait_histogram(stream, result),
        "occupancy": weekly_occupancy(stream, result),
    }


def run_replication(job: dict[str, Any]) -> dict[str, Any]:
    """One stream: every policy in ``job["policies"]`` and, unless switched off, hindsight."""
    prof = validate_profile(job["profile"])
    stream = validate_stream(generate(prof, job["seed"], load=job.get("load")))
    w = World.build(stream)
    out: dict[str, Any] = {}
    for name in job.get("policies", POLICIES):
        out[name] = summary(stream, simulate(stream, name, world=w))
    told = job.get("notice_policy", "anticipating")
    for days in job.get("notice_days", ()):
        out[notice_row(days, told)] = summary(stream, simulate(stream, told, world=w.told_earlier(days)))
    if job.get("foresight"):
        out[FORESIGHT] = summary(stream, simulate(stream, "anticipating", world=w.foreseen()))
    if job.get("hindsight_seconds", 0) > 0:
        out["hindsight"] = summary(stream, hindsight(stream, world=w, time_limit=job["hindsight_seconds"]))
    return out


def mean_ci(values: Sequence[float]) -> tuple[float, float]:
    """Mean and half-width of its 95% confidence interval (Student's t)."""
    from scipy.stats import t

    arr = np.asarray(values, dtype=float)
    if arr.size < 2:
        return float(arr.mean()) if arr.size else 0.0, 0.0
    half = float(t.ppf(0.975, arr.size - 1) * arr.std(ddof=1) / np.sqrt(arr.size))
    return float(arr.mean()), half


def compare(
    profile: Profile | dict[str, Any],
    *,
    seeds: int = 10,
    load: float | None = None,
    hindsight_seconds: float = 120.0,
    policies: Sequence[str] = POLICIES,
    executor: Executor | None = None,
    foresight: bool = False,
    notice_days: Sequence[int] = (),
    notice_policy: str = "anticipating",
) -> list[dict[str, Any]]:
    """Every policy (and hindsight) on the same ``seeds`` streams: one row per policy.

    Each row holds the mean and 95% half-width of the totals, and two series averaged over the seeds:
    ``wait_distribution`` (households per wait bucket, labels :func:`~.distribution.wait_bucket_labels`)
    and ``occupancy`` (the share of places occupied per week of the period). ``notice_days`` adds a row
    :func:`notice_row` per number of days (``notice_policy`` told that much earlier), and ``foresight``
    the row :data:`FORESIGHT`, before hindsight: references, not policies."""
    prof = profile.model_dump(mode="json") if isinstance(profile, Profile) else profile
    jobs = [
        {
            "profile": prof,
            "seed": s,
            "load": load,
            "policies": list(policies),
            "hindsight_seconds": hindsight_seconds,
            "foresight": foresight,
            "notice_days": list(notice_days),
            "notice_policy": notice_policy,
        }
        for s in range(1, seeds + 1)
    ]
    runs = (executor or LocalExecutor()).map(run_replication, jobs)
    names = [*policies, *(notice_row(n, notice_policy) for n in notice_days), *([FORESIGHT] if foresight else [])]
    names += ["hindsight"] if hindsight_seconds > 0 else []
    rows = []
    for name in names:
        per = [r[name] for r in runs]
        row: dict[str, Any] = {"policy": name}
        for key in ("value", "placed", "mean_wait", "p95_wait", "seconds"):
            row[key] = mean_ci([p[key] for p in per])
        row["sheltered_share"] = mean_ci([p["sheltered"] / max(1, p["households"]) for p in per])
        if hindsight_seconds > 0:
            row["share_of_hindsight"] = mean_ci(
                [p["value"] / max(1, r["hindsight"]["value"]) for p, r in zip(per, runs, strict=True)]
            )
            row["share_of_bound"] = mean_ci(
                [p["value"] / max(1, r["hindsight"]["bound"] or 1) for p, r in zip(per, runs, strict=True)]
            )
        row["wait_distribution"] = mean_series([p["wait_histogram"] for p in per])
        row["occupancy"] = mean_series([p["occupancy"] for p in per])
        if name == "hindsight":
            row["optimal"] = sum(1 for p in per if p["status"] == "optimal")
        rows.append(row)
    return rows


def format_table(rows: list[dict[str, Any]]) -> str:
    """The comparison as a Markdown table (mean ± 95% confidence half-width)."""

    def f(pair: tuple[float, float], digits: int = 1, pct: bool = False) -> str:
        m, h = pair
        if pct:
            return f"{100 * m:.{digits}f}% ± {100 * h:.{digits}f}"
        return f"{m:.{digits}f} ± {h:.{digits}f}"

    has_h = "share_of_hindsight" in rows[0] if rows else False
    head = "| policy | value | " + ("share of hindsight | share of bound | " if has_h else "")
    head += "placed | sheltered on release day | mean wait | p95 wait | seconds |"
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for r in rows:
        cells = [r["policy"], f(r["value"], 0)]
        if has_h:
            cells += [f(r["share_of_hindsight"], 1, True), f(r["share_of_bound"], 1, True)]
        cells += [f(r["placed"]), f(r["sheltered_share"], 1, True), f(r["mean_wait"]), f(r["p95_wait"]),
                  f(r["seconds"], 2)]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)
