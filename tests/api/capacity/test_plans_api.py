"""POST /api/capacity/plans starts plan-capacity in the background; GET polls it (tenancy-scoped).

Runs are kept tiny (a four-week period, one seed) so the background thread finishes in about a second.
Plans that run use an app on a committed database (``worker_client``, see conftest.py); the others use the
suite's rolled-back client, where a started plan stays queued.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from api.capacity.models import CapacityPlan
from tests.conftest import wait_until

SMALL = {"profile": "small", "seeds": 1, "days": 28, "target": 0.9}


def _finished(client, headers, plan_id: str) -> dict:
    seen: dict = {}

    def done() -> bool:
        response = client.get(f"/api/capacity/plans/{plan_id}", headers=headers)
        assert response.status_code == 200, response.text
        seen.update(response.json())
        return seen["status"] in ("done", "failed")

    wait_until(done, timeout=60, what="the capacity plan to finish")
    return seen


def test_a_plan_runs_in_the_background_and_gives_the_curve(worker_client, worker_as_role) -> None:
    client, headers = worker_client, worker_as_role("coordinator")
    response = client.post("/api/capacity/plans", json=SMALL, headers=headers)
    assert response.status_code == 202, response.text
    started = response.json()
    assert started["status"] in ("queued", "running", "done") and started["total"] > 0
    body = _finished(client, headers, started["id"])
    assert body["status"] == "done", body
    assert body["done"] == body["total"]
    result = body["result"]
    assert result["target"] == 0.9 and result["seeds"] == 1
    assert len(result["curve"]) == 6
    rooms = [p["rooms"] for p in result["curve"]]
    assert rooms == sorted(rooms)
    for point in result["curve"]:
        assert 0 <= point["low"] <= point["share"] <= point["high"] <= 1
        assert point["rooms"] == point["wachtkamer"] + point["host_rooms"]
    smallest = result["smallest"]
    assert smallest is None or smallest["share"] >= 0.9


def test_the_crisis_team_may_plan_from_its_own_history(worker_client, worker_as_role) -> None:
    client, headers = worker_client, worker_as_role("crisis_team")
    response = client.post("/api/capacity/plans", json={"from_db": True, "seeds": 1, "days": 28}, headers=headers)
    assert response.status_code == 202, response.text
    body = _finished(client, headers, response.json()["id"])
    assert body["status"] == "done" and body["source"] == "history"
    assert body["result"]["profile"] == "GM0935"


def test_another_municipality_sees_no_plan_and_other_roles_none_at_all(worker_client, worker_as_role) -> None:
    client, as_role = worker_client, worker_as_role
    headers = as_role("coordinator")
    plan_id = client.post("/api/capacity/plans", json=SMALL, headers=headers).json()["id"]
    heerlen = client.get(f"/api/capacity/plans/{plan_id}", headers=as_role("coordinator", "heerlen"))
    assert heerlen.status_code == 404
    assert heerlen.json()["detail"][0]["field"] == "path.plan_id"
    assert client.get(f"/api/capacity/plans/{plan_id}", headers=as_role("case_worker")).status_code == 403
    assert client.post("/api/capacity/plans", json=SMALL, headers=as_role("case_worker")).status_code == 403
    _finished(client, headers, plan_id)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"profile": "small", "target": 1.5}, "body.target"),
        ({"profile": "small", "seeds": 0}, "body.seeds"),
        ({"profile": "huge"}, "body.profile"),
        ({}, "body.profile"),
        ({"profile": "small", "from_db": True}, "body.profile"),
        ({"profile": "small", "colour": "blue"}, "body.colour"),
    ],
)
def test_bad_input_is_422_naming_the_field(client, as_role, db, body: dict, field: str) -> None:
    count = select(func.count()).select_from(CapacityPlan)
    before = db.scalar(count)
    response = client.post("/api/capacity/plans", json=body, headers=as_role("coordinator"))
    assert response.status_code == 422, response.text
    assert field in [d["field"] for d in response.json()["detail"]]
    assert db.scalar(count) == before


def test_too_little_history_is_422_naming_from_db(client, as_role) -> None:
    response = client.post("/api/capacity/plans", json={"from_db": True}, headers=as_role("coordinator", "heerlen"))
    assert response.status_code == 422
    problem = response.json()["detail"][0]
    assert problem["field"] == "body.from_db" and problem["code"] == "capacity.too_little_history"


def test_an_unknown_or_malformed_id(client, as_role) -> None:
    headers = as_role("coordinator")
    assert client.get("/api/capacity/plans/0123456789abcdef", headers=headers).status_code == 404
    assert client.get("/api/capacity/plans/not-an-id", headers=headers).status_code == 422
