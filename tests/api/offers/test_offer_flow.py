"""Offers: make, answer by link (no account), expire and remind at their boundaries, tokens, roles, tenants."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import func, select

from api.core.models import AuditEvent, OutboxMessage
from api.households.models import Household, HouseholdMember
from api.matching import service as matching
from api.matching.models import Proposal
from api.offers import service
from api.offers.models import Offer
from api.placements.models import Placement, Refusal
from api.places.models import PlaceUnavailability
from tests.api.matching.support import municipality_id
from tests.api.offers.conftest import DEMO_DAY, csrf, host_proposal, last_link, later, offer, run_jobs


def _instance(db):
    return matching.instance_for(db, municipality_id=municipality_id(db), day=DEMO_DAY)


def test_an_offer_holds_the_pair_and_mails_a_link_not_a_placement(client, headers, run, db):
    proposal = host_proposal(run)
    before = db.scalar(select(func.count()).select_from(Placement))
    [made] = offer(client, headers, proposal)
    assert made["status"] == "pending" and made["recipient_kind"] == "host"
    assert db.scalar(select(func.count()).select_from(Placement)) == before
    instance = _instance(db)
    assert proposal["household_reference"] not in {h["id"] for h in instance["households"]}
    place = next(p for p in instance["places"] if p["id"] == proposal["place_reference"])
    assert {"start": proposal["start_date"], "end": proposal["end_date"]} in place["busy"]
    mail = db.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
    household = db.get(Household, proposal["household_id"])
    assert "/aanbod/" in mail.body and household.display_name not in mail.body
    token = last_link(db)
    stored = db.get(Offer, made["id"])
    assert stored.token_hash and token not in stored.token_hash  # only a hash is kept
    assert db.scalar(select(AuditEvent.id).where(AuditEvent.action == "offer", AuditEvent.object_id == str(made["id"])))
    # the team cannot confirm an offered proposal behind the host's back
    again = client.post(f"/api/matching/proposals/{proposal['id']}/confirm", headers=headers)
    assert again.status_code == 409 and again.json()["detail"][0]["code"] == "proposal.offered"


def test_the_host_accepts_from_the_link_without_an_account(client, headers, run, db):
    proposal = host_proposal(run)
    [made] = offer(client, headers, proposal)
    token = last_link(db)
    page = client.get(f"/aanbod/{token}")
    assert page.status_code == 200
    household = db.get(Household, proposal["household_id"])
    members = db.scalars(select(HouseholdMember).where(HouseholdMember.household_id == household.id)).all()
    assert household.display_name not in page.text
    assert all(m.birth_date.isoformat() not in page.text for m in members)
    assert re.search(rf'id="personen">\s*{len(members)}\s*<', page.text)
    response = client.post(f"/aanbod/{token}/ja", data={"csrf_token": csrf(client, f"/aanbod/{token}")})
    assert response.status_code == 200 and "Dank u wel" in response.text
    stored = db.get(Offer, made["id"])
    assert stored.status == "accepted" and stored.token_hash is None and stored.placement_id
    placement = db.get(Placement, stored.placement_id)
    assert placement.status == "confirmed" and placement.proposal_id == proposal["id"]
    assert db.get(Household, proposal["household_id"]).status == "placed"
    assert db.get(Proposal, proposal["id"]).status == "confirmed"
    # the link is revoked once used
    assert client.get(f"/aanbod/{token}").status_code == 404


def test_accepting_needs_the_csrf_token(client, headers, run, db):
    offer(client, headers, host_proposal(run))
    token = last_link(db)
    client.get(f"/aanbod/{token}")
    assert client.post(f"/aanbod/{token}/ja", data={"csrf_token": "wrong"}).status_code == 403
    assert service.pending_for_token(db, token) is not None


def test_unknown_or_foreign_tokens_show_nothing(client, headers, run, db):
    first, second = run["proposals"][:2]
    offer(client, headers, first)
    token_first = last_link(db)
    offer(client, headers, second)
    token_second = last_link(db)
    assert token_first != token_second
    assert client.get("/aanbod/not-a-token").status_code == 404
    # each link shows its own offer only
    page = client.get(f"/aanbod/{token_second}")
    offer_second = service.pending_for_token(db, token_second)
    assert offer_second.household_id == second["household_id"]
    assert service.pending_for_token(db, token_first).household_id == first["household_id"]
    assert page.status_code == 200


def test_an_offer_expires_at_48_hours_not_a_minute_before(client, headers, run, db, fixed):
    proposal = host_proposal(run)
    [made] = offer(client, headers, proposal)
    token = last_link(db)
    later(fixed, hours=47, minutes=59)
    assert run_jobs(db, "offers.expire") == {"offers.expire": 0}
    assert service.pending_for_token(db, token) is not None
    later(fixed, minutes=1)  # exactly 48:00
    assert service.pending_for_token(db, token) is None  # the link no longer works, job or not
    assert run_jobs(db, "offers.expire") == {"offers.expire": 1}
    assert run_jobs(db, "offers.expire") == {"offers.expire": 0}  # idempotent
    stored = db.get(Offer, made["id"])
    assert stored.status == "expired" and stored.token_hash is None
    assert db.get(Proposal, proposal["id"]).status == "stale"
    assert proposal["household_reference"] in {h["id"] for h in _instance(db)["households"]}  # back in the pool
    assert client.get(f"/aanbod/{token}").status_code == 404


def test_one_reminder_12_hours_before_expiry_with_a_fresh_link(client, headers, run, db, fixed):
    offer(client, headers, host_proposal(run))
    first = last_link(db)
    later(fixed, hours=35, minutes=59)
    assert run_jobs(db, "offers.remind") == {"offers.remind": 0}
    later(fixed, minutes=1)  # 36:00, twelve hours before expiry
    assert run_jobs(db, "offers.remind") == {"offers.remind": 1}
    assert run_jobs(db, "offers.remind") == {"offers.remind": 0}
    second = last_link(db)
    assert second != first
    assert service.pending_for_token(db, first) is None and service.pending_for_token(db, second) is not None
    mail = db.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
    assert mail.subject.startswith("Herinnering")


def test_the_next_run_proposes_another_place_after_expiry(client, headers, run, db, fixed):
    proposal = host_proposal(run)
    offer(client, headers, proposal)
    later(fixed, hours=48)
    run_jobs(db, "offers.expire")
    rerun = client.post("/api/matching/runs", json={"date": DEMO_DAY.isoformat(), "force": True}, headers=headers)
    assert rerun.status_code in (200, 201), rerun.text
    households = {p["household_id"] for p in rerun.json()["proposals"]}
    unplaced = {u["household_id"] for u in rerun.json()["unplaced"]}
    assert proposal["household_id"] in households | unplaced  # back in the matching
    # the expired pair is excluded: the household is offered another place, never the unanswered one again
    mine = next(h for h in _instance(db)["households"] if h["id"] == proposal["household_reference"])
    assert proposal["place_reference"] in mine["excluded_places"]
    again = [p for p in rerun.json()["proposals"] if p["household_id"] == proposal["household_id"]]
    assert all(p["place_id"] != proposal["place_id"] for p in again)
    refusal = db.scalar(select(Refusal).where(Refusal.household_id == proposal["household_id"]))
    assert refusal is not None and refusal.place_id == proposal["place_id"] and "verlopen" in refusal.reason


def test_a_place_taken_meanwhile_voids_the_offer_with_a_dutch_message(client, headers, run, db):
    proposal = host_proposal(run)
    [made] = offer(client, headers, proposal)
    token = last_link(db)
    start = DEMO_DAY
    db.add(PlaceUnavailability(place_id=proposal["place_id"], start_date=start, end_date=start + timedelta(days=90)))
    db.flush()
    response = client.post(f"/aanbod/{token}/ja", data={"csrf_token": csrf(client, f"/aanbod/{token}")})
    assert response.status_code == 409
    assert "Deze plaats is intussen niet meer beschikbaar" in response.text
    stored = db.get(Offer, made["id"])
    assert stored.status == "void" and stored.void_reason and stored.token_hash is None
    assert db.get(Household, proposal["household_id"]).status == "waiting"
    assert db.get(Proposal, proposal["id"]).status == "stale"


def test_roles_and_tenants(client, headers, as_role, run):
    proposal = host_proposal(run)
    body = {"proposal_ids": [proposal["id"]]}
    assert client.post("/api/offers", json=body, headers=as_role("case_worker")).status_code == 403
    assert client.post("/api/offers", json=body, headers=as_role("coordinator")).status_code == 403
    [made] = offer(client, headers, proposal)
    other = as_role("crisis_team", "heerlen")
    assert client.get(f"/api/offers/{made['id']}", headers=other).status_code == 404
    decline = {"reason": "team_safety"}
    assert client.post(f"/api/offers/{made['id']}/decline", json=decline, headers=other).status_code == 404
    as_case_worker = as_role("case_worker")
    assert client.post(f"/api/offers/{made['id']}/decline", json=decline, headers=as_case_worker).status_code == 403
    assert client.get(f"/api/offers/{made['id']}", headers=as_role("coordinator")).status_code == 200
    assert client.post("/api/offers", json={"proposal_ids": [proposal["id"]]}, headers=other).status_code == 404


def test_bulk_offer_is_all_or_nothing(client, headers, run, db):
    first, second = run["proposals"][:2]
    offer(client, headers, first)
    response = client.post("/api/offers", json={"proposal_ids": [second["id"], first["id"]]}, headers=headers)
    assert response.status_code == 409
    assert db.get(Proposal, second["id"]).offered_at is None
    assert client.post("/api/offers", json={"proposal_ids": []}, headers=headers).status_code == 422


def test_household_consent_is_recorded(client, headers, as_role, run, db):
    [made] = offer(client, headers, host_proposal(run))
    bad = client.post(
        f"/api/offers/{made['id']}/consent", json={"given": True, "by": " ", "via": "phone"}, headers=headers
    )
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"][-1] == "by"
    ok = client.post(
        f"/api/offers/{made['id']}/consent",
        json={"given": True, "by": "hoofdbewoner", "via": "phone"},
        headers=as_role("case_worker"),
    )
    assert ok.status_code == 200, ok.text
    assert ok.json()["consent"] == "given" and ok.json()["consent_via"] == "phone" and ok.json()["consent_at"]
    assert db.scalar(select(AuditEvent.id).where(AuditEvent.action == "consent"))


def test_a_wachtkamer_offer_goes_to_the_municipality_contact(client, headers, run, db):
    from api.core.models import Municipality

    proposal = next((p for p in run["proposals"] if p["place_kind"] == "wachtkamer"), None)
    assert proposal is not None, "the demo run proposes a Wachtkamer dwelling"
    [made] = offer(client, headers, proposal)
    assert made["recipient_kind"] == "wachtkamer"
    contact = db.get(Municipality, municipality_id(db)).contact_email
    mail = db.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
    assert contact and mail.recipient == contact and "/aanbod/" in mail.body
    assert mail.body.startswith("Beste beheerder van De Wachtkamer")


def test_a_yes_at_47_59_still_places(client, headers, run, db, fixed):
    [made] = offer(client, headers, host_proposal(run))
    token = last_link(db)
    form = {"csrf_token": csrf(client, f"/aanbod/{token}")}
    later(fixed, hours=47, minutes=59)
    response = client.post(f"/aanbod/{token}/ja", data=form)
    assert response.status_code == 200 and db.get(Offer, made["id"]).status == "accepted"
