"""POST /api/capacity/comparisons compares the matching policies in the background; GET polls it.

Comparisons that run are kept tiny (a four-week period, one or two seeds, a second of hindsight) so the
background thread finishes in seconds; they use an app on a committed database (``worker_client``). The
others use the suite's rolled-back client, where a started job stays queued.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from api.capacity.models import CapacityPlan
from matcher.simulate import POLICIES
from tests.conftest import wait_until

TINY = {"profile": "small", "seeds": 2, "days": 28, "hindsight_seconds": 1}
PLAN = {"profile": "small", "seeds": 1, "days": 28, "target": 0.9}


def _finished(client, headers, comparison_id: str) -> dict:
    seen: dict = {}

    def done() -> bool:
        response = client.get(f"/api/capacity/comparisons/{comparison_id}", headers=headers)
        assert response.status_code == 200, response.text
        seen.update(response.json())
        return seen["status"] in ("done", "failed")

    wait_until(done, timeout=120, what="the comparison to finish")
    return seen


def test_a_comparison_runs_in_the_background_and_gives_rows_distributions_and_occupancy(
    worker_client, worker_as_role
) -> None:
    client, headers = worker_client, worker_as_role("coordinator")
    response = client.post("/api/capacity/comparisons", json={**TINY, "load": 1.2}, headers=headers)
    assert response.status_code == 202, response.text
    started = response.json()
    assert started["status"] in ("queued", "running", "done") and started["total"] == 2
    assert started["load"] == 1.2 and started["hindsight_seconds"] == 1 and started["source"] == "small"
    body = _finished(client, headers, started["id"])
    assert body["status"] == "done", body
    assert body["done"] == body["total"] == 2
    result = body["result"]
    assert result["seeds"] == 2 and result["days"] == 28 and result["load"] == 1.2
    assert result["wait_buckets"] == ["0", "1-2", "3-7", "8-14", "15-28", ">28", "not placed"]
    assert [r["policy"] for r in result["rows"]] == [*POLICIES, "hindsight"]
    for row in result["rows"]:
        assert len(row["wait_distribution"]) == 7
        assert sum(row["wait_distribution"][:-1]) == pytest.approx(row["placed"]["mean"])
        assert len(row["occupancy"]) == 4  # 28 days
        assert all(0 <= share <= 1 for share in row["occupancy"])
        assert row["share_of_hindsight"]["mean"] <= 1 + 1e-9
        assert 0 <= row["sheltered_share"]["mean"] <= 1 and row["value"]["half_width"] >= 0
    # the same job is no plan: the plans' path does not know it
    assert client.get(f"/api/capacity/plans/{started['id']}", headers=headers).status_code == 404


def test_without_hindsight_the_rows_have_no_share_of_it(worker_client, worker_as_role) -> None:
    client, headers = worker_client, worker_as_role("crisis_team")
    response = client.post("/api/capacity/comparisons", json={**TINY, "seeds": 1, "hindsight_seconds": 0},
                           headers=headers)
    assert response.status_code == 202, response.text
    body = _finished(client, headers, response.json()["id"])
    assert body["status"] == "done", body
    rows = body["result"]["rows"]
    assert [r["policy"] for r in rows] == list(POLICIES)
    assert all(r["share_of_hindsight"] is None for r in rows)


def test_another_municipality_sees_no_comparison_and_other_roles_none_at_all(worker_client, worker_as_role) -> None:
    client, as_role = worker_client, worker_as_role
    headers = as_role("coordinator")
    comparison_id = client.post("/api/capacity/comparisons", json={**TINY, "seeds": 1}, headers=headers).json()["id"]
    heerlen = client.get(f"/api/capacity/comparisons/{comparison_id}", headers=as_role("coordinator", "heerlen"))
    assert heerlen.status_code == 404
    assert heerlen.json()["detail"][0]["field"] == "path.comparison_id"
    assert client.get(f"/api/capacity/comparisons/{comparison_id}", headers=as_role("case_worker")).status_code == 403
    assert client.post("/api/capacity/comparisons", json=TINY, headers=as_role("case_worker")).status_code == 403
    _finished(client, headers, comparison_id)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"profile": "small", "seeds": 0}, "body.seeds"),
        ({"profile": "small", "seeds": 21}, "body.seeds"),
        ({"profile": "small", "load": 0.4}, "body.load"),
        ({"profile": "small", "load": 2.5}, "body.load"),
        ({"profile": "small", "days": 7}, "body.days"),
        ({"profile": "small", "hindsight_seconds": -1}, "body.hindsight_seconds"),
        ({"profile": "small", "hindsight_seconds": 121}, "body.hindsight_seconds"),
        ({"profile": "small", "seeds": 20, "hindsight_seconds": 60}, "body.hindsight_seconds"),  # 1200 s in all
        ({"profile": "huge"}, "body.profile"),
        ({}, "body.profile"),
        ({"profile": "small", "from_db": True}, "body.profile"),
        ({"profile": "small", "target": 0.9}, "body.target"),  # a plan's field
    ],
)
def test_bad_input_is_422_naming_the_field(client, as_role, db, body: dict, field: str) -> None:
    count = select(func.count()).select_from(CapacityPlan)
    before = db.scalar(count)
    response = client.post("/api/capacity/comparisons", json=body, headers=as_role("coordinator"))
    assert response.status_code == 422, response.text
    assert field in [d["field"] for d in response.json()["detail"]]
    assert db.scalar(count) == before


def test_too_little_history_is_422_naming_from_db(client, as_role) -> None:
    response = client.post("/api/capacity/comparisons", json={"from_db": True},
                           headers=as_role("coordinator", "heerlen"))
    assert response.status_code == 422
    problem = response.json()["detail"][0]
    assert problem["field"] == "body.from_db" and problem["code"] == "capacity.too_little_history"


def test_plans_and_comparisons_share_the_limit_of_two_open_jobs(client, as_role) -> None:
    """In the rolled-back client the jobs are never committed, so they stay queued: open."""
    headers = as_role("coordinator")
    assert client.post("/api/capacity/plans", json=PLAN, headers=headers).status_code == 202
    assert client.post("/api/capacity/comparisons", json=TINY, headers=headers).status_code == 202
    too_many = client.post("/api/capacity/comparisons", json=TINY, headers=headers)
    assert too_many.status_code == 409 and too_many.json()["detail"][0]["code"] == "capacity.too_many_plans"
    assert client.post("/api/capacity/plans", json=PLAN, headers=headers).status_code == 409
    other = as_role("coordinator", "heerlen")  # another municipality is not held up
    assert client.post("/api/capacity/comparisons", json=TINY | {"profile": "medium"}, headers=other).status_code == 202


def test_a_queued_comparison_reads_back_and_a_plan_id_is_unknown_here(client, as_role) -> None:
    headers = as_role("coordinator")
    started = client.post("/api/capacity/comparisons", json=TINY, headers=headers)
    assert started.status_code == 202
    body = client.get(f"/api/capacity/comparisons/{started.json()['id']}", headers=headers).json()
    assert body["status"] == "queued" and body["done"] == 0 and body["total"] == 2 and body["result"] is None
    plan_id = client.post("/api/capacity/plans", json=PLAN, headers=headers).json()["id"]
    unknown = client.get(f"/api/capacity/comparisons/{plan_id}", headers=headers)
    assert unknown.status_code == 404 and unknown.json()["detail"][0]["code"] == "capacity.comparison_unknown"
    assert client.get(f"/api/capacity/plans/{plan_id}", headers=headers).status_code == 200


def test_an_unknown_or_malformed_id(client, as_role) -> None:
    headers = as_role("coordinator")
    assert client.get("/api/capacity/comparisons/0123456789abcdef", headers=headers).status_code == 404
    assert client.get("/api/capacity/comparisons/not-an-id", headers=headers).status_code == 422
