"""The case file through the API and its pages: intake geocoded, edit, priority override, close; tenancy,
roles and the audit trail; errors at the field, never a half-written record."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from api.core import geocoding
from api.core.models import AuditEvent
from api.households.models import CaseWorker, Household
from tests.api.matching.support import add_household, municipality_id
from tests.conftest import DEMO_DAY

MARKT = geocoding.FakeGeocoder.KNOWN["6211CK"]


@pytest.fixture(autouse=True)
def fake_geocoder():
    with geocoding.use(geocoding.FakeGeocoder()) as fake:
        yield fake


def _intake(**extra):
    body = {
        "display_name": "Familie Test",
        "members": [{"first_name": "Anna", "birth_date": "1985-02-03"}],
        "eviction": {
            "announced_date": DEMO_DAY.isoformat(),
            "eviction_date": DEMO_DAY.isoformat(),
            "bailiff_reference": "DW-CASE-1",
        },
    }
    body.update(extra)
    return body


def _events(db, household_id: int, action: str) -> list[AuditEvent]:
    return list(
        db.scalars(
            select(AuditEvent).where(
                AuditEvent.object_type == "household",
                AuditEvent.object_id == str(household_id),
                AuditEvent.action == action,
            )
        )
    )


def test_intake_looks_up_postcode_and_house_number(client, as_role):
    headers = as_role("case_worker")
    response = client.post(
        "/api/households", json=_intake(origin_postcode="6211 CK", origin_house_number="12"), headers=headers
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["origin_lat"], body["origin_lon"]) == MARKT[:2]
    assert body["origin_approximate"] is False
    assert body["origin_house_number"] == "12"


def test_intake_of_an_unknown_address_falls_back_to_the_municipality_and_says_so(client, as_role):
    response = client.post(
        "/api/households",
        json=_intake(origin_postcode="6229 ZZ", origin_house_number="1"),
        headers=as_role("crisis_team"),
    )
    assert response.status_code == 201, response.text
    assert response.json()["origin_approximate"] is True


def test_intake_without_address_or_coordinates_names_the_field(client, as_role):
    response = client.post("/api/households", json=_intake(), headers=as_role("crisis_team"))
    assert response.status_code == 422, response.text
    problem = response.json()["detail"][0]
    assert problem["code"] == "household.location_missing"
    assert problem["loc"][-1] == "origin_postcode"


def test_edit_moves_the_household_to_its_new_address_and_audits_the_fields(client, as_role, db, fake_geocoder):
    household_id = add_household(db, "HH-CASE-EDIT")
    response = client.patch(
        f"/api/households/{household_id}",
        json={"origin_postcode": "6211CK", "origin_house_number": "3", "pets": True},
        headers=as_role("case_worker"),
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["origin_lat"], body["origin_lon"]) == MARKT[:2]
    assert body["pets"] is True
    assert fake_geocoder.calls[-1] == ("6211CK", "3")
    [event] = _events(db, household_id, "update")
    assert event.detail == {"fields": ["location", "origin_house_number", "origin_postcode", "pets"]}


def test_edit_members_keeps_one_adult_and_writes_nothing_on_refusal(client, as_role, db):
    household_id = add_household(db, "HH-CASE-KIDS")
    only_child = [{"first_name": "Kim", "birth_date": "2020-01-01"}]
    response = client.patch(
        f"/api/households/{household_id}",
        json={"members": only_child, "display_name": "Anders"},
        headers=as_role("case_worker"),
    )
    assert response.status_code == 422, response.text
    assert response.json()["detail"][0]["code"] == "household.no_adult"
    db.expire_all()
    household = db.get(Household, household_id)
    assert household.display_name == "Huishouden HH-CASE-KIDS"
    assert [m.first_name for m in household.members] == ["Sam"]


def test_edit_rejects_half_coordinates_and_bad_postcodes_at_the_field(client, as_role, db):
    household_id = add_household(db, "HH-CASE-BAD")
    headers = as_role("case_worker")
    half = client.patch(f"/api/households/{household_id}", json={"origin_lat": 50.9}, headers=headers)
    assert half.status_code == 422
    bad = client.patch(f"/api/households/{household_id}", json={"origin_postcode": "12"}, headers=headers)
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["loc"][-1] == "origin_postcode"


def test_other_municipality_and_coordinator_cannot_edit(client, as_role, db):
    household_id = add_household(db, "HH-CASE-TENANT")
    other = client.patch(
        f"/api/households/{household_id}", json={"pets": True}, headers=as_role("crisis_team", "heerlen")
    )
    assert other.status_code == 404
    coordinator = client.patch(f"/api/households/{household_id}", json={"pets": True}, headers=as_role("coordinator"))
    assert coordinator.status_code == 403


def test_priority_override_needs_the_crisis_team_and_a_reason(client, as_role, db):
    household_id = add_household(db, "HH-CASE-PRIO")
    url = f"/api/households/{household_id}/priority"
    assert client.post(url, json={"active": True, "reason": "ok"}, headers=as_role("crisis_team")).status_code == 422
    assert (
        client.post(url, json={"active": True, "reason": "ernstig ziek kind"}, headers=as_role("case_worker"))
    ).status_code == 403
    response = client.post(url, json={"active": True, "reason": "ernstig ziek kind"}, headers=as_role("crisis_team"))
    assert response.status_code == 200, response.text
    assert response.json()["priority_override_reason"] == "ernstig ziek kind"
    [event] = _events(db, household_id, "priority_override")
    assert event.detail == {"fields": ["priority_override", "priority_override_reason"]}  # no free text
    breakdown = client.get(f"/regels/huishoudens/{household_id}/prioriteit", headers=as_role("crisis_team"))
    assert "ernstig ziek kind" in breakdown.text
    withdrawn = client.post(url, json={"active": False, "reason": "kind hersteld"}, headers=as_role("crisis_team"))
    assert withdrawn.json()["priority_override"] is None
    assert withdrawn.json()["priority_override_reason"] == "kind hersteld"
    assert len(_events(db, household_id, "priority_override_withdrawn")) == 1


def test_close_with_a_reason_then_no_more_edits(client, as_role, db):
    household_id = add_household(db, "HH-CASE-CLOSE")
    headers = as_role("case_worker")
    short = client.post(f"/api/households/{household_id}/close", json={"reason": ""}, headers=headers)
    assert short.status_code == 422
    response = client.post(
        f"/api/households/{household_id}/close", json={"reason": "zelf woonruimte gevonden"}, headers=headers
    )
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "closed"
    assert response.json()["close_reason"] == "zelf woonruimte gevonden"
    [event] = _events(db, household_id, "close")
    assert event.detail == {"fields": ["status", "close_reason"]}
    again = client.patch(f"/api/households/{household_id}", json={"pets": True}, headers=headers)
    assert again.status_code == 409
    assert again.json()["detail"][0]["code"] == "household.closed"


def test_case_file_page_shows_members_timeline_and_the_edit_form_saves(client, as_role, db):
    household_id = add_household(db, "HH-CASE-PAGE", members=[("Sam", date(1980, 5, 1))])
    headers = as_role("case_worker")
    page = client.get(f"/huishoudens/{household_id}", headers=headers)
    assert page.status_code == 200
    assert "Dossier HH-CASE-PAGE" in page.text
    assert "01-05-1980" in page.text or "1 mei 1980" in page.text
    worker = db.scalar(select(CaseWorker).where(CaseWorker.municipality_id == municipality_id(db)))
    form = client.get(f"/huishoudens/{household_id}/bewerken", headers=headers)
    assert form.status_code == 200 and 'name="origin_house_number"' in form.text
    bad = client.post(
        f"/huishoudens/{household_id}/bewerken",
        data={"display_name": "", "member_name_0": "Sam", "member_birth_0": "1980-05-01"},
        headers=headers,
    )
    assert bad.status_code == 422
    assert 'id="err-display_name"' in bad.text
    saved = client.post(
        f"/huishoudens/{household_id}/bewerken",
        data={
            "display_name": "Familie Nieuw",
            "origin_postcode": "6211 CK",
            "origin_house_number": "7",
            "member_name_0": "Sam",
            "member_birth_0": "1980-05-01",
            "member_name_1": "Noor",
            "member_birth_1": "2015-03-04",
            "case_worker_id": str(worker.id),
        },
        headers=headers,
        follow_redirects=False,
    )
    assert saved.status_code == 303, saved.text
    after = client.get(saved.headers["location"], headers=headers)
    assert "Het dossier is opgeslagen." in after.text
    assert "Noor" in after.text
    assert worker.name in after.text
    assert "Dossier gewijzigd" in after.text  # the timeline
    closed = client.post(f"/huishoudens/{household_id}/afsluiten", data={"reason": "x"}, headers=headers)
    assert closed.status_code == 422 and 'id="err-reason"' in closed.text


def _intake_form(**extra):
    form = {
        "display_name": "Familie Formulier",
        "member_name_0": "Kim",
        "member_birth_0": "1990-04-04",
        "announced_date": DEMO_DAY.isoformat(),
        "eviction_date": DEMO_DAY.isoformat(),
        "bailiff_reference": "DW-FORM-1",
    }
    form.update(extra)
    return form


def test_intake_form_geocodes_or_starts_at_the_centre_marked_approximate(client, as_role):
    headers = as_role("case_worker")
    found = client.post(
        "/huishoudens/nieuw",
        data=_intake_form(origin_postcode="6211CK", origin_house_number="2"),
        headers=headers,
        follow_redirects=False,
    )
    assert found.status_code == 303, found.text
    page = client.get(found.headers["location"], headers=headers)
    assert 'id="approximate"' not in page.text and f'data-lat="{MARKT[0]}"' in page.text
    centre = client.post(
        "/huishoudens/nieuw", data=_intake_form(bailiff_reference="DW-FORM-2"), headers=headers, follow_redirects=False
    )
    assert centre.status_code == 303, centre.text
    assert 'id="approximate"' in client.get(centre.headers["location"], headers=headers).text
    bad = client.post("/huishoudens/nieuw", data=_intake_form(origin_postcode="12"), headers=headers)
    assert bad.status_code == 422 and 'id="err-origin_postcode"' in bad.text
