"""``onderdak rules cost-sharing CASE.json``: JSON out, bad input exits 2 with one line naming the field."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from api.shell.cli import app

CASE = {
    "date": "2026-02-01",
    "host": [{"ref": "h", "birth_date": "1970-11-11", "on_benefit": True, "statuses": []}],
    "guests": [{"ref": "g", "birth_date": "1990-03-03", "statuses": []}],
}


def _run(tmp_path, data) -> tuple[int, str, str]:
    path = tmp_path / "case.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    result = CliRunner().invoke(app, ["rules", "cost-sharing", str(path)])
    return result.exit_code, result.stdout, result.stderr


def test_prints_each_beneficiary(tmp_path) -> None:
    code, out, _ = _run(tmp_path, CASE)
    assert code == 0, out
    data = json.loads(out)
    assert data["norms_from"] == "2026-01-01" and data["provisional"] is False
    b = data["beneficiaries"][0]
    assert (b["ref"], b["a_without"], b["a_with"]) == ("h", 1, 2)
    assert (b["norm_without"], b["norm_with"], b["difference"]) == ("1401.50", "1001.07", "-400.43")


def test_bad_input_exits_2_naming_the_field(tmp_path) -> None:
    bad = {**CASE, "guests": [{"ref": "g", "birth_date": "1990-02-30"}]}
    code, out, err = _run(tmp_path, bad)
    assert code == 2 and out == ""
    assert err.strip().splitlines() == ["onderdak: guests[0].birth_date: not a date (YYYY-MM-DD): '1990-02-30'"]
    code, _, err = _run(tmp_path, {**CASE, "host": [{**CASE["host"][0], "statuses": ["student"]}]})
    assert code == 2 and "host[0].statuses[0]" in err
    code, _, err = _run(tmp_path, "{not json")
    assert code == 2 and err.startswith("onderdak: $: not valid JSON")
