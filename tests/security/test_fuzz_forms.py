"""Fuzzing the HTML form routes, which /openapi.json does not list (schemathesis cannot reach them).

Every POST page route is sent random form data built from the field names used in the templates
(api/templates), as urlencoded or multipart (with a random file), by a role that the access matrix lets
through, with the session's CSRF token. Whatever the input: no 5xx. Bounded: FORM_EXAMPLES per route.
"""

from __future__ import annotations

import logging
import os
import re
import time
from pathlib import Path

from fastapi.routing import APIRoute
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.api.security.access_matrix import MATRIX, Lookup
from tests.api.security.test_access_matrix import _fill, _prepare_objects, app_routes, rate_limiters
from tests.security.conftest import reset_rate_limits

log = logging.getLogger(__name__)

FORM_EXAMPLES = int(os.environ.get("ONDERDAK_FORM_FUZZ_EXAMPLES", "12"))
TEMPLATES = Path(__file__).resolve().parents[2] / "api" / "templates"
STATUSES: dict[int, int] = {}
PREFERENCE = ("crisis_team", "coordinator", "case_worker", "admin", "host")


def _field_names() -> list[str]:
    names = set()
    for path in TEMPLATES.rglob("*.html"):
        for raw in re.findall(r'name="([^"]+)"', path.read_text(encoding="utf-8")):
            for i in ("0", "1"):
                name = raw.replace("{{ i }}", i).replace("{{ item.id }}", "1")
                if "{{" not in name and name not in ("csrf_token", "viewport"):
                    names.add(name)
    return sorted(names)


VALUES = st.one_of(
    st.text(max_size=300),
    st.sampled_from(["", "0", "-1", "1", "2", "9" * 30, "1e309", "NaN", "on", "true", "false", "x" * 5000]),
    st.sampled_from(["2026-11-27", "2026-13-45", "0001-01-01", "9999-12-31", "27-11-2026", "12:00", "25:99"]),
    st.sampled_from(["1234 AB", "0000 ZZ", "50.85", "5.69", "91.5", "-200", "crisis_team", "host", "admin"]),
)


def _role_for(method: str, path: str) -> str | None:
    expected = MATRIX.get((method, path))
    if expected is None:
        return None
    cells = expected.cells("own")
    return next((r for r in PREFERENCE if cells[r] not in (401, 403)), None)


def _login(client, role: str) -> str:  # type: ignore[no-untyped-def]
    email = "gastgever1@maastricht.demo" if role == "host" else f"{role.replace('_', '-')}@maastricht.demo"
    page = client.get("/login")
    token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    client.post("/login", data={"email": email, "password": "onderdak-demo", "csrf_token": token})
    after = client.get("/login")  # a new session after log-in: a new CSRF token
    return after.text.split('name="csrf_token" value="')[1].split('"')[0]


def _fuzz_route(client, url: str, token: str, fields: list[str], limiters: list) -> tuple[int, list[str]]:  # type: ignore[no-untyped-def]
    found: list[str] = []
    count = 0

    @settings(
        max_examples=FORM_EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.explicit, Phase.generate],
    )
    @given(
        data=st.fixed_dictionaries({}, optional=dict.fromkeys(fields, VALUES)),
        multipart=st.booleans(),
        upload=st.binary(max_size=2000),
    )
    def run(data, multipart, upload) -> None:  # type: ignore[no-untyped-def]
        nonlocal count
        count += 1
        for limiter in limiters:
            limiter.reset()
        kwargs: dict = {"data": {**data, "csrf_token": token}}
        if multipart:
            kwargs["files"] = {"file": ("upload.csv", upload, "text/csv"), "photo": ("p.jpg", upload, "image/jpeg")}
        response = client.post(url, headers={"accept": "text/html"}, follow_redirects=False, **kwargs)
        STATUSES[response.status_code] = STATUSES.get(response.status_code, 0) + 1
        if response.status_code >= 500 and not found:
            found.append(f"POST {url} -> {response.status_code} (fields {sorted(data)[:12]}, multipart={multipart})")

    run()
    return count, found


def test_form_routes_never_answer_5xx(app, client, db):
    STATUSES.clear()
    _prepare_objects(db)
    fields = _field_names()
    assert len(fields) > 30
    lookup = Lookup(db, "GM0935", "gastgever1@maastricht.demo")
    limiters = rate_limiters(app)
    routes = [
        (m, p, r)
        for m, p, r in app_routes(app)
        if m == "POST" and isinstance(r, APIRoute) and not r.include_in_schema and p not in ("/login", "/logout")
    ]
    assert routes
    started, cases, failures = time.monotonic(), 0, []  # noqa: F841
    for method, path, route in routes:
        role = _role_for(method, path)
        if role is None:
            continue
        client.cookies.clear()
        token = _login(client, role) if role else ""
        count, found = _fuzz_route(client, _fill(path, lookup, route), token, fields, limiters)
        cases += count
        failures.extend(found)
    client.cookies.clear()
    reset_rate_limits()
    elapsed = time.monotonic() - started
    log.info("form fuzzing: %d routes, %d cases in %.1f s: %s", len(routes), cases, elapsed, STATUSES)
    assert sum(n for s, n in STATUSES.items() if s != 403) > cases // 2, "most cases must pass CSRF and roles"
    assert not failures, "form routes answering 5xx:\n" + "\n".join(failures)
