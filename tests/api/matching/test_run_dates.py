"""A matching run far outside the matcher's window of sane dates (1990-01-01 .. 2200-12-31) is refused
with a 422 that names the date field, never a number overflow or a 500."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("day", ["9999-12-20", "1900-01-01", "2201-01-01"])
def test_absurd_run_dates_name_the_field(client, as_role, day):
    response = client.post("/api/matching/runs", json={"date": day}, headers=as_role("crisis_team"))
    assert response.status_code == 422
    problem = response.json()["detail"][0]
    assert problem["loc"] == ["body", "date"] and problem["code"].startswith("input.")


@pytest.mark.parametrize("path", ["/api/matching/runs", "/api/matching/runs/latest", "/api/matching/instance"])
def test_absurd_query_dates_name_the_field(client, as_role, path):
    response = client.get(path, params={"date": "9999-12-20"}, headers=as_role("crisis_team"))
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "date"]
