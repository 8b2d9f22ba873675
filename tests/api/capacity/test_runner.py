"""The background runner on a committed database (both backends): at most two live open plans per
municipality, a failing plan says so, progress is written but not per replication, tenancy."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest

from api.capacity import runner
from api.capacity.models import CapacityPlan
from api.capacity.runner import Runner
from api.core import clock
from api.core.clock import FixedClock
from api.core.database import session_scope
from api.core.errors import Conflict, NotFound
from tests.conftest import wait_until


def _job(municipality_id: int = 1, total: int = 3) -> CapacityPlan:
    return CapacityPlan(id=runner.new_id(), municipality_id=municipality_id, created_by=1,
                        created_at=clock.now(), source="small", target=0.9, seeds=1, days=28, total=total)


def _submit(url: str, registry: Runner, work, municipality_id: int = 1, total: int = 3) -> str:
    """Submit in a committed transaction of its own, as a request does; the job runs after the commit."""
    with session_scope(url) as db:
        return registry.submit(db, _job(municipality_id, total), work).id


def _read(url: str, job_id: str, municipality_id: int = 1) -> runner.PlanJob:
    with session_scope(url) as db:
        return runner.get(db, job_id, municipality_id)


@pytest.fixture
def url(committed_url: str) -> str:
    """The committed database without open plans of other tests (the limit counts them)."""
    from sqlalchemy import delete

    with session_scope(committed_url) as db:
        db.execute(delete(CapacityPlan))
    return committed_url


def test_two_open_plans_per_municipality_then_409_and_others_unaffected(url: str) -> None:
    registry, gate = Runner(), threading.Event()

    def blocked(_executor):
        assert gate.wait(10)
        return {"ok": True}

    a = _submit(url, registry, blocked)
    b = _submit(url, registry, blocked)
    with pytest.raises(Conflict) as err:
        _submit(url, registry, blocked)
    assert err.value.code == "capacity.too_many_plans"
    d = _submit(url, registry, lambda _ex: {"ok": True}, municipality_id=2)  # another municipality may start one
    gate.set()
    wait_until(lambda: _read(url, b).status == "done", timeout=20, what="the blocked plans")
    first = _read(url, a)
    assert first.result == {"ok": True} and first.done == 3 and first.finished_at is not None
    wait_until(lambda: _read(url, d, 2).status == "done", timeout=20, what="the other municipality's plan")
    with pytest.raises(NotFound):
        _read(url, a, municipality_id=2)
    _submit(url, registry, lambda _ex: {"ok": True})  # both finished: room for a new one


def test_a_failing_plan_is_failed_with_a_short_error_and_progress_counts(url: str) -> None:
    registry = Runner()

    def counts_then_fails(executor):
        executor.map(lambda x: x, [1, 2])
        raise RuntimeError("boom")

    job_id = _submit(url, registry, counts_then_fails)
    wait_until(lambda: _read(url, job_id).status == "failed", timeout=20, what="the failing plan")
    job = _read(url, job_id)
    assert job.done == 2 and job.error == "internal error" and job.result is None and not job.interrupted


def test_progress_is_written_at_most_every_half_second_of_the_clock(url: str) -> None:
    """Under a clock that stands still nothing is written until the end; once it moves a second per
    replication, every replication is written and a poll sees the count while the plan runs."""
    registry, gate = Runner(), threading.Event()
    fixed = FixedClock(datetime(2026, 11, 27, 9, tzinfo=UTC))
    seen: dict[str, int] = {}

    def work(executor):
        executor.map(lambda x: x, range(5))  # the clock stands still: no write
        seen["still"] = _read(url, job_id).done
        executor.map(lambda _x: fixed.advance(timedelta(seconds=1)), range(3))  # a write after each
        seen["moving"] = _read(url, job_id).done
        assert gate.wait(10)
        return {"ok": True}

    with clock.use(fixed):
        job_id = _submit(url, registry, work, total=8)
    wait_until(lambda: "moving" in seen, timeout=20, what="the plan's progress")
    assert seen == {"still": 0, "moving": 8}
    with clock.use(fixed):
        running = _read(url, job_id)
    assert running.status == "running" and running.done == 8
    gate.set()
    wait_until(lambda: _read(url, job_id).status == "done", timeout=20, what="the plan")
