"""Migration 0016: the placement's outcome takes the issue's destinations, the pilot values stay valid, and on
SQLite the stays' rows and the overlap triggers survive (no table rebuild); down again maps the values back."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.exc import IntegrityError

from api.core.database import session_scope
from api.placements.models import Placement
from api.shell import migrate
from api.shell.demo_loader import load_demo
from tests.conftest import DEMO_DAY, drop_pg_schema, migrated_url


@pytest.fixture
def url(backend, tmp_path):
    url, schema = migrated_url(backend, tmp_path)
    with session_scope(url) as db:
        load_demo(db, today=DEMO_DAY)
    yield url
    if schema:
        drop_pg_schema(schema)


def _first_placement(url):
    engine = create_engine(url)
    with engine.begin() as conn:
        row = conn.execute(
            select(Placement.id, Placement.place_id, Placement.start_date).where(
                Placement.status.in_(("confirmed", "started"))
            )
        ).first()
    engine.dispose()
    return row


def test_new_outcomes_fit_old_ones_stay_and_nonsense_is_refused(url):
    pid = _first_placement(url).id
    engine = create_engine(url)
    for value in ("street", "social_housing", "shelter"):
        with engine.begin() as conn:
            conn.execute(text("UPDATE placement SET outcome = :v WHERE id = :id"), {"v": value, "id": pid})
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(text("UPDATE placement SET outcome = 'moon' WHERE id = :id"), {"id": pid})
    with engine.begin() as conn:
        conn.execute(text("UPDATE placement SET outcome = 'street' WHERE id = :id"), {"id": pid})
    engine.dispose()
    migrate.downgrade(url, "0015")
    engine = create_engine(url)
    with engine.begin() as conn:
        assert conn.execute(text("SELECT outcome FROM placement WHERE id = :id"), {"id": pid}).scalar() == "unknown"
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(text("UPDATE placement SET outcome = 'street' WHERE id = :id"), {"id": pid})
    engine.dispose()
    migrate.upgrade(url)


def test_sqlite_keeps_the_overlap_trigger_and_the_rows(url, backend):
    if backend != "sqlite":
        pytest.skip("PostgreSQL alters the constraint in place")
    engine = create_engine(url)
    with engine.begin() as conn:
        triggers = set(conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger'")).scalars())
        assert {"trg_placement_no_overlap_insert", "trg_placement_no_overlap_update"} <= triggers
        assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
    row = _first_placement(url)
    with pytest.raises(IntegrityError, match="overlaps"), engine.begin() as conn:  # still refused
        conn.execute(
            text(
                "INSERT INTO placement (municipality_id, household_id, place_id, start_date, end_date, status, "
                "confirmed_at, created_at) SELECT municipality_id, household_id, place_id, start_date, :end, "
                "'confirmed', confirmed_at, created_at FROM placement WHERE id = :id"
            ),
            {"id": row.id, "end": row.start_date + timedelta(days=1)},
        )
    engine.dispose()
