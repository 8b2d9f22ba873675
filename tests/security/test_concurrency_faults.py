"""Concurrency and faults with real commits: simultaneous confirmations, a matching run killed halfway,
and database connections that die while the app is in use.

These tests commit, so each builds its own database (a fresh SQLite file or PostgreSQL schema) and drops
it afterwards. The concurrency and connection tests need PostgreSQL (row locks, pg_terminate_backend):
they are skipped without ONDERDAK_TEST_DATABASE_URL, and fail when ONDERDAK_REQUIRE_SERVICES=1.
The server itself is never restarted (other work shares it): the app's own backends are terminated.
"""

from __future__ import annotations

import logging
import secrets
import subprocess
import sys
import textwrap
import threading
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi import APIRouter
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, func, select, text

from api.auth.dependencies import DbSession
from api.core import audit
from api.core.database import get_engine, session_scope
from api.shell.demo_loader import load_demo
from tests.conftest import DEMO_DAY, PG_URL, drop_pg_schema, migrated_url, wait_until
from tests.security.conftest import reset_rate_limits

log = logging.getLogger(__name__)

N = 20


@pytest.fixture
def fresh(backend, tmp_path) -> Iterator[str]:
    """A committed demo database of the session's backend, private to the test."""
    url, schema = migrated_url(backend, tmp_path)
    with session_scope(url) as db:
        load_demo(db, today=DEMO_DAY)
    yield url
    get_engine(url).dispose()
    if schema:
        drop_pg_schema(schema)


@pytest.fixture
def pg(fresh, backend) -> str:
    if backend != "postgresql":
        pytest.skip("row locks and backend termination are PostgreSQL features")
    return fresh


def _app_on(url: str, monkeypatch) -> TestClient:  # type: ignore[no-untyped-def]
    """The real app (real commits, the real error mapping) on the given database."""
    from api.auth.dependencies import get_db
    from api.core.config import get_settings
    from api.shell.main import create_app

    monkeypatch.setenv("ONDERDAK_DATABASE_URL", url)
    get_settings.cache_clear()
    app = create_app()

    def on_url() -> Iterator:
        with session_scope(url) as session:  # engines are cached per URL: this one, not the process default
            yield session

    app.dependency_overrides[get_db] = on_url
    return TestClient(app, raise_server_exceptions=False)


def _token(client: TestClient, email: str = "crisis-team@maastricht.demo") -> dict[str, str]:
    response = client.post("/api/auth/token", json={"email": email, "password": "onderdak-demo"})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def _count(url: str, sql: str, **params: object) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(text(sql), params).scalar() or 0)
    finally:
        engine.dispose()


@pytest.fixture(autouse=True)
def _settings_and_limits():
    from api.core.config import get_settings

    reset_rate_limits()
    yield
    reset_rate_limits()
    get_settings.cache_clear()


# ---------------------------------------------------------------- 20 simultaneous confirmations


def test_twenty_simultaneous_confirmations_of_one_place_give_one_placement(pg, monkeypatch):
    with _app_on(pg, monkeypatch) as client:
        headers = _token(client)
        run = client.post("/api/matching/runs", json={"date": DEMO_DAY.isoformat()}, headers=headers)
        assert run.status_code in (200, 201), run.text
        proposals = run.json()["proposals"]
        assert proposals, "the demo day should give proposals"
        proposal = proposals[0]
        place_id = proposal["place_id"]
        clients = [TestClient(client.app, raise_server_exceptions=False) for _ in range(N)]
        barrier = threading.Barrier(N)

        def confirm(i: int) -> int:
            with clients[i] as own:
                barrier.wait()
                return own.post(f"/api/matching/proposals/{proposal['id']}/confirm", headers=headers).status_code

        with ThreadPoolExecutor(max_workers=N) as pool:
            statuses = Counter(pool.map(confirm, range(N)))

    assert statuses[201] == 1, statuses
    assert set(statuses) <= {201, 409}, statuses  # the losers hear "already confirmed", never a 500
    live = "SELECT count(*) FROM placement WHERE place_id = :p AND status IN ('confirmed', 'started')"
    assert _count(pg, live, p=place_id) == 1 + _count(pg, live + " AND proposal_id IS NULL", p=place_id)


def test_twenty_simultaneous_manual_placements_into_one_place_give_one(pg, monkeypatch):
    with _app_on(pg, monkeypatch) as client:
        headers = _token(client)
        places = client.get("/api/matching/instance", params={"date": DEMO_DAY.isoformat()}, headers=headers).json()
        engine = create_engine(pg)
        with engine.connect() as conn:
            waiting = [
                r[0]
                for r in conn.execute(
                    text(
                        "SELECT h.id FROM household h WHERE h.status = 'waiting' AND h.municipality_id = "
                        "(SELECT id FROM municipality WHERE code = 'GM0935') AND h.accepts_host AND NOT h.pets "
                        "AND NOT h.needs_accessible ORDER BY h.id"
                    )
                )
            ]
            wachtkamer = conn.execute(
                text(
                    "SELECT id FROM place WHERE kind = 'wachtkamer' AND status = 'active' AND municipality_id = "
                    "(SELECT id FROM municipality WHERE code = 'GM0935') AND allows_children AND accessible "
                    "AND id NOT IN (SELECT place_id FROM placement WHERE status IN ('confirmed', 'started')) "
                    "ORDER BY capacity DESC, id"
                )
            ).scalar()
        engine.dispose()
        assert places and waiting and wachtkamer
        candidates = waiting[:N]
        clients = [TestClient(client.app, raise_server_exceptions=False) for _ in candidates]
        barrier = threading.Barrier(len(candidates))

        def place(i: int) -> int:
            with clients[i] as own:
                barrier.wait()
                body = {
                    "household_id": candidates[i],
                    "place_id": wachtkamer,
                    "reason": "spoed (test)",
                    "date": DEMO_DAY.isoformat(),
                }
                return own.post("/api/placements", json=body, headers=headers).status_code

        with ThreadPoolExecutor(max_workers=len(candidates)) as pool:
            statuses = Counter(pool.map(place, range(len(candidates))))

    log.info("manual placements: %s", dict(statuses))
    assert all(s < 500 for s in statuses), statuses
    live = "SELECT count(*) FROM placement WHERE place_id = :p AND status IN ('confirmed', 'started')"
    assert _count(pg, live, p=wachtkamer) == 1 and statuses[201] == 1, statuses


# ---------------------------------------------------------------- a matching run killed halfway

KILL_AFTER_TWO_PROPOSALS = textwrap.dedent(
    """
    import os, sys
    from sqlalchemy import event
    from sqlalchemy.engine import Engine
    import api.shell.models  # noqa: F401

    # The proposals go in as one multi-row INSERT (no ORM insert events): die right after the database
    # received it, before the commit, like kill -9: no rollback, no clean-up, the connection just drops.
    @event.listens_for(Engine, "after_cursor_execute")
    def _die(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("INSERT INTO PROPOSAL"):
            os._exit(137)

    from api.shell.cli import app
    app(["match", "--municipality", "GM0935", "--date", sys.argv[1]])
    """
)


def test_a_matching_run_killed_halfway_leaves_no_partial_proposals(fresh, backend):
    name = f"onderdak_killed_{secrets.token_hex(4)}"
    killed_url = _with_app_name(fresh, name) if backend == "postgresql" else fresh
    env = {"ONDERDAK_DATABASE_URL": killed_url, "ONDERDAK_ENV": "test", "PATH": "/usr/bin:/bin"}
    killed = subprocess.run(
        [sys.executable, "-c", KILL_AFTER_TWO_PROPOSALS, DEMO_DAY.isoformat()],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert killed.returncode == 137, killed.stderr
    if backend == "postgresql":  # PostgreSQL notices the dropped connection and aborts its transaction
        wait_until(lambda: _backends(name) == 0, timeout=10, what="the killed run's backend to go away")
    env["ONDERDAK_DATABASE_URL"] = fresh
    assert _count(fresh, "SELECT count(*) FROM proposal") == 0
    assert _count(fresh, "SELECT count(*) FROM matching_run") == 0
    assert _count(fresh, "SELECT count(*) FROM audit_event WHERE object_type = 'matching_run'") == 0
    again = subprocess.run(
        [sys.executable, "-m", "api", "match", "--municipality", "GM0935", "--date", DEMO_DAY.isoformat()],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert again.returncode == 0, again.stderr  # the next run works from a clean state
    assert _count(fresh, "SELECT count(*) FROM matching_run") == 1
    assert _count(fresh, "SELECT count(*) FROM proposal") > 2


def test_a_matching_run_that_fails_halfway_in_the_app_is_rolled_back(fresh, monkeypatch):
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    def fail_after_proposals(_conn, _cursor, statement, *_args):
        if statement.lstrip().upper().startswith("INSERT INTO PROPOSAL"):
            raise RuntimeError("simulated crash in the middle of storing proposals")

    event.listen(Engine, "after_cursor_execute", fail_after_proposals)
    try:
        with _app_on(fresh, monkeypatch) as client:
            headers = _token(client)
            response = client.post("/api/matching/runs", json={"date": DEMO_DAY.isoformat()}, headers=headers)
            assert response.status_code == 500 and "simulated" not in response.text
    finally:
        event.remove(Engine, "after_cursor_execute", fail_after_proposals)
    assert _count(fresh, "SELECT count(*) FROM proposal") == 0
    assert _count(fresh, "SELECT count(*) FROM matching_run") == 0


# ---------------------------------------------------------------- the database goes away during use


def _with_app_name(url: str, name: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}application_name={name}"


def _terminate(name: str) -> int:
    """Kill every backend of the app (by application_name): what a database restart does to the app."""
    assert PG_URL
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            return int(
                conn.execute(
                    text(
                        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                        "WHERE application_name = :n AND pid <> pg_backend_pid()"
                    ),
                    {"n": name},
                ).scalar()
                or 0
            )
    finally:
        admin.dispose()


def _backends(name: str) -> int:
    """How many server backends the connections named ``name`` still have."""
    assert PG_URL
    return _count(PG_URL, "SELECT count(*) FROM pg_stat_activity WHERE application_name = :n", n=name)


def _household(reference: str) -> dict:
    return {
        "reference": reference,
        "display_name": "Fam. Test",
        "origin_lat": 50.85,
        "origin_lon": 5.69,
        "members": [{"first_name": "Sam", "birth_date": "1990-01-01"}],
        "eviction": {"announced_date": "2026-11-20", "eviction_date": "2026-12-01", "bailiff_reference": "DW-1"},
    }


def test_connections_killed_between_requests_are_replaced_without_an_error(pg, monkeypatch):
    name = f"onderdak_fault_{secrets.token_hex(4)}"
    url = _with_app_name(pg, name)
    with _app_on(url, monkeypatch) as client:
        headers = _token(client)
        assert client.get("/api/households", headers=headers).status_code == 200
        assert _terminate(name) >= 1
        # pool_pre_ping notices the dead connection and opens a new one: the user sees nothing.
        assert client.get("/api/households", headers=headers).status_code == 200
        created = client.post("/api/households", json=_household("HH-FAULT-0001"), headers=headers)
        assert created.status_code == 201, created.text
    assert _count(pg, "SELECT count(*) FROM household WHERE reference = 'HH-FAULT-0001'") == 1


FAULT: dict[str, str] = {}
fault_router = APIRouter()


@fault_router.post("/api/fault-test/write-then-die")
def write_then_die(db: DbSession) -> dict[str, str]:
    """A write, then the server goes away before the commit."""
    audit.record(db, principal=None, action="fault_test", object_type="fault")
    _terminate(FAULT["app_name"])
    db.execute(select(func.count()).select_from(text("household")))
    return {"status": "unreachable"}


def test_a_connection_killed_mid_request_gives_a_clear_503_and_loses_no_acknowledged_write(pg, monkeypatch):
    name = f"onderdak_fault_{secrets.token_hex(4)}"
    url = _with_app_name(pg, name)
    FAULT["app_name"] = name
    with _app_on(url, monkeypatch) as client:
        client.app.include_router(fault_router)
        headers = _token(client)
        response = client.post("/api/fault-test/write-then-die", headers=headers)
        assert response.status_code == 503, response.text
        assert response.headers["retry-after"] == "5"
        problem = response.json()["detail"][0]
        assert problem["type"] == "database_unavailable" and problem["msg"].startswith("database unavailable")
        assert "Traceback" not in response.text and "psycopg" not in response.text
        assert _count(pg, "SELECT count(*) FROM audit_event WHERE action = 'fault_test'") == 0  # rolled back

        # Writes while a chaos thread keeps killing the app's connections: every acknowledged write is kept,
        # every refused one is a 503 with the same clear message.
        stop = threading.Event()

        def chaos() -> None:
            while not stop.is_set():
                _terminate(name)
                stop.wait(0.03)  # pace the kills; returns at once when the writes are done

        killer = threading.Thread(target=chaos, daemon=True)
        killer.start()
        outcomes: dict[str, int] = {}
        try:
            for i in range(30):
                reference = f"HH-CHAOS-{i:04d}"
                outcomes[reference] = client.post(
                    "/api/households", json=_household(reference), headers=headers
                ).status_code
        finally:
            stop.set()
            killer.join(timeout=5)
        log.info("writes under chaos: %s", dict(Counter(outcomes.values())))
        assert set(outcomes.values()) <= {201, 503}, Counter(outcomes.values())
        kept = _count(pg, "SELECT count(*) FROM household WHERE reference LIKE 'HH-CHAOS-%'")
        acknowledged = [r for r, s in outcomes.items() if s == 201]
        for reference in acknowledged:
            assert _count(pg, "SELECT count(*) FROM household WHERE reference = :r", r=reference) == 1, reference
        assert kept >= len(acknowledged)

        # Back to normal: the next write succeeds and stays.
        after = client.post("/api/households", json=_household("HH-AFTER-0001"), headers=headers)
        assert after.status_code == 201, after.text
    assert _count(pg, "SELECT count(*) FROM household WHERE reference = 'HH-AFTER-0001'") == 1
