"""The registry of scheduled jobs that ``onderdak jobs run`` runs (cron or a systemd timer, every few minutes).

A domain registers its job with :func:`job`; the shell imports the domains' job modules and runs every job in
its own transaction. A job must be idempotent: running it twice in a row does nothing the second time (it
marks what it did on the rows it touches), so a run that overlaps another, or one retried after a failure,
is harmless. On PostgreSQL the runner also takes a transaction-scoped advisory lock per job and skips a
job another runner holds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session

JobFunction = Callable[[Session], int]  # returns how many things it did (for the runner's one-line report)


@dataclass(frozen=True)
class Job:
    name: str
    run: JobFunction
    description: str


_REGISTRY: dict[str, Job] = {}


def job(name: str, description: str) -> Callable[[JobFunction], JobFunction]:
    """Decorator: register ``fn`` under ``name`` (a second registration of the same name replaces the first)."""

    def register(fn: JobFunction) -> JobFunction:
        _REGISTRY[name] = Job(name=name, run=fn, description=description)
        return fn

    return register


def registered() -> list[Job]:
    """Every registered job, in name order (a stable order: the same runs come first each time)."""
    return [_REGISTRY[name] for name in sorted(_REGISTRY)]
