"""Norms as data through the API: per-beneficiary fields added (old ones kept), provisional dates,
and an administrator adding the next half-year without a code change."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from api.core.models import AuditEvent, PolicyParameter
from api.hosts.models import HostMember
from tests.api.rules import helpers

OLD_FIELDS = {
    "day",
    "cost_sharing_age",
    "cost_sharers_without",
    "cost_sharers_with",
    "percent_without",
    "percent_with",
    "verdicts",
    "beneficiaries",
    "norms",
    "monthly_difference",
    "amounts_missing",
    "cuts_benefit",
    "exemption_possible",
    "exemption_in_force",
    "decision_required",
    "decision_required_en",
    "sources",
}
NORMS = "/api/admin/policy/norms"


def _url(host_id: int, household_id: int, day: date, extra: str = "") -> str:
    return f"/api/rules/hosts/{host_id}/cost-sharing?household_id={household_id}&day={day.isoformat()}{extra}"


def test_host_route_keeps_its_fields_and_adds_per_beneficiary_ones(client, db, as_role) -> None:
    host, hh = helpers.host(db), helpers.household(db, ages=(35,))
    # mother 46 and daughter 25 on benefit (the example, on the 2026-01-01 norms)
    host.members = [
        HostMember(first_name="Anna", birth_date=date(1980, 1, 15), on_benefit=True, status="none"),
        HostMember(first_name="Bo", birth_date=date(2000, 6, 1), on_benefit=True, status="none"),
    ]
    db.flush()
    day = date(2026, 2, 1)
    hh.members[0].birth_date = date(1990, 3, 3)
    db.flush()
    r = client.get(_url(host.id, hh.id, day, "&fee=150.00"), headers=as_role("crisis_team"))
    assert r.status_code == 200, r.text
    body = r.json()
    assert OLD_FIELDS <= set(body)
    assert body["norms_from"] == "2026-01-01" and body["provisional"] is False
    mother, daughter = body["beneficiary_details"]
    assert (mother["cost_sharers_without"], mother["cost_sharers_with"]) == (1, 2)
    assert (mother["norm_without"], mother["norm_with"], mother["difference"]) == ("1401.50", "1001.07", "-400.43")
    assert (daughter["cost_sharers_without"], daughter["cost_sharers_with"]) == (2, 3)
    assert (daughter["norm_without"], daughter["norm_with"]) == ("1001.07", "867.59")
    assert body["monthly_difference"] == "-533.91"
    assert body["fee"] == "150.00" and body["fee_effect"] == "-150.00"
    texts = " ".join(n["text"] for n in body["notes"])
    assert "art. 32 lid 1" in texts and "briefadres" in texts and "huurtoeslag" in texts


def test_a_date_after_the_last_half_year_is_provisional(client, db, as_role) -> None:
    host, hh = helpers.host(db), helpers.household(db)
    body = client.get(_url(host.id, hh.id, date(2026, 8, 1)), headers=as_role("crisis_team")).json()
    assert body["provisional"] is True and body["norms_from"] == "2026-01-01"
    assert body["norms"][0]["norm_with"] == "1001.07"
    assert body["notes"][0]["text"] == (
        "berekend met de normen van 1 januari 2026; de normen per 1 juli 2026 zijn nog niet ingevoerd"
    )


def test_admin_adds_a_half_year_and_it_is_used(client, db, as_role) -> None:
    headers = as_role("admin")
    new = {"valid_from": "2026-07-01", "single": "1420.00", "couple": "2028.57", "source": "Normenbrief 1 juli 2026"}
    r = client.post(NORMS, json=new, headers=headers)
    assert r.status_code == 201, r.text
    listed = client.get(NORMS, headers=headers).json()
    assert [n["valid_from"] for n in listed][:2] == ["2023-01-01", "2023-07-01"]
    assert listed[-1]["valid_from"] == "2026-07-01" and listed[-1]["source"] == "Normenbrief 1 juli 2026"
    row = db.scalar(select(PolicyParameter).where(PolicyParameter.key == "benefit_norms"))
    assert row.value_json == {"single": "1420.00", "couple": "2028.57"}
    assert db.scalar(select(AuditEvent).where(AuditEvent.object_type == "policy_parameter")) is not None
    assert client.post(NORMS, json=new, headers=headers).status_code == 409
    host, hh = helpers.host(db), helpers.household(db)
    body = client.get(_url(host.id, hh.id, date(2026, 8, 1)), headers=as_role("crisis_team")).json()
    assert body["provisional"] is False and body["norms_from"] == "2026-07-01"
    assert body["norms"][0]["norm_without"] == "1420.00" and body["norms"][0]["norm_with"] == "1014.29"


def test_only_an_admin_adds_norms_and_only_on_a_half_year(client, as_role) -> None:
    new = {"valid_from": "2026-07-01", "single": "1420.00", "couple": "2028.57", "source": "Normenbrief"}
    assert client.post(NORMS, json=new, headers=as_role("crisis_team")).status_code == 403
    bad = client.post(NORMS, json={**new, "valid_from": "2026-08-01"}, headers=as_role("admin"))
    assert bad.status_code == 422 and "valid_from" in bad.text
