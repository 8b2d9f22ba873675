"""Confirm, reject, manual placement and the lifecycle: bad input changes nothing."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from api.core.models import AuditEvent
from api.hosts.models import Host
from api.households.models import Household
from api.matching import service
from api.placements.models import Placement, Refusal
from api.places.models import Place
from tests.api.matching.support import add_household, municipality_id
from tests.conftest import DEMO_DAY

DAY = DEMO_DAY.isoformat()


@pytest.fixture
def headers(as_role):
    return as_role("crisis_team")


@pytest.fixture
def run(client, headers):
    response = client.post("/api/matching/runs", json={"date": DAY}, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


def _count(db, model) -> int:
    return db.scalar(select(func.count()).select_from(model))


def test_confirm_creates_a_placement_and_the_place_becomes_busy(client, headers, run, db):
    proposal = run["proposals"][0]
    response = client.post(f"/api/matching/proposals/{proposal['id']}/confirm", headers=headers)
    assert response.status_code == 201, response.text
    placement = db.get(Placement, response.json()["id"])
    assert placement.status == "confirmed" and placement.proposal_id == proposal["id"]
    assert db.get(Household, proposal["household_id"]).status == "placed"
    instance = service.instance_for(db, municipality_id=municipality_id(db), day=DEMO_DAY)
    assert proposal["household_reference"] not in {h["id"] for h in instance["households"]}
    place = next(p for p in instance["places"] if p["id"] == proposal["place_reference"])
    assert {"start": proposal["start_date"], "end": proposal["end_date"]} in place["busy"]
    audited = select(AuditEvent.id).where(AuditEvent.action == "confirm", AuditEvent.object_id == str(placement.id))
    assert db.scalar(audited)


def test_confirming_twice_is_a_conflict(client, headers, run, db):
    pid = run["proposals"][0]["id"]
    assert client.post(f"/api/matching/proposals/{pid}/confirm", headers=headers).status_code == 201
    before = _count(db, Placement)
    second = client.post(f"/api/matching/proposals/{pid}/confirm", headers=headers)
    assert second.status_code == 409 and "bevestigd" in second.json()["detail"][0]["msg"]
    assert _count(db, Placement) == before


def test_other_proposals_of_the_run_stay_valid_after_a_decision(client, headers, run):
    first, second, third = run["proposals"][:3]
    assert client.post(f"/api/matching/proposals/{first['id']}/confirm", headers=headers).status_code == 201
    reject = client.post(f"/api/matching/proposals/{second['id']}/reject", json={"reason": "te ver"}, headers=headers)
    assert reject.status_code == 200
    assert client.post(f"/api/matching/proposals/{third['id']}/confirm", headers=headers).status_code == 201
    assert client.get(f"/api/matching/runs/{run['id']}", headers=headers).json()["stale"] is False


def test_a_stale_proposal_is_refused(client, headers, run, db):
    add_household(db, "HH-T-LATE")  # data changed since the run
    db.flush()
    before = _count(db, Placement)
    response = client.post(f"/api/matching/proposals/{run['proposals'][0]['id']}/confirm", headers=headers)
    assert response.status_code == 409
    assert "verouderd" in response.json()["detail"][0]["msg"] and "stale" in response.json()["detail"][0]["msg"]
    assert _count(db, Placement) == before
    assert client.get(f"/api/matching/runs/{run['id']}", headers=headers).json()["stale"] is True


def test_a_rejection_needs_a_reason_and_changes_nothing_without(client, headers, run, db):
    pid = run["proposals"][0]["id"]
    for body in ({}, {"reason": ""}, {"reason": "   "}):
        response = client.post(f"/api/matching/proposals/{pid}/reject", json=body, headers=headers)
        assert response.status_code == 422
        assert response.json()["detail"][0]["loc"] == ["body", "reason"]
    assert _count(db, Refusal) == 0
    assert client.get(f"/api/matching/runs/{run['id']}", headers=headers).json()["proposals"][0]["status"] == "open"


def test_a_rejection_becomes_an_exclusion(client, headers, run, db):
    proposal = run["proposals"][0]
    response = client.post(
        f"/api/matching/proposals/{proposal['id']}/reject", json={"reason": "kat en allergie"}, headers=headers
    )
    assert response.status_code == 200 and response.json()["status"] == "rejected"
    refusal = db.scalar(select(Refusal).where(Refusal.household_id == proposal["household_id"]))
    assert refusal.reason == "kat en allergie"
    instance = service.instance_for(db, municipality_id=municipality_id(db), day=DEMO_DAY)
    household = next(h for h in instance["households"] if h["id"] == proposal["household_reference"])
    assert proposal["place_reference"] in household["excluded_places"]


def test_only_the_crisis_team_decides(client, as_role, run):
    pid = run["proposals"][0]["id"]
    for role in ("case_worker", "coordinator"):
        assert client.post(f"/api/matching/proposals/{pid}/confirm", headers=as_role(role)).status_code == 403
    other = client.post(f"/api/matching/proposals/{pid}/confirm", headers=as_role("crisis_team", "heerlen"))
    assert other.status_code == 404


def _free_wachtkamer(db) -> Place:
    mid = municipality_id(db)
    instance = service.instance_for(db, municipality_id=mid, day=DEMO_DAY)
    free = [p for p in instance["places"] if p["kind"] == "wachtkamer" and not p["busy"] and p["capacity"] >= 2]
    return db.scalar(select(Place).where(Place.reference == free[0]["id"]))


def test_manual_placement_needs_a_reason(client, headers, db):
    hid = add_household(db, "HH-T-MAN")
    place = _free_wachtkamer(db)
    body = {"household_id": hid, "place_id": place.id, "date": DAY}
    response = client.post("/api/placements", json=body, headers=headers)
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["body", "reason"]
    ok = client.post("/api/placements", json={**body, "reason": "broer woont om de hoek"}, headers=headers)
    assert ok.status_code == 201, ok.text
    assert ok.json()["manual_reason"] == "broer woont om de hoek"
    assert ok.json()["start_date"] == DAY


def test_manual_placement_that_breaks_a_hard_rule_is_refused_naming_it(client, headers, db):
    hid = add_household(db, "HH-T-PETS", pets=True)
    mid = municipality_id(db)
    instance = service.instance_for(db, municipality_id=mid, day=DEMO_DAY)
    no_pets = next(p for p in instance["places"] if not p["allows_pets"] and p["kind"] == "wachtkamer")
    place = db.scalar(select(Place).where(Place.reference == no_pets["id"]))
    before = _count(db, Placement)
    response = client.post(
        "/api/placements",
        json={"household_id": hid, "place_id": place.id, "reason": "noodgeval", "date": DAY},
        headers=headers,
    )
    assert response.status_code == 422
    detail = response.json()["detail"][0]
    assert detail["type"] == "rule_breach" and "E2" in detail["msg"]
    assert _count(db, Placement) == before


def test_host_room_without_recorded_landlord_consent_is_refused(client, headers, db):
    mid = municipality_id(db)
    hid = add_household(db, "HH-T-HOST")
    host = db.scalar(
        select(Host).where(Host.municipality_id == mid, Host.status == "active", Host.landlord_type == "corporation")
    )
    room = db.scalar(select(Place).where(Place.host_id == host.id, Place.status == "active"))
    host.landlord_consent = False
    host.landlord_consent_date = None
    db.flush()
    response = client.post(
        "/api/placements",
        json={"household_id": hid, "place_id": room.id, "reason": "past goed", "date": DAY},
        headers=headers,
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["type"] == "rule_breach" and "E6" in response.json()["detail"][0]["msg"]


def test_lifecycle_and_report(client, headers, db):
    hid = add_household(db, "HH-T-LIFE", eviction=DEMO_DAY - timedelta(days=3))
    place = _free_wachtkamer(db)
    placement = client.post(
        "/api/placements",
        json={"household_id": hid, "place_id": place.id, "reason": "test", "date": DAY},
        headers=headers,
    ).json()
    pid = placement["id"]
    assert (
        client.post(
            f"/api/placements/{pid}/end", json={"ended_on": DAY, "outcome": "shelter"}, headers=headers
        ).status_code
        == 409
    )  # not started yet
    started = client.post(f"/api/placements/{pid}/start", json={"arrived_on": DAY}, headers=headers)
    assert started.json()["status"] == "started"
    bad = client.post(f"/api/placements/{pid}/end", json={"ended_on": DAY, "outcome": "weg"}, headers=headers)
    assert bad.status_code == 422
    ended = client.post(
        f"/api/placements/{pid}/end",
        json={"ended_on": DAY, "outcome": "own_network", "note": "bij zus"},
        headers=headers,
    )
    assert ended.status_code == 200 and ended.json()["outcome"] == "own_network"
    assert db.get(Household, hid).status == "closed"
    report = client.get(f"/api/placements/report?month={DAY[:7]}", headers=headers).json()
    assert report["outcomes"]["own_network"] >= 1 and report["early_ends"] >= 1 and report["placed"] >= 1
    assert client.get("/api/placements/report?month=2026-13", headers=headers).status_code == 422


def test_cancel_frees_the_household_and_place(client, headers, db):
    hid = add_household(db, "HH-T-CANCEL")
    place = _free_wachtkamer(db)
    pid = client.post(
        "/api/placements", json={"household_id": hid, "place_id": place.id, "reason": "x", "date": DAY}, headers=headers
    ).json()["id"]
    assert client.post(f"/api/placements/{pid}/cancel", json={}, headers=headers).status_code == 422
    assert client.post(f"/api/placements/{pid}/cancel", json={"reason": "wil niet"}, headers=headers).status_code == 200
    assert db.get(Household, hid).status == "waiting"
    again = client.post(
        "/api/placements", json={"household_id": hid, "place_id": place.id, "reason": "x", "date": DAY}, headers=headers
    )
    assert again.status_code == 201


def test_placement_letter_is_a_pdf_in_plain_dutch(client, headers, run, db):
    from api.placements.letter import letter_document

    placement = client.post(f"/api/matching/proposals/{run['proposals'][0]['id']}/confirm", headers=headers).json()
    response = client.get(f"/api/placements/{placement['id']}/letter.pdf", headers=headers)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert response.headers["content-type"] == "application/pdf"
    doc = letter_document(db, db.get(Placement, placement["id"]))
    text = " ".join(str(b) for b in doc.blocks)
    assert "U heeft een plek" in doc.title and "Wat neemt u mee?" in text
    assert "Telefoon: 043 000 00 00" in text and "E-mail: wonen@maastricht.demo" in text  # municipal contact
    for jargon in ("ontruimingszeef", "kostendelersnorm", "E10", "matcher"):
        assert jargon not in text


def test_no_double_booking_in_the_database_itself(db):
    """Even bypassing the service, the database refuses overlapping live stays in one place."""
    from sqlalchemy.exc import IntegrityError

    mid = municipality_id(db)
    place = _free_wachtkamer(db)
    a, b = add_household(db, "HH-T-DB1"), add_household(db, "HH-T-DB2")
    start = DEMO_DAY + timedelta(days=1)
    db.add(
        Placement(
            municipality_id=mid,
            household_id=a,
            place_id=place.id,
            start_date=start,
            end_date=start + timedelta(days=50),
        )
    )
    db.flush()
    nested = db.begin_nested()
    db.add(
        Placement(
            municipality_id=mid,
            household_id=b,
            place_id=place.id,
            start_date=start + timedelta(days=10),
            end_date=start + timedelta(days=60),
        )
    )
    with pytest.raises(IntegrityError):
        db.flush()
    nested.rollback()
    # back to back is fine (half-open intervals), and a cancelled stay does not block
    db.add(
        Placement(
            municipality_id=mid,
            household_id=b,
            place_id=place.id,
            start_date=start + timedelta(days=50),
            end_date=start + timedelta(days=100),
        )
    )
    db.flush()
    assert date.fromisoformat(DAY) < start


def test_a_newer_run_supersedes_the_open_proposals_of_the_older_one(client, headers, run):
    newer = client.post("/api/matching/runs", json={"date": DAY, "force": True}, headers=headers).json()
    old = client.get(f"/api/matching/runs/{run['id']}", headers=headers).json()
    assert {p["status"] for p in old["proposals"]} == {"stale"}
    response = client.post(f"/api/matching/proposals/{run['proposals'][0]['id']}/confirm", headers=headers)
    assert response.status_code == 409 and "verouderd" in response.json()["detail"][0]["msg"]
    assert (
        client.post(f"/api/matching/proposals/{newer['proposals'][0]['id']}/confirm", headers=headers).status_code
        == 201
    )
