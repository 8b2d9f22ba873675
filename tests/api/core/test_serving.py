"""Production serving: gzip, cache headers on static files, a pool per worker, several workers sharing log-ins."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys

import httpx
import pytest

from api.core.database import make_engine
from api.shell import serving
from api.shell.static_files import OWN_MAX_AGE, VENDOR_MAX_AGE
from tests.conftest import DEMO_DAY, _free_port, wait_until


def test_pages_and_lists_are_gzipped_when_asked(client, as_role):
    headers = as_role("coordinator")
    plain = client.get("/api/places", headers={**headers, "Accept-Encoding": "identity"})
    packed = client.get("/api/places", headers={**headers, "Accept-Encoding": "gzip"})
    assert plain.status_code == packed.status_code == 200
    assert "content-encoding" not in plain.headers
    assert packed.headers["content-encoding"] == "gzip"
    assert packed.json() == plain.json()  # the client unpacks: same list
    assert int(packed.num_bytes_downloaded) < len(plain.content) / 3


def test_static_files_are_cached_and_pages_are_not(client):
    vendor = client.get("/static/vendor/leaflet/leaflet.js")
    own = client.get("/static/css/onderdak.css")
    assert vendor.status_code == own.status_code == 200
    assert vendor.headers["cache-control"] == f"public, max-age={VENDOR_MAX_AGE}"
    assert own.headers["cache-control"] == f"public, max-age={OWN_MAX_AGE}"
    again = client.get("/static/css/onderdak.css", headers={"If-None-Match": own.headers["etag"]})
    assert again.status_code == 304 and again.headers["cache-control"] == own.headers["cache-control"]
    assert client.get("/login").headers["cache-control"] == "no-store"


@pytest.mark.parametrize(("workers", "budget"), [(1, 24), (2, 24), (4, 24), (32, 24)])
def test_the_connection_budget_is_divided_over_the_workers(workers, budget):
    pool, overflow = serving.pool_for_workers(workers, budget)
    assert pool >= serving.MIN_POOL and overflow >= 1
    if workers * (serving.MIN_POOL + 1) <= budget:
        assert workers * (pool + overflow) <= budget


def test_worker_environment_keeps_what_the_operator_set():
    chosen = serving.worker_environment(2, {"ONDERDAK_DB_POOL_SIZE": "3"})
    assert "ONDERDAK_DB_POOL_SIZE" not in chosen
    assert int(chosen["ONDERDAK_DB_MAX_OVERFLOW"]) >= 1 and len(chosen["ONDERDAK_SECRET_KEY"]) >= 32
    production = serving.worker_environment(2, {"ONDERDAK_ENV": "production"})
    assert "ONDERDAK_SECRET_KEY" not in production  # production has its own key, required at start


def test_the_engine_uses_the_configured_pool(monkeypatch):
    from api.core.config import get_settings

    monkeypatch.setenv("ONDERDAK_DB_POOL_SIZE", "3")
    monkeypatch.setenv("ONDERDAK_DB_MAX_OVERFLOW", "1")
    get_settings.cache_clear()
    try:
        engine = make_engine("postgresql+psycopg://nobody@127.0.0.1:1/none")
        assert engine.pool.size() == 3 and engine.pool._max_overflow == 1  # type: ignore[attr-defined]
    finally:
        get_settings.cache_clear()


def test_reload_and_workers_do_not_combine():
    done = subprocess.run(
        [sys.executable, "-m", "api", "serve", "--reload", "--workers", "2"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2 and "--workers" in done.stderr


def test_two_workers_share_log_ins(demo_url, backend):
    """A token from one worker is valid on the other: the workers share one session key."""
    if backend != "postgresql":
        pytest.skip("several workers are for PostgreSQL (SQLite serialises its writers)")
    port = _free_port()
    env = {**os.environ, "ONDERDAK_DATABASE_URL": demo_url, "ONDERDAK_CLOCK_TODAY": DEMO_DAY.isoformat()}
    env.pop("ONDERDAK_SECRET_KEY", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "api", "serve", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"

        def up() -> bool:
            try:
                return httpx.get(f"{base}/login", timeout=2).status_code == 200
            except httpx.HTTPError:
                return False

        wait_until(up, timeout=90, what="onderdak serve --workers 2")
        # no keep-alive: every request is a new connection, which either worker may accept
        with httpx.Client(base_url=base, timeout=20, limits=httpx.Limits(max_keepalive_connections=0)) as http:
            form = http.get("/login").text
            csrf = re.search(r'name="csrf_token" value="([^"]+)"', form)
            assert csrf is not None
            login = http.post(
                "/login",
                data={"email": "coordinator@maastricht.demo", "password": "onderdak-demo", "csrf_token": csrf[1]},
            )
            assert login.status_code == 303 and login.headers["location"] == "/"
            answers = [http.get("/").status_code for _ in range(12)]
        assert answers == [200] * 12  # a worker that did not know the session key would send us to /login
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
