"""The stay-day marks have one definition (api.stays.marks, the stay clock with the dated policy): the day board,
the stays.flag_days job and the reminders name the same date for the same stay, at the boundary."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from api.board.models import BoardFlag
from api.core import clock as clock_module
from api.core.clock import FixedClock
from api.core.policy import policy_book
from api.placements.models import Placement
from api.stays import marks
from api.stays.reminders import due_items
from matcher.rules.stay_clock import SignalKind, signal_rules
from tests.api.offers.conftest import DEMO_DAY, run_jobs


@pytest.fixture
def fixed(app):
    """The demo day for the app's requests and the services the test calls."""
    moment = FixedClock.on(DEMO_DAY)
    app.state.clock = moment
    with clock_module.use(moment):
        yield moment


def _stay_starting(db, start):
    placement = db.scalars(select(Placement).where(Placement.status == "started").order_by(Placement.id)).first()
    placement.start_date = placement.arrived_on = start
    placement.end_date = start + timedelta(days=56)
    db.flush()
    return placement


def _board_lines(client, as_role):
    page = client.get("/dagbord", headers=as_role("crisis_team")).text
    section = page[page.index('id="sectie-stay_days"') :]
    return section[: section.index("</section>")]


def test_board_job_and_reminders_agree_on_the_minimum_stay_mark(client, as_role, db, fixed):
    book = policy_book(db, municipality_id=_stay_starting(db, DEMO_DAY).municipality_id)
    days = {r.kind: r.day_number for r in signal_rules(book, DEMO_DAY)}
    minimum = days[SignalKind.MINIMUM_STAY_REACHED]
    # the mark falls NEARING_DAYS + 1 days from today: not yet on the board, not flagged
    placement = _stay_starting(db, DEMO_DAY - timedelta(days=minimum - marks.NEARING_DAYS - 1))
    mark_day = placement.start_date + timedelta(days=minimum)
    reference = placement.household.reference
    assert f"{reference}: Minimale" not in _board_lines(client, as_role)
    run_jobs(db, "stays.flag_days")
    flag = select(BoardFlag).where(BoardFlag.object_id == placement.id, BoardFlag.mark == str(minimum))
    assert db.scalar(flag) is None
    fixed.advance(timedelta(days=1))  # NEARING_DAYS before the mark: board, job and reminders all see it
    assert f"{reference}: Minimale verblijfsduur bereikt op {mark_day:%d-%m-%Y} (dag {minimum})" in _board_lines(
        client, as_role
    )
    assert run_jobs(db, "stays.flag_days")["stays.flag_days"] >= 1
    assert db.scalar(flag) is not None
    items = due_items(
        db, municipality_id=placement.municipality_id, day=fixed.today(), lead_days=marks.NEARING_DAYS
    )
    mine = [i for i in items if i.placement_id == placement.id and i.signal == "minimum_stay_reached"]
    assert [i.due_on for i in mine] == [mark_day]


def test_a_stay_past_its_maximum_stays_on_the_board_as_urgent(client, as_role, db, fixed):  # noqa: ARG001
    placement = _stay_starting(db, DEMO_DAY - timedelta(days=60))
    lines = _board_lines(client, as_role)
    assert f"{placement.household.reference}: Maximale verblijfsduur: escaleren (verlopen) sinds" in lines
