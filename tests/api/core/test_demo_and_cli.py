"""Demo data is reproducible and idempotent; the CLI answers bad input with one line and exit 2."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

from api.shell.demo_loader import counts, load_demo
from seed_data import demo


def test_demo_generation_is_reproducible():
    assert demo.generate(today=date(2026, 11, 27)) == demo.generate(today=date(2026, 11, 27))
    assert demo.generate(today=date(2026, 11, 27), seed=1) != demo.generate(today=date(2026, 11, 27))


def test_demo_region_has_the_promised_mix():
    data = demo.generate(today=date(2026, 11, 27))
    ours = [h for h in data.households if h["municipality"] == "GM0935"]
    places = [p for p in data.places if p["municipality"] == "GM0935"]
    assert len(ours) >= 40
    assert sum(p["kind"] == "wachtkamer" for p in places) >= 20
    assert sum(p["kind"] == "host_room" for p in places) >= 60
    assert any(h["pets"] for h in ours) and any(h["needs_accessible"] for h in ours)
    assert any(len(h["members"]) > 2 for h in ours)


def test_loading_twice_gives_the_same_counts(db):
    codes = ["GM0935", "GM0917"]
    before = counts(db, codes)
    after = load_demo(db, today=date(2026, 11, 27))
    assert after == before
    assert after["households"] > 40 and after["users"] >= 9


def _cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "api", *args], capture_output=True, text=True, env=env, timeout=120)


def test_cli_unknown_municipality_is_one_line_and_exit_2(demo_url):
    import os

    env = {**os.environ, "ONDERDAK_DATABASE_URL": demo_url}
    result = _cli("export-instance", "--municipality", "GM9999", env=env)
    assert result.returncode == 2
    assert "[municipality.unknown]" in result.stderr and "Onbekende gemeente 'GM9999'" in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_cli_wrong_database_url_is_exit_2():
    import os

    env = {**os.environ, "ONDERDAK_DATABASE_URL": "mysql://nobody@nowhere/x"}
    result = _cli("db", "upgrade", env=env)
    assert result.returncode == 2 and "ONDERDAK_DATABASE_URL" in result.stderr
    assert "Traceback" not in result.stderr


def test_cli_database_down_is_exit_2():
    import os

    env = {**os.environ, "ONDERDAK_DATABASE_URL": "postgresql+psycopg://postgres@127.0.0.1:1/test"}
    result = _cli("db", "upgrade", env=env)
    assert result.returncode == 2 and "database unavailable" in result.stderr
    assert "Traceback" not in result.stderr


def test_cli_export_instance_writes_the_matcher_format(demo_url, tmp_path):
    import json
    import os

    out = tmp_path / "instance.json"
    env = {**os.environ, "ONDERDAK_DATABASE_URL": demo_url}
    result = _cli("export-instance", "--municipality", "GM0935", "--date", "2026-11-27", "-o", str(out), env=env)
    assert result.returncode == 0, result.stderr
    instance = json.loads(out.read_text())
    assert instance["format"] == "onderdak.instance/1"
    assert instance["households"] and instance["places"]
    names = {h["display_name"] for h in demo.generate(today=date(2026, 11, 27)).households}
    assert not any(name in out.read_text() for name in names), "no names leave the database"


def test_demo_command_migrates_loads_matches_and_serves_in_one_process(tmp_path, monkeypatch):
    """`make demo` runs `onderdak demo`: the four steps, in order, without a new interpreter between them."""
    from typer.testing import CliRunner

    from api.core.config import get_settings
    from api.shell import serving
    from api.shell.cli import app

    served = []
    monkeypatch.setenv("ONDERDAK_DATABASE_URL", f"sqlite:///{tmp_path}/demo.db")
    get_settings.cache_clear()
    monkeypatch.setattr(serving, "serve", lambda **kw: served.append(kw))
    try:
        result = CliRunner().invoke(app, ["demo", "--port", "8123"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "database at head"
    assert lines[1].startswith("municipalities=") or "households=" in lines[1]
    assert lines[2].startswith("run ") and "GM0935" in lines[2] and "proposals=" in lines[2]
    assert served == [{"host": "127.0.0.1", "port": 8123, "workers": 1, "reload": False}]
