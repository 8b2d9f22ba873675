"""Plans live in the database: a job started on one worker is polled on another and survives a restart;
a job whose process stopped (its heartbeat two minutes old) reads as failed, interrupted, on both backends."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete, update

from api.capacity.models import CapacityPlan
from api.capacity.runner import INTERRUPTED
from api.core.clock import FixedClock
from api.core.database import session_scope
from tests.api.capacity.conftest import worker_app
from tests.conftest import DEMO_DAY, _free_port, token_headers, wait_until

SMALL = {"profile": "small", "seeds": 1, "days": 28, "target": 0.9}


def test_a_plan_started_on_one_worker_is_followed_on_another_and_after_a_restart(committed_url: str) -> None:
    with TestClient(worker_app(committed_url)) as first, TestClient(worker_app(committed_url)) as second:
        headers = token_headers(first, "coordinator@maastricht.demo")
        started = first.post("/api/capacity/plans", json=SMALL, headers=headers)
        assert started.status_code == 202, started.text
        plan_id = started.json()["id"]
        seen: dict = {}

        def done_on_the_other_worker() -> bool:
            response = second.get(f"/api/capacity/plans/{plan_id}", headers=headers)
            assert response.status_code == 200, response.text
            seen.update(response.json())
            return seen["status"] in ("done", "failed")

        wait_until(done_on_the_other_worker, timeout=60, what="the plan, polled on the other worker")
        assert seen["status"] == "done" and seen["done"] == seen["total"] and len(seen["result"]["curve"]) == 6
        heerlen = token_headers(second, "coordinator@heerlen.demo")
        assert second.get(f"/api/capacity/plans/{plan_id}", headers=heerlen).status_code == 404
    with session_scope(committed_url) as db:  # the result is in the row, not in a process's memory
        row = db.get(CapacityPlan, plan_id)
        assert row is not None and row.status == "done" and row.result is not None
        assert row.result["curve"] == seen["result"]["curve"] and row.finished_at is not None
    with TestClient(worker_app(committed_url)) as restarted:  # a new app: reads the row
        again = restarted.get(f"/api/capacity/plans/{plan_id}", headers=headers)
        assert again.status_code == 200 and again.json() == seen
        assert f"/capaciteit/{plan_id}" in restarted.get("/capaciteit", headers=headers).text


def test_a_plan_whose_process_stopped_reads_as_interrupted_after_two_minutes(app, client, as_role, db) -> None:
    """In the rolled-back client a started plan is never committed, so never run: like a process that
    died with the job queued. The app's clock is moved past its heartbeat."""
    headers = as_role("coordinator")
    plan_id = client.post("/api/capacity/plans", json=SMALL, headers=headers).json()["id"]
    start = db.get(CapacityPlan, plan_id).heartbeat_at
    app.state.clock = FixedClock(start + timedelta(seconds=119))
    body = client.get(f"/api/capacity/plans/{plan_id}", headers=headers).json()
    assert body["status"] == "queued" and body["error"] is None
    app.state.clock = FixedClock(start + timedelta(seconds=121))
    body = client.get(f"/api/capacity/plans/{plan_id}", headers=headers).json()
    assert body["status"] == "failed" and body["error"] == INTERRUPTED and body["error"].startswith("interrupted")


def test_a_running_plan_without_heartbeat_is_interrupted_and_no_longer_counts_as_open(app, client, as_role, db) -> None:
    headers = as_role("coordinator")
    ids = [client.post("/api/capacity/plans", json=SMALL, headers=headers).json()["id"] for _ in range(2)]
    assert client.post("/api/capacity/plans", json=SMALL, headers=headers).status_code == 409
    db.execute(update(CapacityPlan).where(CapacityPlan.id == ids[0]).values(status="running", done=4))
    start = db.get(CapacityPlan, ids[0]).heartbeat_at
    app.state.clock = FixedClock(start + timedelta(minutes=3))
    body = client.get(f"/api/capacity/plans/{ids[0]}", headers=headers).json()
    assert body["status"] == "failed" and body["error"] == INTERRUPTED and body["done"] == 4
    page = client.get(f"/capaciteit/{ids[0]}", headers=headers)
    assert page.status_code == 200 and "onderbroken" in page.text and 'http-equiv="refresh"' not in page.text
    assert client.post("/api/capacity/plans", json=SMALL, headers=headers).status_code == 202  # room again


@contextmanager
def _serve(url: str, day: date) -> Iterator[httpx.Client]:
    """``onderdak serve --workers 2`` on ``url`` with its clock on ``day``; a client without keep-alive, so
    every request is a new connection that either worker may accept."""
    port = _free_port()
    env = {**os.environ, "ONDERDAK_DATABASE_URL": url, "ONDERDAK_CLOCK_TODAY": day.isoformat()}
    env.pop("ONDERDAK_SECRET_KEY", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "api", "serve", "--port", str(port), "--workers", "2"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"

    def up() -> bool:
        try:
            return httpx.get(f"{base}/login", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    try:
        wait_until(up, timeout=90, what="onderdak serve --workers 2")
        with httpx.Client(base_url=base, timeout=20, limits=httpx.Limits(max_keepalive_connections=0)) as http:
            yield http
    finally:
        os.killpg(server.pid, signal.SIGKILL)  # no clean stop: a running plan dies with its process
        server.wait(timeout=30)


def test_two_real_workers_answer_every_poll_and_a_killed_plan_reads_as_interrupted(committed_url, backend) -> None:
    if backend != "postgresql":
        pytest.skip("several workers are for PostgreSQL (SQLite serialises its writers)")
    with _serve(committed_url, DEMO_DAY) as http:
        token = http.post("/api/auth/token", json={"email": "coordinator@maastricht.demo", "password": "onderdak-demo"})
        headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
        quick = http.post("/api/capacity/plans", json=SMALL, headers=headers).json()["id"]
        answers: list[int] = []

        def finished() -> bool:
            response = http.get(f"/api/capacity/plans/{quick}", headers=headers)
            answers.append(response.status_code)
            return response.status_code == 200 and response.json()["status"] == "done"

        wait_until(finished, timeout=60, what="the plan, polled on either worker", interval=0.05)
        answers += [http.get(f"/api/capacity/plans/{quick}", headers=headers).status_code for _ in range(10)]
        assert set(answers) == {200}, answers  # in memory, about half would have been 404
        long = http.post("/api/capacity/plans", json={"profile": "large", "seeds": 1, "days": 730}, headers=headers)
        long_id = long.json()["id"]

        def running() -> bool:
            body = http.get(f"/api/capacity/plans/{long_id}", headers=headers).json()
            return body["status"] == "running" and body["done"] > 0

        wait_until(running, timeout=60, what="the long plan to run")
    # Killed mid-run; served again a day later (the clock of the new processes): the heartbeat is old.
    try:
        with _serve(committed_url, DEMO_DAY + timedelta(days=1)) as http:
            kept = http.get(f"/api/capacity/plans/{quick}", headers=headers).json()
            assert kept["status"] == "done" and len(kept["result"]["curve"]) == 6
            cut = http.get(f"/api/capacity/plans/{long_id}", headers=headers).json()
            assert cut["status"] == "failed" and cut["error"] == INTERRUPTED and cut["done"] > 0
            assert http.post("/api/capacity/plans", json=SMALL, headers=headers).status_code == 202
    finally:
        with session_scope(committed_url) as db:  # no open plan left for the other tests' limit
            db.execute(delete(CapacityPlan).where(CapacityPlan.status.in_(("queued", "running"))))
