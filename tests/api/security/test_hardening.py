"""Sessions, CSRF, headers, log-in throttling, error bodies and secrets: the hardening of issue 10."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi import APIRouter

from api.auth import throttle
from api.core.clock import FixedClock
from tests.conftest import DEMO_DAY

TEMPLATES = Path(__file__).resolve().parents[3] / "api" / "templates"


@pytest.fixture(autouse=True)
def _fresh_throttle(monkeypatch):
    monkeypatch.setattr(throttle, "ENABLED", True)  # off elsewhere in the suite (ONDERDAK_ENV=test)
    throttle.reset()
    yield
    throttle.reset()


def _csrf(client) -> str:
    page = client.get("/login")
    return page.text.split('name="csrf_token" value="')[1].split('"')[0]


def _login(client, email="crisis-team@maastricht.demo", password="onderdak-demo"):
    return client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": _csrf(client)},
        follow_redirects=False,
    )


def _session_cookie(response) -> str:
    cookies = [v for k, v in response.headers.multi_items() if k == "set-cookie" and "onderdak_session=" in v]
    assert cookies, "no session cookie set"
    return cookies[-1].lower()


def test_session_cookie_is_httponly_and_samesite(client):
    response = _login(client)
    assert response.status_code == 303
    cookie = _session_cookie(response)
    assert "httponly" in cookie and "samesite=lax" in cookie
    assert "secure" not in cookie  # plain http in development; production below


def test_production_cookie_is_secure_and_hsts_is_sent(db, monkeypatch):
    from fastapi.testclient import TestClient

    from api.auth.dependencies import get_db
    from api.core.config import get_settings
    from api.shell.main import create_app

    monkeypatch.setenv("ONDERDAK_ENV", "production")
    monkeypatch.setenv("ONDERDAK_SECRET_KEY", "k3Y-" + "0123456789abcdef" * 3)
    monkeypatch.setenv("ONDERDAK_BASE_URL", "https://onderdak.gemeente.example")
    monkeypatch.delenv("ONDERDAK_CLOCK_TODAY")  # production runs on the real date; the test injects its own
    get_settings.cache_clear()
    try:
        app = create_app(FixedClock.on(DEMO_DAY))
        app.dependency_overrides[get_db] = lambda: (yield db)
        with TestClient(app, base_url="https://testserver") as client:
            response = _login(client)
            assert response.status_code == 303
            assert "secure" in _session_cookie(response)
            assert response.headers["strict-transport-security"].startswith("max-age=31536000")
    finally:
        get_settings.cache_clear()


def test_production_refuses_to_start_without_a_secret(monkeypatch):
    from api.core.config import get_settings
    from api.core.errors import ConfigurationError
    from api.shell.main import create_app

    monkeypatch.setenv("ONDERDAK_ENV", "production")
    monkeypatch.delenv("ONDERDAK_SECRET_KEY", raising=False)
    monkeypatch.delenv("ONDERDAK_CLOCK_TODAY")
    get_settings.cache_clear()
    try:
        with pytest.raises(ConfigurationError, match="ONDERDAK_SECRET_KEY"):
            create_app(FixedClock.on(DEMO_DAY))
    finally:
        get_settings.cache_clear()


def test_production_refuses_a_chosen_day(monkeypatch):
    """A demo or test day in production would move every deadline: the settings refuse it."""
    from api.core.config import get_settings
    from api.core.errors import ConfigurationError

    monkeypatch.setenv("ONDERDAK_ENV", "production")
    monkeypatch.setenv("ONDERDAK_SECRET_KEY", "x" * 40)
    monkeypatch.setenv("ONDERDAK_CLOCK_TODAY", "2026-11-27")
    get_settings.cache_clear()
    try:
        with pytest.raises(ConfigurationError, match="ONDERDAK_CLOCK_TODAY"):
            get_settings()
    finally:
        get_settings.cache_clear()


def test_login_renews_the_session(client):
    client.get("/login")
    before = client.cookies.get("onderdak_session")
    _login(client)
    assert client.cookies.get("onderdak_session") != before


def test_cookie_session_needs_csrf_on_api_writes(client):
    assert _login(client).status_code == 303
    without = client.post("/api/households", json={})
    assert without.status_code == 403 and without.json()["detail"][0]["type"] == "forbidden"
    token = _csrf(client)
    with_token = client.post("/api/households", json={}, headers={"x-csrf-token": token})
    assert with_token.status_code == 422  # past authorisation and CSRF; the body is incomplete


def test_logout_ends_the_session(client):
    _login(client)
    assert client.get("/api/households").status_code == 200
    client.post("/logout", data={"csrf_token": _csrf(client)})
    assert client.get("/api/households").status_code == 401


def test_security_headers_and_csp_without_inline_scripts(client, as_role):
    response = client.get("/api/households", headers=as_role("crisis_team"))
    headers = response.headers
    assert headers["x-content-type-options"] == "nosniff" and headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == "same-origin"
    assert headers["cache-control"] == "no-store"
    csp = headers["content-security-policy"]
    script_src = re.search(r"script-src ([^;]+)", csp).group(1)
    assert script_src.strip() == "'self'" and "frame-ancestors 'none'" in csp
    assert "strict-transport-security" not in headers  # only in production (test above)


def test_no_template_has_an_inline_script():
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        for match in re.finditer(r"<script\b([^>]*)>", path.read_text(encoding="utf-8")):
            if "src=" not in match.group(1) and "application/json" not in match.group(1):
                offenders.append(f"{path.relative_to(TEMPLATES)}: {match.group(0)}")
        if re.search(r"\son[a-z]+\s*=", path.read_text(encoding="utf-8")):
            offenders.append(f"{path.relative_to(TEMPLATES)}: inline event handler (on...=)")
    assert not offenders, "CSP script-src 'self' forbids inline scripts; move them to api/static/js/:\n" + "\n".join(
        offenders
    )


def test_a_crash_shows_no_stack_trace(app, client):
    router = APIRouter()

    @router.get("/api/boom-for-test")
    def boom() -> None:
        raise RuntimeError("secret detail from deep inside")

    app.include_router(router)
    response = client.get("/api/boom-for-test")
    assert response.status_code == 500
    assert response.json() == {
        "detail": [
            {
                "loc": [],
                "msg": "internal error; it has been logged",
                "type": "internal",
                "code": "internal",
                "message": "Er ging iets mis bij ons; de fout is vastgelegd.",
                "field": None,
            }
        ]
    }
    assert "secret detail" not in response.text and "Traceback" not in response.text
    page = client.get("/api/boom-for-test", headers={"accept": "text/html"})
    assert "Traceback" not in page.text and "secret detail" not in page.text


def test_out_of_range_ids_are_input_errors_not_crashes(client, as_role):
    headers = as_role("crisis_team")
    for path in (f"/api/households/{2**70}", f"/api/households/{2**40}", f"/api/households/{-(2**70)}"):
        response = client.get(path, headers=headers)
        assert response.status_code in (404, 422), (path, response.status_code)


def test_token_login_is_throttled_after_five_failures(client):
    body = {"email": "crisis-team@maastricht.demo", "password": "fout-wachtwoord"}
    for _ in range(throttle.FAILURES_PER_ACCOUNT):
        assert client.post("/api/auth/token", json=body).status_code == 401
    blocked = client.post("/api/auth/token", json={**body, "password": "onderdak-demo"})
    assert blocked.status_code == 429 and blocked.json()["detail"][0]["type"] == "rate_limited"
    # Another account from the same client is not blocked by this one's failures.
    other = client.post("/api/auth/token", json={"email": "coordinator@maastricht.demo", "password": "onderdak-demo"})
    assert other.status_code == 200


def test_successful_log_ins_are_never_throttled(client):
    for _ in range(throttle.FAILURES_PER_ACCOUNT * 3):
        ok = client.post("/api/auth/token", json={"email": "case-worker@maastricht.demo", "password": "onderdak-demo"})
        assert ok.status_code == 200


def test_web_login_is_throttled_too(client):
    for _ in range(throttle.FAILURES_PER_ACCOUNT):
        assert _login(client, password="fout-wachtwoord").status_code == 401
    response = _login(client)
    assert response.status_code == 429 and "Te veel mislukte pogingen" in response.text


def test_failed_log_ins_are_in_the_admins_trail(client, db, as_role):
    from sqlalchemy import select

    from api.core.models import AuditEvent

    client.post("/api/auth/token", json={"email": "case-worker@maastricht.demo", "password": "fout-wachtwoord"})
    events = db.scalars(select(AuditEvent).where(AuditEvent.action == "login_failed")).all()
    assert events and events[-1].municipality_id is not None and events[-1].detail is None
    trail = client.get("/api/admin/audit", params={"action": "login_failed"}, headers=as_role("admin")).json()
    assert trail["total"] >= 1


def test_public_forms_have_a_rate_limit():
    """Every public (anonymous) POST route carries a RateLimit dependency, except log-in (own throttle)."""
    from api.shell.main import create_app
    from tests.api.security.access_matrix import MATRIX
    from tests.api.security.test_access_matrix import app_routes

    app = create_app()
    unlimited = []
    for method, path, route in app_routes(app):
        expected = MATRIX.get((method, path))
        if method != "POST" or expected is None or path in ("/login", "/logout", "/api/auth/token"):
            continue
        anonymous = expected.cells("own")["anonymous"]
        if anonymous in (401,):
            continue  # needs an account
        calls = []
        stack = list(route.dependant.dependencies)
        while stack:
            dep = stack.pop()
            calls.append(dep.call)
            stack.extend(dep.dependencies)
        if not any(type(c).__name__ == "RateLimit" for c in calls) and _public(route):
            unlimited.append(path)
    assert not unlimited, f"public POST routes without a RateLimit: {unlimited}"


def _public(route) -> bool:  # type: ignore[no-untyped-def]
    """No role check among the route's dependencies."""
    stack = list(route.dependant.dependencies)
    while stack:
        dep = stack.pop()
        name = getattr(dep.call, "__name__", "")
        if name.startswith("require_") or name in ("current_principal",):
            return False
        stack.extend(dep.dependencies)
    return True


def test_every_unsafe_route_checks_csrf():
    """A browser sends the session cookie on its own: every write must also ask for the session's token."""
    from fastapi.routing import APIRoute

    from api.core.csrf import verify_csrf
    from api.shell.main import create_app
    from tests.api.security.test_access_matrix import app_routes

    exempt = {
        ("POST", "/api/auth/token"),  # answers with a new token, reads no cookie
        ("POST", "/api/rules/cost-sharing/preview"),  # public calculator: stores nothing, reads no account
    }
    missing = []
    for method, path, route in app_routes(create_app()):
        if method not in {"POST", "PUT", "PATCH", "DELETE"} or (method, path) in exempt:
            continue
        calls, stack = [], list(route.dependant.dependencies) if isinstance(route, APIRoute) else []
        while stack:
            dep = stack.pop()
            calls.append(dep.call)
            stack.extend(dep.dependencies)
        if verify_csrf not in calls:
            missing.append(f"{method} {path}")
    assert not missing, "add dependencies=[Depends(verify_csrf)] to:\n" + "\n".join(missing)
