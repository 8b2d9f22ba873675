"""Shared fixtures: a migrated database per backend (SQLite always, PostgreSQL at
127.0.0.1:5432/test or ONDERDAK_TEST_DATABASE_URL), each test in a transaction rolled back at the end,
an app client, a live server and a headless Chromium.

Services that are absent skip their tests with a visible reason, unless
ONDERDAK_REQUIRE_SERVICES=1 (set by .ci/run): then an absent service is a failure.
"""

from __future__ import annotations

import os
import secrets
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

os.environ.setdefault("ONDERDAK_ENV", "test")

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

import api.shell.models  # noqa: F401,E402  (every mapper registered before the first query)

DEMO_DAY = date(2026, 11, 27)
# Every clock of the suite (app, sessions, CLI subprocesses, live server) lives on the demo day:
# no test depends on the day it runs. See api.core.clock.
os.environ["ONDERDAK_CLOCK_TODAY"] = DEMO_DAY.isoformat()
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-quic",
    "--disable-sync",
]
REQUIRE_SERVICES = os.environ.get("ONDERDAK_REQUIRE_SERVICES") == "1"
# PostgreSQL is looked for at the default address; the variable only overrides it.
PG_URL = os.environ.get("ONDERDAK_TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def _absent(reason: str) -> None:
    if REQUIRE_SERVICES:
        pytest.fail(f"required service absent: {reason}")
    pytest.skip(reason)


def pg_schema_url(schema: str) -> str:
    assert PG_URL
    sep = "&" if "?" in PG_URL else "?"
    return f"{PG_URL}{sep}options=-csearch_path%3D{schema}"


def new_pg_schema() -> tuple[str, str]:
    """A fresh schema on the test server: (schema, url whose search_path points at it)."""
    if not PG_URL:
        _absent("ONDERDAK_TEST_DATABASE_URL not set: PostgreSQL tests skipped")
    schema = f"t_{secrets.token_hex(6)}"
    try:
        admin = create_engine(PG_URL, connect_args={"connect_timeout": 5})
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        admin.dispose()
    except Exception as exc:  # noqa: BLE001 - any failure to reach the server means "absent"
        _absent(f"PostgreSQL at ONDERDAK_TEST_DATABASE_URL unreachable: {type(exc).__name__}")
    return schema, pg_schema_url(schema)


def drop_pg_schema(schema: str) -> None:
    admin = create_engine(PG_URL)  # type: ignore[arg-type]
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    admin.dispose()


def migrated_url(backend: str, tmp_dir: Path) -> tuple[str, str | None]:
    from api.shell import migrate

    schema = None
    if backend == "sqlite":
        url = f"sqlite:///{tmp_dir / f'onderdak-{secrets.token_hex(4)}.db'}"
    else:
        schema, url = new_pg_schema()
    migrate.upgrade(url)
    return url, schema


@contextmanager
def scaled_demo_url(backend: str, tmp_dir: Path, scale: int) -> Iterator[str]:
    """A migrated database of its own with ``scale`` times the demo region committed (dropped afterwards)."""
    from api.core.database import get_engine, session_scope
    from api.shell.demo_loader import load_demo

    url, schema = migrated_url(backend, tmp_dir)
    try:
        with session_scope(url) as db:
            load_demo(db, today=DEMO_DAY, scale=scale)
        yield url
    finally:
        get_engine(url).dispose()
        if schema:
            drop_pg_schema(schema)


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture(scope="session")
def demo_url(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated database with the demo region committed, shared by the session's tests."""
    from api.core.database import session_scope
    from api.shell.demo_loader import load_demo

    url, schema = migrated_url(backend, tmp_path_factory.mktemp(backend))
    with session_scope(url) as db:
        load_demo(db, today=DEMO_DAY)
    yield url
    from api.core.database import get_engine

    get_engine(url).dispose()
    if schema:
        drop_pg_schema(schema)


@pytest.fixture
def engine(demo_url: str) -> Engine:
    from api.core.database import get_engine

    return get_engine(demo_url)


@pytest.fixture
def db(engine: Engine) -> Iterator[Session]:
    """A session inside an outer transaction that is rolled back: tests never leak rows."""
    connection = engine.connect()
    outer = connection.begin()
    session = Session(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
    try:
        yield session
    finally:
        session.close()
        outer.rollback()
        connection.close()


@pytest.fixture
def app(db: Session):
    """The app with every request's session replaced by the test's rolled-back session."""
    from api.auth.dependencies import get_db
    from api.shell.main import create_app

    application = create_app()

    def _test_db() -> Iterator[Session]:
        nested = db.begin_nested()
        try:
            yield db
            db.flush()
            nested.commit()
        except BaseException:
            nested.rollback()
            raise

    application.dependency_overrides[get_db] = _test_db
    return application


@pytest.fixture
def client(app):
    from fastapi.testclient import TestClient

    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


def token_headers(client, email: str, password: str = "onderdak-demo") -> dict[str, str]:
    response = client.post("/api/auth/token", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


@pytest.fixture
def as_role(client):
    """``as_role("crisis_team")`` → bearer headers of the Maastricht demo account of that role."""

    def headers(role: str, municipality: str = "maastricht") -> dict[str, str]:
        email = "gastgever1@maastricht.demo" if role == "host" else f"{role.replace('_', '-')}@{municipality}.demo"
        return token_headers(client, email)

    return headers


# ---------------------------------------------------------------- live server and browser


def wait_until(condition: Callable[[], bool], *, timeout: float, what: str, interval: float = 0.02) -> None:
    """Poll ``condition`` until it holds, failing after ``timeout`` seconds: a bounded wait on a real signal."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(interval)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real app over HTTP on a SQLite file with the demo region (committed, shared)."""
    import uvicorn

    from api.core.database import session_scope
    from api.shell.demo_loader import load_demo

    url, _ = migrated_url("sqlite", tmp_path_factory.mktemp("live"))
    with session_scope(url) as session:
        load_demo(session, today=DEMO_DAY)
    os.environ["ONDERDAK_DATABASE_URL"] = url
    from api.core.config import get_settings

    get_settings.cache_clear()
    from api.shell.main import create_app

    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        thread.join(timeout=0.05)  # returns at once when the server thread has died
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail("the live server did not start")
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        _absent(f"{CHROMIUM} not installed: browser tests skipped (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser context that may only talk to the live server (no network beyond it)."""
    context = browser.new_context(base_url=live_server, locale="nl-NL")
    context.route(
        "**/*",
        lambda route: route.continue_() if route.request.url.startswith(live_server) else route.abort(),
    )
    pg = context.new_page()
    yield pg
    context.close()


def browser_login(page, email: str, password: str = "onderdak-demo") -> None:
    page.goto("/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test that drives Chromium carries the ``browser`` marker (``-m "not browser"`` leaves them out)."""
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)
