"""The header search: tenant-scoped, per role (no host address for who may not see it), bounded, and a
too-short text answered at its field."""

from __future__ import annotations

from sqlalchemy import select

from api.hosts.models import Host
from tests.api.matching.support import add_household


def _ids(body, kind):
    return [hit["id"] for hit in body[kind]]


def test_households_by_reference_name_and_postcode_in_own_municipality(client, as_role, db):
    household_id = add_household(db, "HH-ZOEK-1")
    headers = as_role("case_worker")
    assert household_id in _ids(client.get("/api/search?q=hh-zoek", headers=headers).json(), "households")
    assert household_id in _ids(client.get("/api/search?q=Huishouden HH-ZOEK", headers=headers).json(), "households")
    other = client.get("/api/search?q=HH-ZOEK", headers=as_role("case_worker", "heerlen")).json()
    assert household_id not in _ids(other, "households")


def test_host_address_only_for_the_crisis_team(client, as_role, db):
    host = db.scalar(select(Host).where(Host.reference.is_not(None)).order_by(Host.id))
    team = client.get(f"/api/search?q={host.name}", headers=as_role("crisis_team")).json()
    [hit] = [h for h in team["hosts"] if h["id"] == host.id]
    assert host.street in hit["detail"]
    coordinator = client.get(f"/api/search?q={host.name}", headers=as_role("coordinator")).json()
    [hit] = [h for h in coordinator["hosts"] if h["id"] == host.id]
    assert host.street not in (hit["detail"] or "")
    by_street = client.get(f"/api/search?q={host.street}", headers=as_role("coordinator")).json()
    assert host.id not in _ids(by_street, "hosts")  # no looking up a host by address
    case_worker = client.get(f"/api/search?q={host.name}", headers=as_role("case_worker")).json()
    assert case_worker["hosts"] == []


def test_places_and_bounds(client, as_role):
    body = client.get("/api/search?q=WK-0935", headers=as_role("coordinator")).json()
    assert body["places"] and all(h["reference"].startswith("WK-0935") for h in body["places"])
    assert len(body["places"]) <= 20


def test_too_short_is_an_error_at_the_field_and_admin_may_not_search(client, as_role):
    short = client.get("/api/search?q=a", headers=as_role("crisis_team"))
    assert short.status_code == 422
    assert short.json()["detail"][0]["code"] == "search.too_short"
    assert short.json()["detail"][0]["loc"][-1] == "q"
    page = client.get("/zoeken?q=a", headers=as_role("crisis_team"))
    assert page.status_code == 422 and 'id="err-q"' in page.text
    assert client.get("/api/search?q=abc", headers=as_role("admin")).status_code == 403


def test_the_header_has_the_search_box_and_the_page_lists_results(client, as_role, db):
    add_household(db, "HH-ZOEK-2")
    headers = as_role("crisis_team")
    page = client.get("/zoeken?q=HH-ZOEK-2", headers=headers)
    assert page.status_code == 200
    assert 'id="header-q"' in page.text
    assert "HH-ZOEK-2" in page.text
