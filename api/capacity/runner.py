"""A small background runner for capacity plans: an in-memory registry per process and one worker thread.

Why so small: a plan of a shipped profile takes seconds to a few minutes of CPU, far too long for a
request, but it needs nothing from the database once its profile is known (the request derives the
profile from the records before it submits the job). So a job is a pure function call on a thread, and
its state (status, progress, result) lives in this process's memory.

What that means for a deployment (documented in the user guide and the API description):

- The registry is per process. With ``onderdak serve --workers N`` (N > 1) a poll may reach another
  worker and see 404; run capacity plans against a single-worker app, or route ``/api/capacity`` to one
  worker. A restart forgets the jobs (a plan is cheap to start again; nothing is written anywhere).
- One worker thread per process (a daemon: stopping the app does not wait for a plan) runs the jobs one
  after another (the machine's cores serve requests too); each municipality may have at most
  :data:`MAX_OPEN_PER_MUNICIPALITY` queued or running jobs.
- The registry keeps the last :data:`KEEP` jobs; older finished ones are forgotten.
- Tenancy: every look-up takes the caller's municipality; another municipality's job answers like a
  missing one (404), so ids cannot be probed.
"""

from __future__ import annotations

import logging
import queue
import secrets
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from api.core import clock
from api.core.errors import Conflict, NotFound

log = logging.getLogger(__name__)

MAX_OPEN_PER_MUNICIPALITY = 2
KEEP = 100
STATUSES = ("queued", "running", "done", "failed")


@dataclass
class PlanJob:
    id: str
    municipality_id: int
    created_by: int
    created_at: datetime
    source: str  # "small" | "medium" | "large" | "history"
    target: float
    seeds: int
    days: int
    total: int
    done: int = 0
    status: str = "queued"
    result: dict[str, Any] | None = None
    error: str | None = None
    finished_at: datetime | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def advance(self, n: int) -> None:
        with self._lock:
            self.done = min(self.total, self.done + n)


class _ProgressExecutor:
    """The planner's executor interface (``map``): runs inline on the job's thread and counts each
    replication as it finishes, so a poll sees progress."""

    def __init__(self, job: PlanJob) -> None:
        self.job = job

    def map(self, fn: Callable[[Any], Any], items: Sequence[Any]) -> list[Any]:
        results = []
        for item in items:
            results.append(fn(item))
            self.job.advance(1)
        return results


class Registry:
    """The jobs of this process, by id; thread-safe."""

    def __init__(self) -> None:
        self._jobs: dict[str, PlanJob] = {}
        self._lock = threading.Lock()
        self._queue: queue.Queue[tuple[PlanJob, Callable[[Any], dict[str, Any]]]] = queue.Queue()
        self._worker: threading.Thread | None = None

    def _ensure_worker(self) -> None:
        """One daemon thread, started with the first job: a daemon, so stopping the app never waits for
        a plan of several minutes (the plan is lost, as a restart loses the registry anyway)."""
        if self._worker is None or not self._worker.is_alive():
            self._worker = threading.Thread(target=self._loop, name="capacity-plan", daemon=True)
            self._worker.start()

    def _loop(self) -> None:
        while True:
            job, work = self._queue.get()
            self._run(job, work)

    def submit(self, job: PlanJob, work: Callable[[Any], dict[str, Any]]) -> PlanJob:
        """Queue ``work(executor)`` for ``job``; too many open jobs of its municipality is a 409."""
        with self._lock:
            running = sum(
                1 for j in self._jobs.values()
                if j.municipality_id == job.municipality_id and j.status in ("queued", "running")
            )
            if running >= MAX_OPEN_PER_MUNICIPALITY:
                raise Conflict(code="capacity.too_many_plans", loc=("body",), running=running)
            self._jobs[job.id] = job
            self._forget_old()
            self._queue.put((job, work))
            self._ensure_worker()
        return job

    def _run(self, job: PlanJob, work: Callable[[Any], dict[str, Any]]) -> None:
        job.status = "running"
        try:
            result = work(_ProgressExecutor(job))
        except Exception:  # a bug, not bad input (the input was validated): the job says failed, the log says why
            log.exception("capacity plan %s failed", job.id)
            job.error = "internal error"
            job.status = "failed"
        else:
            job.result = result
            job.done = job.total
            job.status = "done"
        job.finished_at = clock.now()

    def _forget_old(self) -> None:
        finished = [j for j in self._jobs.values() if j.status in ("done", "failed")]
        excess = len(self._jobs) - KEEP
        for old in sorted(finished, key=lambda j: j.created_at)[: max(0, excess)]:
            del self._jobs[old.id]

    def get(self, job_id: str, municipality_id: int) -> PlanJob:
        """The job if it is the caller's municipality's; else 404, as for a missing one."""
        with self._lock:
            job = self._jobs.get(job_id)
        if job is None or job.municipality_id != municipality_id:
            raise NotFound(code="capacity.plan_unknown", loc=("path", "plan_id"))
        return job

    def recent(self, municipality_id: int, limit: int = 10) -> list[PlanJob]:
        """The municipality's latest jobs, newest first (for the page)."""
        with self._lock:
            mine = [j for j in self._jobs.values() if j.municipality_id == municipality_id]
        return sorted(mine, key=lambda j: j.created_at, reverse=True)[:limit]


REGISTRY = Registry()


def new_id() -> str:
    """An unguessable id: knowing one job's id says nothing about another's."""
    return secrets.token_hex(8)
