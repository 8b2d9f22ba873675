"""Profiles, generated streams, the comparison table and the capacity planner on a short year."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from api.shell.cli import app
from matcher.simulate import POLICIES, check_result, simulate, validate_stream
from matcher.simulate.capacity import plan
from matcher.simulate.generate import generate, validate_profile
from matcher.simulate.replicate import FORESIGHT, compare, format_table, run_replication
from matcher.simulate.world import World
from seed_data.simulation import PROFILES, profile_path


def short_profile() -> dict:
    doc = json.loads(profile_path("small").read_text())
    doc["days"] = 70
    doc["stock"]["wachtkamer"], doc["stock"]["host_rooms"] = 3, 3
    return doc


def test_shipped_profiles_give_valid_streams_deterministically() -> None:
    for name in PROFILES:
        prof = validate_profile(json.loads(profile_path(name).read_text()))
        doc = generate(prof, 7)
        assert validate_stream(doc).households, name
        assert generate(prof, 7) == doc
        assert generate(prof, 8) != doc


def test_load_scales_demand() -> None:
    prof = validate_profile(short_profile())
    few = len(generate(prof, 1, load=0.5)["households"])
    many = len(generate(prof, 1, load=2.0)["households"])
    assert many > 2 * few


def test_compare_rows_never_beat_hindsight() -> None:
    rows = compare(short_profile(), seeds=2, load=1.0, hindsight_seconds=20)
    assert [r["policy"] for r in rows] == [*POLICIES, "hindsight"]
    for r in rows:
        assert r["share_of_hindsight"][0] <= 1.0 + 1e-9
    assert "| anticipating |" in format_table(rows)


def test_plan_capacity_meets_its_target() -> None:
    result = plan(validate_profile(short_profile()), target=0.6, seeds=2, scales=(0.5, 1.0, 2.0))
    assert all(0.0 <= p["low"] <= p["share"] <= p["high"] <= 1.0 for p in result["curve"])
    best = result["smallest"]
    assert best is not None and best["share"] >= 0.6


def test_cli_generate_refuses_a_bad_profile(tmp_path) -> None:  # type: ignore[no-untyped-def]
    doc = short_profile()
    doc["stock"]["wachtkamer"] = -1
    path = tmp_path / "p.json"
    path.write_text(json.dumps(doc))
    res = CliRunner().invoke(app, ["simulate", "generate", "--profile", str(path), "-o", str(tmp_path / "s.json")])
    assert res.exit_code == 2 and "stock.wachtkamer" in res.output
    assert not (tmp_path / "s.json").exists()


def test_foresight_reference_sees_ahead_and_stays_below_hindsight() -> None:
    """The reference row runs anticipating with every household known before the year began: its years
    are feasible (so never worth more than hindsight) but not causal: knowing households early changes
    what is decided."""
    rows = compare(short_profile(), seeds=2, load=1.2, hindsight_seconds=20, foresight=True)
    assert [r["policy"] for r in rows] == [*POLICIES, FORESIGHT, "hindsight"]
    assert rows[-2]["share_of_hindsight"][0] <= 1.0 + 1e-9
    run = run_replication(
        {"profile": short_profile(), "seed": 1, "load": 1.2, "policies": ["anticipating"], "foresight": True}
    )
    assert set(run) == {"anticipating", FORESIGHT}
    differs = 0
    for seed in (1, 2, 3):
        stream = validate_stream(generate(validate_profile(short_profile()), seed, load=1.2))
        w = World.build(stream)
        ahead = simulate(stream, "anticipating", world=w.foreseen())
        assert check_result(stream, ahead) == []
        now = simulate(stream, "anticipating", world=w)
        differs += [(p.household, p.place, p.start) for p in ahead.placements] != [
            (p.household, p.place, p.start) for p in now.placements
        ]
    assert differs
