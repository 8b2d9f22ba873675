"""The command line, input validation with JSON paths, determinism and import purity."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from matcher_support import day, host_room, household, instance, wachtkamer

import matcher
from matcher.__main__ import main

EXAMPLES = Path(__file__).parent / "examples"
ROOT = Path(__file__).resolve().parents[2]


def good() -> dict:
    return instance(
        [household("H1"), household("H2", pets=True)],
        [wachtkamer("P1"), host_room("R1")],
        [{"id": "HOST1", "max_households": 1}],
    )


def run_cli(tmp_path: Path, data: dict | str, *extra: str) -> tuple[int, str, str, Path]:
    src = tmp_path / "in.json"
    src.write_text(data if isinstance(data, str) else json.dumps(data))
    out = tmp_path / "out.json"
    proc = subprocess.run(
        [sys.executable, "-m", "matcher", "solve", str(src), "-o", str(out), *extra],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
    )
    return proc.returncode, proc.stdout, proc.stderr, out


def test_cli_solve_writes_the_solution(tmp_path: Path) -> None:
    code, _, err, out = run_cli(tmp_path, good())
    assert code == 0, err
    sol = json.loads(out.read_text())
    assert sol["format"] == "onderdak.solution/1" and sol["status"] == "optimal"
    assert {p["household"] for p in sol["placements"]} | {u["household"] for u in sol["unplaced"]} == {"H1", "H2"}


def test_cli_validate(tmp_path: Path) -> None:
    src = tmp_path / "in.json"
    src.write_text(json.dumps(good()))
    assert main(["validate", str(src)]) == 0


def _break(path: str, value: object, delete: bool = False) -> dict:
    data = good()
    node: object = data
    parts = path.replace("]", "").replace("[", ".").split(".")
    for part in parts[:-1]:
        node = node[int(part)] if part.isdigit() else node[part]  # type: ignore[index]
    last = parts[-1]
    key = int(last) if last.isdigit() else last
    if delete:
        del node[key]  # type: ignore[attr-defined]
    else:
        node[key] = value  # type: ignore[index]
    return data


BAD = {
    "missing field": (_break("households[1].priority", None, delete=True), "households[1].priority"),
    "wrong type": (_break("households[0].adults[0].age", "34"), "households[0].adults[0].age"),
    "bool as int": (_break("households[0].pets", 1), "households[0].pets"),
    "latitude 91": (_break("places[0].location.lat", 91), "places[0].location.lat"),
    "negative capacity": (_break("places[0].capacity", -1), "places[0].capacity"),
    "busy end before start": (
        _break("places[0].busy", [{"start": day(3), "end": day(3)}]), "places[0].busy[0]"),
    "horizon above min stay": (_break("horizon_days", 43), "horizon_days"),
    "duplicate household id": (_break("households[1].id", "H1"), "households[1].id"),
    "duplicate place id": (_break("places[1].id", "P1"), "places[1].id"),
    "host_room without host": (_break("places[1].host", None, delete=True), "places[1]"),
    "bad date": (_break("planning_date", "2026-02-30"), "planning_date"),
    "bad kind": (_break("places[0].kind", "hotel"), "places[0].kind"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_cli_bad_input_exit_2_names_the_path(tmp_path: Path, case: str) -> None:
    data, path = BAD[case]
    code, stdout, err, out = run_cli(tmp_path, data)
    assert code == 2
    assert "Traceback" not in err
    assert not out.exists()
    lines = err.strip().splitlines()
    assert lines and all(": " in line for line in lines)
    assert any(f": {path}: " in line or f": {path}" in line for line in lines), err


def test_cli_malformed_json(tmp_path: Path) -> None:
    code, _, err, out = run_cli(tmp_path, '{"format": "onderdak.instance/1", ')
    assert code == 2 and "malformed JSON" in err and "Traceback" not in err and not out.exists()


def test_cli_several_problems_one_line_each(tmp_path: Path) -> None:
    data = good()
    data["places"][0]["location"]["lat"] = 91
    data["places"][0]["capacity"] = -2
    code, _, err, out = run_cli(tmp_path, data)
    assert code == 2 and not out.exists()
    assert len(err.strip().splitlines()) == 2


def test_cli_keeps_an_existing_output_on_bad_input(tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    out.write_text("previous")
    code, *_ = run_cli(tmp_path, _break("horizon_days", 0))
    assert code == 2 and out.read_text() == "previous"


def test_validate_raises_instance_error_with_paths() -> None:
    with pytest.raises(matcher.InstanceError) as err:
        matcher.validate(_break("households[0].adults[0].age", -3))
    assert err.value.problems[0][0] == "households[0].adults[0].age"


def test_unknown_extra_fields_are_ignored() -> None:
    data = good()
    data["extra"] = 1
    data["households"][0]["nickname"] = "x"
    assert matcher.validate(data).households[0].id == "H1"


def test_same_input_twice_gives_identical_placements(tmp_path: Path) -> None:
    src = EXAMPLES / "ex4-medium.json"
    outs = []
    for k in range(2):
        out = tmp_path / f"o{k}.json"
        proc = subprocess.run([sys.executable, "-m", "matcher", "solve", str(src), "-o", str(out)],
                              capture_output=True, text=True, cwd=ROOT, timeout=120)
        assert proc.returncode == 0, proc.stderr
        sol = json.loads(out.read_text())
        sol.pop("solve_seconds")
        outs.append(json.dumps(sol, sort_keys=True))
    assert outs[0] == outs[1]
    data = json.loads(src.read_text())
    a, b = matcher.solve(data), matcher.solve(data)
    assert a.model_dump(exclude={"solve_seconds"}) == b.model_dump(exclude={"solve_seconds"})


def test_import_purity() -> None:
    code = (
        "import sys, matcher, matcher.__main__, matcher.eligibility, matcher.explain, matcher.check\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('api', 'sqlalchemy', 'fastapi', 'folium')]\n"
        "print(bad)\n"
        "sys.exit(1 if bad else 0)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_public_api_names() -> None:
    for name in ("solve", "validate", "Instance", "Solution", "check", "MATCHER_VERSION", "InstanceError"):
        assert hasattr(matcher, name)
    assert isinstance(matcher.MATCHER_VERSION, str)
    sol = matcher.solve(good())
    dumped = sol.model_dump(mode="json")
    assert set(dumped["objective"]) == {"placed", "priority", "weighted_wait", "distance", "stay_days"}
