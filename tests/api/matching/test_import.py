"""CSV import: every row checked first, problems by row and column, nothing half-imported."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from api.households.models import Household

HEADER = "display_name;origin_lat;origin_lon;members;announced_date;eviction_date;eviction_time;bailiff_reference;pets"


def csv(*rows: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


GOOD = (
    "Familie Jansen;50.85;5.69;Anna:1984-03-02|Tim:2014-09-10;2026-11-20;2026-11-27;09:00;DW-T-1;nee",
    "Meneer De Vries;50.86;5.70;Piet:1961-01-01;20-11-2026;28-11-2026;;DW-T-2;ja",
)


def _count(db) -> int:
    return db.scalar(select(func.count()).select_from(Household))


def upload(client, headers, content: bytes, name: str = "aanzeggingen.csv"):
    return client.post("/api/households/import", files={"file": (name, content, "text/csv")}, headers=headers)


def test_a_good_file_imports_every_row(client, as_role, db):
    before = _count(db)
    response = upload(client, as_role("case_worker"), csv(*GOOD))
    assert response.status_code == 201, response.text
    body = response.json()
    assert [h["display_name"] for h in body] == ["Familie Jansen", "Meneer De Vries"]
    assert body[1]["pets"] is True and body[1]["evictions"][0]["eviction_date"] == "2026-11-28"
    assert body[0]["evictions"][0]["eviction_time"] == "09:00:00"
    assert len({h["reference"] for h in body}) == 2
    assert _count(db) == before + 2


def test_wrong_columns_are_reported_and_nothing_is_imported(client, as_role, db):
    before = _count(db)
    header = HEADER.replace("bailiff_reference", "deurwaarder")
    response = upload(client, as_role("case_worker"), csv(*GOOD, header=header))
    assert response.status_code == 422
    locs = [tuple(d["loc"]) for d in response.json()["detail"]]
    assert ("file", "row", 1, "deurwaarder") in locs and ("file", "row", 1, "bailiff_reference") in locs
    assert _count(db) == before


def test_bad_dates_and_numbers_name_row_and_column(client, as_role, db):
    before = _count(db)
    rows = (
        GOOD[0],
        "Fout Een;50.85;vijf;Anna:1984-03-02;2026-11-20;2026-13-45;;DW-T-3;nee",
        "Fout Twee;50.85;5.69;Bob:1990-01-01;2026-11-30;2026-11-20;;DW-T-4;misschien",
    )
    response = upload(client, as_role("case_worker"), csv(*rows))
    assert response.status_code == 422
    locs = {tuple(d["loc"][2:]) for d in response.json()["detail"]}
    assert (3, "origin_lon") in locs and (3, "eviction_date") in locs
    assert (4, "pets") in locs
    assert all("rij" in d["msg"] for d in response.json()["detail"])
    assert _count(db) == before  # row 2 was fine, but nothing is half-imported


def test_eviction_before_notice_is_reported(client, as_role):
    row = "Fout;50.85;5.69;Bob:1990-01-01;2026-11-30;2026-11-20;;DW-T-5;nee"
    response = upload(client, as_role("case_worker"), csv(row))
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][2] == 2


def test_duplicates_in_the_file_and_against_the_records(client, as_role, db):
    headers = as_role("case_worker")
    before = _count(db)
    dup = GOOD[1].replace("DW-T-2", "DW-T-1")
    response = upload(client, headers, csv(GOOD[0], dup))
    assert response.status_code == 422
    assert [tuple(d["loc"][2:]) for d in response.json()["detail"]] == [(3, "bailiff_reference")]
    assert upload(client, headers, csv(GOOD[0])).status_code == 201
    again = upload(client, headers, csv(GOOD[0], GOOD[1]))
    assert again.status_code == 422
    assert [tuple(d["loc"][2:]) for d in again.json()["detail"]] == [(2, "bailiff_reference")]
    assert _count(db) == before + 1


def test_empty_binary_and_role_checks(client, as_role):
    headers = as_role("case_worker")
    assert upload(client, headers, b"").status_code == 422
    assert upload(client, headers, b"\xff\xfe\x00bad").status_code == 422
    assert upload(client, headers, csv()).status_code == 422  # header only
    assert upload(client, as_role("coordinator"), csv(*GOOD)).status_code == 403


@pytest.mark.usefixtures("as_role", "db")
def test_import_page_shows_problems_per_row(client):
    from tests.conftest import token_headers

    headers = {**token_headers(client, "case-worker@maastricht.demo"), "accept": "text/html"}
    page = client.get("/huishoudens/import", headers=headers)
    assert page.status_code == 200 and "display_name" in page.text
    bad = client.post(
        "/huishoudens/import",
        files={"file": ("x.csv", csv("Fout;50.85;5.69;Bob;2026-11-20;2026-11-27;;DW-T-9;nee"), "text/csv")},
        headers=headers,
    )
    assert bad.status_code == 422 and "import-fout" in bad.text and "members" in bad.text
