"""Profiles, generated streams, the comparison table and the capacity planner on a short year."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from api.shell.cli import app
from matcher.simulate import POLICIES, check_result, simulate, validate_stream
from matcher.simulate.capacity import plan
from matcher.simulate.generate import generate, validate_profile
from matcher.simulate.replicate import FORESIGHT, compare, format_table, notice_row, run_replication
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


def test_notice_rows_are_the_same_year_announced_earlier() -> None:
    """A notice row runs anticipating on the year with every household announced ``n`` days earlier: the
    same as generating from the profile with its lead times ``n`` days longer, causal in that year, and a
    zero-day notice is the policy itself."""
    prof = short_profile()
    run = run_replication(
        {"profile": prof, "seed": 7, "load": 1.2, "policies": ["anticipating"], "notice_days": [0, 7]}
    )
    assert set(run) == {"anticipating", notice_row(0), notice_row(7)}
    assert run[notice_row(0)]["value"] == run["anticipating"]["value"]
    stream = validate_stream(generate(validate_profile(prof), 7, load=1.2))
    earlier = dict(prof, lead_days={"min": prof["lead_days"]["min"] + 7, "max": prof["lead_days"]["max"] + 7})
    shifted = validate_stream(generate(validate_profile(earlier), 7, load=1.2))
    assert [h.model_dump(exclude={"announced"}) for h in shifted.households] == [
        h.model_dump(exclude={"announced"}) for h in stream.households
    ]
    told = simulate(stream, "anticipating", world=World.build(stream).told_earlier(7))
    assert check_result(shifted, told) == []
    assert told.model_dump(exclude={"seconds"}) == simulate(shifted, "anticipating").model_dump(exclude={"seconds"})
    assert run[notice_row(7)]["value"] == told.value
    now = simulate(stream, "anticipating")
    assert [(p.household, p.place, p.start) for p in told.placements] != [
        (p.household, p.place, p.start) for p in now.placements
    ]
    rows = compare(prof, seeds=2, load=1.2, hindsight_seconds=5, policies=["anticipating"], notice_days=[7])
    assert [r["policy"] for r in rows] == ["anticipating", notice_row(7), "hindsight"]
    assert rows[1]["share_of_hindsight"][0] <= 1.0 + 1e-9


def test_cli_compare_adds_notice_rows_and_refuses_a_negative_notice(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "p.json"
    path.write_text(json.dumps(short_profile()))
    args = ["simulate", "compare", str(path), "--seeds", "1", "--hindsight-seconds", "0"]
    res = CliRunner().invoke(app, [*args, "--notice-days", "7", "--notice-days", "14"])
    assert res.exit_code == 0, res.output
    assert "| anticipating+7d |" in res.output and "| anticipating+14d |" in res.output
    bad = CliRunner().invoke(app, [*args, "--notice-days", "-1"])
    assert bad.exit_code == 2 and "--notice-days" in bad.output
