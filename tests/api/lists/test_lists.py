"""Every API list pages, sorts, searches and filters the same way, keeps its array and exports its page's columns."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

import pytest
from openpyxl import load_workbook


@dataclass(frozen=True)
class L:
    api: str
    page: str
    export: str
    role: str
    key: str  # a unique text field of an item, to compare windows
    sort: str  # a sort key of the list


LISTS = [
    L("/api/households", "/huishoudens", "/api/households/export", "crisis_team", "reference", "reference"),
    L("/api/places", "/plaatsen", "/api/places/export", "coordinator", "reference", "reference"),
    L("/api/placements", "/plaatsingen", "/api/placements/export", "crisis_team", "id", "start_date"),
    L("/api/hosts", "/gastgevers", "/api/hosts/export", "coordinator", "reference", "reference"),
    L("/api/storage/lots", "/opslag", "/api/storage/lots/export", "case_worker", "reference", "reference"),
]
IDS = [x.api for x in LISTS]


def common_status(client, lst: L, headers: dict[str, str]) -> str:
    """The status most rows of the demo have: a filter that keeps some rows and (usually) drops others."""
    statuses = [x["status"] for x in client.get(lst.api, headers=headers).json()]
    return max(set(statuses), key=statuses.count)


@pytest.mark.parametrize("lst", LISTS, ids=IDS)
def test_without_limit_every_row_as_an_array_with_the_total(client, as_role, lst):
    response = client.get(lst.api, headers=as_role(lst.role))
    assert response.status_code == 200, response.text
    body = response.json()
    assert isinstance(body, list) and len(body) >= 3
    assert response.headers["X-Total-Count"] == str(len(body))
    assert "Link" not in response.headers


@pytest.mark.parametrize("lst", LISTS, ids=IDS)
def test_limit_and_offset_are_windows_of_the_same_order(client, as_role, lst):
    headers = as_role(lst.role)
    every = [x[lst.key] for x in client.get(lst.api, headers=headers).json()]
    first = client.get(lst.api, params={"limit": 2}, headers=headers)
    second = client.get(lst.api, params={"limit": 2, "offset": 2}, headers=headers)
    assert [x[lst.key] for x in first.json()] == every[:2]
    assert [x[lst.key] for x in second.json()] == every[2:4]
    assert 'rel="next"' in first.headers["Link"] and 'rel="prev"' in second.headers["Link"]
    assert first.headers["X-Total-Count"] == str(len(every))


@pytest.mark.parametrize("lst", LISTS, ids=IDS)
def test_status_filter_and_descending_sort(client, as_role, lst):
    headers = as_role(lst.role)
    every = client.get(lst.api, headers=headers).json()
    status = common_status(client, lst, headers)
    chosen = client.get(lst.api, params={"status": status}, headers=headers).json()
    assert all(x["status"] == status for x in chosen)
    assert len(chosen) == sum(1 for x in every if x["status"] == status) > 0
    up = [x[lst.sort] for x in client.get(lst.api, params={"sort": lst.sort}, headers=headers).json()]
    down = [x[lst.sort] for x in client.get(lst.api, params={"sort": f"-{lst.sort}"}, headers=headers).json()]
    assert up == sorted(up) and down == sorted(down, reverse=True) and len(up) == len(every)


@pytest.mark.parametrize("lst", LISTS, ids=IDS)
def test_unknown_sort_and_bad_day_are_422_naming_the_field(client, as_role, lst):
    headers = as_role(lst.role)
    bad_sort = client.get(lst.api, params={"sort": "nonsense"}, headers=headers)
    assert bad_sort.status_code == 422 and bad_sort.json()["detail"][0]["loc"] == ["query", "sort"]
    bad_day = client.get(lst.api, params={"since": "31-12-2026"}, headers=headers)
    assert bad_day.status_code == 422 and bad_day.json()["detail"][0]["loc"] == ["query", "since"]


@pytest.mark.parametrize("lst", LISTS, ids=IDS)
def test_search_narrows_to_the_matching_row(client, as_role, lst):
    headers = as_role(lst.role)
    every = client.get(lst.api, headers=headers).json()
    if lst.key != "reference":
        pytest.skip("items carry no reference of their own")
    target = every[len(every) // 2]["reference"]
    found = client.get(lst.api, params={"q": target.lower()}, headers=headers).json()
    assert target in [x["reference"] for x in found] and len(found) < len(every)
    assert client.get(lst.api, params={"q": "%"}, headers=headers).json() == []  # LIKE wildcards are literal


@pytest.mark.parametrize("lst", LISTS, ids=IDS)
def test_page_has_search_landmark_count_pager_and_export_links(client, as_role, lst):
    headers = as_role(lst.role)
    query = {"status": common_status(client, lst, headers)} if lst.page == "/gastgevers" else {}
    total = int(client.get(lst.api, params=query, headers=headers).headers["X-Total-Count"])
    html = client.get(lst.page, params={"limit": 2, **query}, headers=headers).text
    assert 'role="search"' in html and '<label for="f-q">' in html
    assert f'data-total="{total}"' in html
    assert 'aria-label="Paginanavigatie"' in html and 'rel="next"' in html
    assert f"{lst.export}.xlsx" in html and f"{lst.export}.csv" in html


@pytest.mark.parametrize("lst", LISTS, ids=IDS)
def test_csv_and_xlsx_hold_the_filtered_rows_with_the_same_header(client, as_role, lst):
    headers = as_role(lst.role)
    status = common_status(client, lst, headers)
    expected = int(client.get(lst.api, params={"status": status}, headers=headers).headers["X-Total-Count"])
    as_csv = client.get(f"{lst.export}.csv", params={"status": status}, headers=headers)
    assert as_csv.status_code == 200 and as_csv.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(as_csv.content.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == expected + 1
    as_xlsx = client.get(f"{lst.export}.xlsx", params={"status": status}, headers=headers)
    assert as_xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(as_xlsx.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0] == tuple(rows[0]) and len(values) == len(rows)


def test_export_defuses_formulas(client, as_role, db):
    from api.households.models import Household

    household = db.query(Household).filter(Household.status == "waiting").first()
    household.display_name = "=HYPERLINK(\"http://x\")"
    db.flush()
    body = client.get("/api/households/export.csv", params={"q": household.reference}, headers=as_role("crisis_team"))
    text = body.content.decode("utf-8-sig")
    assert "'=HYPERLINK" in text and ";=HYPERLINK" not in text


def test_export_of_an_unknown_format_is_422(client, as_role):
    assert client.get("/api/places/export.pdf", headers=as_role("coordinator")).status_code == 422


def test_audit_trail_exports_to_xlsx_with_the_page_columns(client, as_role):
    admin = as_role("admin")
    total = client.get("/api/admin/audit", params={"limit": 1}, headers=admin).json()["total"]
    response = client.get("/api/admin/audit.xlsx", headers=admin)
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("Tijdstip", "Gebruiker", "Handeling")
    assert len(rows) - 1 >= total  # the reads of the list and of this export are recorded too
    assert client.get("/api/admin/audit.xlsx", headers=as_role("crisis_team")).status_code == 403
