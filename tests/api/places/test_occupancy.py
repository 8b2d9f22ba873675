"""The occupancy calendar: stays, offers and pauses in the right week cells, a bounded number of statements
whatever the page, and the query checked at its field."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import event

from api.board import occupancy
from api.core.clock import FixedClock
from api.places.models import PlaceUnavailability
from tests.api.matching.support import municipality_id
from tests.api.stays.support import confirmed_placement
from tests.conftest import DEMO_DAY


@pytest.fixture(autouse=True)
def moment(app):
    app.state.clock = FixedClock.on(DEMO_DAY)


def test_a_stay_and_a_pause_fill_their_weeks(db):
    start = occupancy.monday(DEMO_DAY) + timedelta(weeks=1)
    placement = confirmed_placement(db, "HH-OCC-1", start)
    db.add(
        PlaceUnavailability(
            place_id=placement.place_id,
            start_date=start + timedelta(days=58),
            end_date=start + timedelta(days=61),
            reason="schilderen",
        )
    )
    db.flush()
    calendar = occupancy.build(db, municipality_id=municipality_id(db), start=DEMO_DAY, weeks=12, page=1)
    rows = [r for r in calendar.rows if r.place.id == placement.place_id]
    if not rows:  # the place is on a later page
        calendar = occupancy.build(db, municipality_id=municipality_id(db), start=DEMO_DAY, weeks=12, page=2)
        rows = [r for r in calendar.rows if r.place.id == placement.place_id]
    [row] = rows
    assert [e.kind for e in row.cells[0]] == []  # the week before the stay
    assert [e.text for e in row.cells[1] if e.kind == "stay"] == ["HH-OCC-1"]
    assert [e.text for e in row.cells[8] if e.kind == "stay"] == ["HH-OCC-1"]  # 56 days from a Monday: weeks 1..8
    assert [e.kind for e in row.cells[9] if e.kind == "stay"] == []
    pause_weeks = [i for i, cell in enumerate(row.cells) if any(e.kind == "pause" for e in cell)]
    assert pause_weeks == [9]


def test_the_calendar_is_a_fixed_number_of_statements(db):
    statements: list[str] = []

    def count(*args, **_kwargs):
        statements.append(args[2])

    town = municipality_id(db)
    connection = db.connection()
    event.listen(connection, "before_cursor_execute", count)
    try:
        small = occupancy.build(db, municipality_id=town, start=DEMO_DAY, weeks=1, page=1)
        n_small = len(statements)
        statements.clear()
        big = occupancy.build(db, municipality_id=town, start=DEMO_DAY, weeks=26, page=1)
    finally:
        event.remove(connection, "before_cursor_execute", count)
    assert len(big.rows) == len(small.rows) == min(occupancy.PAGE_SIZE, big.total)
    assert len(statements) == n_small <= 5


def test_page_and_api_check_their_query(client, as_role):
    headers = as_role("coordinator")
    page = client.get("/plaatsen/bezetting?weken=4", headers=headers)
    assert page.status_code == 200 and 'id="occupancy"' in page.text
    too_many = client.get("/api/occupancy?weken=27", headers=headers)
    assert too_many.status_code == 422
    assert too_many.json()["detail"][0]["loc"][-1] == "weken"
    bad_day = client.get("/api/occupancy?van=gisteren", headers=headers)
    assert bad_day.status_code == 422
    body = client.get("/api/occupancy?weken=2", headers=headers).json()
    assert len(body["weeks"]) == 2 and len(body["rows"]) <= occupancy.PAGE_SIZE
    assert client.get("/api/occupancy", headers=as_role("admin")).status_code == 403
