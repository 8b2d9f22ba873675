"""The background runner: at most two open plans per municipality, a failing plan says so, tenancy."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest

from api.capacity.runner import PlanJob, Registry
from api.core.errors import Conflict, NotFound
from tests.conftest import wait_until


def _job(job_id: str, municipality_id: int = 1) -> PlanJob:
    return PlanJob(id=job_id, municipality_id=municipality_id, created_by=1,
                   created_at=datetime(2026, 11, 27, tzinfo=UTC), source="small", target=0.9, seeds=1, days=28, total=3)


def test_two_open_plans_per_municipality_then_409_and_others_unaffected() -> None:
    registry, gate = Registry(), threading.Event()

    def blocked(_executor):
        gate.wait(10)
        return {"ok": True}

    registry.submit(_job("a"), blocked)
    registry.submit(_job("b"), blocked)
    with pytest.raises(Conflict) as err:
        registry.submit(_job("c"), blocked)
    assert err.value.code == "capacity.too_many_plans"
    registry.submit(_job("d", municipality_id=2), lambda _ex: {"ok": True})  # another municipality may start one
    gate.set()
    wait_until(lambda: registry.get("b", 1).status == "done", timeout=10, what="the blocked plans")
    assert registry.get("a", 1).result == {"ok": True} and registry.get("a", 1).done == 3
    with pytest.raises(NotFound):
        registry.get("a", 2)


def test_a_failing_plan_is_failed_with_a_short_error_and_progress_counts() -> None:
    registry = Registry()

    def counts_then_fails(executor):
        executor.map(lambda x: x, [1, 2])
        raise RuntimeError("boom")

    job = registry.submit(_job("e"), counts_then_fails)
    wait_until(lambda: job.status == "failed", timeout=10, what="the failing plan")
    assert job.done == 2 and job.error == "internal error" and job.result is None
