"""Two inputs that used to crash the server (500) now get a clear answer."""

from __future__ import annotations

HEADER = "display_name,origin_lat,origin_lon,members,announced_date,eviction_date,bailiff_reference"
ROWS = [
    "Fam CR,50.85,5.69,Jan:1980-01-01,2026-11-01,2026-11-20,DW-CR-1",
    "Fam CR2,50.85,5.69,Els:1985-02-02|Tom:2015-03-03,2026-11-01,2026-11-21,DW-CR-2",
]


def test_a_matching_run_dated_in_2021_is_an_input_error(client, as_role):
    answer = client.post("/api/matching/runs", json={"date": "2021-03-01"}, headers=as_role("crisis_team"))
    assert answer.status_code == 422, answer.text
    assert answer.json()["detail"][0]["loc"] == ["body", "date"]


def test_a_csv_with_cr_only_line_ends_imports_like_any_other(client, as_role):
    for newline in ("\r", "\r\n", "\n"):
        rows = [r.replace("DW-CR", f"DW-{len(newline)}{newline == chr(13)}") for r in ROWS]
        content = newline.join([HEADER, *rows]) + newline
        answer = client.post(
            "/api/households/import",
            files={"file": ("h.csv", content.encode(), "text/csv")},
            headers=as_role("crisis_team"),
        )
        assert answer.status_code == 201, (repr(newline), answer.text[:300])
        assert [h["display_name"] for h in answer.json()] == ["Fam CR", "Fam CR2"]


def test_a_broken_csv_is_an_input_error_not_a_crash(client, as_role):
    content = HEADER + "\n" + "Fam " + "x" * 200_000 + ",50.85,5.69,Jan:1980-01-01,2026-11-01,2026-11-20,DW-9\n"
    answer = client.post(
        "/api/households/import",
        files={"file": ("h.csv", content.encode(), "text/csv")},
        headers=as_role("crisis_team"),
    )
    assert answer.status_code == 422, answer.text[:300]
