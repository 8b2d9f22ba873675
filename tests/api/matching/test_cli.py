"""`onderdak match` does what the button does, through the same service (for a scheduled job)."""

from __future__ import annotations

import os
import re
import subprocess
import sys

from api.core.database import get_engine, session_scope
from api.shell.demo_loader import load_demo
from tests.conftest import DEMO_DAY, migrated_url


def _cli(*args: str, url: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ONDERDAK_DATABASE_URL": url, "ONDERDAK_ENV": "test"}
    return subprocess.run([sys.executable, "-m", "api", *args], capture_output=True, text=True, env=env, timeout=120)


def test_cli_match_runs_once_and_then_returns_the_same_run(tmp_path):
    url, _ = migrated_url("sqlite", tmp_path)
    with session_scope(url) as db:
        load_demo(db, today=DEMO_DAY)
    get_engine(url).dispose()
    first = _cli("match", "--municipality", "GM0935", "--date", DEMO_DAY.isoformat(), url=url)
    assert first.returncode == 0, first.stderr
    assert re.search(r"run \d+ GM0935 2026-11-27: status=optimal proposals=\d+ unplaced=\d+", first.stdout)
    second = _cli("match", "--municipality", "GM0935", "--date", DEMO_DAY.isoformat(), url=url)
    assert second.stdout.split(":")[0] == first.stdout.split(":")[0]  # same run id: unchanged data
    bad = _cli("match", "--municipality", "GM9999", "--date", DEMO_DAY.isoformat(), url=url)
    assert bad.returncode == 2 and "[municipality.unknown]" in bad.stderr and "Traceback" not in bad.stderr
    bad_day = _cli("match", "--municipality", "GM0935", "--date", "27-11", url=url)
    assert bad_day.returncode == 2
