"""Every route x every role x own / other municipality gives the status written in access_matrix.py.

A route that is not in the table fails this test: authorisation is decided per route, on purpose,
and written down where a reviewer sees it. The failure message prints the statuses observed for the
missing routes as ready-made lines (check each cell before pasting; observed is not the same as right).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from fastapi.routing import APIRoute
from starlette.routing import Mount, Route

from tests.api.security.access_matrix import BODIES, MATRIX, PARAMS, ROLE_ORDER, Lookup

OWN, OTHER = "maastricht", "heerlen"
PARAM_RE = re.compile(r"{([a-zA-Z_][a-zA-Z0-9_]*)(?::[a-z]+)?}")
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


def app_routes(app) -> Iterator[tuple[str, str, Route]]:  # type: ignore[no-untyped-def]
    """(method, path, route) of every endpoint, routers included (FastAPI may nest them lazily)."""
    try:
        from fastapi.routing import _iter_included_route_candidates  # FastAPI >= 0.16x

        routes = list(_iter_included_route_candidates(app.routes))
    except ImportError:  # pragma: no cover - older FastAPI: routes are flat
        routes = list(app.routes)
    for route in routes:
        if isinstance(route, Mount):
            continue
        assert isinstance(route, Route), f"unexpected route type {type(route).__name__}"
        for method in sorted(route.methods or ()):
            if method != "HEAD":
                yield method, route.path, route


def rate_limiters(app) -> list:  # type: ignore[no-untyped-def]
    """The in-process limiters of public forms (RateLimit dependencies)."""
    found = []  # the log-in throttle lives in the database (login_throttle): the test's rollback forgets it
    for _, _, route in app_routes(app):
        if isinstance(route, APIRoute):
            stack = list(route.dependant.dependencies)
            while stack:
                dep = stack.pop()
                limiter = getattr(dep.call, "limiter", None)
                if limiter is not None and hasattr(limiter, "reset") and limiter not in found:
                    found.append(limiter)
                stack.extend(dep.dependencies)
    return found


def _reset_rate_limits(limiters: list) -> None:
    """The matrix must not trip the limits for the cells and the tests after it."""
    for limiter in limiters:
        limiter.reset()


def _fill(path: str, lookup: Lookup, route: Route | None = None) -> str:
    """The path with its parameters filled (and required query parameters whose name PARAMS knows, such as
    ``?household_id=``); an object the demo lacks becomes an id that does not exist."""

    def find(name: str) -> str:
        found = PARAMS[name](lookup)
        return str(found if found is not None else 987654321)

    url = PARAM_RE.sub(lambda match: find(match.group(1)), path)
    if isinstance(route, APIRoute):
        required = [q.name for q in route.dependant.query_params if q.field_info.is_required() and q.name in PARAMS]
        if required:
            url += "?" + "&".join(f"{name}={find(name)}" for name in required)
    return url


def test_every_route_is_in_the_matrix_and_every_cell_holds(app, client, db):
    from api.shell.demo_loader import load_demo  # noqa: F401  (demo present through the db fixture)

    routes = list(app_routes(app))
    keys = {(m, p) for m, p, _ in routes}
    unknown_params = sorted({n for _, p, _ in routes for n in PARAM_RE.findall(p) if n not in PARAMS})
    assert not unknown_params, (
        f"path parameters without a lookup: {unknown_params}; add them to PARAMS in tests/api/security/access_matrix.py"
    )
    _prepare_objects(db)

    limiters = rate_limiters(app)
    tokens = {role: _bearer(client, role) for role in ROLE_ORDER if role != "anonymous"}
    lookups = {"own": Lookup(db, "GM0935", "gastgever1@maastricht.demo"), "other": Lookup(db, "GM0917", None)}

    failures: list[str] = []
    suggestions: list[str] = []
    for method, path, route in routes:
        has_object = bool(PARAM_RE.search(path)) and any(n.endswith("_id") for n in PARAM_RE.findall(path))
        expected = MATRIX.get((method, path))
        for which in ("own", "other") if has_object else ("own",):
            url = _fill(path, lookups[which], route)
            body = BODIES.get((method, path))
            observed = {role: _call(limiters, client, db, method, url, tokens.get(role), body) for role in ROLE_ORDER}
            if expected is None:
                suggestions.append((method, path, which, observed))
                continue
            if which == "other" and expected.other is None:
                failures.append(f"{method} {path}: give other=... (the object of another municipality)")
                continue
            for role, status in expected.cells(which).items():
                if observed[role] != status:
                    failures.append(f"{method} {path} [{which}] as {role}: expected {status}, got {observed[role]}")
            if which == "other":
                leaked = [r for r, s in observed.items() if 200 <= s < 400]
                if leaked:
                    failures.append(f"{method} {path} [other] answers 2xx/3xx to {leaked}: another municipality's")
    stale = sorted(set(MATRIX) - keys)
    message = []
    if suggestions:
        message.append(
            "routes missing from tests/api/security/access_matrix.py MATRIX (observed statuses; columns "
            + " ".join(ROLE_ORDER)
            + "). Decide per cell what each role SHOULD get, then add:\n"
            + "\n".join(_suggest(suggestions))
        )
    if failures:
        message.append("cells that differ from the matrix:\n" + "\n".join(failures))
    if stale:
        message.append("entries for routes that no longer exist (remove them):\n" + "\n".join(map(str, stale)))
    assert not message, "\n\n".join(message)


def _suggest(rows: list) -> list[str]:
    merged: dict[tuple[str, str], dict[str, dict[str, int]]] = {}
    for method, path, which, observed in rows:
        merged.setdefault((method, path), {})[which] = observed
    lines = []
    for (method, path), by in merged.items():
        own = " ".join(str(by["own"][r]) for r in ROLE_ORDER)
        other = f', other="{" ".join(str(by["other"][r]) for r in ROLE_ORDER)}"' if "other" in by else ""
        lines.append(f'    ("{method}", "{path}"): E("{own}"{other}),')
    return lines


def _bearer(client, role: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    email = "gastgever1@maastricht.demo" if role == "host" else f"{role.replace('_', '-')}@{OWN}.demo"
    response = client.post("/api/auth/token", json={"email": email, "password": "onderdak-demo"})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def _call(  # type: ignore[no-untyped-def]
    limiters, client, db, method: str, url: str, headers: dict[str, str] | None, body: tuple | None = None
) -> int:
    """One request inside a savepoint that is rolled back: no cell changes what the next one sees."""
    _reset_rate_limits(limiters)
    savepoint = db.begin_nested()
    try:
        kwargs: dict = {}
        if body is not None:
            kwargs = {"json": body[1]} if body[0] == "json" else {"data": body[1]}
        elif method in UNSAFE:
            kwargs = {"json": {}}
        response = client.request(
            method, url, headers={"accept": "application/json", **(headers or {})}, follow_redirects=False, **kwargs
        )
        return response.status_code
    finally:
        if savepoint.is_active:
            savepoint.rollback()
        _reset_rate_limits(limiters)


def _prepare_objects(db) -> None:  # type: ignore[no-untyped-def]
    """Objects the demo lacks but routes point at: a matching run with open proposals per municipality."""
    from sqlalchemy import select

    from api.core.models import Municipality
    from tests.conftest import DEMO_DAY

    try:
        from api.matching.service import run_daily_matching
    except ImportError:  # pragma: no cover
        return
    for code in ("GM0935", "GM0917"):
        municipality_id = db.scalar(select(Municipality.id).where(Municipality.code == code))
        run_daily_matching(db, municipality_id=municipality_id, day=DEMO_DAY, run_by_label="access-matrix")
    db.flush()


def test_matrix_rows_are_well_formed():
    for key, row in MATRIX.items():
        row.cells("own")
        if row.other is not None:
            row.cells("other")
        assert key[0] in {"GET", "POST", "PUT", "PATCH", "DELETE"}, key


class _OtherHostLookup(Lookup):
    """Objects of the own municipality that belong to another host than the demo host."""

    def host(self) -> int | None:
        return self.sql("SELECT min(id) FROM host WHERE municipality_id = :m AND id <> :h")

    def place(self) -> int | None:
        return self.sql(
            "SELECT min(id) FROM place WHERE municipality_id = :m AND host_id IS NOT NULL AND host_id <> :h"
        )

    def placement(self) -> int | None:
        return self.sql(
            "SELECT min(p.id) FROM placement p JOIN place pl ON pl.id = p.place_id "
            "WHERE p.municipality_id = :m AND pl.host_id IS NOT NULL AND pl.host_id <> :h"
        )


def test_a_host_sees_only_its_own_record(app, client, db):
    """Hosts work 'in their own record': another host of the same municipality is as closed as another town."""
    _prepare_objects(db)
    headers = _bearer(client, "host")
    other = _OtherHostLookup(db, "GM0935", "gastgever1@maastricht.demo")
    limiters = rate_limiters(app)
    opened = []
    for method, path, route in app_routes(app):
        names = PARAM_RE.findall(path)
        if not names or not {"host_id", "place_id", "placement_id"} & set(names):
            continue
        expected = MATRIX.get((method, path))
        if expected is None or not 200 <= expected.cells("own")["host"] < 500 or expected.cells("own")["host"] == 403:
            continue  # hosts may not use this route at all: covered by the matrix
        status = _call(limiters, client, db, method, _fill(path, other, route), headers, BODIES.get((method, path)))
        if status not in (403, 404) and not (method != "GET" and status == 422):
            opened.append(f"{method} {path}: {status}")
    assert not opened, "a host reaches another host's record:\n" + "\n".join(opened)
