"""The year simulator on tiny streams: hindsight is the true optimum, no policy beats it, every
result is feasible, policies are causal, and bad streams are refused with the field named."""

from __future__ import annotations

import copy
import itertools
import json
from datetime import date, timedelta

import pytest
from typer.testing import CliRunner

from api.shell.cli import app
from matcher.simulate import POLICIES, REFERENCES, check_result, hindsight, simulate, validate_stream
from matcher.simulate.stream import SimPlacement, SimResult
from matcher.simulate.world import World

from .tiny import tiny_stream

SEEDS = range(12)


def brute_force(stream_doc: dict) -> int:
    """The best value by trying every assignment (independent of the simulator's calendar)."""
    st = validate_stream(stream_doc)
    w = World.build(st)
    start, stay, grace = st.start, st.policy.stay_days, st.policy.grace_days
    end = start + timedelta(days=st.days)
    options: list[list[tuple[str, date] | None]] = []
    for i, h in enumerate(st.households):
        opts: list[tuple[str, date] | None] = [None]
        for j, p in enumerate(st.places):
            if not w.eligible[i, j]:
                continue
            for k in range(grace):
                s = h.release_date + timedelta(days=k)
                if start <= s < end:
                    opts.append((p.id, s))
        options.append(opts)
    best = 0
    for combo in itertools.product(*options):
        value = sum(
            h.priority * (grace - (c[1] - h.release_date).days)
            for h, c in zip(st.households, combo, strict=True)
            if c is not None
        )
        if value <= best:
            continue
        placements = [
            SimPlacement(household=h.id, place=c[0], start=c[1], end=c[1] + timedelta(days=stay), decided_on=start)
            for h, c in zip(st.households, combo, strict=True) if c is not None
        ]
        res = SimResult(policy="hindsight", value=value, placed=len(placements),
                        sheltered_on_release_day=sum(1 for h, c in zip(st.households, combo, strict=True)
                                                     if c is not None and c[1] == h.release_date),
                        mean_wait=0.0, placements=placements, seconds=0.0)
        if not check_result(st, res, world=w):
            best = value
    return best


@pytest.mark.parametrize("seed", SEEDS)
def test_hindsight_equals_brute_force(seed: int) -> None:
    doc = tiny_stream(seed)
    st = validate_stream(doc)
    result = hindsight(st, time_limit=20)
    assert result.status == "optimal"
    assert result.value == brute_force(doc)
    assert check_result(st, result) == []


@pytest.mark.parametrize("seed", SEEDS)
def test_no_policy_beats_hindsight_and_all_are_feasible(seed: int) -> None:
    st = validate_stream(tiny_stream(seed, households=7, places=3, days=20))
    best = hindsight(st, time_limit=20)
    assert check_result(st, best) == []
    for name in (*POLICIES, *REFERENCES):
        result = simulate(st, name)
        assert check_result(st, result) == [], name
        assert result.value <= best.value, name


@pytest.mark.parametrize("policy", (*POLICIES, *REFERENCES))
@pytest.mark.parametrize("seed", range(6))
def test_policies_are_causal(policy: str, seed: int) -> None:
    """Changing a household announced after day d changes nothing decided on or before d."""
    doc = tiny_stream(seed, households=8, places=3, days=20)
    st = validate_stream(doc)
    day = st.start + timedelta(days=6)
    late = [i for i, h in enumerate(doc["households"]) if date.fromisoformat(h["announced"]) > day]
    if not late:
        pytest.skip("no household announced late in this stream")
    changed = copy.deepcopy(doc)
    for i in late:
        changed["households"][i]["priority"] = 1000
        changed["households"][i]["pets"] = not changed["households"][i]["pets"]
    a = simulate(st, policy)
    b = simulate(validate_stream(changed), policy)

    def early(r):  # type: ignore[no-untyped-def]
        return sorted((p.household, p.place, p.start) for p in r.placements if p.decided_on <= day)

    assert early(a) == early(b)


def test_checker_finds_a_double_booking() -> None:
    st = validate_stream(tiny_stream(1, households=6, places=2, days=20))
    result = simulate(st, "greedy")
    assert result.placements, "the stream should place someone"
    first = result.placements[0]
    other = next(h for h in st.households if h.id != first.household)
    twin = first.model_copy(update={"household": other.id})
    bad = result.model_copy(update={"placements": [*result.placements, twin]})
    assert check_result(st, bad)


def _cli(tmp_path, doc) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    path = tmp_path / "stream.json"
    path.write_text(json.dumps(doc) if not isinstance(doc, str) else doc)
    out = tmp_path / "r.json"
    res = CliRunner().invoke(app, ["simulate", str(path), "--policy", "greedy", "-o", str(out)])
    assert not out.exists() or res.exit_code == 0
    return res.exit_code, res.output


@pytest.mark.parametrize(
    ("mutate", "field"),
    [
        (lambda d: d["households"][0].update(announced="2027-12-31"), "households[0]"),
        (lambda d: d["policy"].update(horizon_days=9), "policy"),
        (lambda d: d["households"][1].update(id="H0"), "households[1].id"),
        (lambda d: d.update(days=0), "days"),
        (lambda d: d["places"][0].update(capacity=-1), "places[0].capacity"),
    ],
)
def test_cli_refuses_bad_streams_naming_the_field(tmp_path, mutate, field) -> None:  # type: ignore[no-untyped-def]
    doc = tiny_stream(3)
    mutate(doc)
    code, output = _cli(tmp_path, doc)
    assert code == 2
    assert field in output
    assert "Traceback" not in output


def test_cli_refuses_malformed_json(tmp_path) -> None:  # type: ignore[no-untyped-def]
    code, output = _cli(tmp_path, "{not json")
    assert code == 2 and "malformed JSON" in output


def test_cli_runs_a_stream(tmp_path) -> None:  # type: ignore[no-untyped-def]
    code, output = _cli(tmp_path, tiny_stream(2))
    assert code == 0, output
    data = json.loads((tmp_path / "r.json").read_text())
    assert data["format"] == "onderdak.simresult/1" and data["policy"] == "greedy"
    assert set(data) >= {"value", "placed", "sheltered_on_release_day", "mean_wait", "placements", "seconds"}
