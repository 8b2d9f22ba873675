"""``onderdak demo-data`` never mixes invented people into a real installation: a database with non-demo data
is refused (exit 2, nothing changed) unless ``--i-know-this-wipes-data`` is given."""

from __future__ import annotations

import os
import subprocess
import sys

from sqlalchemy import create_engine, text

from api.core.database import get_engine, session_scope
from api.shell.demo_loader import foreign_rows, load_demo
from tests.conftest import DEMO_DAY, drop_pg_schema, migrated_url


def _cli(*args: str, url: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ONDERDAK_DATABASE_URL": url}
    return subprocess.run([sys.executable, "-m", "api", *args], capture_output=True, text=True, env=env, timeout=180)


def _scalar(url: str, sql: str) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(text(sql)).scalar() or 0)
    finally:
        engine.dispose()


def test_demo_data_alone_is_not_foreign(db):
    assert foreign_rows(db, today=DEMO_DAY) == {}


def test_demo_data_refuses_a_database_with_real_data(backend, tmp_path):
    url, schema = migrated_url(backend, tmp_path)
    try:
        with session_scope(url) as db:
            load_demo(db, today=DEMO_DAY)
            db.execute(
                text(
                    "INSERT INTO user_account (municipality_id, email, password_hash, role, active, created_at) "
                    "SELECT id, 'medewerker@maastricht.nl', 'x', 'case_worker', true, CURRENT_TIMESTAMP "
                    "FROM municipality WHERE code = 'GM0935'"
                )
            )
        households = _scalar(url, "SELECT count(*) FROM household")
        refused = _cli("demo-data", "--reset", url=url)
        assert refused.returncode == 2, refused.stdout + refused.stderr
        assert "not demo data" in refused.stderr and "1 users" in refused.stderr
        assert _scalar(url, "SELECT count(*) FROM user_account WHERE email = 'medewerker@maastricht.nl'") == 1
        assert _scalar(url, "SELECT count(*) FROM household") == households
        forced = _cli("demo-data", "--reset", "--i-know-this-wipes-data", url=url)
        assert forced.returncode == 0, forced.stderr
        again = _cli("demo-data", url=url)  # demo data only now: no flag needed
        assert again.returncode == 0, again.stderr
    finally:
        get_engine(url).dispose()
        if schema:
            drop_pg_schema(schema)
