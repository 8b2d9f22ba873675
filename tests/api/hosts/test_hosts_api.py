"""The JSON API of hosts and places: queue, checklist, transitions, the host's own record, availability,
role and municipality scoping, and coarse host locations for everyone but the crisis team."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from api.hosts.models import Host
from api.places.models import Place


def _pending_host(db) -> Host:
    """A pending Maastricht host that rents from a corporation and has no recorded consent yet."""
    host = db.scalar(select(Host).where(Host.reference.like("GG-0935-%"), Host.status == "pending").order_by(Host.id))
    host.landlord_type, host.landlord_consent, host.landlord_consent_received = "corporation", False, False
    host.landlord_consent_date = host.landlord_consent_by = host.landlord_consent_document = None
    db.flush()
    return host


@pytest.mark.usefixtures("db")
def test_queue_lists_pending_hosts_of_the_own_municipality_only(client, as_role):
    r = client.get("/api/hosts?status=pending", headers=as_role("coordinator"))
    assert r.status_code == 200
    refs = [h["reference"] for h in r.json()]
    assert refs and all(ref.startswith("GG-0935-") for ref in refs)
    assert all(h["status"] == "pending" for h in r.json())
    assert client.get("/api/hosts", headers=as_role("case_worker")).status_code == 403
    assert client.get("/api/hosts", headers=as_role("host")).status_code == 403


def test_checklist_then_vet_then_activate_makes_the_rooms_active(client, db, as_role):
    host = _pending_host(db)
    headers = as_role("coordinator")
    r = client.post(f"/api/hosts/{host.id}/transitions", json={"action": "activate"}, headers=headers)
    assert r.status_code == 409  # pending cannot jump to active
    r = client.post(f"/api/hosts/{host.id}/transitions", json={"action": "vet"}, headers=headers)
    assert r.status_code == 422 and r.json()["detail"][0]["type"] == "rule_breach"
    body = {
        "identity_seen": True,
        "vog_seen": True,
        "home_visit_done": True,
        "landlord_consent_date": "2026-11-01",
        "landlord_consent_by": "Woonpunt",
        "landlord_consent_document": "brief 2026-118",
        "benefit_checked": True,
    }
    r = client.put(f"/api/hosts/{host.id}/checklist", json=body, headers=headers)
    assert r.status_code == 200 and r.json()["checklist_missing"] == []
    for action, status in (("vet", "vetted"), ("activate", "active")):
        r = client.post(f"/api/hosts/{host.id}/transitions", json={"action": action}, headers=headers)
        assert r.status_code == 200 and r.json()["status"] == status
    assert {room["status"] for room in r.json()["rooms"]} == {"active"}


def test_landlord_consent_needs_date_who_and_document_and_is_recorded_by_the_rules_domain(client, db, as_role):
    host = _pending_host(db)
    headers = as_role("coordinator")
    r = client.put(f"/api/hosts/{host.id}/checklist", json={"landlord_consent_date": "2026-11-01"}, headers=headers)
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "landlord_consent_by"]
    assert (
        "landlord_consent_received" in client.get(f"/api/hosts/{host.id}", headers=headers).json()["checklist_missing"]
    )
    body = {"landlord_consent_date": "2099-01-01", "landlord_consent_by": "Woonpunt", "landlord_consent_document": "x"}
    r = client.put(f"/api/hosts/{host.id}/checklist", json=body, headers=headers)
    assert r.status_code == 422  # a consent dated in the future (matcher.rules.logeer.ensure_confirmable)
    body["landlord_consent_date"] = "2026-11-01"
    r = client.put(f"/api/hosts/{host.id}/checklist", json=body, headers=headers)
    assert r.status_code == 200 and "landlord_consent_received" not in r.json()["checklist_missing"]
    db.refresh(host)
    assert host.landlord_consent and host.landlord_consent_document == "x"
    # Saving the ticks again later never clears the recorded consent.
    r = client.put(f"/api/hosts/{host.id}/checklist", json={"identity_seen": True}, headers=headers)
    assert r.status_code == 200 and "landlord_consent_received" not in r.json()["checklist_missing"]


def test_another_municipality_cannot_read_or_change(client, db, as_role):
    host = _pending_host(db)
    headers = as_role("coordinator", "heerlen")
    assert client.get(f"/api/hosts/{host.id}", headers=headers).status_code == 404
    assert (
        client.post(
            f"/api/hosts/{host.id}/transitions", json={"action": "reject", "reason": "x"}, headers=headers
        ).status_code
        == 404
    )


def test_host_reads_and_pauses_only_itself(client, db, as_role):
    headers = as_role("host")
    me = client.get("/api/hosts/me", headers=headers)
    assert me.status_code == 200 and me.json()["reference"] == "GG-0935-001"
    other = db.scalar(select(Host).where(Host.reference == "GG-0935-002"))
    assert client.get(f"/api/hosts/{other.id}", headers=headers).status_code == 403
    r = client.post("/api/hosts/me/transitions", json={"action": "activate"}, headers=headers)
    assert r.status_code == 422  # only the coordinator activates
    if me.json()["status"] == "active":
        r = client.post("/api/hosts/me/transitions", json={"action": "pause"}, headers=headers)
        assert r.status_code == 200 and {room["status"] for room in r.json()["rooms"]} <= {"paused", "inactive"}


def test_host_changes_availability_of_own_room_only(client, db, as_role):
    headers = as_role("host")
    me = client.get("/api/hosts/me", headers=headers).json()
    own = me["rooms"][0]["id"]
    r = client.put(
        f"/api/places/{own}/availability",
        json={"available_from": "2026-12-01", "available_until": "2026-11-30"},
        headers=headers,
    )
    assert r.status_code == 422
    r = client.put(f"/api/places/{own}/availability", json={"available_from": "2026-12-01"}, headers=headers)
    assert r.status_code == 200 and r.json()["available_until"] is None
    r = client.post(
        f"/api/places/{own}/unavailability",
        json={"start_date": "2027-02-01", "end_date": "2027-02-10"},
        headers=headers,
    )
    assert r.status_code == 201
    period = r.json()["id"]
    assert client.delete(f"/api/places/{own}/unavailability/{period}", headers=headers).status_code == 204
    foreign = db.scalar(select(Place).where(Place.kind == "host_room", Place.host_id != me["id"]))
    r = client.put(f"/api/places/{foreign.id}/availability", json={"available_from": "2026-12-01"}, headers=headers)
    assert r.status_code == 404


@pytest.mark.usefixtures("db")
def test_host_room_locations_are_coarse_except_for_the_crisis_team(client, as_role):
    rooms = client.get("/api/places?kind=host_room", headers=as_role("case_worker")).json()
    assert rooms and all(round(p["lat"], 2) == p["lat"] for p in rooms)
    exact = {p["reference"]: p for p in client.get("/api/places?kind=host_room", headers=as_role("crisis_team")).json()}
    assert any(round(p["lat"], 2) != p["lat"] for p in exact.values())
