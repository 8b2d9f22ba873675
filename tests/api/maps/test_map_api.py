"""GET /api/map/geojson and the /kaart pages: counts against the database, privacy by role, stay clock."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from api.core.models import AuditEvent, Municipality
from api.hosts.models import Host
from api.households.models import Household
from api.maps.service import policy_book
from api.placements.models import Placement
from api.places.models import Place
from api.storage.models import StorageLot
from maps.geo import coarse_point
from tests.api.maps.expected import expected_counts
from tests.conftest import DEMO_DAY

URL = f"/api/map/geojson?date={DEMO_DAY.isoformat()}"
NON_CRISIS_ROLES = ("coordinator", "case_worker")


def maastricht(db) -> Municipality:
    return db.scalar(select(Municipality).where(Municipality.code == "GM0935"))


def features(response, layer: str | None = None) -> list[dict]:
    assert response.status_code == 200, response.text
    found = response.json()["features"]
    return [f for f in found if layer is None or f["properties"]["layer"] == layer]


def lonlat(feature: dict) -> tuple[float, float]:
    lon, lat = feature["geometry"]["coordinates"]
    return lat, lon


def test_counts_per_layer_match_the_database(client, as_role, db):
    response = client.get(URL, headers=as_role("coordinator"))
    assert response.headers["content-type"].startswith("application/geo+json")
    body = response.json()
    assert body["type"] == "FeatureCollection"
    expected = expected_counts(db, maastricht(db).id, DEMO_DAY)
    assert body["properties"]["counts"] == expected
    got = {key: len(features(response, key)) for key in expected}
    assert got == expected
    assert expected["wachtkamer"] > 0 and expected["host_room"] > 0 and expected["waiting"] > 0
    assert all({"layer", "status"} <= set(f["properties"]) for f in body["features"])


def test_layer_filter_and_unknown_layer(client, as_role):
    headers = as_role("coordinator")
    only = features(client.get(URL + "&layer=storage,waiting", headers=headers))
    assert {f["properties"]["layer"] for f in only} == {"storage", "waiting"}
    bad = client.get(URL + "&layer=storage,secrets", headers=headers)
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["query", "layer"]


def test_roles_that_may_not_see_the_map(client, as_role):
    assert client.get(URL).status_code == 401
    assert client.get(URL, headers=as_role("host")).status_code == 403
    assert client.get("/kaart/document", headers=as_role("host")).status_code == 403


def test_crisis_team_sees_exact_host_location_and_address(client, as_role, db):
    rooms = features(client.get(URL, headers=as_role("crisis_team")), "host_room")
    exact = {p.reference: (p.lat, p.lon) for p in db.scalars(select(Place).where(Place.kind == "host_room"))}
    assert rooms
    for room in rooms:
        assert lonlat(room) == pytest.approx(exact[room["properties"]["ref"]])
        assert room["properties"]["precision"] == "exact" and room["properties"]["address"]


@pytest.mark.parametrize("role", NON_CRISIS_ROLES)
def test_other_roles_get_host_homes_rounded_without_address(client, as_role, db, role):
    response = client.get(URL, headers=as_role(role))
    rooms = features(response, "host_room")
    places = {p.reference: p for p in db.scalars(select(Place).where(Place.kind == "host_room"))}
    assert rooms
    for room in rooms:
        place = places[room["properties"]["ref"]]
        assert lonlat(room) == coarse_point(place.lat, place.lon)
        assert lonlat(room) != (place.lat, place.lon)
        assert room["properties"]["address"] is None and room["properties"]["precision"] == "approx_1km"
    text = response.text
    for host in db.scalars(select(Host).where(Host.municipality_id == maastricht(db).id)):
        assert f"{host.street} {host.house_number}, " not in text
        assert host.name not in text and host.postcode not in text
        assert json.dumps(host.lat) not in text  # never the exact coordinate, anywhere in the body


@pytest.mark.parametrize("role", ["crisis_team", *NON_CRISIS_ROLES])
def test_households_never_by_name_and_origin_rounded(client, as_role, db, role):
    response = client.get(URL, headers=as_role(role))
    households = db.scalars(select(Household).where(Household.municipality_id == maastricht(db).id)).all()
    for household in households:
        assert household.display_name not in response.text
    origins = {h.reference: h for h in households}
    waiting = features(response, "waiting")
    assert waiting
    for item in waiting:
        household = origins[item["properties"]["ref"]]
        assert lonlat(item) == coarse_point(household.origin_lat, household.origin_lon)


def _place_in_host_room(db, days_in_stay: int) -> tuple[Placement, Place]:
    municipality = maastricht(db)
    taken = select(Placement.place_id)
    room = db.scalar(
        select(Place)
        .where(Place.municipality_id == municipality.id, Place.kind == "host_room", Place.status == "active")
        .where(Place.id.not_in(taken))
        .order_by(Place.id)
    )
    household = db.scalar(
        select(Household)
        .where(Household.municipality_id == municipality.id, Household.status == "waiting")
        .order_by(Household.id)
    )
    household.status = "placed"
    start = DEMO_DAY - timedelta(days=days_in_stay)
    placement = Placement(
        municipality_id=municipality.id,
        household_id=household.id,
        place_id=room.id,
        status="started",
        start_date=start,
        end_date=start + timedelta(days=90),
        arrived_on=start,
    )
    db.add(placement)
    db.flush()
    return placement, room


def _signal_days(db) -> tuple[int, int, int]:
    policy = policy_book(db, municipality_id=maastricht(db).id)
    return (
        policy.integer("stay_signals", DEMO_DAY, "plan_next_step_day"),
        policy.integer("stay_limits", DEMO_DAY, "minimum_days"),
        policy.integer("stay_limits", DEMO_DAY, "maximum_days"),
    )


@pytest.mark.parametrize("signal", ["running", "plan_next_step", "minimum_stay_reached", "maximum_stay"])
def test_placement_coloured_by_the_stay_clock(client, as_role, db, signal):
    plan, minimum, maximum = _signal_days(db)
    days = {"running": plan - 1, "plan_next_step": plan, "minimum_stay_reached": minimum, "maximum_stay": maximum + 3}
    placement, room = _place_in_host_room(db, days[signal])
    response = client.get(URL, headers=as_role("coordinator"))
    ours = [f for f in features(response, "placement") if f["properties"]["place_ref"] == room.reference]
    assert len(ours) == 1
    props = ours[0]["properties"]
    assert props["status"] == signal
    assert props["day_count"] == days[signal]
    assert props["days_left"] == maximum - days[signal]
    assert lonlat(ours[0]) == coarse_point(room.lat, room.lon)  # a stay with a host shows the host's cell only
    occupied = [f for f in features(response, "host_room") if f["properties"]["ref"] == room.reference]
    assert occupied[0]["properties"]["status"] == "occupied"
    assert occupied[0]["properties"]["occupant_ref"] == props["ref"]


def test_paused_room_and_passed_storage_deadline(client, as_role, db):
    municipality = maastricht(db)
    room = db.scalar(
        select(Place).where(Place.municipality_id == municipality.id, Place.kind == "host_room").order_by(Place.id)
    )
    room.status = "paused"
    lot = db.scalar(select(StorageLot).where(StorageLot.municipality_id == municipality.id).order_by(StorageLot.id))
    lot.deadline = DEMO_DAY
    lot.stored_on = DEMO_DAY - timedelta(days=100)
    db.flush()
    response = client.get(URL, headers=as_role("case_worker"))
    status = {f["properties"]["ref"]: f["properties"]["status"] for f in features(response, "host_room")}
    assert status[room.reference] == "paused"
    depots = features(response, "storage")
    depot = next(d for d in depots if any(x["ref"] == lot.reference for x in d["properties"]["lots"]))
    assert depot["properties"]["status"] == "deadline_passed"
    assert {"ref": lot.reference, "deadline": DEMO_DAY.isoformat(), "days_left": 0} in depot["properties"]["lots"]


@pytest.mark.usefixtures("db")
def test_only_own_municipality(client, as_role):
    heerlen = features(client.get(URL, headers=as_role("coordinator", "heerlen")))
    refs = {f["properties"]["ref"] for f in heerlen}
    assert refs and not any("0935" in ref for ref in refs)
    maastricht_refs = {f["properties"]["ref"] for f in features(client.get(URL, headers=as_role("coordinator")))}
    assert not any("0917" in ref for ref in maastricht_refs)


def test_reading_the_map_is_audited(client, as_role, db):
    client.get(URL + "&layer=waiting", headers=as_role("case_worker"))
    event = db.scalar(select(AuditEvent).where(AuditEvent.object_type == "map").order_by(AuditEvent.id.desc()))
    assert event is not None and event.action == "read" and event.object_id == DEMO_DAY.isoformat()
    assert event.detail["layers"] == ["waiting"] and event.detail["exact_host_location"] is False


def test_map_page_frames_the_map_document_with_its_own_csp(client, as_role):
    headers = {**as_role("coordinator"), "accept": "text/html"}
    page = client.get(f"/kaart?date={DEMO_DAY.isoformat()}", headers=headers)
    assert page.status_code == 200
    assert 'id="map-frame"' in page.text and "/kaart/document?date=2026-11-27" in page.text
    assert "script-src 'self';" in page.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    document = client.get(f"/kaart/document?date={DEMO_DAY.isoformat()}", headers=headers)
    assert document.status_code == 200 and "OnderdakMap.clusterLayer(" in document.text
    csp = document.headers["content-security-policy"]
    assert "script-src 'self' 'unsafe-inline'" in csp and "frame-ancestors 'self'" in csp
    assert document.headers["x-frame-options"] == "SAMEORIGIN"


def test_map_page_in_english(client, as_role):
    headers = {**as_role("coordinator"), "accept": "text/html"}
    page = client.get(f"/kaart?date={DEMO_DAY.isoformat()}&lang=en", headers=headers)
    assert "Counts per layer" in page.text and "Host rooms" in page.text
    document = client.get(f"/kaart/document?date={DEMO_DAY.isoformat()}&lang=en", headers=headers)
    assert '"Host rooms (' in document.text


def test_unauthenticated_page_redirects_to_login(client):
    response = client.get("/kaart", headers={"accept": "text/html"}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")


def test_stay_before_any_policy_is_a_clear_422(client, as_role, db):
    placement, _ = _place_in_host_room(db, 10)
    placement.start_date = placement.arrived_on = date(2020, 6, 1)  # before the first stay_limits set
    placement.end_date = date(2020, 8, 1)
    db.flush()
    response = client.get("/api/map/geojson?date=2020-06-10&layer=placement", headers=as_role("coordinator"))
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "date"]


@pytest.mark.parametrize("role", ["crisis_team", "coordinator"])
def test_region_adds_neighbours_places_only_rounded_and_bare(client, as_role, db, role):
    own = client.get(URL, headers=as_role(role)).json()
    region = client.get(URL + "&scope=region", headers=as_role(role))
    heerlen = db.scalar(select(Municipality).where(Municipality.code == "GM0917"))
    assert heerlen.region == maastricht(db).region  # both in Zuid-Limburg in the demo
    extra = [f for f in features(region) if f["properties"].get("neighbour")]
    heerlen_places = {
        p.reference: p
        for p in db.scalars(
            select(Place).where(Place.municipality_id == heerlen.id, Place.status.in_(("active", "paused")))
        )
    }
    assert {f["properties"]["ref"] for f in extra} == set(heerlen_places)
    assert len(features(region)) == len(own["features"]) + len(extra)
    for item in extra:
        props = item["properties"]
        assert props["layer"] in ("wachtkamer", "host_room") and props["municipality"] == "Heerlen"
        assert props["address"] is None and props["occupant_ref"] is None and props["link"] is None
        assert "host_ref" not in props
        place = heerlen_places[props["ref"]]
        if place.kind == "host_room":  # rounded even for the crisis team: not their municipality
            assert lonlat(item) == coarse_point(place.lat, place.lon)
    assert not any("0917" in f["properties"]["ref"] for f in features(region) if f["properties"]["layer"] == "waiting")


def test_region_scope_on_the_page(client, as_role):
    headers = {**as_role("coordinator"), "accept": "text/html"}
    page = client.get(f"/kaart?date={DEMO_DAY.isoformat()}&scope=region", headers=headers)
    assert page.status_code == 200 and 'value="region" selected' in page.text
    assert "scope=region" in page.text
    assert client.get(URL + "&scope=galaxy", headers=headers).status_code == 422
