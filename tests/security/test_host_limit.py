"""The host limit (``max_households``) is held by the database, not only by the matcher: every path into a
placement locks the host row and re-checks the limit inside its transaction.

Two rooms of one host with ``max_households = 1``; many simultaneous manual placements of different
households, half into each room. Without the host lock each request sees no stay at its own room and at
most one in its own transaction, so two placements would be confirmed; with it at most one is live.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from tests.conftest import DEMO_DAY
from tests.security.test_concurrency_faults import (  # noqa: F401  (fixtures)
    _app_on,
    _count,
    _settings_and_limits,
    _token,
    fresh,
    pg,
)

N = 16
LIVE_AT_HOST = (
    "SELECT count(*) FROM placement pl JOIN place p ON p.id = pl.place_id "
    "WHERE p.host_id = :h AND pl.status IN ('confirmed', 'started')"
)


def _two_rooms_of_one_host(url: str) -> tuple[int, list[int], list[int]]:
    """An active Maastricht host with limit 1, no live stays and two open, permissive rooms; waiting households."""
    engine = create_engine(url)
    with engine.begin() as conn:
        gm = conn.execute(text("SELECT id FROM municipality WHERE code = 'GM0935'")).scalar()
        host = conn.execute(
            text(
                "SELECT h.id FROM host h JOIN place p ON p.host_id = h.id WHERE h.municipality_id = :m "
                "AND h.status = 'active' AND p.status = 'active' AND NOT h.has_rent_arrears "
                "AND (h.landlord_type = 'owner' OR h.landlord_consent) ORDER BY h.id LIMIT 1"
            ),
            {"m": gm},
        ).scalar()
        conn.execute(text("UPDATE host SET max_households = 1 WHERE id = :h"), {"h": host})
        conn.execute(
            text(
                "UPDATE placement SET status = 'cancelled' WHERE status IN ('confirmed', 'started') "
                "AND place_id IN (SELECT id FROM place WHERE host_id = :h)"
            ),
            {"h": host},
        )
        room = conn.execute(text("SELECT id FROM place WHERE host_id = :h ORDER BY id LIMIT 1"), {"h": host}).scalar()
        conn.execute(
            text(
                "INSERT INTO place (municipality_id, reference, kind, host_id, label, lat, lon, capacity, accessible, "
                "allows_pets, allows_children, available_from, status, created_at) "
                "SELECT municipality_id, reference || '-B', kind, host_id, label, lat, lon, capacity, accessible, "
                "allows_pets, allows_children, available_from, status, created_at FROM place WHERE id = :r"
            ),
            {"r": room},
        )
        conn.execute(
            text(
                "UPDATE place SET status = 'active', capacity = 12, accessible = true, allows_pets = true, "
                "allows_children = true, available_from = :d, available_until = NULL WHERE host_id = :h"
            ),
            {"h": host, "d": DEMO_DAY.replace(month=1)},
        )
        rooms = [r[0] for r in conn.execute(text("SELECT id FROM place WHERE host_id = :h ORDER BY id"), {"h": host})]
        waiting = [
            r[0]
            for r in conn.execute(
                text("SELECT id FROM household WHERE status = 'waiting' AND municipality_id = :m ORDER BY id"),
                {"m": gm},
            )
        ]
    engine.dispose()
    return host, rooms[:2], waiting


def test_simultaneous_placements_into_two_rooms_of_a_limit_one_host_give_at_most_one(pg, monkeypatch):  # noqa: F811
    host, rooms, waiting = _two_rooms_of_one_host(pg)
    assert len(rooms) == 2 and len(waiting) >= 2
    with _app_on(pg, monkeypatch) as client:
        headers = _token(client)
        # which households may go to these rooms at all (hard rules), asked one by one without committing
        instance = client.get("/api/matching/instance", params={"date": DEMO_DAY.isoformat()}, headers=headers).json()
        candidates = [h for h in waiting if _eligible(pg, instance, h, rooms)][:N]
        assert len(candidates) >= 2, "the demo should hold at least two households that fit a permissive room"
        clients = [TestClient(client.app, raise_server_exceptions=False) for _ in candidates]
        barrier = threading.Barrier(len(candidates))

        def place(i: int) -> int:
            with clients[i] as own:
                barrier.wait()
                body = {
                    "household_id": candidates[i],
                    "place_id": rooms[i % 2],
                    "reason": "spoed (test)",
                    "date": DEMO_DAY.isoformat(),
                }
                return own.post("/api/placements", json=body, headers=headers).status_code

        with ThreadPoolExecutor(max_workers=len(candidates)) as pool:
            statuses = Counter(pool.map(place, range(len(candidates))))

    logging.getLogger(__name__).info(
        "%d simultaneous placements into two rooms of a limit-1 host: %s", len(candidates), dict(statuses)
    )
    assert all(s < 500 for s in statuses), statuses
    assert statuses[201] == 1, statuses
    assert _count(pg, LIVE_AT_HOST, h=host) == 1, statuses


def _eligible(url: str, instance: dict, household_id: int, rooms: list[int]) -> bool:
    from matcher.eligibility import explain_pair

    engine = create_engine(url)
    with engine.connect() as conn:
        household = conn.execute(text("SELECT reference FROM household WHERE id = :i"), {"i": household_id}).scalar()
        places = [conn.execute(text("SELECT reference FROM place WHERE id = :i"), {"i": r}).scalar() for r in rooms]
    engine.dispose()
    known = {h["id"] for h in instance["households"]}
    return household in known and all(not explain_pair(instance, household, p) for p in places)


def test_matching_runs_of_one_municipality_queue_on_an_advisory_lock(pg):  # noqa: F811
    import pytest
    from sqlalchemy.exc import OperationalError
    from sqlalchemy.orm import Session

    from api.matching.service import RUN_LOCK_CLASS, serialise_runs

    engine = create_engine(pg)
    with engine.connect() as holder, Session(engine) as other:
        gm = holder.execute(text("SELECT id FROM municipality WHERE code = 'GM0935'")).scalar()
        holder.execute(text("SELECT pg_advisory_xact_lock(:k, :m)"), {"k": RUN_LOCK_CLASS, "m": gm})
        other.execute(text("SET lock_timeout = '300ms'"))
        with pytest.raises(OperationalError, match="lock timeout"):
            serialise_runs(other, municipality_id=gm)  # a second run waits for the first one's transaction
        other.rollback()
        serialise_runs(other, municipality_id=gm + 1000)  # another municipality does not wait
        holder.rollback()
        serialise_runs(other, municipality_id=gm)  # released at the end of the first transaction
    engine.dispose()


def test_proposals_of_two_runs_and_manual_placements_at_once_keep_the_limit(pg, monkeypatch):  # noqa: F811
    """The issue's probe: confirmations of proposals from two different runs and manual placements, all fired
    at the same moment at the two rooms of a limit-1 host, end with one live stay at that host."""
    host, rooms, waiting = _two_rooms_of_one_host(pg)
    with _app_on(pg, monkeypatch) as client:
        headers = _token(client)
        instance = client.get("/api/matching/instance", params={"date": DEMO_DAY.isoformat()}, headers=headers).json()
        candidates = [h for h in waiting if _eligible(pg, instance, h, rooms)][:8]
        assert len(candidates) >= 5, "the demo should hold at least five households that fit a permissive room"
        runs = []
        for _ in range(2):  # two runs on the same data: both stay fresh, so their proposals can be confirmed
            made = client.post(
                "/api/matching/runs", json={"date": DEMO_DAY.isoformat(), "force": True}, headers=headers
            )
            assert made.status_code in (200, 201), made.text
            runs.append(made.json()["id"])
        proposals = _proposals_into(pg, runs, candidates[:4], rooms)
        calls = [("confirm", p) for p in proposals] + [("manual", h) for h in candidates[4:]]
        clients = [TestClient(client.app, raise_server_exceptions=False) for _ in calls]
        barrier = threading.Barrier(len(calls))

        def fire(i: int) -> int:
            kind, ident = calls[i]
            with clients[i] as own:
                barrier.wait()
                if kind == "confirm":
                    return own.post(f"/api/matching/proposals/{ident}/confirm", headers=headers).status_code
                body = {"household_id": ident, "place_id": rooms[i % 2], "reason": "spoed (test)"}
                body["date"] = DEMO_DAY.isoformat()
                return own.post("/api/placements", json=body, headers=headers).status_code

        with ThreadPoolExecutor(max_workers=len(calls)) as pool:
            statuses = Counter(pool.map(fire, range(len(calls))))

    logging.getLogger(__name__).info("%d confirmations and manual placements at once: %s", len(calls), dict(statuses))
    assert all(s < 500 for s in statuses), statuses
    assert statuses[200] + statuses[201] == 1, statuses
    assert _count(pg, LIVE_AT_HOST, h=host) == 1, statuses


def _proposals_into(url: str, runs: list[int], households: list[int], rooms: list[int]) -> list[int]:
    """Open proposals for the two rooms, two households in each run (a run proposes a household and a place
    once: the runs' own proposals of these households and rooms make way); the demo day is their start."""
    engine = create_engine(url)
    made = []
    with engine.begin() as conn:
        for run in runs:
            conn.execute(
                text("DELETE FROM proposal WHERE run_id = :r AND (household_id = ANY(:h) OR place_id = ANY(:p))"),
                {"r": run, "h": households, "p": rooms},
            )
        for i, household in enumerate(households[:4]):
            made.append(
                conn.execute(
                    text(
                        "INSERT INTO proposal (run_id, household_id, place_id, start_date, end_date, status, reasons) "
                        "VALUES (:r, :h, :p, :s, :e, 'open', '[]') RETURNING id"
                    ),
                    {
                        "r": runs[i // 2],
                        "h": household,
                        "p": rooms[i % 2],
                        "s": DEMO_DAY,
                        "e": DEMO_DAY.replace(month=12, day=31),
                    },
                ).scalar()
            )
    engine.dispose()
    return made
