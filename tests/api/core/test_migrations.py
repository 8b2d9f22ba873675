"""The Alembic chain goes up to head and back down to base on SQLite and PostgreSQL,
and the models match the migrated schema (no forgotten migration)."""

from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import create_engine, inspect

from api.shell import migrate
from tests.conftest import drop_pg_schema, migrated_url


@pytest.fixture
def fresh_url(backend, tmp_path):
    url, schema = migrated_url(backend, tmp_path)
    yield url
    if schema:
        drop_pg_schema(schema)


def test_upgrade_creates_every_table_and_downgrade_removes_them(fresh_url):
    import api.shell.models  # noqa: F401
    from api.core.database import Base

    engine = create_engine(fresh_url)
    tables = set(inspect(engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    migrate.downgrade(fresh_url, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    migrate.upgrade(fresh_url)
    assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())
    engine.dispose()


def test_models_and_migrations_agree(fresh_url):
    command.check(migrate.alembic_config(fresh_url))  # raises when autogenerate would add something


def test_single_head():
    assert len(migrate.current_heads("sqlite://")) == 1
