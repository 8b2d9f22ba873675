"""The pages of the loop over HTTP: the daily page, its buttons, intake, the household page and the report."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from api.households.models import Household
from api.placements.models import Placement
from tests.api.matching.support import add_household
from tests.conftest import DEMO_DAY

DAY = DEMO_DAY.isoformat()


@pytest.fixture
def team(as_role):
    return {**as_role("crisis_team"), "accept": "text/html"}


def test_daily_page_before_and_after_a_run(client, team, as_role):
    page = client.get(f"/matching?date={DAY}", headers=team)
    assert page.status_code == 200
    assert "Dagelijkse matching" in page.text and "nog niet gedraaid" in page.text and 'id="run-matching"' in page.text
    ran = client.post("/matching/run", data={"date": DAY}, headers=team, follow_redirects=False)
    assert ran.status_code == 303 and "msg=run" in ran.headers["location"]
    page = client.get(ran.headers["location"], headers=team)
    assert "De matching is gedraaid." in page.text and page.text.count('class="confirm"') > 2
    again = client.post("/matching/run", data={"date": DAY}, headers=team, follow_redirects=False)
    assert "msg=reused" in again.headers["location"]
    viewer = client.get(f"/matching?date={DAY}", headers={**as_role("case_worker"), "accept": "text/html"})
    assert viewer.status_code == 200 and 'id="run-matching"' not in viewer.text and 'class="confirm"' not in viewer.text
    assert client.get(f"/matching?date={DAY}", headers={**as_role("host"), "accept": "text/html"}).status_code == 403
    assert client.get("/matching?date=gisteren", headers=team).status_code == 422


def _proposal_ids(html: str) -> list[int]:
    return [int(x) for x in re.findall(r'id="voorstel-(\d+)" class="status-open"', html)]


@pytest.mark.usefixtures("db")
def test_buttons_confirm_and_reject(client, team):
    client.post("/matching/run", data={"date": DAY}, headers=team)
    ids = _proposal_ids(client.get(f"/matching?date={DAY}", headers=team).text)
    empty = client.post(f"/matching/voorstellen/{ids[0]}/afwijzen", data={"reason": " "}, headers=team)
    assert empty.status_code == 422 and f'id="fout-{ids[0]}"' in empty.text
    rejected = client.post(
        f"/matching/voorstellen/{ids[0]}/afwijzen", data={"reason": "huisdier"}, headers=team, follow_redirects=False
    )
    assert rejected.status_code == 303
    confirmed = client.post(f"/matching/voorstellen/{ids[1]}/bevestigen", headers=team, follow_redirects=False)
    assert confirmed.status_code == 303
    twice = client.post(f"/matching/voorstellen/{ids[1]}/bevestigen", headers=team)
    assert twice.status_code == 409 and "al bevestigd" in twice.text
    page = client.get(f"/matching?date={DAY}", headers=team).text
    assert f'id="voorstel-{ids[0]}" class="status-rejected"' in page
    assert f'id="voorstel-{ids[1]}" class="status-confirmed"' in page


def test_manual_placement_form_keeps_input_on_error(client, team, db):
    hid = add_household(db, "HH-T-FORM", pets=True)
    db.flush()
    page = client.get(f"/matching?date={DAY}", headers=team).text
    place_ids = [int(x) for x in re.findall(r'<option value="(\d+)"[^>]*>[A-Z]{2}-', page)]
    response = client.post(
        "/matching/handmatig",
        data={"household_id": hid, "place_id": place_ids[0], "reason": "", "date": DAY},
        headers=team,
    )
    assert response.status_code == 422 and 'id="handmatig-fout"' in response.text


def test_intake_form(client, as_role, db):
    headers = {**as_role("case_worker"), "accept": "text/html"}
    form = client.get("/huishoudens/nieuw", headers=headers)
    assert form.status_code == 200 and 'name="member_birth_0"' in form.text
    data = {
        "display_name": "Familie Formulier",
        "origin_lat": "50.85",
        "origin_lon": "5.69",
        "member_name_0": "Kind",
        "member_birth_0": "2015-01-01",
        "announced_date": "2026-11-20",
        "eviction_date": "2026-11-30",
        "eviction_time": "09:30",
        "bailiff_reference": "DW-FORM-1",
        "household_goods": "2-kamerwoning",
        "accepts_host": "on",
    }
    only_child = client.post("/huishoudens/nieuw", data=data, headers=headers)
    assert only_child.status_code == 422 and "18 or older" in only_child.text
    assert 'value="Familie Formulier"' in only_child.text  # input kept
    data.update(member_name_1="Moeder", member_birth_1="1988-02-02")
    created = client.post("/huishoudens/nieuw", data=data, headers=headers, follow_redirects=False)
    assert created.status_code == 303
    household = db.scalar(select(Household).where(Household.display_name == "Familie Formulier"))
    assert household.evictions[0].eviction_time.strftime("%H:%M") == "09:30" and len(household.members) == 2
    detail = client.get(created.headers["location"], headers=headers)
    assert detail.status_code == 200 and "DW-FORM-1" in detail.text and 'id="nieuw-ok"' in detail.text


def test_household_page_lifecycle_and_report(client, team, db):
    client.post("/matching/run", data={"date": DAY}, headers=team)
    pid = _proposal_ids(client.get(f"/matching?date={DAY}", headers=team).text)[0]
    client.post(f"/matching/voorstellen/{pid}/bevestigen", headers=team)
    placement = db.scalar(select(Placement).where(Placement.proposal_id == pid))
    page = client.get(f"/huishoudens/{placement.household_id}", headers=team)
    assert page.status_code == 200 and f"/plaatsingen/{placement.id}/brief.pdf" in page.text
    letter = client.get(f"/plaatsingen/{placement.id}/brief.pdf", headers=team)
    assert letter.status_code == 200 and letter.content.startswith(b"%PDF")
    start = max(placement.start_date, DEMO_DAY).isoformat()
    if placement.start_date > DEMO_DAY:
        future = client.post(f"/plaatsingen/{placement.id}/start", data={"arrived_on": "2099-01-01"}, headers=team)
        assert future.status_code == 422
        placement.start_date = DEMO_DAY  # the stay starts today in this test
        db.flush()
        start = DAY
    started = client.post(
        f"/plaatsingen/{placement.id}/start", data={"arrived_on": start}, headers=team, follow_redirects=False
    )
    assert started.status_code == 303
    ended = client.post(
        f"/plaatsingen/{placement.id}/einde",
        data={"ended_on": start, "outcome": "other_home"},
        headers=team,
        follow_redirects=False,
    )
    assert ended.status_code == 303
    report = client.get(f"/rapportage?month={DAY[:7]}", headers=team)
    assert report.status_code == 200 and "andere woning" in report.text
    assert client.get("/rapportage?month=nov", headers=team).status_code == 422
