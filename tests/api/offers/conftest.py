"""Helpers for the offers tests: a pinned clock for app and services, a run, offers and their links."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from api.core import clock as clock_module
from api.core.clock import FixedClock
from api.core.models import OutboxMessage
from api.shell.jobs_cli import load_jobs, run_job
from tests.conftest import DEMO_DAY

DAY = DEMO_DAY.isoformat()


@pytest.fixture(autouse=True)
def _fresh_answer_limit():
    """The link's answer limit counts per address; every test starts with a fresh count."""
    from api.offers.pages import answer_limit

    answer_limit.limiter.reset()
    yield


@pytest.fixture
def fixed(app):
    """10:00 Amsterdam on the demo day, for the app's requests and for services called by the test."""
    moment = FixedClock.on(DEMO_DAY)
    app.state.clock = moment
    with clock_module.use(moment):
        yield moment


@pytest.fixture
def headers(as_role):
    return as_role("crisis_team")


@pytest.fixture
def run(client, headers, fixed):  # noqa: ARG001 - the clock must be pinned before the run
    response = client.post("/api/matching/runs", json={"date": DAY}, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


def host_proposal(run: dict) -> dict:
    return next(p for p in run["proposals"] if p["place_kind"] == "host_room")


def offer(client, headers, *proposals: dict) -> list[dict]:
    response = client.post("/api/offers", json={"proposal_ids": [p["id"] for p in proposals]}, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


def last_link(db) -> str:
    """The token of the newest offer link in the outbox."""
    body = db.scalars(select(OutboxMessage.body).order_by(OutboxMessage.id.desc())).first()
    return re.search(r"/aanbod/([A-Za-z0-9_\-]+)", body).group(1)


def csrf(client, path: str) -> str:
    page = client.get(path)
    return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)


def run_jobs(db, *names: str) -> dict[str, int | None]:
    return {j.name: run_job(db, j).done for j in load_jobs() if not names or j.name in names}


def later(moment: FixedClock, **delta: float) -> None:
    moment.advance(timedelta(**delta))
