"""The background runner of capacity jobs (plans and comparisons): the job is a row in ``capacity_plan``, run
by one worker thread in the process that accepted it.

Why this shape: a plan or a comparison of a shipped profile takes seconds to a few minutes of CPU, far too long for a
request, but it needs nothing from the database once its profile is known (the request derives the profile
from the records before it submits the job). So the plan is a pure function call on a thread; only its
state (status, progress, result) is written to the database, with short sessions of its own, so that:

- any worker of ``onderdak serve --workers N`` answers a poll (they all read the row), and a restart keeps
  the finished results;
- a job whose process stopped (a restart, a crash) is not left spinning: the process that holds a job
  touches its ``heartbeat_at`` whenever it writes progress (at most every :data:`PROGRESS_EVERY`, a
  replication takes seconds), and a queued or running row whose heartbeat is older than
  :data:`STALE_AFTER` reads as failed, interrupted (:func:`state_of`), with a message to start it again.

The rest:

- The row is inserted in the request's transaction and the job queued only once that transaction has
  committed (``after_commit``): the worker never looks for a row that is not there yet, and a request that
  fails leaves neither a row nor a job. On SQLite that is also what keeps the worker's writes from waiting
  on the request's write lock.
- One worker thread per process (a daemon: stopping the app does not wait for a plan, whose row then
  reads as interrupted) runs the jobs one after another (the machine's cores serve requests too); each
  municipality may have at most :data:`MAX_OPEN_PER_MUNICIPALITY` queued or running (live) jobs of either
  kind, counted in the database under a lock on the municipality's row, so across the workers too.
- The runner does not care what a job computes: the service hands it ``work(executor)``, a pure call that
  counts its replications through the executor's ``map`` (:data:`KINDS`: a plan, a comparison).
- A municipality keeps its last :data:`KEEP` finished jobs; older ones are deleted when a new one starts.
- Tenancy: every look-up takes the caller's municipality; another municipality's job answers like a
  missing one (404), so ids cannot be probed.
- Time is the injected clock: the worker runs each job under the clock of the app that accepted it.
"""

from __future__ import annotations

import logging
import queue
import secrets
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, event, func, or_, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from api.capacity.models import CapacityPlan
from api.core import clock
from api.core.clock import Clock
from api.core.database import session_scope
from api.core.errors import Conflict, NotFound
from api.core.models import Municipality

log = logging.getLogger(__name__)

MAX_OPEN_PER_MUNICIPALITY = 2
KEEP = 100
STATUSES = ("queued", "running", "done", "failed")
KINDS = ("plan", "compare")
OPEN = ("queued", "running")
STALE_AFTER = timedelta(minutes=2)  # the longest replication seen takes about 6 s (large profile, 730 days)
PROGRESS_EVERY = timedelta(seconds=0.5)
INTERNAL_ERROR = "internal error"
INTERRUPTED = (
    "interrupted: the process running this calculation stopped (a restart or a crash) before it finished; "
    "start it again"
)

Work = Callable[[Any], dict[str, Any]]


@dataclass(frozen=True)
class PlanJob:
    """A job (a plan or a comparison) as a caller sees it: the row, read at one instant (an abandoned open
    job reads as failed)."""

    id: str
    municipality_id: int
    created_by: int
    created_at: datetime
    source: str  # "small" | "medium" | "large" | "history"
    target: float | None  # a plan's; None for a comparison
    seeds: int
    days: int
    total: int
    done: int
    status: str
    result: dict[str, Any] | None
    error: str | None
    finished_at: datetime | None
    interrupted: bool = False
    kind: str = "plan"  # "plan" | "compare"
    load: float | None = None  # a comparison's
    hindsight_seconds: float | None = None  # a comparison's


def stale_before(now: datetime) -> datetime:
    """Open jobs whose heartbeat is older than this belong to a process that stopped."""
    return now - STALE_AFTER


def state_of(row: CapacityPlan, now: datetime) -> PlanJob:
    interrupted = row.status in OPEN and clock.as_utc(row.heartbeat_at) < stale_before(now)
    return PlanJob(
        id=row.id,
        municipality_id=row.municipality_id,
        created_by=row.created_by,
        created_at=row.created_at,
        source=row.source,
        target=row.target,
        seeds=row.seeds,
        days=row.days,
        total=row.total,
        done=row.done,
        status="failed" if interrupted else row.status,
        result=row.result,
        error=INTERRUPTED if interrupted else row.error,
        finished_at=row.finished_at,
        interrupted=interrupted,
        kind=row.kind,
        load=row.load,
        hindsight_seconds=row.hindsight_seconds,
    )


@dataclass(frozen=True)
class _Task:
    id: str
    work: Work
    engine: Engine  # the database the request wrote the row to
    clock: Clock  # the clock of the app that accepted the job


class _ProgressExecutor:
    """The planner's executor interface (``map``): runs inline on the worker thread and counts each
    replication as it finishes; writes the count (and the process's heartbeats) at most every
    :data:`PROGRESS_EVERY`, so a poll sees progress without a write per replication."""

    def __init__(self, runner: Runner, task: _Task) -> None:
        self.runner, self.task = runner, task
        self.done = 0
        self._written = clock.now()

    def map(self, fn: Callable[[Any], Any], items: Sequence[Any]) -> list[Any]:
        results = []
        for item in items:
            results.append(fn(item))
            self.done += 1
            now = clock.now()
            if now - self._written >= PROGRESS_EVERY:
                self.write(now)
        return results

    def write(self, now: datetime) -> None:
        with session_scope(bind=self.task.engine) as db:
            db.execute(
                update(CapacityPlan).where(CapacityPlan.id == self.task.id).values(done=self.done),
                execution_options={"synchronize_session": False},
            )
            self.runner.beat(db, now)
        self._written = now


class Runner:
    """The queue and worker thread of this process; the jobs' state is in the database."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._queue: queue.Queue[_Task] = queue.Queue()
        self._worker: threading.Thread | None = None
        self._open: set[str] = set()  # ids queued or running in this process: their heartbeats are ours

    def _ensure_worker(self) -> None:
        """One daemon thread, started with the first job: a daemon, so stopping the app never waits for
        a plan of several minutes (its row stops beating and reads as interrupted)."""
        if self._worker is None or not self._worker.is_alive():
            self._worker = threading.Thread(target=self._loop, name="capacity-plan", daemon=True)
            self._worker.start()

    def _loop(self) -> None:
        while True:
            task = self._queue.get()
            try:
                with clock.use(task.clock):
                    self._run(task)
            except Exception:  # the database went away: the row stops beating and reads as interrupted
                log.exception("capacity plan %s could not be recorded", task.id)
            finally:
                with self._lock:
                    self._open.discard(task.id)

    def submit(self, db: Session, job: CapacityPlan, work: Work) -> CapacityPlan:
        """Add ``job`` to the request's transaction and run ``work(executor)`` once it has committed; too
        many live open jobs of its municipality is a 409."""
        now = clock.now()
        # Serialise the count and the insert per municipality across the workers: FOR NO KEY UPDATE on
        # PostgreSQL, which leaves inserts that refer to the municipality alone (SQLite serialises writers).
        db.execute(
            select(Municipality.id).where(Municipality.id == job.municipality_id).with_for_update(key_share=True)
        )
        running = db.scalar(
            select(func.count()).select_from(CapacityPlan).where(
                CapacityPlan.municipality_id == job.municipality_id,
                CapacityPlan.status.in_(OPEN),
                CapacityPlan.heartbeat_at >= stale_before(now),
            )
        ) or 0
        if running >= MAX_OPEN_PER_MUNICIPALITY:
            raise Conflict(code="capacity.too_many_plans", loc=("body",), running=running)
        job.status, job.done, job.heartbeat_at = "queued", 0, now
        db.add(job)
        db.flush()
        self._forget_old(db, job.municipality_id, now)
        task = _Task(id=job.id, work=work, engine=db.get_bind().engine, clock=clock.current())
        event.listen(db, "after_commit", lambda _session: self._enqueue(task), once=True)
        return job

    def _enqueue(self, task: _Task) -> None:
        with self._lock:
            self._open.add(task.id)
            self._queue.put(task)
            self._ensure_worker()

    def beat(self, db: Session, now: datetime) -> None:
        """Touch the heartbeat of every open job of this process (the running one and those waiting)."""
        with self._lock:
            mine = list(self._open)
        if mine:
            db.execute(
                update(CapacityPlan)
                .where(CapacityPlan.id.in_(mine), CapacityPlan.status.in_(OPEN))
                .values(heartbeat_at=now),
                execution_options={"synchronize_session": False},
            )

    def _run(self, task: _Task) -> None:
        now = clock.now()
        with session_scope(bind=task.engine) as db:
            claimed = db.execute(
                update(CapacityPlan)
                .where(CapacityPlan.id == task.id, CapacityPlan.status == "queued")
                .values(status="running", started_at=now),
                execution_options={"synchronize_session": False},
            )
            self.beat(db, now)
        if getattr(claimed, "rowcount", 0) != 1:  # gone (deleted with its municipality): nothing to run
            return
        executor = _ProgressExecutor(self, task)
        values: dict[str, Any]
        try:
            result = task.work(executor)
        except Exception:  # a bug, not bad input (the input was validated): the job says failed, the log says why
            log.exception("capacity plan %s failed", task.id)
            values = {"status": "failed", "error": INTERNAL_ERROR, "done": executor.done}
        else:
            values = {"status": "done", "result": result, "done": CapacityPlan.total}
        now = clock.now()
        with session_scope(bind=task.engine) as db:
            db.execute(
                update(CapacityPlan).where(CapacityPlan.id == task.id).values(finished_at=now, **values),
                execution_options={"synchronize_session": False},
            )
            self.beat(db, now)  # the jobs waiting behind this one

    def _forget_old(self, db: Session, municipality_id: int, now: datetime) -> None:
        """Keep the municipality's newest :data:`KEEP` jobs that are finished or abandoned."""
        old = db.scalars(
            select(CapacityPlan.id)
            .where(
                CapacityPlan.municipality_id == municipality_id,
                or_(CapacityPlan.status.not_in(OPEN), CapacityPlan.heartbeat_at < stale_before(now)),
            )
            .order_by(CapacityPlan.created_at.desc(), CapacityPlan.id)
            .offset(KEEP)
        ).all()
        if old:
            db.execute(
                delete(CapacityPlan).where(CapacityPlan.id.in_(old)), execution_options={"synchronize_session": False}
            )


UNKNOWN = {  # per kind asked for: the error code and the path parameter it names
    None: ("capacity.plan_unknown", "plan_id"),
    "plan": ("capacity.plan_unknown", "plan_id"),
    "compare": ("capacity.comparison_unknown", "comparison_id"),
}


def get(db: Session, job_id: str, municipality_id: int, kind: str | None = None) -> PlanJob:
    """The job if it is the caller's municipality's (and of ``kind``, when given); else 404, as for a missing
    one: a comparison's id asked for as a plan's is unknown there."""
    row = db.get(CapacityPlan, job_id, populate_existing=True)  # the worker writes it elsewhere
    if row is None or row.municipality_id != municipality_id or (kind is not None and row.kind != kind):
        code, name = UNKNOWN[kind]
        raise NotFound(code=code, loc=("path", name))
    return state_of(row, clock.now())


def recent(db: Session, municipality_id: int, limit: int = 10) -> list[PlanJob]:
    """The municipality's latest jobs, newest first (for the page)."""
    rows = db.scalars(
        select(CapacityPlan)
        .where(CapacityPlan.municipality_id == municipality_id)
        .order_by(CapacityPlan.created_at.desc(), CapacityPlan.id)
        .limit(limit)
    ).all()
    now = clock.now()
    return [state_of(row, now) for row in rows]


RUNNER = Runner()


def new_id() -> str:
    """An unguessable id: knowing one job's id says nothing about another's."""
    return secrets.token_hex(8)
