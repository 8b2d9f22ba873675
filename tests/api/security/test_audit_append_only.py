"""The audit trail is append-only in the database itself (triggers of migration 0006)."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DatabaseError

from api.shell import migrate
from tests.conftest import drop_pg_schema, migrated_url


@pytest.fixture
def fresh(backend, tmp_path):
    url, schema = migrated_url(backend, tmp_path)
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO municipality (code, name, lat, lon, created_at) "
                "VALUES ('GM9999', 'Proef', 51.0, 5.0, CURRENT_TIMESTAMP)"
            )
        )
        mid = conn.execute(text("SELECT id FROM municipality WHERE code = 'GM9999'")).scalar_one()
        conn.execute(
            text(
                "INSERT INTO audit_event (municipality_id, user_id, at, action, object_type, object_id) "
                "VALUES (:m, 1, CURRENT_TIMESTAMP, 'read', 'household', '7')"
            ),
            {"m": mid},
        )
    yield url, engine, mid
    engine.dispose()
    if schema:
        drop_pg_schema(schema)


def test_update_of_an_audit_event_is_refused(fresh):
    _, engine, _ = fresh
    with pytest.raises(DatabaseError, match="append-only"), engine.begin() as conn:
        conn.execute(text("UPDATE audit_event SET action = 'create'"))


def test_delete_of_an_audit_event_is_refused(fresh):
    _, engine, _ = fresh
    with pytest.raises(DatabaseError, match="append-only"), engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_event"))


def test_blanking_only_the_municipality_is_refused_when_other_columns_change(fresh):
    _, engine, _ = fresh
    with pytest.raises(DatabaseError, match="append-only"), engine.begin() as conn:
        conn.execute(text("UPDATE audit_event SET municipality_id = NULL, object_id = '8'"))


def test_deleting_a_municipality_keeps_its_trail(fresh):
    """ON DELETE SET NULL may blank the municipality, nothing else: the events survive."""
    _, engine, mid = fresh
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            conn.execute(text("PRAGMA foreign_keys=ON"))
        conn.execute(text("DELETE FROM municipality WHERE id = :m"), {"m": mid})
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT municipality_id, object_id FROM audit_event")).all()
    assert [tuple(r) for r in rows] == [(None, "7")]


def test_truncate_is_refused_on_postgresql(fresh):
    _, engine, _ = fresh
    if engine.dialect.name != "postgresql":
        pytest.skip("TRUNCATE exists on PostgreSQL only")
    with pytest.raises(DatabaseError, match="append-only"), engine.begin() as conn:
        conn.execute(text("TRUNCATE audit_event"))


def test_downgrade_of_0006_removes_the_guard(fresh):
    url, engine, _ = fresh
    migrate.downgrade(url, "0005")
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_event"))
    migrate.upgrade(url)
    with pytest.raises(DatabaseError, match="append-only"), engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO audit_event (user_id, at, action, object_type) VALUES (1, CURRENT_TIMESTAMP, 'read', 'x')"
            )
        )
        conn.execute(text("DELETE FROM audit_event"))
