"""The coordinator's page form for dated vetting items: record and renew with an expiry, coded errors at the
field, and the expiry takes effect in the matching like the API's."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from api.hosts.vetting_models import HostVettingItem
from tests.api.offers.test_vetting_and_jobs import DEMO_DAY, _active_host_with_room, _places


def _post(client, headers, host_id: int, **fields: str):
    page = client.get(f"/gastgevers/{host_id}", headers=headers)
    assert page.status_code == 200 and 'id="screening-form"' in page.text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    return client.post(
        f"/gastgevers/{host_id}/screening",
        data={"csrf_token": token, **fields},
        headers=headers,
        follow_redirects=False,
    )


def _invalid_field(response) -> str:
    match = re.search(r'id="(vetting-[a-z]+)"[^>]*aria-invalid="true"', response.text)
    return match.group(1) if match else ""


def test_record_and_renew_an_item_from_the_page(client, as_role, db, fixed):  # noqa: ARG001 - pinned clock
    host, place = _active_host_with_room(db)
    coordinator = as_role("coordinator")
    expires = DEMO_DAY + timedelta(days=1)
    done = _post(client, coordinator, host.id, kind="vog", done_on="2024-01-02", expires_on=expires.isoformat())
    assert done.status_code == 303 and done.headers["location"].endswith("#screening")
    item = db.scalar(select(HostVettingItem).where(HostVettingItem.host_id == host.id, HostVettingItem.kind == "vog"))
    assert item.done_on.isoformat() == "2024-01-02" and item.expires_on == expires
    assert place.reference in _places(db, DEMO_DAY) and place.reference not in _places(db, expires)
    renewed = _post(client, coordinator, host.id, kind="vog", done_on=DEMO_DAY.isoformat(), expires_on="")
    assert renewed.status_code == 303
    db.refresh(item)
    assert item.done_on == DEMO_DAY and item.expires_on is None  # renewed: no expiry any more
    assert place.reference in _places(db, expires)
    shown = client.get(f"/gastgevers/{host.id}?screening=1", headers=coordinator).text
    assert 'id="screening-ok"' in shown


def test_bad_input_is_a_coded_error_at_the_field(client, as_role, db, fixed):  # noqa: ARG001
    host, _ = _active_host_with_room(db)
    coordinator = as_role("coordinator")
    cases = {
        "vetting-done": {"kind": "vog", "done_on": "", "expires_on": ""},
        "vetting-expires": {"kind": "vog", "done_on": "2024-01-02", "expires_on": "2023-01-01"},
        "vetting-kind": {"kind": "horoscope", "done_on": "2024-01-02", "expires_on": ""},
    }
    for field, data in cases.items():
        response = _post(client, coordinator, host.id, **data)
        assert response.status_code == 422, (field, response.status_code)
        assert _invalid_field(response) == field
        assert 'id="screening-fout"' in response.text
    future = _post(client, coordinator, host.id, kind="vog", done_on=(DEMO_DAY + timedelta(days=1)).isoformat())
    assert future.status_code == 422 and _invalid_field(future) == "vetting-done"
    nonsense = _post(client, coordinator, host.id, kind="vog", done_on="2 januari")
    assert nonsense.status_code == 422 and "JJJJ-MM-DD" in nonsense.text
    assert db.scalar(select(HostVettingItem).where(HostVettingItem.host_id == host.id)) is None  # nothing half-written
    case_worker = as_role("case_worker")
    assert client.get(f"/gastgevers/{host.id}", headers=case_worker).status_code == 403
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text).group(1)
    refused = client.post(
        f"/gastgevers/{host.id}/screening",
        data={"csrf_token": token, "kind": "vog", "done_on": "2024-01-02"},
        headers=case_worker,
    )
    assert refused.status_code == 403
