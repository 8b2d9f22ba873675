"""Issue 18: every input is either solved or refused with exit 2, one readable line per
problem naming the JSON path; never a traceback, never a (partial) output file."""

from __future__ import annotations

import contextlib
import io
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from matcher_support import small_instances

import matcher
from matcher.__main__ import main

ROOT = Path(__file__).resolve().parents[2]

# values that used to crash deep inside the solver, or are plainly out of range
WEIRD: list[Any] = [2**63, 10**30, -(2**63), -1, 0, 10**4 + 1, 1.5, "3", None, True, [], {},
                    "9999-12-20", "0001-01-01", "1989-12-31", "2201-01-01", "2026-02-30", float("nan")]
NUMERIC_PATHS = ["horizon_days", "policy.min_stay_days", "policy.max_stay_days", "policy.cost_sharing_age",
                 "policy.max_distance_km", "households.0.priority", "households.0.adults.0.age",
                 "households.0.location.lat", "places.0.capacity", "places.0.location.lon", "hosts.0.max_households"]
DATE_PATHS = ["planning_date", "households.0.release_date", "places.0.available_from", "places.0.available_until"]


def _set(data: dict[str, Any], path: str, value: Any) -> bool:
    node: Any = data
    parts = path.split(".")
    for part in parts[:-1]:
        key: Any = int(part) if part.isdigit() else part
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            return False
    last: Any = int(parts[-1]) if parts[-1].isdigit() else parts[-1]
    if isinstance(node, dict) or (isinstance(node, list) and isinstance(last, int) and last < len(node)):
        node[last] = value
        return True
    return False


@st.composite
def documents(draw: st.DrawFn) -> str:
    """JSON text: a valid small instance, often broken in one or two ways (the known crashers
    among them)."""
    data = draw(small_instances(max_h=4, max_p=4))
    kind = draw(st.sampled_from(["valid", "valid", "value", "value", "date", "delete", "digits", "deep",
                                 "not-json", "not-object"]))
    if kind == "value":
        for _ in range(draw(st.integers(1, 2))):
            _set(data, draw(st.sampled_from(NUMERIC_PATHS + DATE_PATHS)), draw(st.sampled_from(WEIRD)))
    elif kind == "date":
        _set(data, draw(st.sampled_from(DATE_PATHS)), draw(st.sampled_from(["9999-12-20", "1900-01-01", "2200-12-31"])))
    elif kind == "delete":
        key = draw(st.sampled_from(["format", "policy", "households", "places", "planning_date"]))
        data.pop(key, None)
    text = json.dumps(data, allow_nan=True)
    if kind == "digits":
        text = text.replace('"capacity": ', '"capacity": ' + "9" * draw(st.sampled_from([19, 30, 5000])) + "0*", 1)
        text = text.replace("0*", "", 1).replace("0*", "")
    elif kind == "deep":
        depth = draw(st.sampled_from([33, 1000, 100_000]))
        text = text[:-1] + ', "extra": ' + "[" * depth + "]" * depth + "}"
    elif kind == "not-json":
        text = text[: draw(st.integers(0, max(len(text) - 1, 0)))]
    elif kind == "not-object":
        text = draw(st.sampled_from(["[]", "3", '"x"', "null"]))
    return text


def _cli(args: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(args)
    return code, out.getvalue(), err.getvalue()


def _assert_refused(code: int, err: str, source: str) -> None:
    assert code == 2, err
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert lines
    for line in lines:
        assert line.startswith(f"{source}: ") and len(line) < 2000, line


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_cli_solves_or_refuses_every_input(text: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        src, out = Path(tmp) / "in.json", Path(tmp) / "out.json"
        src.write_text(text, encoding="utf-8", errors="surrogatepass")
        v_code, _, v_err = _cli(["validate", str(src)])
        code, _, err = _cli(["solve", str(src), "-o", str(out), "--time-limit", "5"])
        assert v_code == code, (v_err, err)  # validate and solve share the checks
        if code == 2:
            _assert_refused(code, err, str(src))
            _assert_refused(v_code, v_err, str(src))
            assert not out.exists() and list(Path(tmp).iterdir()) == [src]
            return
        assert code == 0, err
        data = json.loads(text)
        sol = json.loads(out.read_text())
        ids = sorted([p["household"] for p in sol["placements"]] + [u["household"] for u in sol["unplaced"]])
        assert ids == sorted(h["id"] for h in data["households"])
        assert sol["status"] in ("optimal", "feasible")
        assert matcher.check(data, matcher.Solution.model_validate(sol)) == []


def _crasher(name: str) -> str:
    data = json.loads((Path(__file__).parent / "examples" / "ex1-tiny.json").read_text())
    if name == "far date":
        data["planning_date"] = "9999-12-20"
    elif name == "capacity 2**63":
        data["places"][0]["capacity"] = 2**63
    elif name == "max_households 10**30":
        data["hosts"] = [{"id": "HOSTX", "max_households": 10**30}]
    text = json.dumps(data)
    if name == "5000 digits":
        text = text.replace('"capacity": ', '"capacity": ' + "9" * 5000 + "#", 1).replace("#", "", 1)
        text = text.replace("#", "")
    elif name == "nested 100000 deep":
        text = "[" * 100_000 + "]" * 100_000
    return text


@pytest.mark.parametrize("name", ["far date", "capacity 2**63", "max_households 10**30", "5000 digits",
                                  "nested 100000 deep"])
@pytest.mark.parametrize("command", ["validate", "solve"])
def test_known_crashers_exit_2_in_a_subprocess(tmp_path: Path, name: str, command: str) -> None:
    src, out = tmp_path / "in.json", tmp_path / "out.json"
    src.write_text(_crasher(name))
    args = [sys.executable, "-m", "matcher", command, str(src)] + (["-o", str(out)] if command == "solve" else [])
    proc = subprocess.run(args, capture_output=True, text=True, cwd=ROOT, timeout=120)
    _assert_refused(proc.returncode, proc.stderr, str(src))
    assert not out.exists()


def test_huge_file_is_refused_before_parsing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import matcher.__main__ as cli

    src = tmp_path / "in.json"
    src.write_text("[" + "0," * 2000 + "0]")
    monkeypatch.setattr(cli, "MAX_INPUT_BYTES", 1000)
    monkeypatch.setattr(cli, "parse_json", lambda *_a, **_k: pytest.fail("parsed a huge file"))
    code, _, err = _cli(["validate", str(src)])
    _assert_refused(code, err, str(src))
    assert "larger than" in err


def test_unwritable_output_is_one_line(tmp_path: Path) -> None:
    src = tmp_path / "in.json"
    src.write_text((Path(__file__).parent / "examples" / "ex1-tiny.json").read_text())
    code, _, err = _cli(["solve", str(src), "-o", str(tmp_path / "missing" / "out.json")])
    assert code == 2 and "Traceback" not in err and len(err.strip().splitlines()) == 1
