"""Declines with consequences: the catalogue, each consequence on the records and in the next instance, the report."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from api.hosts.models import Host
from api.households.models import Household
from api.matching import service as matching
from api.offers import reasons
from api.offers.models import Offer
from api.placements.models import Refusal
from api.places.models import Place, PlaceUnavailability
from tests.api.matching.support import municipality_id
from tests.api.offers.conftest import DEMO_DAY, csrf, host_proposal, last_link, offer


def _host_decline(client, token: str, **form: str):
    data = {"csrf_token": csrf(client, f"/aanbod/{token}"), **form}
    return client.post(f"/aanbod/{token}/nee", data=data)


def _instance(db):
    return matching.instance_for(db, municipality_id=municipality_id(db), day=DEMO_DAY)


def test_the_catalogue_names_a_consequence_for_every_reason(client, as_role):
    listed = client.get("/api/offers/decline-reasons", headers=as_role("coordinator")).json()
    assert {r["code"] for r in listed} == set(reasons.BY_CODE)
    assert all(r["consequences"] and r["party"] in reasons.PARTIES for r in listed)


def test_not_now_needs_a_date_and_pauses_the_place(client, headers, run, db):
    proposal = host_proposal(run)
    [made] = offer(client, headers, proposal)
    token = last_link(db)
    missing = _host_decline(client, token, reason="host_not_now")
    assert missing.status_code == 422 and "Tot wanneer" in missing.text
    assert db.get(Offer, made["id"]).status == "pending"  # nothing changed
    until = DEMO_DAY + timedelta(days=20)
    done = _host_decline(client, token, reason="host_not_now", paused_until=until.isoformat())
    assert done.status_code == 200 and "Uw antwoord is ontvangen" in done.text
    stored = db.get(Offer, made["id"])
    assert stored.status == "declined" and stored.decline_reason == "host_not_now" and stored.token_hash is None
    pause = db.scalar(select(PlaceUnavailability).where(PlaceUnavailability.place_id == proposal["place_id"]))
    assert pause.end_date == until
    assert db.get(Household, proposal["household_id"]).status == "waiting"
    assert proposal["household_reference"] in {h["id"] for h in _instance(db)["households"]}


def test_a_host_may_not_give_a_team_reason(client, headers, run, db):
    [made] = offer(client, headers, host_proposal(run))
    response = _host_decline(client, last_link(db), reason="team_safety")
    assert response.status_code == 422
    assert db.get(Offer, made["id"]).status == "pending"


def test_not_this_household_excludes_the_pair_in_later_runs(client, headers, run, db):
    proposal = host_proposal(run)
    offer(client, headers, proposal)
    assert _host_decline(client, last_link(db), reason="host_not_this_household").status_code == 200
    assert db.scalar(
        select(Refusal.id).where(
            Refusal.household_id == proposal["household_id"], Refusal.place_id == proposal["place_id"]
        )
    )
    block = next(h for h in _instance(db)["households"] if h["id"] == proposal["household_reference"])
    assert proposal["place_reference"] in block["excluded_places"]


def test_host_stops_puts_the_host_on_hold(client, headers, run, db):
    proposal = host_proposal(run)
    offer(client, headers, proposal)
    assert _host_decline(client, last_link(db), reason="host_stops").status_code == 200
    host = db.get(Host, db.get(Place, proposal["place_id"]).host_id)
    assert host.status == "paused"
    assert proposal["place_reference"] not in {p["id"] for p in _instance(db)["places"]}


def test_team_safety_concern_excludes_and_holds(client, headers, run, db):
    proposal = host_proposal(run)
    [made] = offer(client, headers, proposal)
    response = client.post(f"/api/offers/{made['id']}/decline", json={"reason": "team_safety"}, headers=headers)
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "declined"
    host = db.get(Host, db.get(Place, proposal["place_id"]).host_id)
    assert host.status == "paused"
    again = client.post(f"/api/offers/{made['id']}/decline", json={"reason": "team_safety"}, headers=headers)
    assert again.status_code == 409


def test_household_found_own_place_closes_the_case(client, headers, run, db):
    proposal = host_proposal(run)
    [made] = offer(client, headers, proposal)
    response = client.post(f"/api/offers/{made['id']}/decline", json={"reason": "household_own_place"}, headers=headers)
    assert response.status_code == 200, response.text
    assert db.get(Household, proposal["household_id"]).status == "closed"


def test_unknown_reason_is_refused_naming_the_field(client, headers, run):
    [made] = offer(client, headers, host_proposal(run))
    response = client.post(f"/api/offers/{made['id']}/decline", json={"reason": "bored"}, headers=headers)
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["body", "reason"]


def test_the_report_counts_declines_per_reason(client, headers, as_role, run):
    first, second = run["proposals"][:2]
    made = offer(client, headers, first, second)
    for o in made:
        client.post(f"/api/offers/{o['id']}/decline", json={"reason": "household_too_far"}, headers=headers)
    report = client.get("/api/offers/report", headers=as_role("coordinator")).json()
    counts = {r["code"]: r["count"] for r in report["reasons"]}
    assert counts["household_too_far"] == 2 and counts["team_safety"] == 0
    assert report["statuses"]["declined"] == 2
    page = client.get("/aanbiedingen/redenen", headers=as_role("coordinator"))
    assert page.status_code == 200 and 'id="reden-household_too_far"' in page.text
