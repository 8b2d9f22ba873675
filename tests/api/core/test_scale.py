"""At a large city's size (issue 17): cached views follow every write, API lists page by default, the CSRF
token is masked per answer, static assets have versioned URLs, the search uses trigram indexes, and a served
worker's garbage collector is set for a long-running process."""

from __future__ import annotations

import gc
import re

import pytest
from sqlalchemy import event, select, text

from api.core import csrf, data_version
from api.core.listing import MAX_LIMIT, PAGE_SIZE
from api.core.models import AuditEvent
from api.core.static_assets import asset_version, static_url
from api.households.models import Household
from api.shell.static_files import OWN_MAX_AGE, VERSIONED, cache_control
from tests.conftest import DEMO_DAY, scaled_demo_url


def test_a_write_changes_the_data_version_and_an_audit_entry_does_not(db):
    before = data_version.current(db)
    db.add(AuditEvent(municipality_id=None, action="read", object_type="map", object_id="x", detail={}))
    db.flush()
    assert data_version.current(db) == before  # reading the map (audited) must not empty the caches
    household = db.scalars(select(Household).limit(1)).one()
    household.pets = not household.pets
    db.flush()
    after = data_version.current(db)
    assert after is not None and after != before


def test_a_cached_view_is_computed_again_after_a_write(db):
    cache = data_version.ViewCache()
    calls: list[int] = []
    db.add(Household(municipality_id=1, reference="HH-SCALE-1", display_name="x", origin_lat=50.8, origin_lon=5.7))
    db.flush()
    assert cache.get_or_compute(db, "k", lambda: calls.append(1) or len(calls)) == 1
    assert cache.get_or_compute(db, "k", lambda: calls.append(1) or len(calls)) == 1  # kept
    db.scalars(select(Household).where(Household.reference == "HH-SCALE-1")).one().pets = True
    db.flush()
    assert cache.get_or_compute(db, "k", lambda: calls.append(1) or len(calls)) == 2


def test_views_of_an_older_version_are_dropped_once_a_newer_one_is_seen(db):
    cache = data_version.ViewCache()
    db.add(Household(municipality_id=1, reference="HH-SCALE-2", display_name="x", origin_lat=50.8, origin_lon=5.7))
    db.flush()
    cache.get_or_compute(db, "a", lambda: 1)
    cache.get_or_compute(db, "b", lambda: 2)
    assert sorted(key for *_, key in cache._items) == ["a", "b"]
    db.scalars(select(Household).where(Household.reference == "HH-SCALE-2")).one().pets = True
    db.flush()
    assert cache.get_or_compute(db, "a", lambda: 3) == 3
    assert [key for *_, key in cache._items] == ["a"]  # "b" of the older version is gone, not waiting its turn


def test_the_data_version_is_read_once_per_transaction_until_it_writes(db):
    reads: list[str] = []

    def count(_conn, _cursor, statement, *_args):  # type: ignore[no-untyped-def]
        if "data_change" in statement and statement.lstrip().upper().startswith("SELECT"):
            reads.append(statement)

    engine = db.get_bind()
    event.listen(engine, "before_cursor_execute", count)
    try:
        first = data_version.current(db)
        done = len(reads)
        assert done > 0
        assert data_version.current(db) == first and len(reads) == done  # remembered
        db.scalars(select(Household).limit(1)).one().pets ^= True
        db.flush()
        assert data_version.current(db) != first and len(reads) > done  # its own write: read again
    finally:
        event.remove(engine, "before_cursor_execute", count)


def test_the_map_shows_a_change_at_once(client, as_role, db):
    headers = as_role("crisis_team")
    first = client.get(f"/api/map/geojson?date={DEMO_DAY}&layer=waiting", headers=headers).json()
    waiting = next(f for f in first["features"] if f["properties"]["layer"] == "waiting")
    household = db.scalars(select(Household).where(Household.reference == waiting["properties"]["ref"])).one()
    household.status = "closed"
    db.flush()
    second = client.get(f"/api/map/geojson?date={DEMO_DAY}&layer=waiting", headers=headers).json()
    assert len(second["features"]) == len(first["features"]) - 1


@pytest.mark.parametrize("path", ["/api/map/geojson", "/api/matching/runs/latest", "/kaart/document"])
def test_a_cached_answer_is_sent_gzipped_once_made_and_equal_to_the_plain_one(client, as_role, path):
    headers = as_role("crisis_team")
    if path.startswith("/api/matching"):
        client.post("/api/matching/runs", json={}, headers=headers)
    raw = client.get(path, headers={**headers, "Accept-Encoding": "identity"})
    packed = client.get(path, headers={**headers, "Accept-Encoding": "gzip"})
    assert raw.status_code == packed.status_code == 200
    assert "content-encoding" not in raw.headers
    assert packed.headers["content-encoding"] == "gzip" and "Accept-Encoding" in packed.headers["vary"]
    assert packed.content == raw.content  # the client unpacked it: the very same document
    assert packed.headers["content-type"] == raw.headers["content-type"]


def test_api_lists_answer_a_page_of_50_by_default_with_the_total_and_next(client, as_role):
    headers = as_role("crisis_team")
    answer = client.get("/api/places", headers=headers)
    assert answer.status_code == 200
    total = int(answer.headers["x-total-count"])
    assert len(answer.json()) == min(total, PAGE_SIZE)
    if total > PAGE_SIZE:
        assert 'rel="next"' in answer.headers["link"] and "offset=50" in answer.headers["link"]
    too_many = client.get(f"/api/places?limit={MAX_LIMIT + 1}", headers=headers)
    assert too_many.status_code == 422 and "limit" in too_many.text


def test_the_csrf_token_is_masked_afresh_and_still_accepted(client):
    first, second = (re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text) for _ in range(2))
    assert first and second and first[1] != second[1]  # BREACH: never the same secret twice
    assert csrf.unmask(first[1]) == csrf.unmask(second[1])
    answer = client.post(
        "/login",
        data={"email": "crisis-team@maastricht.demo", "password": "onderdak-demo", "csrf_token": second[1]},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    forged = csrf.mask("not-the-session-token-at-all-xxx")
    refused = client.post("/logout", data={"csrf_token": forged}, follow_redirects=False)
    assert refused.status_code == 403


@pytest.mark.parametrize("token", ["abc", "x" * 32, "Zm9v-_"])
def test_mask_and_unmask_round_trip_and_junk_is_refused(token):
    assert csrf.unmask(csrf.mask(token)) == token and csrf.mask(token) != csrf.mask(token)
    assert csrf.unmask("") is None and csrf.unmask("!!!") is None and csrf.unmask("AAA") is None


def test_pages_link_versioned_static_files_that_are_kept_a_year(client):
    page = client.get("/login").text
    url = static_url("css/onderdak.css")
    assert url in page and re.fullmatch(r"/static/css/onderdak\.css\?v=[0-9a-f]{12}", url)
    answer = client.get(url)
    assert answer.status_code == 200 and answer.headers["cache-control"] == VERSIONED
    assert cache_control("css/onderdak.css", "000000000000") == f"public, max-age={OWN_MAX_AGE}"  # a stale hash
    assert asset_version("../core/csrf.py") is None  # nothing outside /static


def test_a_served_worker_freezes_the_start_up_objects():
    from api.shell import serving

    threshold = gc.get_threshold()
    try:
        serving.create_served_app()
        assert gc.get_freeze_count() > 10_000
        assert gc.get_threshold()[0] == serving.GC_GEN0_THRESHOLD
    finally:
        gc.unfreeze()
        gc.set_threshold(*threshold)


@pytest.fixture(scope="module")
def scaled_pg(tmp_path_factory):
    with scaled_demo_url("postgresql", tmp_path_factory.mktemp("trgm"), 3) as url:
        yield url


def test_the_search_uses_the_trigram_indexes_on_postgresql(scaled_pg):
    from api.core.database import get_engine

    with get_engine(scaled_pg).connect() as conn:
        conn.execute(text("SET enable_seqscan = off"))  # the demo at 3× is small: ask whether the index *can* serve
        query = "SELECT id FROM household WHERE lower(display_name) LIKE '%jans%' OR lower(reference) LIKE '%jans%'"
        plan = "\n".join(row[0] for row in conn.execute(text(f"EXPLAIN {query}")))
    assert "ix_household_display_name_trgm" in plan and "ix_household_reference_trgm" in plan, plan
