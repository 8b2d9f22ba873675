"""Bulk decisions (API and page) and the compact matching page: paged proposals, disclosure, bounded size."""

from __future__ import annotations

import re

import pytest

from tests.conftest import DEMO_DAY

DAY = DEMO_DAY.isoformat()


@pytest.fixture
def team(as_role):
    return as_role("crisis_team")


def _run(client, team) -> dict:
    response = client.post("/api/matching/runs", json={"date": DAY}, headers=team)
    assert response.status_code in (200, 201), response.text
    return response.json()


def test_bulk_confirm_goes_per_item_and_reports_the_refused_one(client, team):
    run = _run(client, team)
    open_ids = [p["id"] for p in run["proposals"] if p["status"] == "open"][:3]
    first = client.post(f"/api/matching/proposals/{open_ids[0]}/confirm", headers=team)
    assert first.status_code == 201
    result = client.post(
        "/api/matching/proposals/bulk", json={"action": "confirm", "proposal_ids": open_ids}, headers=team
    )
    assert result.status_code == 200, result.text
    body = result.json()
    assert body["done"] == 2 and body["failed"] == 1
    refused = next(i for i in body["items"] if not i["ok"])
    assert refused["proposal_id"] == open_ids[0] and refused["code"] == "proposal.already_decided"
    assert "2 voorstel(len) bevestigd" in body["summary"]
    placements = {p["proposal_id"] for p in client.get("/api/placements", headers=team).json()}
    assert set(open_ids) <= placements


def test_bulk_reject_needs_a_reason_for_each(client, team):
    run = _run(client, team)
    ids = [p["id"] for p in run["proposals"] if p["status"] == "open"][:2]
    without = client.post("/api/matching/proposals/bulk", json={"action": "reject", "proposal_ids": ids}, headers=team)
    assert without.status_code == 200 and without.json()["done"] == 0 and without.json()["failed"] == 2
    rejected = client.post(
        "/api/matching/proposals/bulk",
        json={"action": "reject", "proposal_ids": ids, "reason": "te ver weg"},
        headers=team,
    ).json()
    assert rejected["done"] == 2
    listed = client.get(f"/api/matching/runs/{run['id']}/proposals", headers=team).json()
    statuses = {p["id"]: p["status"] for p in listed}
    assert statuses[ids[0]] == statuses[ids[1]] == "rejected"


def test_bulk_refuses_an_empty_choice_and_an_unknown_action(client, team):
    empty = client.post("/api/matching/proposals/bulk", json={"action": "confirm", "proposal_ids": []}, headers=team)
    assert empty.status_code == 422 and empty.json()["detail"][0]["loc"] == ["body", "proposal_ids"]
    odd = client.post("/api/matching/proposals/bulk", json={"action": "delete", "proposal_ids": [1]}, headers=team)
    assert odd.status_code == 422 and odd.json()["detail"][0]["loc"] == ["body", "action"]


def test_bulk_cannot_reach_another_municipality(client, team, as_role):
    other = as_role("crisis_team", "heerlen")
    run = client.post("/api/matching/runs", json={"date": DAY}, headers=other).json()
    theirs = [p["id"] for p in run["proposals"] if p["status"] == "open"][:1]
    assert theirs, "Heerlen's run has an open proposal"
    body = client.post(
        "/api/matching/proposals/bulk", json={"action": "confirm", "proposal_ids": theirs}, headers=team
    ).json()
    assert body["done"] == 0 and body["items"][0]["code"] == "proposal.not_found"


def test_page_bulk_form_confirms_the_ticked_ones_with_a_dutch_message(client, team):
    html_headers = {**team, "accept": "text/html"}
    _run(client, team)
    page = client.get(f"/matching?date={DAY}", headers=html_headers).text
    ids = re.findall(r'name="proposal_ids" value="(\d+)"', page)[:2]
    assert len(ids) == 2 and 'form="bulk"' in page
    done = client.post(
        "/matching/voorstellen/bulk",
        data={"action": "confirm", "proposal_ids": ids, "date": DAY},
        headers=html_headers,
    )
    assert done.status_code == 200
    assert 'id="bulk-resultaat"' in done.text and "2 voorstel(len) bevestigd." in done.text
    for pid in ids:
        assert f'id="voorstel-{pid}" class="status-confirmed"' in done.text


def test_matching_page_pages_proposals_behind_disclosures_with_counts(client, team):
    html_headers = {**team, "accept": "text/html"}
    run = _run(client, team)
    total = len(run["proposals"])
    page = client.get(f"/matching?date={DAY}&limit=3", headers=html_headers).text
    assert len(re.findall(r'id="voorstel-\d+"', page)) == min(3, total)
    assert f'data-total="{total}"' in page and 'id="aantal-open"' in page
    assert "<details><summary>Uitleg" in page
    second = client.get(f"/matching?date={DAY}&limit=3&offset=3", headers=html_headers).text
    first_ids = set(re.findall(r'id="voorstel-(\d+)"', page))
    assert first_ids.isdisjoint(re.findall(r'id="voorstel-(\d+)"', second))
    some = run["proposals"][0]["household_reference"]
    found = client.get(f"/matching?date={DAY}", params={"q": some}, headers=html_headers).text
    assert len(re.findall(r'id="voorstel-\d+"', found)) == 1


def test_proposal_list_api_pages_and_exports(client, team):
    run = _run(client, team)
    every = client.get(f"/api/matching/runs/{run['id']}/proposals", headers=team)
    assert [p["id"] for p in every.json()] == [p["id"] for p in run["proposals"]]
    window = client.get(f"/api/matching/runs/{run['id']}/proposals?limit=2&offset=1", headers=team)
    assert [p["id"] for p in window.json()] == [p["id"] for p in run["proposals"]][1:3]
    assert window.headers["X-Total-Count"] == str(len(run["proposals"]))
    export = client.get(f"/api/matching/runs/{run['id']}/proposals/export.csv", headers=team)
    assert export.status_code == 200 and export.content.decode("utf-8-sig").count("\n") == len(run["proposals"]) + 1
