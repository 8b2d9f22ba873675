"""Managing places: add a waiting-room dwelling through the geocoder, edit, pause and retire (audited), who
may, and the pages' errors at their field."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from api.core import geocoding
from api.core.clock import FixedClock
from api.core.models import AuditEvent
from api.places.models import Place, PlaceUnavailability
from tests.api.stays.support import confirmed_placement, free_place
from tests.conftest import DEMO_DAY

MARKT = geocoding.FakeGeocoder.KNOWN["6211CK"]


@pytest.fixture(autouse=True)
def fake_geocoder():
    with geocoding.use(geocoding.FakeGeocoder()) as fake:
        yield fake


@pytest.fixture(autouse=True)
def moment(app):
    app.state.clock = FixedClock.on(DEMO_DAY)


NEW = {
    "label": "Wachtkamerwoning Markt",
    "address": "Markt 1, Maastricht",
    "postcode": "6211 CK",
    "house_number": "1",
    "capacity": 3,
    "available_from": DEMO_DAY.isoformat(),
}


def _audit(db, place_id: int, action: str) -> list[AuditEvent]:
    return list(
        db.scalars(
            select(AuditEvent).where(
                AuditEvent.object_type == "place", AuditEvent.object_id == str(place_id), AuditEvent.action == action
            )
        )
    )


def test_add_a_dwelling_geocodes_it_and_numbers_it_next(client, as_role, db):
    response = client.post("/api/places", json=NEW, headers=as_role("coordinator"))
    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["lat"], body["lon"]) == MARKT[:2]
    assert body["location_approximate"] is False
    assert body["reference"] == "WK-0935-23"
    assert body["status"] == "active"
    assert len(_audit(db, body["id"], "create")) == 1


def test_case_worker_may_not_add_and_bad_input_names_the_field(client, as_role):
    assert client.post("/api/places", json=NEW, headers=as_role("case_worker")).status_code == 403
    bad = client.post("/api/places", json={**NEW, "capacity": 13}, headers=as_role("coordinator"))
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["loc"][-1] == "capacity"


def test_edit_moves_a_dwelling_and_host_rooms_keep_the_hosts_address(client, as_role, db):
    headers = as_role("crisis_team")
    place = db.scalar(select(Place).where(Place.reference == "WK-0935-01"))
    response = client.patch(
        f"/api/places/{place.id}", json={"postcode": "6211CK", "house_number": "9", "capacity": 4}, headers=headers
    )
    assert response.status_code == 200, response.text
    assert (response.json()["lat"], response.json()["capacity"]) == (MARKT[0], 4)
    room = db.scalar(select(Place).where(Place.kind == "host_room").order_by(Place.id))
    refused = client.patch(f"/api/places/{room.id}", json={"label": "Anders"}, headers=headers)
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["code"] == "place.kind_not_editable"
    other = client.patch(f"/api/places/{place.id}", json={"capacity": 2}, headers=as_role("coordinator", "heerlen"))
    assert other.status_code == 404


def test_pause_until_a_day_with_a_reason(client, as_role, db):
    place = db.scalar(select(Place).where(Place.reference == "WK-0935-02"))
    url = f"/api/places/{place.id}/pause"
    headers = as_role("coordinator")
    past = client.post(
        url, json={"until": (DEMO_DAY - timedelta(days=1)).isoformat(), "reason": "lekkage"}, headers=headers
    )
    assert past.status_code == 422 and past.json()["detail"][0]["code"] == "place.pause_in_past"
    until = DEMO_DAY + timedelta(days=10)
    response = client.post(url, json={"until": until.isoformat(), "reason": "lekkage badkamer"}, headers=headers)
    assert response.status_code == 201, response.text
    assert response.json()["start_date"] == DEMO_DAY.isoformat()
    assert response.json()["end_date"] == (until + timedelta(days=1)).isoformat()  # half-open: through ``until``
    assert _audit(db, place.id, "pause")[0].detail["until"] == until.isoformat()
    period = db.get(PlaceUnavailability, response.json()["id"])
    assert period.reason == "lekkage badkamer"


def test_retire_refuses_while_a_stay_runs_then_retires_with_reason(client, as_role, db):
    headers = as_role("coordinator")
    busy = free_place(db)
    confirmed_placement(db, "HH-RETIRE", DEMO_DAY + timedelta(days=2), place=busy)
    refused = client.post(f"/api/places/{busy.id}/retire", json={"reason": "verkocht"}, headers=headers)
    assert refused.status_code == 409, refused.text
    assert refused.json()["detail"][0]["code"] == "place.has_future_stays"
    idle = free_place(db)  # another place without a live placement
    assert idle.id != busy.id
    response = client.post(f"/api/places/{idle.id}/retire", json={"reason": "verkocht"}, headers=headers)
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "inactive"
    assert response.json()["retire_reason"] == "verkocht"
    again = client.patch(f"/api/places/{idle.id}", json={"capacity": 2}, headers=headers)
    assert again.status_code == 409


def test_place_pages_add_edit_and_show_errors_at_the_field(client, as_role):
    headers = as_role("coordinator")
    bad = client.post("/plaatsen/nieuw", data={"label": "X", "capacity": "2"}, headers=headers)
    assert bad.status_code == 422
    assert 'id="err-postcode"' in bad.text and 'id="err-address"' in bad.text
    form = {k: str(v) for k, v in NEW.items()}
    created = client.post("/plaatsen/nieuw", data=form, headers=headers, follow_redirects=False)
    assert created.status_code == 303, created.text
    page = client.get(created.headers["location"], headers=headers)
    assert "De wachtkamerwoning is toegevoegd." in page.text
    place_id = int(created.headers["location"].split("/")[2].split("?")[0])
    paused = client.post(f"/plaatsen/{place_id}/pauzeren", data={"until": "", "pause_reason": ""}, headers=headers)
    assert paused.status_code == 422 and 'id="err-until"' in paused.text
    retire = client.post(f"/plaatsen/{place_id}/buiten-gebruik", data={"reason": ""}, headers=headers)
    assert retire.status_code == 422 and 'id="err-retire_reason"' in retire.text
