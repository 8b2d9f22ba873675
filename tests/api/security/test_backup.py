"""`onderdak backup` / `onderdak restore`: a round trip keeps every row of every table, on both backends."""

from __future__ import annotations

import stat
import subprocess
import sys

import pytest
from sqlalchemy import create_engine, text

from api.core.database import session_scope
from api.core.errors import InvalidInput
from api.shell import backup as backups
from api.shell.demo_loader import load_demo
from tests.conftest import DEMO_DAY, PG_URL, drop_pg_schema, migrated_url, pg_schema_url


@pytest.fixture
def filled(backend, tmp_path):
    url, schema = migrated_url(backend, tmp_path)
    with session_scope(url) as db:
        load_demo(db, today=DEMO_DAY)
    yield url, schema
    from api.core.database import get_engine

    get_engine(url).dispose()
    if schema:
        drop_pg_schema(schema)
        drop_pg_schema(f"{schema}_orig")


def _cli(*args: str, url: str) -> subprocess.CompletedProcess[str]:
    env = {"ONDERDAK_DATABASE_URL": url, "ONDERDAK_ENV": "test", "PATH": "/usr/bin:/bin"}
    return subprocess.run(
        [sys.executable, "-m", "api", *args], capture_output=True, text=True, env=env, timeout=300, check=False
    )


def test_round_trip_keeps_every_row(filled, tmp_path):
    url, schema = filled
    before = backups.table_counts(url)
    assert before["household"] > 40 and before["user_account"] >= 9
    target = tmp_path / "onderdak.backup"

    made = _cli("backup", "-o", str(target), url=url)
    assert made.returncode == 0, made.stderr
    assert target.is_file() and stat.S_IMODE(target.stat().st_mode) == 0o600  # personal data: owner only

    if schema:  # restore into a fresh schema: the original is moved aside, the dump re-creates it
        admin = create_engine(PG_URL)
        with admin.begin() as conn:
            conn.execute(text(f'ALTER SCHEMA "{schema}" RENAME TO "{schema}_orig"'))
        admin.dispose()
        assert backups.table_counts(url) == {}
    else:  # a fresh, empty SQLite file
        url = f"sqlite:///{tmp_path / 'fresh.db'}"

    restored = _cli("restore", str(target), url=url)
    assert restored.returncode == 0, restored.stderr
    assert backups.table_counts(url) == before
    if schema:
        assert backups.table_counts(pg_schema_url(f"{schema}_orig")) == before

    # The restored audit trail is still append-only (the triggers travel with the backup).
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(
            text("INSERT INTO audit_event (user_id, at, action, object_type) VALUES (1, CURRENT_TIMESTAMP, 'x', 'y')")
        )
    with pytest.raises(Exception, match="append-only"), engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_event"))
    engine.dispose()


def test_restore_refuses_to_overwrite_data_without_yes(filled, tmp_path):
    url, _ = filled
    target = tmp_path / "b.backup"
    backups.backup(url, target)
    with pytest.raises(InvalidInput, match="--yes"):
        backups.restore(url, target)
    refused = _cli("restore", str(target), url=url)
    assert refused.returncode == 2 and "--yes" in refused.stderr
    assert backups.restore(url, target, overwrite=True) in ("sqlite", "postgresql")
    assert backups.table_counts(url)["household"] > 40


def test_restore_rejects_a_file_that_is_no_backup(filled, tmp_path):
    url, _ = filled
    junk = tmp_path / "junk.backup"
    junk.write_bytes(b"not a backup at all")
    result = _cli("restore", str(junk), "--yes", url=url)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    # the file is judged against the backend it would replace: a SQLite back-up or a pg_dump archive
    expected = "[backup.not_sqlite]" if url.startswith("sqlite") else "[backup.not_pg_dump]"
    assert expected in result.stderr and "junk.backup" in result.stderr
    assert _cli("restore", str(tmp_path / "missing"), url=url).returncode == 2
