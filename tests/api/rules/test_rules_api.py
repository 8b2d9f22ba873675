"""Rules API on the demo database: amounts to the cent, errors naming the field, municipality scoping."""

from __future__ import annotations

import re
from datetime import date

from icalendar import Calendar
from sqlalchemy import select

from api.core.models import AuditEvent
from api.hosts.models import Host
from api.placements.models import Placement
from tests.api.rules import helpers
from tests.api.rules.helpers import DAY
from tests.conftest import DEMO_DAY

PREVIEW = "/api/rules/cost-sharing/preview"
HOST_ON_BENEFIT = [{"birth_date": "1980-05-05", "on_benefit": True}]


# ---------------------------------------------------------------- anonymous preview


def test_preview_is_anonymous_and_gives_typical_guests(client) -> None:
    r = client.post(PREVIEW, json={"day": DAY.isoformat(), "host_members": HOST_ON_BENEFIT})
    assert r.status_code == 200, r.text
    scenarios = r.json()["scenarios"]
    assert [s["label"] for s in scenarios] == [
        "Eén volwassen logé van 27 jaar",
        "Twee volwassen logés van 27 jaar",
        "Eén logé van 26 jaar",
    ]
    one, two, young = (s["result"] for s in scenarios)
    assert one["norms"][0]["norm_without"] == "1283.83" and one["norms"][0]["norm_with"] == "917.02"
    assert one["monthly_difference"] == "-366.81" and one["exemption_possible"] is True
    assert two["percent_with"] == "43.33" and two["monthly_difference"] == "-489.08"
    assert young["monthly_difference"] == "0.00" and young["decision_required"] is None


def test_preview_with_given_guests_and_municipality(client, db) -> None:
    helpers.override(db, "temporary_stay_exemption", {"applies": False}, valid_from=date(2024, 1, 1))
    body = {
        "municipality": "GM0935",
        "day": DAY.isoformat(),
        "host_members": HOST_ON_BENEFIT,
        "guests": [{"birth_date": "1990-01-01"}, {"birth_date": "1994-01-01", "status": "student_finance"}],
    }
    result = client.post(PREVIEW, json=body).json()["scenarios"][0]["result"]
    assert result["cost_sharers_with"] == 2 and result["monthly_difference"] == "-366.81"
    assert result["exemption_possible"] is False and "niet toe" in result["decision_required"]


def test_preview_without_known_amounts_still_explains(client) -> None:
    r = client.post(PREVIEW, json={"day": "2022-06-01", "host_members": HOST_ON_BENEFIT})  # no norms before 2023
    one = r.json()["scenarios"][0]["result"]
    assert one["percent_with"] == "50.00" and one["monthly_difference"] is None
    assert "benefit_norms" in one["amounts_missing"] and one["cuts_benefit"] is True
    # From 2023 on there is always an answer (after the last half-year: the newest norms, provisional).
    r = client.post(PREVIEW, json={"day": DEMO_DAY.isoformat(), "host_members": HOST_ON_BENEFIT})
    one = r.json()["scenarios"][0]["result"]
    assert one["amounts_missing"] is None and one["monthly_difference"] is not None and one["norms_from"]


def test_preview_bad_input_names_the_field(client) -> None:
    future = {"day": DAY.isoformat(), "host_members": [{"birth_date": "2024-03-02", "on_benefit": True}]}
    r = client.post(PREVIEW, json=future)
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "host_members", 0, "birth_date"]
    r = client.post(PREVIEW, json={"day": "2014-01-01", "host_members": HOST_ON_BENEFIT})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "day"]
    r = client.post(PREVIEW, json={"host_members": [{"birth_date": "1980-01-01", "status": "astronaut"}]})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"][:3] == ["body", "host_members", 0]
    r = client.post(PREVIEW, json={"host_members": []})
    assert r.status_code == 422
    r = client.post(PREVIEW, json={"municipality": "GM9999", "host_members": HOST_ON_BENEFIT})
    assert r.status_code == 404 and r.json()["detail"][0]["loc"] == ["body", "municipality"]


def test_preview_is_rate_limited(client) -> None:
    from api.rules.router import preview_limit

    preview_limit.limiter.reset()
    body = {"day": DAY.isoformat(), "host_members": HOST_ON_BENEFIT}
    try:
        statuses = [client.post(PREVIEW, json=body).status_code for _ in range(61)]
        assert statuses[:60] == [200] * 60 and statuses[60] == 429
    finally:
        preview_limit.limiter.reset()


# ---------------------------------------------------------------- a host's cost-sharing norm


def test_host_cost_sharing_for_a_household(client, db, as_role) -> None:
    host, hh = helpers.host(db), helpers.household(db, ages=(30, 45))
    url = f"/api/rules/hosts/{host.id}/cost-sharing?household_id={hh.id}&day={DAY.isoformat()}"
    r = client.get(url, headers=as_role("crisis_team"))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["cost_sharers_with"] == 3 and body["monthly_difference"] == "-489.08"
    assert [v["person"] for v in body["verdicts"]] == ["H1", "L1", "L2"]  # codes, never names
    assert "Anna" not in r.text and "Jan" not in r.text
    events = db.scalars(
        select(AuditEvent).where(AuditEvent.object_type == "host", AuditEvent.object_id == str(host.id))
    )
    assert any(e.action == "read" for e in events)


def test_recorded_exemption_shows_in_the_calculation(client, db, as_role) -> None:
    host, hh = helpers.host(db), helpers.household(db)
    headers = as_role("coordinator")
    r = client.post(
        f"/api/rules/hosts/{host.id}/exemption-decision",
        json={"granted": True, "decided_on": "2024-02-01", "reference": "BESL-77"},
        headers=headers,
    )
    assert r.status_code == 200, r.text
    assert r.json() == {
        "host_id": host.id,
        "cost_sharing_exemption": True,
        "exemption_decided_on": "2024-02-01",
        "exemption_reference": "BESL-77",
    }
    body = client.get(
        f"/api/rules/hosts/{host.id}/cost-sharing?household_id={hh.id}&day={DAY.isoformat()}", headers=headers
    ).json()
    assert body["exemption_in_force"] is True and body["decision_required"] is None
    from api.hosts.rules import host_cost_sharing_exemption

    assert host_cost_sharing_exemption(host, DAY) is True
    assert host_cost_sharing_exemption(host, date(2024, 1, 31)) is False


def test_exemption_decision_refused_where_it_cannot_apply(client, db, as_role) -> None:
    host = helpers.host(db)
    headers = as_role("crisis_team")
    url = f"/api/rules/hosts/{host.id}/exemption-decision"
    r = client.post(url, json={"granted": True, "decided_on": "2999-01-01", "reference": "X"}, headers=headers)
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "decided_on"]
    helpers.override(db, "temporary_stay_exemption", {"applies": False}, valid_from=date(2024, 1, 1))
    r = client.post(url, json={"granted": True, "decided_on": "2024-02-01", "reference": "X"}, headers=headers)
    assert r.status_code == 422 and r.json()["detail"][0]["type"] == "rule_breach"
    for m in host.members:
        m.on_benefit = False
    host.on_benefit = False
    db.flush()
    r = client.post(url, json={"granted": False, "decided_on": "2024-02-01", "reference": "X"}, headers=headers)
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["host", "on_benefit"]
    assert client.post(url, json={"granted": True, "decided_on": "2024-02-01", "reference": "X"},
                       headers=as_role("case_worker")).status_code == 403  # fmt: skip


def test_other_municipality_and_other_host_are_not_found(client, db, as_role) -> None:
    host, hh = helpers.host(db), helpers.household(db)
    url = f"/api/rules/hosts/{host.id}/cost-sharing?household_id={hh.id}&day={DAY.isoformat()}"
    assert client.get(url, headers=as_role("crisis_team", "heerlen")).status_code == 404
    own = db.scalar(select(Host).where(Host.reference == "GG-0935-001"))
    assert client.get(url, headers=as_role("host")).status_code == (200 if own.id == host.id else 404)
    assert client.get(url).status_code == 401


# ---------------------------------------------------------------- landlord consent


def test_record_landlord_consent(client, db, as_role) -> None:
    host = helpers.host(db, landlord="private")
    host.landlord_consent, host.landlord_consent_date = False, None
    db.flush()
    body = {"given_on": "2024-02-20", "given_by": "Verhuurder B. Jansen", "document_reference": "brief 2024-02-20"}
    r = client.post(f"/api/rules/hosts/{host.id}/landlord-consent", json=body, headers=as_role("crisis_team"))
    assert r.status_code == 200, r.text
    assert r.json()["landlord_consent"] is True and r.json()["landlord_consent_by"] == "Verhuurder B. Jansen"
    db.refresh(host)
    assert host.landlord_consent_date == date(2024, 2, 20) and host.landlord_consent_received
    from api.hosts.rules import ensure_host_confirmable

    ensure_host_confirmable(host, DAY)


def test_landlord_consent_bad_input(client, db, as_role) -> None:
    headers = as_role("crisis_team")
    owner = helpers.host(db, landlord="owner")
    body = {"given_on": "2024-02-20", "given_by": "X", "document_reference": "Y"}
    r = client.post(f"/api/rules/hosts/{owner.id}/landlord-consent", json=body, headers=headers)
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["host", "landlord_type"]
    host = helpers.host(db)
    future = {**body, "given_on": "2999-01-01"}
    r = client.post(f"/api/rules/hosts/{host.id}/landlord-consent", json=future, headers=headers)
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "given_on"]
    r = client.post(f"/api/rules/hosts/{host.id}/landlord-consent", json={**body, "given_by": ""}, headers=headers)
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "given_by"]


def test_unconsented_rented_address_cannot_be_confirmed(db) -> None:
    import pytest

    from api.core.errors import RuleBreach
    from api.hosts.rules import ensure_host_confirmable

    host = helpers.host(db, landlord="corporation")
    host.landlord_consent, host.landlord_consent_date = False, None
    with pytest.raises(RuleBreach) as err:
        ensure_host_confirmable(host, DAY)
    assert err.value.problems[0].loc == ("host", "landlord_consent")


# ---------------------------------------------------------------- logeer agreement


def test_agreement_pdf_and_html(client, db, as_role) -> None:
    host, hh = helpers.host(db), helpers.household(db)
    host.has_rent_arrears = True
    placement = helpers.host_placement(db, host, hh)
    headers = as_role("crisis_team")
    r = client.get(f"/api/rules/placements/{placement.id}/agreement.pdf?fee=150", headers=headers)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/pdf" and r.content.startswith(b"%PDF-")
    html = client.get(f"/api/rules/placements/{placement.id}/agreement?fee=150", headers=headers).text
    assert "geen huurrechten" in html and "€ 150,00 per maand" in html and "huurachterstand" in html
    assert "26 april 2024" in html


def test_agreement_fee_comes_from_the_municipality_or_is_asked(client, db, as_role) -> None:
    placement = helpers.host_placement(db, helpers.host(db), helpers.household(db))
    headers = as_role("crisis_team")
    r = client.get(f"/api/rules/placements/{placement.id}/agreement", headers=headers)
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["query", "policy", "logeer_fee", "monthly_amount"]
    r = client.get(f"/api/rules/placements/{placement.id}/agreement?fee=-5", headers=headers)
    assert r.status_code == 422
    helpers.override(db, "logeer_fee", {"monthly_amount": "175.00"}, valid_from=date(2023, 1, 1))
    assert "€ 175,00 per maand" in client.get(f"/api/rules/placements/{placement.id}/agreement", headers=headers).text


def test_no_agreement_for_a_waiting_room_dwelling(client, db, as_role) -> None:
    placement = db.scalar(select(Placement).where(Placement.status == "started").order_by(Placement.id).limit(1))
    r = client.get(f"/api/rules/placements/{placement.id}/agreement", headers=as_role("crisis_team"))
    assert r.status_code == 422 and r.json()["detail"][0]["type"] == "rule_breach"


# ---------------------------------------------------------------- stay clock and calendar


def test_deadlines_of_the_demo_stays(client, as_role) -> None:
    r = client.get(f"/api/rules/deadlines?day={DEMO_DAY.isoformat()}", headers=as_role("case_worker"))
    assert r.status_code == 200, r.text
    deadlines = r.json()
    # Six started stays at day 3, 20, 36, 43, 50 and 57: 3 + 3 + 2 + 1 + 1 + 1 signals ahead or overdue.
    assert len(deadlines) == 11
    assert [d for d in deadlines if d["overdue"]][0]["day_number"] == 56
    assert all(d["household_reference"].startswith("HH-0935-P") for d in deadlines)
    assert [d["date"] for d in deadlines] == sorted(d["date"] for d in deadlines)
    soon = client.get(f"/api/rules/deadlines?day={DEMO_DAY.isoformat()}&horizon_days=7", headers=as_role("case_worker"))
    assert all(d["date"] <= "2026-12-04" for d in soon.json()) and len(soon.json()) < 11


def test_stay_of_a_placement(client, db, as_role) -> None:
    placement = db.scalar(select(Placement).where(Placement.status == "started").order_by(Placement.start_date))
    r = client.get(
        f"/api/rules/placements/{placement.id}/stay?day={DEMO_DAY.isoformat()}", headers=as_role("crisis_team")
    )
    assert r.status_code == 200 and r.json()["day_count"] == 57
    assert r.json()["reached"] == ["plan_next_step", "minimum_stay_reached", "maximum_stay"]


def test_calendar_feed_parses_back(client, as_role) -> None:
    headers = as_role("crisis_team")
    r = client.get(f"/api/rules/deadlines.ics?day={DEMO_DAY.isoformat()}", headers=headers)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/calendar")
    all_events = Calendar.from_ical(r.content).walk("VEVENT")
    # the storage lots' deadlines share the feed (api.storage.service.storage_deadlines); count the stay clock's
    events = [e for e in all_events if not str(e["UID"]).startswith("OP-")]
    assert len(events) == 11
    assert all(str(e["SUMMARY"]).startswith("HH-0935-P") for e in events)
    assert len({str(e["UID"]) for e in events}) == 11
    assert all(re.fullmatch(r"PL-\d+-[a-z_]+@onderdak", str(e["UID"])) for e in events)
    assert len({str(e["UID"]) for e in all_events}) == len(all_events) > 11
    api_token = headers["Authorization"].split(" ", 1)[1]
    assert client.get(f"/api/rules/deadlines.ics?token={api_token}").status_code == 401  # no API token in a URL
    feed_url = client.post("/api/auth/feed-token", headers=headers).json()["feed_url"]
    token = feed_url.split("token=", 1)[1]
    by_url = client.get(f"/api/rules/deadlines.ics?day={DEMO_DAY.isoformat()}&token={token}")
    assert by_url.status_code == 200 and by_url.content.count(b"BEGIN:VEVENT") == len(all_events)
    assert client.get("/api/households", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert client.delete("/api/auth/feed-token", headers=headers).status_code == 204
    assert client.get(f"/api/rules/deadlines.ics?token={token}").status_code == 401  # revoked at once
    assert client.get("/api/rules/deadlines.ics").status_code == 401
    assert client.get("/api/rules/deadlines.ics?token=nonsense").status_code == 401
    assert client.get("/api/rules/deadlines.ics", headers=as_role("host")).status_code == 403


# ---------------------------------------------------------------- priority


def test_priority_breakdown_is_the_one_the_matching_uses(client, db, as_role) -> None:
    hh = helpers.household(db, ages=(35, 8, 5))
    hh.medical_need = True
    hh.priority_override, hh.priority_override_reason = 20, "Acuut: buiten geslapen"
    db.flush()
    r = client.get(f"/api/rules/households/{hh.id}/priority?day={DAY.isoformat()}", headers=as_role("case_worker"))
    assert r.status_code == 200, r.text
    points = {f["factor"]: f["points"] for f in r.json()["factors"]}
    assert points == {
        "base": 1,
        "children": 4,
        "medical_need": 3,
        "accessibility_need": 0,
        "days_since_eviction": 2,
        "crisis_override": 10,  # the municipality's weight for a crisis-team override
    }
    assert r.json()["total"] == 20
    assert "buiten geslapen" in r.json()["factors"][-1]["explanation"]
    from api.core.policy import policy_book
    from api.matching.instance import priority_breakdown

    assert priority_breakdown(hh, DAY, policy_book(db, municipality_id=hh.municipality_id)).total == 20
    other = client.get(f"/api/rules/households/{hh.id}/priority", headers=as_role("case_worker", "heerlen"))
    assert other.status_code == 404


def test_landlord_consent_in_force_is_the_one_definition(db) -> None:
    """E6 on records: owner needs no one; a rented address needs consent dated on or before the day.
    The matching instance and the decisions on proposals both ask this one function."""
    from datetime import timedelta

    from api.hosts.rules import ensure_host_confirmable, landlord_consent_in_force

    host = helpers.host(db, landlord="owner")
    host.landlord_consent, host.landlord_consent_date = False, None
    assert landlord_consent_in_force(host, DAY)
    host.landlord_type = "corporation"
    assert not landlord_consent_in_force(host, DAY)
    host.landlord_consent, host.landlord_consent_date = True, DAY + timedelta(days=1)
    host.landlord_consent_by, host.landlord_consent_document = "Woonpunt", "brief 12"
    assert not landlord_consent_in_force(host, DAY)
    assert landlord_consent_in_force(host, DAY + timedelta(days=1))
    ensure_host_confirmable(host, DAY + timedelta(days=1))  # agrees: no error on the same day
