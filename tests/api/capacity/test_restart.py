"""A failed or interrupted plan or comparison starts again with the same request, from its page's button or
``POST /api/capacity/{plans|comparisons}/{id}/restart``; a job that is done or still running is not restarted.

The suite's rolled-back client never commits, so a started job stays queued; moving the app's clock past
the heartbeat's two minutes makes it read as interrupted, as after a restart of the app."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from api.capacity.models import CapacityPlan
from api.core.clock import FixedClock
from tests.api.capacity.test_pages import _login

COMPARISON = {"profile": "small", "seeds": 2, "days": 42, "load": 1.2, "hindsight_seconds": 3}
PLAN = {"from_db": True, "seeds": 1, "days": 56, "target": 0.85}


def _abandon(app, db, job_id: str) -> None:
    """The app's clock past the job's heartbeat: its process seems gone."""
    app.state.clock = FixedClock(db.get(CapacityPlan, job_id).heartbeat_at + timedelta(minutes=3))


def _fields(row: CapacityPlan) -> tuple:
    return row.kind, row.source, row.seeds, row.days, row.load, row.hindsight_seconds, row.target


def test_an_interrupted_comparison_restarts_from_the_api_with_the_same_request(app, client, as_role, db) -> None:
    headers = as_role("coordinator")
    old = client.post("/api/capacity/comparisons", json=COMPARISON, headers=headers).json()["id"]
    running = client.post(f"/api/capacity/comparisons/{old}/restart", headers=headers)
    assert running.status_code == 409 and running.json()["detail"][0]["code"] == "capacity.not_restartable"
    _abandon(app, db, old)
    assert client.get(f"/api/capacity/comparisons/{old}", headers=headers).json()["status"] == "failed"
    response = client.post(f"/api/capacity/comparisons/{old}/restart", headers=headers)
    assert response.status_code == 202, response.text
    new = response.json()
    assert new["id"] != old and new["status"] == "queued"
    assert (new["load"], new["days"], new["seeds"], new["hindsight_seconds"]) == (1.2, 42, 2, 3)
    assert _fields(db.get(CapacityPlan, new["id"])) == _fields(db.get(CapacityPlan, old))
    assert client.get(f"/api/capacity/comparisons/{old}", headers=headers).json()["status"] == "failed"  # kept


def test_a_plan_from_history_restarts_and_a_comparisons_id_is_unknown_to_the_plans_route(
    app, client, as_role, db
) -> None:
    headers = as_role("crisis_team")
    plan = client.post("/api/capacity/plans", json=PLAN, headers=headers).json()["id"]
    comparison = client.post("/api/capacity/comparisons", json=COMPARISON, headers=headers).json()["id"]
    _abandon(app, db, plan)
    assert client.post(f"/api/capacity/plans/{comparison}/restart", headers=headers).status_code == 404
    response = client.post(f"/api/capacity/plans/{plan}/restart", headers=headers)
    assert response.status_code == 202, response.text
    new = response.json()
    assert (new["source"], new["target"], new["days"], new["seeds"]) == ("history", 0.85, 56, 1)
    assert _fields(db.get(CapacityPlan, new["id"])) == _fields(db.get(CapacityPlan, plan))


def test_restarting_needs_the_role_the_municipality_and_a_free_slot(app, client, as_role, db) -> None:
    headers = as_role("coordinator")
    old = client.post("/api/capacity/comparisons", json=COMPARISON, headers=headers).json()["id"]
    _abandon(app, db, old)
    assert client.post(f"/api/capacity/comparisons/{old}/restart", headers=as_role("case_worker")).status_code == 403
    other = client.post(f"/api/capacity/comparisons/{old}/restart", headers=as_role("coordinator", "heerlen"))
    assert other.status_code == 404
    assert client.post("/api/capacity/comparisons/not-an-id/restart", headers=headers).status_code == 422
    for _ in range(2):  # two open jobs (with a fresh heartbeat under the moved clock) fill the slots
        assert client.post("/api/capacity/comparisons", json=COMPARISON, headers=headers).status_code == 202
    count = select(func.count()).select_from(CapacityPlan)
    before = db.scalar(count)
    full = client.post(f"/api/capacity/comparisons/{old}/restart", headers=headers)
    assert full.status_code == 409 and full.json()["detail"][0]["code"] == "capacity.too_many_plans"
    assert db.scalar(count) == before


def test_the_page_of_an_interrupted_job_has_a_button_that_starts_it_again(app, client, db) -> None:
    token = _login(client, "crisis-team@maastricht.demo")
    started = client.post("/capaciteit", data={"kind": "compare", "source": "medium", "seeds": "1", "days": "60",
                                               "load": "90", "hindsight_seconds": "0", "csrf_token": token},
                          follow_redirects=False)
    old = started.headers["location"].rsplit("/", 1)[1]
    assert f'action="/capaciteit/{old}/opnieuw"' not in client.get(f"/capaciteit/{old}").text  # still queued
    refused = client.post(f"/capaciteit/{old}/opnieuw", data={"csrf_token": token})
    assert refused.status_code == 409 and "niet mislukt of onderbroken (stand: in de wachtrij)" in refused.text
    _abandon(app, db, old)
    page = client.get(f"/capaciteit/{old}").text
    assert "onderbroken" in page and f'action="/capaciteit/{old}/opnieuw"' in page
    assert client.post(f"/capaciteit/{old}/opnieuw", data={}).status_code == 403  # no CSRF token
    again = client.post(f"/capaciteit/{old}/opnieuw", data={"csrf_token": token}, follow_redirects=False)
    assert again.status_code == 303
    new = again.headers["location"].rsplit("/", 1)[1]
    assert new != old and _fields(db.get(CapacityPlan, new)) == _fields(db.get(CapacityPlan, old))
    assert "in de wachtrij" in client.get(f"/capaciteit/{new}").text
