"""The log-in throttle lives in the database: shared by every worker process, counted atomically, and it
tells in Dutch when to try again."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from api.auth import throttle
from api.core.clock import FixedClock
from tests.conftest import DEMO_DAY

BODY = {"email": "crisis-team@maastricht.demo", "password": "fout-wachtwoord"}


@pytest.fixture(autouse=True)
def _on(monkeypatch):
    monkeypatch.setattr(throttle, "ENABLED", True)


def test_the_counter_is_shared_by_another_worker_and_says_when(client, app, db):
    clock = FixedClock.on(DEMO_DAY, hour=10)
    app.state.clock = clock
    for _ in range(throttle.FAILURES_PER_ACCOUNT):
        assert client.post("/api/auth/token", json=BODY).status_code == 401
    key = "account|testclient|crisis-team@maastricht.demo"
    assert db.scalar(text("SELECT failures FROM login_throttle WHERE key = :k"), {"k": key}) == 5
    clock.advance(timedelta(minutes=5))
    # a second app instance (another worker process) on the same database refuses the sixth attempt too
    from api.auth.dependencies import get_db
    from api.shell.main import create_app

    other = create_app(clock)
    other.dependency_overrides[get_db] = app.dependency_overrides[get_db]
    with TestClient(other, raise_server_exceptions=False) as worker:
        refused = worker.post("/api/auth/token", json={**BODY, "password": "onderdak-demo"})
    assert refused.status_code == 429
    message = refused.json()["detail"][0]["msg"]
    assert "Probeer het opnieuw om 10:15 (over 10 minuten)" in message, message
    clock.advance(timedelta(minutes=10))
    assert client.post("/api/auth/token", json={**BODY, "password": "onderdak-demo"}).status_code == 200


def test_successful_log_ins_give_their_reservation_back(client, db):
    for _ in range(throttle.FAILURES_PER_ACCOUNT * 2):
        good = {**BODY, "password": "onderdak-demo"}
        assert client.post("/api/auth/token", json=good).status_code == 200
    key = "account|testclient|crisis-team@maastricht.demo"
    assert db.scalar(text("SELECT failures FROM login_throttle WHERE key = :k"), {"k": key}) == 0


def test_the_web_form_says_when_in_dutch(client):
    def login(password: str):  # type: ignore[no-untyped-def]
        page = client.get("/login")
        csrf = page.text.split('name="csrf_token" value="')[1].split('"')[0]
        data = {"email": BODY["email"], "password": password, "csrf_token": csrf}
        return client.post("/login", data=data, follow_redirects=False)

    for _ in range(throttle.FAILURES_PER_ACCOUNT):
        assert login("fout-wachtwoord").status_code == 401
    refused = login("onderdak-demo")
    assert refused.status_code == 429 and "Probeer het opnieuw om" in refused.text
