"""Engine, declarative Base and the one transaction boundary per request or command.

Services only ``flush()``; :func:`session_scope` commits when the block ends
without an exception and rolls back otherwise (the unit of work of cosmicpython,
Dispatch's session middleware).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from functools import lru_cache
from itertools import chain
from typing import cast

from sqlalchemy import DateTime, MetaData, String, Table, create_engine, event, insert, text
from sqlalchemy.engine import Dialect, Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    ORMExecuteState,
    Session,
    UOWTransaction,
    mapped_column,
    sessionmaker,
)
from sqlalchemy.types import TypeDecorator

from api.core.clock import as_utc
from api.core.config import get_settings
from api.core.errors import DatabaseUnavailable

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and always read back as an aware UTC datetime, on every backend.

    The column is ``DateTime(timezone=True)`` (``timestamptz`` on PostgreSQL, the same DDL as before, so the
    migrations need no change). SQLite has no time zone type: it keeps the UTC wall time and hands it back
    without an offset, which RFC 3339 (the OpenAPI ``date-time`` format) refuses. Going in, a naive value is
    taken as UTC and an aware one is converted to UTC (SQLite would otherwise drop its offset silently);
    coming out, the value is marked or converted to UTC, so API responses always carry the offset.
    """

    impl = DateTime
    cache_ok = True

    def __init__(self) -> None:
        super().__init__(timezone=True)

    # SQLAlchemy's TypeDecorator hooks: the signature is theirs, the dialect does not matter here.
    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:  # noqa: ARG002
        return None if value is None else as_utc(value)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:  # noqa: ARG002
        return None if value is None else as_utc(value)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime}  # a ``Mapped[datetime]`` without an explicit type


def make_engine(url: str) -> Engine:
    """An engine with foreign keys on for SQLite (off by default there)."""
    kwargs: dict[str, object] = {"future": True}
    if url.startswith("sqlite"):
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
    else:
        kwargs["pool_pre_ping"] = True
        kwargs["pool_size"] = get_settings().db_pool_size
        kwargs["max_overflow"] = get_settings().db_max_overflow
        kwargs["connect_args"] = {"connect_timeout": 5}
    engine = create_engine(url, **kwargs)
    if url.startswith("sqlite"):
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin_immediate)
    return engine


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    dbapi_connection.isolation_level = None  # let SQLAlchemy's "begin" event issue BEGIN
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _sqlite_begin_immediate(conn) -> None:  # type: ignore[no-untyped-def]
    """Take the write lock at BEGIN so two writers serialise instead of failing mid-way."""
    conn.exec_driver_sql("BEGIN IMMEDIATE")


@lru_cache(maxsize=4)
def get_engine(url: str | None = None) -> Engine:
    return make_engine(url or get_settings().database_url)


def get_sessionmaker(url: str | None = None) -> sessionmaker[Session]:
    return sessionmaker(bind=get_engine(url), expire_on_commit=False, autoflush=True)


@contextmanager
def session_scope(url: str | None = None, *, bind: Engine | None = None) -> Iterator[Session]:
    """Commit on success, roll back on any exception; translate a dead server.

    ``bind``: an engine already at hand (a background thread writing to the database its request used).
    """
    session = get_sessionmaker(url)() if bind is None else Session(bind=bind, expire_on_commit=False, autoflush=True)
    try:
        yield session
        session.commit()
    except OperationalError as exc:
        session.rollback()
        raise DatabaseUnavailable(_describe_operational_error(exc)) from None
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def _describe_operational_error(exc: OperationalError) -> str:
    first_line = str(exc.orig).strip().splitlines()[0] if exc.orig else "unknown error"
    return f"database unavailable or refused the operation: {first_line}"


def ping(url: str | None = None) -> None:
    """Fail fast with one clear line when the database cannot be reached."""
    try:
        with get_engine(url).connect() as conn:
            conn.execute(text("SELECT 1"))
    except OperationalError as exc:
        raise DatabaseUnavailable(_describe_operational_error(exc)) from None


# --- the data version's write side (read side and cache: api.core.data_version) -----------------------------
# Here, next to the engine, so that every process that writes records registers the hooks: a CLI job's
# writes must reach the caches of the served workers.

# Tables whose rows never change what a cached view shows.
QUIET_TABLES = frozenset(
    {
        "data_change",
        "audit_event",
        "web_session",
        "login_throttle",
        "api_token",
        "feed_token",
        "outbox_message",
        # A capacity plan's progress is written every half second while it runs; the job is no record the
        # cached views (maps, lists) show, so its writes must not throw those caches away.
        "capacity_plan",
    }
)


class DataChange(Base):
    """One transaction (or flush) that changed records: only its random token matters."""

    __tablename__ = "data_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(32))


VERSION_MEMO = "data_version"  # session.info key: the version this transaction read (api/core/data_version.py)


def _record_change(session: Session) -> None:
    session.info.pop(VERSION_MEMO, None)  # this transaction changed the data: its version must be read again
    session.connection().execute(insert(cast(Table, DataChange.__table__)).values(token=secrets.token_hex(12)))


def _table_of(instance: object) -> str:
    table = getattr(instance, "__table__", None)
    return str(getattr(table, "name", ""))


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _context: UOWTransaction) -> None:
    """A flush that touched a record of a view (the lists still hold what was flushed)."""
    if any(_table_of(o) not in QUIET_TABLES for o in chain(session.new, session.dirty, session.deleted)):
        _record_change(session)


@event.listens_for(Session, "do_orm_execute")
def _on_statement(state: ORMExecuteState) -> None:
    """An ORM INSERT/UPDATE/DELETE statement (bulk writes skip the flush)."""
    if state.is_insert or state.is_update or state.is_delete:
        table = getattr(state.statement, "table", None)
        if str(getattr(table, "name", "")) not in QUIET_TABLES:
            _record_change(state.session)
