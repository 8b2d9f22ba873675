"""Timestamps leave the API as RFC 3339 date-times with a UTC offset on SQLite and PostgreSQL alike.

SQLite has no time zone type: without :class:`api.core.database.UTCDateTime` it hands back the stored UTC
wall time without an offset, which the OpenAPI ``date-time`` format refuses. Every test reads rows
from the database (the session is expired first), not objects the request left in memory.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import Column, DateTime, Integer, MetaData, Table, create_engine, insert, select

from api.core import clock
from api.core.database import Base, UTCDateTime
from tests.conftest import DEMO_DAY

AMSTERDAM_SUMMER = timezone(timedelta(hours=2))


def _assert_utc_stamp(value: object) -> datetime:
    """An RFC 3339 date-time with an explicit UTC offset that parses as an aware datetime."""
    assert isinstance(value, str), value
    assert value.endswith(("Z", "+00:00")), f"no UTC offset: {value!r}"
    parsed = datetime.fromisoformat(value)
    assert parsed.tzinfo is not None and parsed.utcoffset() == timedelta(0)
    return parsed


# ---------------------------------------------------------------- through the API, both backends


def test_a_confirmed_placement_reads_back_with_a_utc_offset(client, db, as_role):
    headers = as_role("crisis_team")
    run = client.post("/api/matching/runs", json={"date": DEMO_DAY.isoformat()}, headers=headers)
    assert run.status_code == 201, run.text
    before = clock.now()
    confirmed = client.post(f"/api/matching/proposals/{run.json()['proposals'][0]['id']}/confirm", headers=headers)
    assert confirmed.status_code == 201, confirmed.text
    db.expire_all()  # the next request loads the placement from the database, not from the identity map

    response = client.get(f"/api/placements/{confirmed.json()['id']}", headers=headers)
    assert response.status_code == 200, response.text
    confirmed_at = _assert_utc_stamp(response.json()["confirmed_at"])
    assert before - timedelta(seconds=5) <= confirmed_at <= clock.now() + timedelta(seconds=5)


def test_every_placement_in_the_list_carries_a_utc_offset(client, db, as_role):
    db.expire_all()
    response = client.get("/api/placements", headers=as_role("crisis_team"))
    assert response.status_code == 200, response.text
    assert response.json(), "the demo region has placements"
    for placement in response.json():
        _assert_utc_stamp(placement["confirmed_at"])


def test_a_storage_lot_reads_back_with_a_utc_offset(client, db, as_role):
    headers = as_role("coordinator")
    lots = client.get("/api/storage/lots", headers=headers).json()
    assert lots, "the demo region has storage lots"
    db.expire_all()
    for summary in lots[:3]:
        response = client.get(f"/api/storage/lots/{summary['id']}", headers=headers)
        assert response.status_code == 200, response.text
        lot = response.json()
        _assert_utc_stamp(lot["recorded_at"])
        for nested in lot["returns"]:
            _assert_utc_stamp(nested["recorded_at"])


def test_admin_accounts_and_audit_times_carry_a_utc_offset(client, db, as_role):
    headers = as_role("admin")
    db.expire_all()
    accounts = client.get("/api/admin/accounts", headers=headers)
    assert accounts.status_code == 200, accounts.text
    for account in accounts.json():
        _assert_utc_stamp(account["created_at"])
        if account["last_login_at"] is not None:  # the admin just logged in
            _assert_utc_stamp(account["last_login_at"])
    audit = client.get("/api/admin/audit", headers=headers)
    assert audit.status_code == 200, audit.text
    assert audit.json()["items"]
    for event in audit.json()["items"]:
        _assert_utc_stamp(event["at"])


def test_a_round_trip_through_the_backend_normalises_to_utc(db):
    """An aware time in another zone and a naive (UTC) time both come back as the same instant in UTC."""
    from api.core.models import AuditEvent

    summer = datetime(2026, 7, 1, 14, 30, tzinfo=AMSTERDAM_SUMMER)
    naive = datetime(2026, 7, 1, 12, 30)
    events = [
        AuditEvent(action="read", object_type="test", at=summer),
        AuditEvent(action="read", object_type="test", at=naive),
    ]
    db.add_all(events)
    db.flush()
    ids = [e.id for e in events]
    db.expire_all()
    for event_id in ids:
        at = db.scalar(select(AuditEvent.at).where(AuditEvent.id == event_id))
        assert at == datetime(2026, 7, 1, 12, 30, tzinfo=UTC)
        assert at.tzinfo is UTC
    # a filter with an aware bound in another zone finds the row by instant, not by wall time
    found = db.scalars(
        select(AuditEvent.id).where(
            AuditEvent.id.in_(ids), AuditEvent.at >= datetime(2026, 7, 1, 14, 0, tzinfo=AMSTERDAM_SUMMER)
        )
    ).all()
    assert sorted(found) == sorted(ids)


# ---------------------------------------------------------------- the type itself


@pytest.fixture
def table():
    engine = create_engine("sqlite://")
    metadata = MetaData()
    stamps = Table("stamps", metadata, Column("id", Integer, primary_key=True), Column("at", UTCDateTime()))
    raw = Table("stamps", MetaData(), Column("id", Integer, primary_key=True), Column("at", DateTime()))
    metadata.create_all(engine)
    yield engine, stamps, raw
    engine.dispose()


def test_naive_utc_in_gives_aware_utc_out(table):
    engine, stamps, _ = table
    with engine.begin() as conn:
        conn.execute(insert(stamps), [{"id": 1, "at": datetime(2026, 11, 27, 10, 15, 30, 123456)}])
        at = conn.scalar(select(stamps.c.at))
    assert at == datetime(2026, 11, 27, 10, 15, 30, 123456, tzinfo=UTC)
    assert at.tzinfo is UTC


def test_aware_non_utc_in_is_stored_and_returned_in_utc(table):
    engine, stamps, raw = table
    with engine.begin() as conn:
        conn.execute(insert(stamps), [{"id": 1, "at": datetime(2026, 7, 1, 14, 30, tzinfo=AMSTERDAM_SUMMER)}])
        at = conn.scalar(select(stamps.c.at))
        stored = conn.scalar(select(raw.c.at))  # the same column read without the decorator
    assert at == datetime(2026, 7, 1, 12, 30, tzinfo=UTC) and at.tzinfo is UTC
    assert stored == datetime(2026, 7, 1, 12, 30)  # UTC wall time on disk, not 14:30


def test_none_passes_through(table):
    engine, stamps, _ = table
    with engine.begin() as conn:
        conn.execute(insert(stamps), [{"id": 1, "at": None}])
        assert conn.scalar(select(stamps.c.at)) is None


def test_the_type_converts_without_a_database():
    kind = UTCDateTime()
    assert kind.process_bind_param(None, None) is None
    assert kind.process_result_value(None, None) is None
    assert kind.process_bind_param(datetime(2026, 1, 1, 0, 0), None) == datetime(2026, 1, 1, tzinfo=UTC)
    out = kind.process_result_value(datetime(2026, 1, 1, 1, 0, tzinfo=timezone(timedelta(hours=1))), None)
    assert out == datetime(2026, 1, 1, 0, 0, tzinfo=UTC) and out.tzinfo is UTC


def test_every_timestamp_column_of_the_models_uses_the_utc_type():
    import api.shell.models  # noqa: F401

    columns = [
        f"{table.name}.{column.name}"
        for table in Base.metadata.tables.values()
        for column in table.columns
        if isinstance(column.type, DateTime | UTCDateTime)
    ]
    assert columns, "the models have timestamp columns"
    plain = [
        f"{table.name}.{column.name}"
        for table in Base.metadata.tables.values()
        for column in table.columns
        if isinstance(column.type, DateTime)
    ]
    assert not plain, f"DateTime columns without UTCDateTime: {plain}"


def test_an_autogenerated_migration_spells_the_type_as_plain_ddl(tmp_path):
    """A future migration renders ``sa.DateTime(timezone=True)``, never an import of api.core.database."""
    import shutil

    from alembic import command

    from api.shell import migrate

    scripts = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS, scripts, ignore=shutil.ignore_patterns("__pycache__", "*.py[co]"))
    for old in (scripts / "versions").glob("*.py"):
        old.unlink()  # from an empty chain, autogenerate writes every table
    config = migrate.alembic_config(f"sqlite:///{tmp_path / 'empty.db'}")
    config.set_main_option("script_location", str(scripts))
    command.revision(config, message="all", autogenerate=True)
    (generated,) = (scripts / "versions").glob("*.py")
    body = generated.read_text(encoding="utf-8")
    assert "UTCDateTime" not in body
    assert "sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=False)" in body
