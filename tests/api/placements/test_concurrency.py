"""No double booking under real concurrency, on PostgreSQL: exactly one of N simultaneous
confirmations wins, the others get a conflict (409), and the database holds one placement.

Each worker has its own session and connection, and all start together behind a barrier,
so the row locks (``SELECT ... FOR UPDATE``), the partial unique index and the exclusion
constraint of migration 0003 are what decide, not the order of the threads.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
from sqlalchemy import func, select

from api.core.database import get_engine, session_scope
from api.core.errors import Conflict
from api.households import service as household_service
from api.matching import decisions
from api.matching import service as matching
from api.placements.models import Placement
from api.places.models import Place
from api.shell import migrate
from api.shell.demo_loader import load_demo
from tests.api.matching.support import household_data, municipality_id, principal
from tests.conftest import DEMO_DAY, drop_pg_schema, new_pg_schema

N = 8


@pytest.fixture(scope="module")
def pg_url() -> Iterator[str]:
    schema, url = new_pg_schema()
    migrate.upgrade(url)
    with session_scope(url) as db:
        load_demo(db, today=DEMO_DAY)
    yield url
    get_engine(url).dispose()
    drop_pg_schema(schema)


def _race(n: int, work: Callable[[int], object]) -> Counter[str]:
    """Run ``work(i)`` in n threads released at the same moment; count outcomes by kind."""
    barrier = threading.Barrier(n)

    def one(i: int) -> str:
        barrier.wait()
        try:
            work(i)
        except Conflict:
            return "conflict"
        except Exception as exc:  # noqa: BLE001 - any other outcome fails the test below
            return f"other:{type(exc).__name__}:{exc}"
        return "ok"

    with ThreadPoolExecutor(max_workers=n) as pool:
        return Counter(pool.map(one, range(n)))


def _run(url: str) -> dict:
    with session_scope(url) as db:
        run = matching.run_daily_matching(
            db, municipality_id=municipality_id(db), day=DEMO_DAY, run_by_label="test", force=True
        )
        return {"id": run.id, "proposals": [(p.id, p.household_id, p.place_id) for p in run.proposals]}


def _placements(url: str, **where) -> int:
    with session_scope(url) as db:
        query = select(func.count()).select_from(Placement).where(Placement.status.in_(("confirmed", "started")))
        for key, value in where.items():
            query = query.where(getattr(Placement, key) == value)
        return db.scalar(query)


def test_n_team_members_confirm_the_same_proposal(pg_url):
    pid, household_id, place_id = _run(pg_url)["proposals"][0]

    def confirm(_: int) -> None:
        with session_scope(pg_url) as db:
            decisions.confirm_proposal(db, principal=principal(db), proposal_id=pid)

    outcome = _race(N, confirm)
    assert outcome == Counter({"ok": 1, "conflict": N - 1}), outcome
    assert _placements(pg_url, household_id=household_id) == 1
    assert _placements(pg_url, place_id=place_id) == 1


def test_n_team_members_place_different_households_in_the_same_place(pg_url):
    with session_scope(pg_url) as db:
        mid = municipality_id(db)
        instance = matching.instance_for(db, municipality_id=mid, day=DEMO_DAY)
        free = next(p for p in instance["places"] if p["kind"] == "wachtkamer" and not p["busy"])
        place_id = db.scalar(select(Place.id).where(Place.reference == free["id"]))
        ids = [
            household_service.create_household(
                db, municipality_id=mid, data=household_data(f"HH-RACE-{i}", bailiff=f"DW-RACE-{i}")
            ).id
            for i in range(N)
        ]

    def place(i: int) -> None:
        with session_scope(pg_url) as db:
            decisions.place_manually(
                db, principal=principal(db), household_id=ids[i], place_id=place_id, reason="test", day=DEMO_DAY
            )

    outcome = _race(N, place)
    assert outcome == Counter({"ok": 1, "conflict": N - 1}), outcome
    assert _placements(pg_url, place_id=place_id) == 1


def test_n_http_requests_confirm_the_same_proposal(pg_url):
    """The same race through the HTTP API: one 201, the others 409 with a clear message."""
    from fastapi.testclient import TestClient

    from api.auth.dependencies import get_db
    from api.shell.main import create_app
    from tests.conftest import token_headers

    app = create_app()

    def pg_db():
        with session_scope(pg_url) as session:
            yield session

    app.dependency_overrides[get_db] = pg_db
    client = TestClient(app, raise_server_exceptions=False)
    headers = token_headers(client, "crisis-team@maastricht.demo")
    run = client.post("/api/matching/runs", json={"date": DEMO_DAY.isoformat(), "force": True}, headers=headers)
    assert run.status_code == 201, run.text
    proposal = run.json()["proposals"][0]
    barrier = threading.Barrier(N)

    def confirm(_: int):
        barrier.wait()
        return client.post(f"/api/matching/proposals/{proposal['id']}/confirm", headers=headers)

    with ThreadPoolExecutor(max_workers=N) as pool:
        responses = list(pool.map(confirm, range(N)))
    codes = Counter(r.status_code for r in responses)
    assert codes == Counter({201: 1, 409: N - 1}), [r.text for r in responses]
    conflict = next(r for r in responses if r.status_code == 409).json()["detail"][0]
    assert conflict["type"] == "conflict" and conflict["msg"]
    assert _placements(pg_url, household_id=proposal["household_id"]) == 1


def test_the_database_refuses_overlap_even_without_the_service(pg_url):
    """Two raw inserts racing past every Python check: the exclusion constraint keeps one."""
    from sqlalchemy.exc import IntegrityError

    with session_scope(pg_url) as db:
        mid = municipality_id(db)
        instance = matching.instance_for(db, municipality_id=mid, day=DEMO_DAY)
        free = [p for p in instance["places"] if p["kind"] == "wachtkamer" and not p["busy"]][0]
        place_id = db.scalar(select(Place.id).where(Place.reference == free["id"]))
        ids = [
            household_service.create_household(
                db, municipality_id=mid, data=household_data(f"HH-RAW-{i}", bailiff=f"DW-RAW-{i}")
            ).id
            for i in range(N)
        ]
    barrier = threading.Barrier(N)

    def insert(i: int) -> str:
        barrier.wait()
        try:
            with session_scope(pg_url) as db:
                db.add(
                    Placement(
                        municipality_id=mid,
                        household_id=ids[i],
                        place_id=place_id,
                        start_date=date(2026, 12, 1 + i),
                        end_date=date(2027, 1, 20),
                    )
                )
        except IntegrityError:
            return "refused"
        return "ok"

    with ThreadPoolExecutor(max_workers=N) as pool:
        outcome = Counter(pool.map(insert, range(N)))
    assert outcome == Counter({"ok": 1, "refused": N - 1}), outcome
