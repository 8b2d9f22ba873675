"""Web sessions live on the server (``web_session``): log-out, a password change and an admin's block end
them at once, and they expire after 2 idle hours and 8 hours in all. A cookie replayed afterwards opens
nothing: 401 on the API, the log-in page for pages."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from api.auth import service as auth_service
from api.auth.models import UserAccount, WebSession
from api.core.clock import FixedClock
from tests.conftest import DEMO_DAY

EMAIL = "case-worker@maastricht.demo"


def _csrf(client) -> str:  # type: ignore[no-untyped-def]
    page = client.get("/login")
    return page.text.split('name="csrf_token" value="')[1].split('"')[0]


def _login(client, email: str = EMAIL) -> str:  # type: ignore[no-untyped-def]
    answer = client.post(
        "/login",
        data={"email": email, "password": "onderdak-demo", "csrf_token": _csrf(client)},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text[:300]
    return client.cookies.get("onderdak_session")


def _replay(client, cookie: str) -> tuple[int, int, str]:  # type: ignore[no-untyped-def]
    client.cookies.set("onderdak_session", cookie)
    api = client.get("/api/households").status_code
    page = client.get("/", headers={"Accept": "text/html"}, follow_redirects=False)
    return api, page.status_code, page.headers.get("location", "")


def test_a_cookie_replayed_after_logout_opens_nothing(client, db):
    cookie = _login(client)
    assert client.get("/api/households").status_code == 200
    client.post("/logout", data={"csrf_token": _csrf(client)})
    api, page, location = _replay(client, cookie)
    assert api == 401
    assert page in (302, 303, 307) and location.startswith("/login")
    row = db.scalar(select(WebSession).order_by(WebSession.id.desc()))
    assert row is not None and row.ended_at is not None


def test_an_admins_block_ends_the_session_even_after_unblocking(client, db, as_role):
    cookie = _login(client)
    user = db.scalar(select(UserAccount).where(UserAccount.email == EMAIL))
    admin = as_role("admin")
    blocked = client.patch(f"/api/admin/accounts/{user.id}", json={"active": False}, headers=admin)
    assert blocked.status_code == 200, blocked.text
    client.patch(f"/api/admin/accounts/{user.id}", json={"active": True}, headers=admin)
    db.refresh(user)
    assert user.active
    assert _replay(client, cookie)[0] == 401


def test_a_password_change_ends_every_session(client, db):
    cookie = _login(client)
    user = db.scalar(select(UserAccount).where(UserAccount.email == EMAIL))
    assert auth_service.end_web_sessions_of(db, user_id=user.id) == 1
    assert _replay(client, cookie)[0] == 401


def test_two_idle_hours_end_a_session(client):
    clock = FixedClock.on(DEMO_DAY)
    client.app.state.clock = clock
    cookie = _login(client)
    clock.advance(timedelta(minutes=119))
    assert client.get("/api/households").status_code == 200  # still within the idle limit; seen again
    clock.advance(timedelta(minutes=119))
    assert client.get("/api/households").status_code == 200
    clock.advance(timedelta(minutes=121))
    assert _replay(client, cookie)[0] == 401


def test_eight_hours_end_a_session_however_busy(client):
    clock = FixedClock.on(DEMO_DAY, hour=8)
    client.app.state.clock = clock
    cookie = _login(client)
    for _ in range(7):
        clock.advance(timedelta(hours=1))
        assert client.get("/api/households").status_code == 200
    clock.advance(timedelta(minutes=61))
    assert _replay(client, cookie)[0] == 401
