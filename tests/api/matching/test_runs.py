"""Running the daily matching: stored runs, idempotence, changes, explanations and roles."""

from __future__ import annotations

from datetime import date

from api.matching import service
from api.matching.models import MatchingRun
from tests.api.matching.support import add_household, municipality_id, unplaceable
from tests.conftest import DEMO_DAY

DAY = DEMO_DAY.isoformat()


def test_a_run_stores_input_version_instance_solution_and_who(client, as_role, db):
    headers = as_role("crisis_team")
    response = client.post("/api/matching/runs", json={"date": DAY}, headers=headers)
    assert response.status_code == 201, response.text
    body = response.json()
    run = db.get(MatchingRun, body["id"])
    assert run.input_hash == service.input_hash(run.instance_json) == body["input_hash"]
    assert run.matcher_version == body["matcher_version"] and run.matcher_version
    assert run.solution_json["format"] == "onderdak.solution/1"
    assert run.run_by_label == "crisis-team@maastricht.demo" and run.run_by is not None
    assert len(body["proposals"]) == len(run.solution_json["placements"]) > 0
    first = body["proposals"][0]
    assert {r["code"] for r in first["reasons"]} >= {"wait", "distance", "priority", "capacity", "kind"}
    assert all(r["nl"] and r["en"] for r in first["reasons"])


def test_running_again_with_unchanged_data_gives_the_same_run(client, as_role):
    headers = as_role("crisis_team")
    first = client.post("/api/matching/runs", json={"date": DAY}, headers=headers).json()
    again = client.post("/api/matching/runs", json={"date": DAY}, headers=headers)
    assert again.status_code == 200 and again.json()["reused"] is True
    assert again.json()["id"] == first["id"]
    assert again.json()["proposals"] == first["proposals"]


def test_forced_rerun_gives_identical_proposals(client, as_role):
    headers = as_role("crisis_team")
    first = client.post("/api/matching/runs", json={"date": DAY}, headers=headers).json()
    forced = client.post("/api/matching/runs", json={"date": DAY, "force": True}, headers=headers).json()
    assert forced["id"] != first["id"] and forced["input_hash"] == first["input_hash"]
    pairs = lambda run: [(p["household_reference"], p["place_reference"], p["start_date"]) for p in run["proposals"]]  # noqa: E731
    assert pairs(forced) == pairs(first)
    assert forced["changes"] == {}


def test_after_a_change_the_run_shows_what_changed(client, as_role, db):
    headers = as_role("crisis_team")
    client.post("/api/matching/runs", json={"date": DAY}, headers=headers)
    add_household(db, "HH-T-NEW")
    db.flush()
    page = client.get(f"/matching?date={DAY}", headers={**headers, "accept": "text/html"})
    assert "wijzigingen-sinds-run" in page.text and "HH-T-NEW" in page.text
    second = client.post("/api/matching/runs", json={"date": DAY}, headers=headers)
    assert second.status_code == 201
    assert second.json()["changes"]["households_added"] == ["HH-T-NEW"]


def test_every_unplaced_household_has_the_matchers_explanation(client, as_role, db):
    hid = unplaceable(db)
    db.flush()
    body = client.post("/api/matching/runs", json={"date": DAY}, headers=as_role("crisis_team")).json()
    entry = next(u for u in body["unplaced"] if u["household"] == "HH-TEST-BIG")
    assert entry["household_id"] == hid and entry["reasons"] and entry["reasons_en"]
    assert any("E1" in r for r in entry["reasons"])  # no place holds twelve persons


def test_roles(client, as_role):
    assert client.post("/api/matching/runs", json={"date": DAY}, headers=as_role("case_worker")).status_code == 403
    assert client.post("/api/matching/runs", json={"date": DAY}, headers=as_role("coordinator")).status_code == 403
    assert client.get("/api/matching/runs").status_code == 401
    assert client.post("/api/matching/runs", json={"date": DAY}).status_code in (401, 403)  # CSRF or login
    run = client.post("/api/matching/runs", json={"date": DAY}, headers=as_role("crisis_team")).json()
    for role in ("case_worker", "coordinator"):
        assert client.get(f"/api/matching/runs/{run['id']}", headers=as_role(role)).status_code == 200
    other = client.get(f"/api/matching/runs/{run['id']}", headers=as_role("crisis_team", "heerlen"))
    assert other.status_code == 404  # another municipality's run cannot be probed


def test_latest_and_list(client, as_role):
    headers = as_role("crisis_team")
    assert client.get(f"/api/matching/runs/latest?date={DAY}", headers=headers).status_code == 404
    run = client.post("/api/matching/runs", json={"date": DAY}, headers=headers).json()
    assert client.get(f"/api/matching/runs/latest?date={DAY}", headers=headers).json()["id"] == run["id"]
    listed = client.get(f"/api/matching/runs?date={DAY}", headers=headers).json()
    assert [r["id"] for r in listed] == [run["id"]]


def test_cli_and_service_are_the_same_function(db):
    mid = municipality_id(db)
    run = service.run_daily_matching(db, municipality_id=mid, day=DEMO_DAY, run_by_label="cli")
    again = service.run_daily_matching(db, municipality_id=mid, day=DEMO_DAY, run_by_label="cli")
    assert again.reused and again.id == run.id
    assert service.run_daily_matching(db, municipality_id=mid, day=date(2026, 11, 28), run_by_label="cli").id != run.id
