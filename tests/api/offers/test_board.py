"""The day board: counts on top, one line per thing to act on, each a link; roles and tenants."""

from __future__ import annotations

from datetime import timedelta

from tests.api.matching.support import add_household
from tests.api.offers.conftest import DEMO_DAY, host_proposal, offer


def _section(sections, key):
    return next(s for s in sections if s["key"] == key)


def test_an_announced_eviction_without_a_place_is_on_the_board(client, as_role, db, fixed):  # noqa: ARG001
    household_id = add_household(db, "HH-T-BOARD", eviction=DEMO_DAY + timedelta(days=3))
    db.flush()
    board = client.get("/api/board", headers=as_role("crisis_team")).json()
    evictions = _section(board, "evictions")
    assert any(line["href"] == f"/huishoudens/{household_id}" for line in evictions["lines"])
    assert evictions["count"] == len(evictions["lines"])
    far = add_household(db, "HH-T-FAR", eviction=DEMO_DAY + timedelta(days=30))
    db.flush()
    board = client.get("/api/board", headers=as_role("crisis_team")).json()
    assert all(line["href"] != f"/huishoudens/{far}" for line in _section(board, "evictions")["lines"])


def test_a_pending_offer_is_on_the_board_and_urgent_near_expiry(client, headers, run, fixed):
    [made] = offer(client, headers, host_proposal(run))
    lines = _section(client.get("/api/board", headers=headers).json(), "offers")["lines"]
    line = next(x for x in lines if x["href"].endswith(f"aanbod-{made['id']}"))
    assert line["urgent"] is False
    fixed.advance(timedelta(hours=36))
    lines = _section(client.get("/api/board", headers=headers).json(), "offers")["lines"]
    assert next(x for x in lines if x["href"].endswith(f"aanbod-{made['id']}"))["urgent"] is True


def test_the_board_page_and_the_start_page_of_the_crisis_team(client, as_role, fixed):  # noqa: ARG001
    page = client.get("/dagbord", headers=as_role("crisis_team"))
    assert page.status_code == 200 and 'id="dagbord-tellers"' in page.text
    assert client.get("/dagbord", headers=as_role("admin")).status_code == 403
    assert client.get("/api/board", headers=as_role("host")).status_code == 403
    vetting_keys = {s["key"] for s in client.get("/api/board", headers=as_role("case_worker")).json()}
    assert "vetting" not in vetting_keys and "offers" in vetting_keys


def test_each_municipality_sees_its_own_board(client, as_role, db, fixed):  # noqa: ARG001
    household_id = add_household(db, "HH-T-OWN", eviction=DEMO_DAY + timedelta(days=1))
    db.flush()
    other = client.get("/api/board", headers=as_role("crisis_team", "heerlen")).json()
    assert all(f"/huishoudens/{household_id}" != line["href"] for s in other for line in s["lines"])
