"""A whole stay through the API under an injected clock: every due day and reminder at its boundary,
breakdown and rematch, extensions against their limits, and who may see what."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from api.core import clock
from api.core.clock import FixedClock
from api.core.models import AuditEvent, OutboxMessage
from api.households.models import Household
from api.matching import service as matching
from api.placements.models import Placement
from api.stays.care import add_months
from api.stays.reminders import due_items, send_reminders
from tests.api.matching.support import municipality_id
from tests.api.stays.support import STAY_DAYS, confirmed_placement, host_place
from tests.conftest import DEMO_DAY

START = DEMO_DAY + timedelta(days=3)


@pytest.fixture
def team(as_role):
    return as_role("crisis_team")


@pytest.fixture(autouse=True)
def moment(app):
    """The app's clock, stopped on the start day; tests move it."""
    fixed = FixedClock.on(START)
    app.state.clock = fixed
    return fixed


def on(moment: FixedClock, day) -> None:
    moment.moment = FixedClock.on(day).moment


def _due(client, headers, placement_id, kind="check_in"):
    response = client.get("/api/stays/due", headers=headers)
    assert response.status_code == 200, response.text
    rows = response.json()
    return [r for r in rows if r["placement_id"] == placement_id and r["kind"] == kind]


def _arrive(client, headers, placement_id):
    assert (
        client.post(
            f"/api/stays/{placement_id}/agreement", json={"signed_on": START.isoformat()}, headers=headers
        ).status_code
        == 201
    )
    arrived = {"arrived_on": START.isoformat()}
    response = client.post(f"/api/stays/{placement_id}/arrival", json=arrived, headers=headers)
    assert response.status_code == 200, response.text


def test_arrival_needs_the_signed_agreement_and_no_stop_after_the_introduction(client, team, db):
    placement = confirmed_placement(db, "HH-ST-ARR", START)
    pid = placement.id
    intro = {"kind": "visit", "held_on": START.isoformat(), "outcome": "good", "note": "klikt goed"}
    assert client.post(f"/api/stays/{pid}/introductions", json=intro, headers=team).status_code == 201
    early = client.post(f"/api/stays/{pid}/arrival", json={"arrived_on": START.isoformat()}, headers=team)
    assert early.status_code == 409 and early.json()["detail"][0]["loc"] == ["body", "arrived_on"]
    assert db.get(Placement, pid).status == "confirmed"
    future = client.post(
        f"/api/stays/{pid}/agreement", json={"signed_on": (START + timedelta(days=1)).isoformat()}, headers=team
    )
    assert future.status_code == 422 and future.json()["detail"][0]["loc"] == ["body", "signed_on"]
    stop = {"kind": "trial_stay", "held_on": START.isoformat(), "outcome": "stop"}
    assert client.post(f"/api/stays/{pid}/introductions", json=stop, headers=team).status_code == 201
    assert (
        client.post(f"/api/stays/{pid}/agreement", json={"signed_on": START.isoformat()}, headers=team).status_code
        == 201
    )
    stopped = client.post(f"/api/stays/{pid}/arrival", json={"arrived_on": START.isoformat()}, headers=team)
    assert stopped.status_code == 409 and "kennismaking" in stopped.json()["detail"][0]["msg"]


def test_check_ins_fall_due_on_their_day_and_are_overdue_the_day_after(client, team, moment, db):
    pid = confirmed_placement(db, "HH-ST-CHK", START).id
    _arrive(client, team, pid)
    assert _due(client, team, pid) == []  # arrival day: nothing due yet
    on(moment, START + timedelta(days=1))
    (item,) = _due(client, team, pid)
    assert item["due_on"] == (START + timedelta(days=1)).isoformat() and item["overdue"] is False
    on(moment, START + timedelta(days=2))
    assert _due(client, team, pid)[0]["overdue"] is True
    body = {"held_on": (START + timedelta(days=2)).isoformat(), "spoke_with": "both", "rating": "good"}
    made = client.post(f"/api/stays/{pid}/check-ins", json=body, headers=team)
    assert made.status_code == 201 and made.json()["due_on"] == (START + timedelta(days=1)).isoformat()
    assert _due(client, team, pid) == []
    on(moment, START + timedelta(days=6))
    assert _due(client, team, pid) == []
    on(moment, START + timedelta(days=7))
    assert [r["due_on"] for r in _due(client, team, pid)] == [(START + timedelta(days=7)).isoformat()]
    on(moment, START + timedelta(days=21))  # then every 14 days
    assert [r["due_on"] for r in _due(client, team, pid)] == [(START + timedelta(days=d)).isoformat() for d in (7, 21)]


def test_reminders_are_sent_once_from_the_due_day(client, team, db):
    pid = confirmed_placement(db, "HH-ST-REM", START).id
    _arrive(client, team, pid)
    mid = municipality_id(db)
    mails = select(func.count()).select_from(OutboxMessage).where(OutboxMessage.subject.contains("HH-ST-REM"))
    assert send_reminders(db, START) == 0 or db.scalar(mails) == 0
    assert db.scalar(mails) == 0
    send_reminders(db, START + timedelta(days=1))
    assert db.scalar(mails) >= 1
    sent = db.scalar(mails)
    send_reminders(db, START + timedelta(days=1))  # the job runs again: nothing new
    assert db.scalar(mails) == sent
    body = db.scalar(select(OutboxMessage.body).where(OutboxMessage.subject.contains("HH-ST-REM")))
    household = db.scalar(select(Household).join(Placement).where(Placement.id == pid))
    assert household.display_name not in body and "HH-ST-REM" in body
    assert any(i.placement_id == pid for i in due_items(db, municipality_id=mid, day=START + timedelta(days=1)))


def test_extension_end_and_follow_up_at_three_months(client, team, as_role, moment, db):
    pid = confirmed_placement(db, "HH-ST-EXT", START).id
    _arrive(client, team, pid)
    end = START + timedelta(days=STAY_DAYS)
    no_reason = client.post(
        f"/api/stays/{pid}/extensions", json={"until": (end + timedelta(days=7)).isoformat()}, headers=team
    )
    assert no_reason.status_code == 422 and no_reason.json()["detail"][0]["loc"] == ["body", "reason"]
    too_long = {"until": (end + timedelta(days=29)).isoformat(), "reason": "bewind loopt nog"}
    assert client.post(f"/api/stays/{pid}/extensions", json=too_long, headers=team).status_code == 422
    for weeks in (1, 2):
        body = {"until": (end + timedelta(days=7 * weeks)).isoformat(), "reason": "bewind loopt nog"}
        assert client.post(f"/api/stays/{pid}/extensions", json=body, headers=team).status_code == 201
    assert db.get(Placement, pid).end_date == end + timedelta(days=14)
    third = {"until": (end + timedelta(days=21)).isoformat(), "reason": "nog langer"}
    refused = client.post(f"/api/stays/{pid}/extensions", json=third, headers=team)
    assert refused.status_code == 409 and db.get(Placement, pid).end_date == end + timedelta(days=14)
    ended_on = START + timedelta(days=60)
    on(moment, ended_on)
    body = {"ended_on": ended_on.isoformat(), "destination": "social_housing"}
    assert client.post(f"/api/stays/{pid}/end", json=body, headers=team).status_code == 201
    placement = db.get(Placement, pid)
    assert placement.status == "ended" and placement.outcome == "social_housing"
    due = add_months(ended_on, 3)
    follow = {"months": 3, "done_on": (due - timedelta(days=1)).isoformat(), "outcome": "social_housing"}
    on(moment, due - timedelta(days=1))
    team = as_role("crisis_team")  # months later: a fresh token
    assert _due(client, team, pid, "follow_up") == []
    assert client.post(f"/api/stays/{pid}/follow-ups", json=follow, headers=team).status_code == 409
    on(moment, due)
    assert [r["months"] for r in _due(client, team, pid, "follow_up")] == [3]
    follow["done_on"] = due.isoformat()
    assert client.post(f"/api/stays/{pid}/follow-ups", json=follow, headers=team).status_code == 201
    assert _due(client, team, pid, "follow_up") == []
    report = client.get(f"/api/stays/outcomes?quarter={ended_on.year}-Q{(ended_on.month - 1) // 3 + 1}", headers=team)
    assert report.status_code == 200 and report.json()["destinations"]["social_housing"] >= 1
    actions = set(db.scalars(select(AuditEvent.action).where(AuditEvent.object_id == str(pid))))
    assert {"agreement_signed", "start", "extend", "end", "destination", "follow_up"} <= actions


def test_breakdown_on_day_ten_rematches_with_raised_priority_and_without_the_place(client, team, moment, db):
    placement = confirmed_placement(db, "HH-ST-BRK", START)
    pid, hid, place_ref = placement.id, placement.household_id, placement.place.reference
    _arrive(client, team, pid)
    day10 = START + timedelta(days=10)
    on(moment, day10)
    with clock.use(moment):
        db.get(Household, hid).status = "waiting"  # what the priority would be while waiting, for comparison
        db.flush()
        before = next(
            h
            for h in matching.instance_for(db, municipality_id=municipality_id(db), day=day10)["households"]
            if h["id"] == "HH-ST-BRK"
        )
        db.get(Household, hid).status = "placed"
        db.flush()
    body = {
        "ended_on": day10.isoformat(),
        "reason": "conflict",
        "room": "paused",
        "paused_until": (day10 + timedelta(days=14)).isoformat(),
    }
    bad = client.post(f"/api/stays/{pid}/breakdown", json={**body, "paused_until": None}, headers=team)
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["body", "paused_until"]
    assert client.post(f"/api/stays/{pid}/breakdown", json=body, headers=team).status_code == 201
    assert db.get(Household, hid).status == "waiting"
    instance = matching.instance_for(db, municipality_id=municipality_id(db), day=day10)
    after = next(h for h in instance["households"] if h["id"] == "HH-ST-BRK")
    assert place_ref in after["excluded_places"]
    assert after["priority"] == before["priority"] + 5
    place = next((p for p in instance["places"] if p["id"] == place_ref), None)
    if place is not None:
        assert {"start": day10.isoformat(), "end": (day10 + timedelta(days=14)).isoformat()} in place["busy"]


def test_a_host_sees_its_own_guests_check_ins_without_concerns_and_no_contact_log(client, team, as_role, moment, db):
    pid = confirmed_placement(db, "HH-ST-HOST", START, place=host_place(db)).id
    hid = db.get(Placement, pid).household_id
    _arrive(client, team, pid)
    on(moment, START + timedelta(days=1))
    body = {
        "held_on": (START + timedelta(days=1)).isoformat(),
        "spoke_with": "household",
        "rating": "worried",
        "concerns": "schulden, bewind aangevraagd",
    }
    assert client.post(f"/api/stays/{pid}/check-ins", json=body, headers=team).status_code == 201
    host = as_role("host")
    seen = client.get(f"/api/stays/{pid}/check-ins", headers=host)
    assert seen.status_code == 200 and seen.json()[0]["rating"] == "worried" and seen.json()[0]["concerns"] is None
    assert client.get(f"/api/stays/{pid}/check-ins", headers=team).json()[0]["concerns"].startswith("schulden")
    contact = {"channel": "phone", "note": "gebeld over de afspraak bij de bewindvoerder"}
    assert client.post(f"/api/stays/households/{hid}/contacts", json=contact, headers=team).status_code == 201
    assert client.get(f"/api/stays/households/{hid}/contacts", headers=host).status_code == 403
    assert client.post(f"/api/stays/{pid}/check-ins", json=body, headers=host).status_code == 403
    other = as_role("crisis_team", "heerlen")
    assert client.get(f"/api/stays/{pid}/check-ins", headers=other).status_code == 404
    assert client.get(f"/api/stays/households/{hid}/contacts", headers=other).status_code == 404
    empty = client.post(f"/api/stays/households/{hid}/contacts", json={"channel": "phone", "note": " "}, headers=team)
    assert empty.status_code == 422 and empty.json()["detail"][0]["loc"] == ["body", "note"]


def test_the_stay_page_lists_what_is_due_the_contact_log_and_the_timeline(client, team, as_role, moment, db):
    pid = confirmed_placement(db, "HH-ST-PAGE", START).id
    hid = db.get(Placement, pid).household_id
    _arrive(client, team, pid)
    contact = {"channel": "visit", "note": "langs geweest bij de gastgever"}
    assert client.post(f"/api/stays/households/{hid}/contacts", json=contact, headers=team).status_code == 201
    on(moment, START + timedelta(days=2))
    page = client.get(f"/huishoudens/{hid}/verblijf", headers=team)
    assert page.status_code == 200
    assert 'class="overdue" data-kind="check_in"' in page.text and "langs geweest" in page.text
    assert "agreement_signed" in page.text and "start" in page.text
    coordinator = client.get(f"/huishoudens/{hid}/verblijf", headers=as_role("coordinator"))
    assert coordinator.status_code == 200 and "langs geweest" not in coordinator.text
    assert client.get(f"/huishoudens/{hid}/verblijf", headers=as_role("host")).status_code == 403


def test_the_stay_clock_flags_day_42_on_its_day_and_reminds_once(client, team, as_role, moment, db):
    placement = confirmed_placement(db, "HH-ST-CLOCK", START)
    pid = placement.id
    _arrive(client, team, pid)
    day42 = START + timedelta(days=42)
    on(moment, day42 - timedelta(days=1))
    headers = as_role("crisis_team")  # weeks later: a fresh token
    assert [r["signal"] for r in _due(client, headers, pid, "stay_signal")] == []
    on(moment, day42)
    assert [r["signal"] for r in _due(client, headers, pid, "stay_signal")] == ["minimum_stay_reached"]
    week = client.get("/api/stays/due?lead_days=14", headers=headers).json()
    assert {r["signal"] for r in week if r["placement_id"] == pid and r["kind"] == "stay_signal"} == {
        "minimum_stay_reached",
        "maximum_stay",
    }
    mails = select(func.count()).select_from(OutboxMessage).where(OutboxMessage.subject.contains("minimale"))
    before = db.scalar(mails)
    send_reminders(db, day42)
    sent = db.scalar(mails)
    assert sent > before
    send_reminders(db, day42)
    assert db.scalar(mails) == sent


@pytest.mark.parametrize("quarter", ["2026-Q5", "0000-Q1", "9999-Q4", "2026-12"])
def test_a_bad_quarter_is_a_422_naming_the_field(client, team, quarter):
    response = client.get(f"/api/stays/outcomes?quarter={quarter}", headers=team)
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["query", "quarter"]


def test_a_due_check_in_is_on_the_day_board_and_the_reminder_is_a_scheduled_job(client, team, moment, db):
    from api.shell.jobs_cli import load_jobs

    pid = confirmed_placement(db, "HH-ST-BOARD", START).id
    _arrive(client, team, pid)
    household_id = db.get(Placement, pid).household_id

    def stays_lines():
        board = client.get("/api/board", headers=team).json()
        return next(s for s in board if s["key"] == "stays")["lines"]

    assert all(line["href"] != f"/huishoudens/{household_id}/verblijf" for line in stays_lines())
    on(moment, START + timedelta(days=2))  # the day-1 check-in is overdue
    line = next(x for x in stays_lines() if x["href"] == f"/huishoudens/{household_id}/verblijf")
    assert line["urgent"] is True
    assert "stays.remind" in {j.name for j in load_jobs()}
