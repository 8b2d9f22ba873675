"""The household list: paging headers on the API (array kept), the page's filter bar, exports."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook


@pytest.fixture
def crisis(as_role):
    return as_role("crisis_team")


def test_api_without_limit_still_returns_every_household_as_an_array(client, crisis):
    response = client.get("/api/households", headers=crisis)
    assert response.status_code == 200
    body = response.json()
    assert isinstance(body, list)
    assert int(response.headers["X-Total-Count"]) == len(body) > 10
    assert "Link" not in response.headers


def test_api_limit_offset_pages_and_links(client, crisis):
    all_refs = [h["reference"] for h in client.get("/api/households", headers=crisis).json()]
    first = client.get("/api/households?limit=5", headers=crisis)
    second = client.get("/api/households?limit=5&offset=5", headers=crisis)
    assert [h["reference"] for h in first.json()] == all_refs[:5]
    assert [h["reference"] for h in second.json()] == all_refs[5:10]
    assert 'rel="next"' in first.headers["Link"] and "offset=5" in first.headers["Link"]
    assert 'rel="prev"' in second.headers["Link"]
    assert first.headers["X-Total-Count"] == str(len(all_refs))


def test_api_search_status_and_sort(client, crisis):
    every = client.get("/api/households", headers=crisis).json()
    target = every[3]
    found = client.get("/api/households", params={"q": target["reference"]}, headers=crisis).json()
    assert [h["id"] for h in found] == [target["id"]]
    waiting = client.get("/api/households?status=waiting", headers=crisis).json()
    assert waiting and all(h["status"] == "waiting" for h in waiting)
    desc = client.get("/api/households?sort=-reference&limit=3", headers=crisis).json()
    assert [h["reference"] for h in desc] == sorted((h["reference"] for h in every), reverse=True)[:3]


def test_api_unknown_sort_is_a_422_naming_the_field(client, crisis):
    response = client.get("/api/households?sort=display_name_secret", headers=crisis)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "sort"]


def test_api_eviction_date_filter(client, crisis):
    every = client.get("/api/households", headers=crisis).json()
    days = sorted(max(e["eviction_date"] for e in h["evictions"]) for h in every)
    middle = days[len(days) // 2]
    later = client.get("/api/households", params={"since": middle}, headers=crisis).json()
    assert later and all(max(e["eviction_date"] for e in h["evictions"]) >= middle for h in later)
    assert len(later) < len(every)


def test_page_has_filter_bar_count_and_pager(client, crisis):
    response = client.get("/huishoudens", headers=crisis)
    assert response.status_code == 200
    html = response.text
    assert 'role="search"' in html and '<label for="f-q">' in html
    total = len(client.get("/api/households", headers=crisis).json())
    assert f'data-total="{total}"' in html
    assert html.count('href="/huishoudens/') >= min(total, 50)
    if total > 50:
        assert 'rel="next"' in html


def test_exports_have_the_page_columns_and_the_filter(client, crisis):
    waiting = client.get("/api/households?status=waiting", headers=crisis).json()
    response = client.get("/api/households/export.csv?status=waiting", headers=crisis)
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "Kenmerk" and "Naam voor de brieven" in rows[0]
    assert sorted(r[0] for r in rows[1:]) == sorted(h["reference"] for h in waiting)
    xlsx = client.get("/api/households/export.xlsx?status=waiting", headers=crisis)
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0] == tuple(rows[0])
    assert len(values) == len(rows)


def test_export_refused_to_hosts_and_admins(client, as_role):
    assert client.get("/api/households/export.csv", headers=as_role("host")).status_code == 403
    assert client.get("/api/households/export.csv", headers=as_role("admin")).status_code == 403
