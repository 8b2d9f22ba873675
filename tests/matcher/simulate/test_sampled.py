"""The ``sampled-futures`` reference policy: it weighs today's choice against the arrivals it expects."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from typer.testing import CliRunner

from api.shell.cli import app
from matcher.simulate import POLICIES, REFERENCES, check_result, hindsight, simulate, validate_stream

from .tiny import START


def _household(i: str, day: int, priority: int) -> dict[str, Any]:
    rel = (START + timedelta(days=day)).isoformat()
    return {"id": i, "announced": rel, "release_date": rel, "adults": [{"age": 30}], "children": [], "pets": False,
            "needs_accessible": False, "accepts_host": True, "priority": priority,
            "location": {"lat": 50.86, "lon": 5.70}}


def _stream(history: bool) -> dict[str, Any]:
    """One dwelling, busy until day 30. With ``history``, a priority-3 household is evicted every two
    days up to day 18, each announced on its eviction day (they expire unplaced); on day 30 a
    priority-1 household is evicted, and on day 32 another priority-3 one, again without notice."""
    place = {"id": "P0", "kind": "wachtkamer", "capacity": 4, "accessible": False, "allows_pets": False,
             "allows_children": True, "location": {"lat": 50.86, "lon": 5.70},
             "available_from": START.isoformat(), "available_until": None,
             "busy": [{"start": (START - timedelta(days=1)).isoformat(),
                       "end": (START + timedelta(days=30)).isoformat()}]}
    hh = [_household(f"E{k}", 2 * k, 3) for k in range(10)] if history else []
    hh += [_household("LOW", 30, 1), _household("HIGH", 32, 3)]
    return {"format": "onderdak.stream/1", "start": START.isoformat(), "days": 60,
            "policy": {"min_stay_days": 10, "max_stay_days": 10, "cost_sharing_age": 27, "max_distance_km": 60,
                       "horizon_days": 2, "stay_days": 10, "grace_days": 10},
            "places": [place], "hosts": [], "households": hh}


def _starts(result: Any) -> dict[str, int]:
    return {p.household: (p.start - START).days for p in result.placements}


def test_keeps_the_room_for_the_arrivals_its_history_predicts() -> None:
    """Unannounced priority-3 evictions every other day make the room worth more kept free than given
    to today's priority-1 household; without that history, today's household gets it."""
    st = validate_stream(_stream(history=True))
    result = simulate(st, "sampled-futures")
    assert check_result(st, result) == []
    assert "LOW" not in _starts(result) or _starts(result)["LOW"] > 30
    assert _starts(result)["HIGH"] == 32
    assert result.value == hindsight(st, time_limit=10).value
    quiet = validate_stream(_stream(history=False))
    assert _starts(simulate(quiet, "sampled-futures"))["LOW"] == 30


def test_runs_by_name_from_the_cli_but_not_in_a_default_comparison(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path, out = tmp_path / "stream.json", tmp_path / "r.json"
    path.write_text(json.dumps(_stream(history=True)))
    res = CliRunner().invoke(app, ["simulate", str(path), "--policy", "sampled-futures", "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert json.loads(out.read_text())["policy"] == "sampled-futures"
    bad = CliRunner().invoke(app, ["simulate", str(path), "--policy", "sampled", "-o", str(out)])
    assert bad.exit_code == 2 and "--policy" in bad.output and "sampled-futures" in bad.output
    assert "sampled-futures" in REFERENCES and "sampled-futures" not in POLICIES
