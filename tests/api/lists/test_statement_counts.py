"""No N+1: every staff page and API list runs the same number of SQL statements at scale 1 and at scale 3.

Statements are counted with SQLAlchemy's ``before_cursor_execute`` event around one request (after a
first request that warms caches), on the demo region and on three times the demo region, after a
matching run on each so that the matching page and the proposal list hold proposals.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session

from tests.conftest import DEMO_DAY, scaled_demo_url, token_headers

DAY = DEMO_DAY.isoformat()
EMAIL = {role: f"{role.replace('_', '-')}@maastricht.demo" for role in ("crisis_team", "coordinator", "admin")}

# (role, path); {run} is the day's run. API lists are asked for a page (limit=50), as a client at scale does.
ROUTES = [
    ("crisis_team", "/"),
    ("crisis_team", f"/matching?date={DAY}"),
    ("crisis_team", "/huishoudens"),
    ("crisis_team", "/huishoudens?status=waiting&q=hh&sort=-eviction_date"),
    ("crisis_team", "/plaatsen"),
    ("crisis_team", "/plaatsingen"),
    ("crisis_team", "/opslag"),
    ("crisis_team", "/termijnen"),
    ("crisis_team", "/rapportage"),
    ("coordinator", "/gastgevers?status=all"),
    ("admin", "/admin/audit"),
    ("admin", "/admin/accounts"),
    ("crisis_team", "/api/households?limit=50"),
    ("crisis_team", "/api/places?limit=50"),
    ("crisis_team", "/api/placements?limit=50"),
    ("coordinator", "/api/hosts?limit=50"),
    ("crisis_team", "/api/storage/lots?limit=50"),
    ("crisis_team", "/api/matching/runs/{run}/proposals?limit=50"),
    ("crisis_team", "/api/matching/runs"),
    ("admin", "/api/admin/audit?limit=50"),
    ("crisis_team", "/api/households/export.csv"),
    ("crisis_team", "/api/placements/export.xlsx"),
]


class Counter:
    def __init__(self) -> None:
        self.statements: list[str] = []

    def __call__(self, _conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        self.statements.append(statement)


MATCHING = f"/matching?date={DAY}"
LIMIT_AT_10X = 200 * 1024  # bytes of HTML of the matching page at ten times the demo (issue 17)


def _count_routes(url: str) -> dict[str, int]:
    from fastapi.testclient import TestClient

    from api.auth.dependencies import get_db
    from api.core.database import get_engine
    from api.shell.main import create_app

    engine = get_engine(url)
    connection = engine.connect()
    outer = connection.begin()
    session = Session(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
    app = create_app()

    def _db() -> Iterator[Session]:
        nested = session.begin_nested()
        try:
            yield session
            session.flush()
            nested.commit()
        except BaseException:
            nested.rollback()
            raise

    app.dependency_overrides[get_db] = _db
    counter = Counter()
    counts: dict[str, int] = {}
    try:
        with TestClient(app, raise_server_exceptions=True) as client:
            headers = {role: token_headers(client, email) for role, email in EMAIL.items()}
            run = client.post("/api/matching/runs", json={"date": DAY}, headers=headers["crisis_team"])
            assert run.status_code in (200, 201), run.text
            run_id = run.json()["id"]
            event.listen(engine, "before_cursor_execute", counter)
            for role, path in ROUTES:
                target = path.format(run=run_id)
                assert client.get(target, headers=headers[role]).status_code == 200, target
                session.expunge_all()  # like a fresh request: nothing from the identity map of the last one
                counter.statements.clear()
                response = client.get(target, headers=headers[role])
                counts[path] = len(counter.statements)
                counts[f"bytes {path}"] = len(response.content)
    finally:
        if event.contains(engine, "before_cursor_execute", counter):
            event.remove(engine, "before_cursor_execute", counter)
        session.close()
        outer.rollback()
        connection.close()
    return counts


@pytest.fixture(scope="module")
def counts_by_scale(backend: str, demo_url: str, tmp_path_factory: pytest.TempPathFactory) -> dict[int, dict[str, int]]:
    one = _count_routes(demo_url)
    with scaled_demo_url(backend, tmp_path_factory.mktemp(f"scale3-{backend}"), 3) as url:
        three = _count_routes(url)
    return {1: one, 3: three}


def test_matching_page_stays_under_200_kib_at_ten_times_the_demo(counts_by_scale):
    """Linear extrapolation from scale 1 and 3 to 10 (the page's rows are capped, so it should barely grow)."""
    one, three = counts_by_scale[1][f"bytes {MATCHING}"], counts_by_scale[3][f"bytes {MATCHING}"]
    at_ten = three + (three - one) / 2 * 7
    assert at_ten <= LIMIT_AT_10X, f"{one} B at scale 1, {three} B at scale 3: about {at_ten:.0f} B at scale 10"


@pytest.mark.parametrize("path", [p for _, p in ROUTES])
def test_statements_do_not_grow_with_the_data(counts_by_scale, path):
    one, three = counts_by_scale[1][path], counts_by_scale[3][path]
    assert three <= one, f"{path}: {one} statements at scale 1, {three} at scale 3 (N+1?)"
    assert one < 60, f"{path}: {one} statements for one request"
