"""Inputs the narrowed schema now refuses where the app used to accept or crash (found by the fuzz test)."""

from __future__ import annotations

import pytest


def test_the_report_of_the_last_month_of_9999_is_an_input_error_not_a_crash(client, as_role):
    for month in ("9999-12", "0001-01", "1989-12"):
        answer = client.get("/api/placements/report", params={"month": month}, headers=as_role("coordinator"))
        assert answer.status_code == 422, (month, answer.text)
        assert answer.json()["detail"][0]["code"] == "input.invalid_month"


@pytest.mark.parametrize("day", ["0.0", "1700000000", "2026-1-5"])
def test_a_day_is_written_yyyy_mm_dd_not_as_seconds(client, as_role, day):
    answer = client.get("/api/rules/deadlines", params={"day": day}, headers=as_role("crisis_team"))
    assert answer.status_code == 422, answer.text
    assert answer.json()["detail"][0]["loc"] == ["query", "day"]
    assert (
        client.get("/api/rules/deadlines", params={"day": "2026-11-27"}, headers=as_role("crisis_team")).status_code
        == 200
    )


def test_the_schema_states_the_day_window_and_the_amount_bounds(client):
    schema = client.get("/openapi.json").json()
    params = schema["paths"]["/api/rules/hosts/{host_id}/cost-sharing"]["get"]["parameters"]
    fee = next(p for p in params if p["name"] == "fee")["schema"]["anyOf"]
    number, text = fee[0], fee[1]
    assert number["maximum"] == 999999.99 and number["multipleOf"] == 0.01 and "pattern" in text
    body = schema["components"]["schemas"]["PlacementCreate"]["properties"]
    assert (
        body["reason"]["minLength"] == 1 and "reason" in schema["components"]["schemas"]["PlacementCreate"]["required"]
    )
    assert body["date"]["anyOf"][0]["pattern"].startswith("^(?:199")
