"""The log-in throttle is atomic across connections: many simultaneous wrong passwords for one account let
exactly the allowed number through to the password check; the rest are refused (PostgreSQL, real commits)."""

from __future__ import annotations

import logging
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from fastapi.testclient import TestClient

from api.auth import throttle
from tests.security.test_concurrency_faults import (  # noqa: F401  (fixtures)
    _app_on,
    _count,
    _settings_and_limits,
    fresh,
    pg,
)

N = 20


def test_simultaneous_wrong_passwords_pass_the_throttle_only_five_times(pg, monkeypatch):  # noqa: F811
    monkeypatch.setattr(throttle, "ENABLED", True)
    with _app_on(pg, monkeypatch) as client:
        clients = [TestClient(client.app, raise_server_exceptions=False) for _ in range(N)]
        barrier = threading.Barrier(N)
        body = {"email": "crisis-team@maastricht.demo", "password": "fout-wachtwoord"}

        def attempt(i: int) -> int:
            with clients[i] as own:
                barrier.wait()
                return own.post("/api/auth/token", json=body).status_code

        with ThreadPoolExecutor(max_workers=N) as pool:
            statuses = Counter(pool.map(attempt, range(N)))
    logging.getLogger(__name__).info("%d simultaneous wrong passwords: %s", N, dict(statuses))
    assert statuses == Counter({401: throttle.FAILURES_PER_ACCOUNT, 429: N - throttle.FAILURES_PER_ACCOUNT})
    failures = "SELECT failures FROM login_throttle WHERE key LIKE 'account|%'"
    assert _count(pg, failures) == throttle.FAILURES_PER_ACCOUNT
