"""Storage over HTTP: roles, intake, list, lot page, refusals (nothing changes), photos, letters, feed data."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from api.core.clock import FixedClock


@pytest.fixture
def clock(app):
    """Pin the app's "now" (UTC); its today() then answers the calendar day in Europe/Amsterdam."""
    fixed = FixedClock(datetime(2026, 11, 27, 11, 0, tzinfo=UTC))
    app.state.clock = fixed

    def set_instant(instant: datetime) -> None:
        fixed.moment = instant

    return set_instant


def _free_household(client, headers):
    households = client.get("/api/households", headers=headers).json()
    taken = {lot["household_reference"] for lot in client.get("/api/storage/lots", headers=headers).json()}
    return next(h for h in households if h["reference"] not in taken)


def _intake(client, headers, stored_on, **extra):
    household = _free_household(client, headers)
    depot = client.get("/api/storage/depots", headers=headers).json()[0]
    body = {
        "household_id": household["id"],
        "depot_id": depot["id"],
        "stored_on": stored_on,
        "bailiff_reference": "DW-2026-77",
        "tariff_kind": "per_m3_week",
        "tariff": "4.50",
        "removal_cost": "350.00",
        "items": [
            {"category": "furniture", "description": "Kast", "quantity": 1, "volume_m3": "2.00"},
            {"category": "clothing", "description": "Dozen kleding", "quantity": 3, "volume_m3": "0.90"},
            {"category": "personal_documents", "description": "Map met papieren", "quantity": 1, "volume_m3": "0.05"},
        ],
        **extra,
    }
    return client.post("/api/storage/lots", json=body, headers=headers)


@pytest.mark.parametrize(("role", "status"), [("host", 403), ("admin", 403), ("coordinator", 200)])
def test_who_may_see_the_list(client, as_role, role, status):
    assert client.get("/api/storage/lots", headers=as_role(role)).status_code == status


def test_no_token_no_lots(client):
    assert client.get("/api/storage/lots").status_code == 401


@pytest.mark.usefixtures("clock")
def test_coordinator_views_but_does_not_manage(client, as_role):
    response = _intake(client, as_role("coordinator"), "2026-11-20")
    assert response.status_code == 403


@pytest.mark.usefixtures("clock")
def test_intake_list_and_detail(client, as_role):
    headers = as_role("case_worker")
    created = _intake(client, headers, "2026-08-28")
    assert created.status_code == 201, created.text
    lot = created.json()
    assert lot["deadline"] == "2026-11-27" and lot["day_number"] == 91 and not lot["period_passed"]
    assert lot["disposal_allowed_from"] == "2026-11-28"  # day 92 (art. 5:30 lid 1 Awb)
    assert lot["flagged"] and lot["days_left"] == 0
    assert [letter["kind"] for letter in lot["letters"]] == ["intake"]
    assert lot["costs"]["removal"] == "350.00"
    rows = client.get("/api/storage/lots", headers=headers).json()
    open_rows = [r for r in rows if r["status"] in ("stored", "partly_returned")]
    assert [r["deadline"] for r in open_rows] == sorted(r["deadline"] for r in open_rows)
    assert any(r["id"] == lot["id"] and r["flagged"] for r in rows)
    detail = client.get(f"/api/storage/lots/{lot['id']}", headers=as_role("coordinator"))
    assert detail.status_code == 200 and detail.json()["reference"] == lot["reference"]
    assert client.get(f"/api/storage/lots/{lot['id']}", headers=as_role("crisis_team", "heerlen")).status_code == 404


@pytest.mark.usefixtures("clock")
def test_future_storage_date_refused_with_message(client, as_role):
    response = _intake(client, as_role("case_worker"), "2026-11-28")
    assert response.status_code == 422
    problem = response.json()["detail"][0]
    assert problem["loc"] == ["body", "stored_on"] and "toekomst" in problem["msg"]


def test_storage_date_is_today_in_amsterdam_not_utc(client, as_role, clock):
    clock(datetime(2026, 11, 27, 23, 30, tzinfo=UTC))  # 00:30 on 28 November in Amsterdam
    assert _intake(client, as_role("case_worker"), "2026-11-28").status_code == 201


def test_disposal_boundary_across_summer_time_via_the_api(client, as_role, clock):
    """Stored 10 January 2026: the 13 weeks end on 11 April, after the switch to summer time on 29 March;
    sale from 12 April (day 92)."""
    team, worker = as_role("crisis_team"), as_role("case_worker")
    clock(datetime(2026, 1, 10, 12, 0, tzinfo=UTC))
    lot = _intake(client, worker, "2026-01-10").json()
    assert (lot["deadline"], lot["disposal_allowed_from"]) == ("2026-04-11", "2026-04-12")
    url = f"/api/storage/lots/{lot['id']}/disposals"
    clock(datetime(2026, 4, 11, 21, 59, tzinfo=UTC))  # 23:59 on day 91 in Amsterdam
    refused = client.post(url, json={"category": "furniture", "method": "sale"}, headers=team)
    assert refused.status_code == 422 and refused.json()["detail"][0]["type"] == "rule_breach"
    assert client.get(f"/api/storage/lots/{lot['id']}", headers=team).json()["disposals"] == []
    clock(datetime(2026, 4, 11, 22, 0, tzinfo=UTC))  # 00:00 on day 92
    done = client.post(url, json={"category": "furniture", "method": "sale", "proceeds": "25.00"}, headers=team)
    assert done.status_code == 201, done.text
    assert done.json()["disposals"][0]["basis"] == "deadline_passed"


@pytest.mark.usefixtures("clock")
def test_four_eyes_via_the_api(client, as_role):
    team, worker = as_role("crisis_team"), as_role("case_worker")
    lot = _intake(client, worker, "2026-11-01").json()
    url = f"/api/storage/lots/{lot['id']}/disposals"
    destroy = {"category": "clothing", "method": "destruction", "unsellable_reason": "beschimmeld"}
    no_reason = client.post(url, json=destroy, headers=worker)
    assert no_reason.status_code == 422 and "tweede gebruiker" in no_reason.json()["detail"][0]["msg"]
    no_copy = client.post(url, json=destroy | {"reason": "schimmel"}, headers=worker)
    assert no_copy.status_code == 422 and no_copy.json()["detail"][0]["loc"] == ["body", "record_copy_given_on"]
    too_soon = client.post(
        url, json=destroy | {"reason": "schimmel", "record_copy_given_on": "2026-11-14"}, headers=worker
    )
    assert too_soon.status_code == 422 and "28-11-2026" in too_soon.json()["detail"][0]["msg"]
    asked = client.post(
        url, json=destroy | {"reason": "schimmel", "record_copy_given_on": "2026-11-13"}, headers=worker
    ).json()
    disposal = asked["disposals"][0]
    assert disposal["status"] == "requested"
    self_ok = client.post(f"{url}/{disposal['id']}/approve", headers=worker)
    assert self_ok.status_code == 422 and "vier-ogen" in self_ok.json()["detail"][0]["msg"]
    approved = client.post(f"{url}/{disposal['id']}/approve", headers=team)
    assert approved.status_code == 200
    assert approved.json()["disposals"][0]["status"] == "done"


@pytest.mark.usefixtures("clock")
def test_personal_documents_refused_via_the_api(client, as_role):
    headers = as_role("crisis_team")
    lot = _intake(client, headers, "2026-08-01").json()  # period passed
    response = client.post(
        f"/api/storage/lots/{lot['id']}/disposals",
        json={"category": "personal_documents", "method": "destruction", "reason": "geen waarde"},
        headers=headers,
    )
    assert response.status_code == 422 and "nooit" in response.json()["detail"][0]["msg"]


@pytest.mark.usefixtures("clock")
def test_return_more_than_stored_refused_via_the_api(client, as_role):
    headers = as_role("crisis_team")
    lot = _intake(client, headers, "2026-11-20").json()
    clothing = next(i for i in lot["items"] if i["category"] == "clothing")
    body = {
        "returned_on": "2026-11-27",
        "returned_to": "bewoner",
        "confirmation": "recorded",
        "confirmation_note": "balie, ID gezien",
        "lines": [{"item_id": clothing["id"], "quantity": 4}],
    }
    url = f"/api/storage/lots/{lot['id']}/returns"
    assert client.post(url, json=body, headers=headers).status_code == 422
    body["lines"][0]["quantity"] = 3
    ok = client.post(url, json=body, headers=headers)
    assert ok.status_code == 201 and ok.json()["status"] == "partly_returned"


@pytest.mark.usefixtures("clock")
def test_photo_upload_served_only_to_allowed_roles(client, as_role):
    headers = as_role("crisis_team")
    lot = _intake(client, headers, "2026-11-20").json()
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    up = client.post(
        f"/api/storage/lots/{lot['id']}/attachments",
        files={"file": ("inventaris.png", png, "image/png")},
        data={"kind": "photo", "caption": "kast"},
        headers=headers,
    )
    assert up.status_code == 201, up.text
    url = up.json()["url"]
    got = client.get(url, headers=as_role("coordinator"))
    assert got.status_code == 200 and got.content == png and got.headers["cache-control"] == "private, no-store"
    assert client.get(url, headers=as_role("host")).status_code == 403
    assert client.get(url, headers=as_role("crisis_team", "heerlen")).status_code == 404
    assert client.get(url).status_code == 401
    bad = client.post(
        f"/api/storage/lots/{lot['id']}/attachments",
        files={"file": ("x.exe", b"MZ\x90\x00", "image/png")},
        headers=headers,
    )
    assert bad.status_code == 422


@pytest.mark.usefixtures("clock")
def test_letters_download_and_due_run(client, as_role):
    headers = as_role("crisis_team")
    lot = _intake(client, headers, "2026-09-01").json()  # day 87: intake, week 4 and 2-weeks letters due
    made = client.post("/api/storage/letters/due", headers=headers).json()["made"]
    kinds = sorted(m["kind"] for m in made if m["lot_id"] == lot["id"])
    assert kinds == ["two_weeks_before", "week_4"]
    assert client.post("/api/storage/letters/due", headers=headers).json()["made"] == []  # idempotent
    detail = client.get(f"/api/storage/lots/{lot['id']}", headers=headers).json()
    pdf = client.get(detail["letters"][0]["url"], headers=headers)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    early = client.post(f"/api/storage/lots/{lot['id']}/letters/deadline", headers=headers)
    assert early.status_code == 409


@pytest.mark.usefixtures("clock")
def test_deadlines_json(client, as_role):
    headers = as_role("crisis_team")
    lot = _intake(client, headers, "2026-11-20").json()
    rows = [r for r in client.get("/api/storage/deadlines", headers=headers).json() if r["lot"] == lot["reference"]]
    assert [(r["kind"], r["date"], r["day_number"]) for r in rows] == [
        ("storage_two_weeks_before", "2027-02-05", 77),
        ("storage_deadline", "2027-02-19", 91),
    ]


# ---------------------------------------------------------------- pages


def _login(client, email):
    page = client.get("/login")
    token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    client.post("/login", data={"email": email, "password": "onderdak-demo", "csrf_token": token})
    return token


@pytest.mark.usefixtures("clock")
def test_pages_list_lot_and_intake(client):
    _login(client, "case-worker@maastricht.demo")
    html = {"accept": "text/html"}
    listing = client.get("/opslag", headers=html)
    assert listing.status_code == 200 and "Opslag van inboedels" in listing.text and "OP-0935-" in listing.text
    form = client.get("/opslag/nieuw", headers=html)
    assert form.status_code == 200 and 'name="csrf_token"' in form.text
    token = form.text.split('name="csrf_token" value="')[1].split('"')[0]
    household = form.text.split('<select id="household_id"')[1].split('<option value="')[2].split('"')[0]
    depot = form.text.split('<select id="depot_id"')[1].split('<option value="')[1].split('"')[0]
    bad = client.post(
        "/opslag/nieuw",
        data={
            "csrf_token": token,
            "household_id": household,
            "depot_id": depot,
            "stored_on": "2026-12-25",
            "bailiff_reference": "DW-1",
            "item-0-category": "furniture",
            "item-0-description": "Kast",
            "item-0-volume_m3": "2,5",
        },
        headers=html,
    )
    assert bad.status_code == 422 and "toekomst" in bad.text and 'value="Kast"' in bad.text
    good = client.post(
        "/opslag/nieuw",
        data={
            "csrf_token": token,
            "household_id": household,
            "depot_id": depot,
            "stored_on": "2026-11-20",
            "bailiff_reference": "DW-1",
            "removal_cost": "0",
            "item-0-category": "furniture",
            "item-0-description": "Kast",
            "item-0-volume_m3": "2,5",
            "item-1-category": "personal_documents",
            "item-1-description": "Map met diploma's",
            "item-1-volume_m3": "0,05",
        },
        headers=html,
        follow_redirects=False,
    )
    assert good.status_code == 303, good.text
    lot_url = good.headers["location"]
    page = client.get(lot_url, headers=html)
    assert page.status_code == 200 and "19 februari 2027" in page.text and "Map met diploma" in page.text
    refused = client.post(
        f"{lot_url}/verkoop",
        data={"csrf_token": token, "category": "personal_documents", "method": "destruction", "reason": "x"},
        headers=html,
    )
    assert refused.status_code == 422 and "nooit verkocht of vernietigd" in refused.text
    english = client.get(f"{lot_url}?lang=en", headers=html)
    assert "Deadline" in english.text and "Personal documents" in english.text


def test_page_forbidden_for_host(client):
    _login(client, "gastgever1@maastricht.demo")
    assert client.get("/opslag", headers={"accept": "text/html"}).status_code == 403


@pytest.mark.usefixtures("clock")
def test_storage_deadlines_join_the_teams_calendar_feed(client, as_role):
    headers = as_role("crisis_team")
    lot = _intake(client, headers, "2026-11-20").json()
    feed = client.get("/api/rules/deadlines.ics", headers=headers)
    assert feed.status_code == 200, feed.text
    text = feed.text.replace("\r\n ", "")
    assert f"UID:{lot['reference']}-storage_deadline@onderdak" in text
    assert f"UID:{lot['reference']}-storage_two_weeks_before@onderdak" in text
    assert "DTSTART;VALUE=DATE:20270219" in text


def _form_token(client, url):
    page = client.get(url, headers={"accept": "text/html"})
    assert page.status_code == 200, page.text
    return page.text.split('name="csrf_token" value="')[1].split('"')[0]


@pytest.mark.usefixtures("clock")
def test_lot_page_forms_return_waiver_costs_photo_letters(client, as_role):
    lot = _intake(client, as_role("crisis_team"), "2026-09-01").json()
    url = f"/opslag/{lot['id']}"
    html = {"accept": "text/html"}
    _login(client, "crisis-team@maastricht.demo")
    token = _form_token(client, url)
    furniture, clothing, docs = (
        next(i for i in lot["items"] if i["category"] == c) for c in ("furniture", "clothing", "personal_documents")
    )

    too_many = client.post(
        f"{url}/teruggave",
        data={
            "csrf_token": token,
            f"qty-{clothing['id']}": "9",
            "returned_on": "2026-11-27",
            "returned_to": "bewoner",
            "confirmation": "recorded",
            "confirmation_note": "balie",
        },
        headers=html,
    )
    assert too_many.status_code == 422 and "nog 3 van 3" in too_many.text and 'value="9"' in too_many.text

    ok = client.post(
        f"{url}/teruggave",
        data={
            "csrf_token": token,
            f"qty-{clothing['id']}": "2",
            f"qty-{docs['id']}": "1",
            f"qty-{furniture['id']}": "0",
            "returned_on": "2026-11-27",
            "returned_to": "bewoner",
            "confirmation": "recorded",
            "confirmation_note": "balie, ID gezien",
        },
        headers=html,
        follow_redirects=False,
    )
    assert ok.status_code == 303

    waiver = client.post(
        f"{url}/afstand",
        data={
            "csrf_token": token,
            "item_ids": [str(furniture["id"])],
            "signed_on": "2026-11-27",
            "signed_by": "bewoner",
        },
        headers=html,
        follow_redirects=False,
    )
    assert waiver.status_code == 303

    costs = client.post(
        f"{url}/kosten", data={"csrf_token": token, "decision": "waived"}, headers=html, follow_redirects=False
    )
    assert costs.status_code == 303
    recovery = client.post(
        f"{url}/verhaal",
        data={"csrf_token": token, "party": "Woonstichting", "status": "claimed", "amount": "12,50"},
        headers=html,
        follow_redirects=False,
    )
    assert recovery.status_code == 303

    photo = client.post(
        f"{url}/foto",
        data={"csrf_token": token, "caption": "kast"},
        files={"file": ("a.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 32, "image/jpeg")},
        headers=html,
        follow_redirects=False,
    )
    assert photo.status_code == 303
    not_image = client.post(
        f"{url}/foto", data={"csrf_token": token}, files={"file": ("a.txt", b"hello", "text/plain")}, headers=html
    )
    assert not_image.status_code == 422 and "JPEG" in not_image.text

    letters = client.post(f"{url}/brieven", data={"csrf_token": token}, headers=html, follow_redirects=False)
    assert letters.status_code == 303

    detail = client.get(f"/api/storage/lots/{lot['id']}", headers=as_role("crisis_team")).json()
    assert detail["status"] == "partly_returned"
    assert {i["id"]: i["remaining"] for i in detail["items"]} == {furniture["id"]: 1, clothing["id"]: 1, docs["id"]: 0}
    assert detail["waivers"][0]["item_ids"] == [furniture["id"]]
    assert detail["costs"]["decision"] == "waived" and detail["costs"]["recovery_amount"] == "12.50"
    assert len(detail["attachments"]) == 1
    assert sorted(letter["kind"] for letter in detail["letters"]) == ["intake", "two_weeks_before", "week_4"]
    page = client.get(url, headers=html).text
    assert "kosten kwijtgescholden" in page and "afstand gedaan" in page


@pytest.mark.usefixtures("clock")
def test_lot_page_letter_labels_name_the_lots_periods(client, as_role, policy_override):
    html = {"accept": "text/html"}
    lot = _intake(client, as_role("crisis_team"), "2026-11-20").json()
    _login(client, "crisis-team@maastricht.demo")
    page = client.get(f"/opslag/{lot['id']}", headers=html).text
    assert "Brief na 4 weken" in page and "Brief 2 weken voor de einddatum" in page
    english = client.get(f"/opslag/{lot['id']}?lang=en", headers=html).text
    assert "Letter after 4 weeks" in english and "Letter 2 weeks before the deadline" in english

    policy_override("storage_letters", week_4_days=21, before_deadline_days=10)
    page = client.get(f"/opslag/{lot['id']}?lang=nl", headers=html).text
    assert "Brief na 3 weken" in page and "Brief 10 dagen voor de einddatum" in page
    assert "4 weken" not in page and "Brief 2 weken" not in page
    english = client.get(f"/opslag/{lot['id']}?lang=en", headers=html).text
    assert "Letter after 3 weeks" in english and "Letter 10 days before the deadline" in english


@pytest.mark.usefixtures("clock")
def test_four_eyes_through_the_pages(client, as_role):
    lot = _intake(client, as_role("crisis_team"), "2026-11-01").json()
    url = f"/opslag/{lot['id']}"
    html = {"accept": "text/html"}
    _login(client, "crisis-team@maastricht.demo")
    token = _form_token(client, url)
    asked = client.post(
        f"{url}/verkoop",
        data={
            "csrf_token": token,
            "category": "clothing",
            "method": "sale",
            "reason": "schimmel",
            "record_copy_given_on": "2026-11-13",
        },
        headers=html,
        follow_redirects=False,
    )
    assert asked.status_code == 303
    disposal = client.get(f"/api/storage/lots/{lot['id']}", headers=as_role("crisis_team")).json()["disposals"][0]
    page = client.get(url, headers=html).text
    assert "wacht op een tweede gebruiker" in page and "Goedkeuren (tweede gebruiker)" not in page
    self_approve = client.post(f"{url}/verkoop/{disposal['id']}/goedkeuren", data={"csrf_token": token}, headers=html)
    assert self_approve.status_code == 422 and "vier-ogenprincipe" in self_approve.text

    client.cookies.clear()
    _login(client, "case-worker@maastricht.demo")
    token = _form_token(client, url)
    assert "Goedkeuren (tweede gebruiker)" in client.get(url, headers=html).text
    approved = client.post(
        f"{url}/verkoop/{disposal['id']}/goedkeuren", data={"csrf_token": token}, headers=html, follow_redirects=False
    )
    assert approved.status_code == 303
    done = client.get(f"/api/storage/lots/{lot['id']}", headers=as_role("crisis_team")).json()["disposals"][0]
    assert done["status"] == "done" and done["approved_by"] != done["requested_by"]


@pytest.mark.parametrize(
    "change",
    [
        {"tariff": "99999999999.00"},
        {"removal_cost": "-1"},
        {"tariff": "NaN"},
        {"items": [{"category": "furniture", "description": "x", "quantity": 10**12, "volume_m3": "1"}]},
        {"items": [{"category": "furniture", "description": "x", "quantity": 1, "volume_m3": "1e9"}]},
        {"items": []},
        {"household_id": 2**40},
        {"stored_on": "1999-01-01"},
    ],
)
@pytest.mark.usefixtures("clock")
def test_out_of_range_input_is_422_not_500(client, as_role, change):
    change = dict(change)
    response = _intake(client, as_role("case_worker"), change.pop("stored_on", "2026-11-20"), **change)
    assert response.status_code == 422, response.text


def test_huge_ids_are_404_not_500(client, as_role):
    headers = as_role("crisis_team")
    assert client.get(f"/api/storage/lots/{2**40}", headers=headers).status_code in (404, 422)
    assert client.get(f"/api/storage/lots/1/attachments/{2**40}", headers=headers).status_code in (404, 422)


@pytest.mark.usefixtures("clock")
def test_out_of_range_ids_in_bodies_are_422(client, as_role):
    headers = as_role("crisis_team")
    lot = _intake(client, headers, "2026-11-20").json()
    url = f"/api/storage/lots/{lot['id']}"
    body = {"returned_on": "2026-11-20", "returned_to": "x", "confirmation": "signature", "signature_id": 2**40}
    assert client.post(f"{url}/returns", json=body, headers=headers).status_code == 422
    body = {
        "returned_on": "2026-11-20",
        "returned_to": "x",
        "confirmation": "recorded",
        "confirmation_note": "y",
        "lines": [{"item_id": 2**40, "quantity": 1}],
    }
    assert client.post(f"{url}/returns", json=body, headers=headers).status_code == 422
    body = {"signed_on": "2026-11-20", "signed_by": "x", "item_ids": [2**40]}
    assert client.post(f"{url}/waivers", json=body, headers=headers).status_code == 422
    assert client.post(f"{url}/disposals/{2**40}/approve", headers=headers).status_code in (404, 422)
