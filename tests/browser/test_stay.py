"""A whole stay in headless Chromium on the demo, with the live server's clock walked forward:
proposal → offer (the team's button) → the host says yes from the e-mailed link, without an account →
introduction → agreement → arrival → check-in → extension → end with where the
household went → the 3-month follow-up; and a stay that breaks down on day 10, after which the next
run does not propose the same place and the household's priority is raised.

The live server runs a :class:`~api.core.clock.ShiftedClock`; the ``travel`` fixture moves it and
puts it back afterwards, so the other browser tests still see the demo day.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from api.core import clock
from api.core.database import session_scope
from api.core.models import OutboxMessage
from api.core.policy import policy_book
from api.households.models import Household
from api.matching import service as matching
from api.matching.instance import priority_breakdown
from api.matching.models import Proposal
from api.offers.models import Offer
from api.placements.models import Placement
from api.stays.care import add_months
from tests.conftest import browser_login

TEAM = "crisis-team@maastricht.demo"


@pytest.fixture
def travel(live_server) -> Iterator[Callable[[int], date]]:  # noqa: ARG001 - the server whose clock moves
    shifted = clock.configured()
    assert isinstance(shifted, clock.ShiftedClock)
    moved = timedelta()

    def go(days: int) -> date:
        nonlocal moved
        shifted.advance(timedelta(days=days))
        moved += timedelta(days=days)
        return shifted.today()

    yield go
    shifted.advance(-moved)


def _db():
    return session_scope(os.environ["ONDERDAK_DATABASE_URL"])


def _confirm_first_proposal(page, day: date) -> int:
    """Run the matching on ``day`` in the browser, confirm the first open proposal; its placement id."""
    page.goto(f"/matching?date={day.isoformat()}")
    page.click("#run-matching")
    page.wait_for_load_state()
    row = page.locator("table.proposals tbody tr.status-open").first
    row_id = row.get_attribute("id")
    row.locator("button.confirm").click()
    page.wait_for_load_state()
    assert page.locator(f"#{row_id}").get_attribute("class") == "status-confirmed"
    proposal_id = int(row_id.rsplit("-", 1)[-1])
    with _db() as db:
        return db.scalar(select(Placement.id).where(Placement.proposal_id == proposal_id))


def _offer_and_accept_from_the_link(page, browser, live_server, day: date) -> int:
    """Run the matching on ``day``, offer a host room (the first offerable proposal when there is none) and let
    the host say yes from the link in the mail, in a browser without an account; the placement's id."""
    page.goto(f"/matching?date={day.isoformat()}")
    page.click("#run-matching")
    page.wait_for_load_state()
    offerable = page.locator("table.proposals tbody tr.status-open", has=page.locator("button.offer"))
    hosted = offerable.filter(has_text="Kamer bij gastgever")
    row = hosted.first if hosted.count() else offerable.first
    row_id = row.get_attribute("id")
    row.locator("button.offer").click()
    page.wait_for_load_state()
    assert "aangeboden" in page.locator(f"#{row_id}").inner_text()
    proposal_id = int(row_id.rsplit("-", 1)[-1])
    with _db() as db:
        assert db.scalar(select(Placement.id).where(Placement.proposal_id == proposal_id)) is None  # not yet
        body = db.scalars(select(OutboxMessage.body).order_by(OutboxMessage.id.desc())).first()
    link = "/aanbod/" + re.search(r"/aanbod/([A-Za-z0-9_\-]+)", body).group(1)
    host = browser.new_context(base_url=live_server, locale="nl-NL").new_page()
    try:
        host.goto(link)
        assert host.locator("a[href='/login']").count() == 1  # no account, no login
        assert host.locator("h1").inner_text() == "Kunt u dit huishouden opvangen?"
        host.click("#ja")
        host.wait_for_load_state()
        assert host.locator("#melding").inner_text().startswith("U heeft ja gezegd")
        host.goto(link)
        assert host.locator("h1").inner_text() == "Deze link werkt niet meer"  # revoked once used
    finally:
        host.context.close()
    with _db() as db:
        offer = db.scalar(select(Offer).where(Offer.proposal_id == proposal_id))
        assert offer.status == "accepted" and offer.placement_id is not None
        assert db.get(Placement, offer.placement_id).status == "confirmed"
        return offer.placement_id


def _open_stay(page, placement_id: int) -> None:
    with _db() as db:
        household_id = db.get(Placement, placement_id).household_id
    page.goto(f"/huishoudens/{household_id}")
    page.click("#stay-link")
    page.wait_for_load_state()
    assert page.locator(f"#verblijf-{placement_id}").is_visible()


def _submit(page, placement_id: int, form: str) -> None:
    page.locator(f"#verblijf-{placement_id} form.{form} button").click()
    page.wait_for_load_state()
    assert page.locator("#melding").is_visible(), page.content()[:2000]


def _arrive(page, pid: int) -> None:
    page.select_option(f"#intro-kind-{pid}", "visit")
    page.select_option(f"#intro-outcome-{pid}", "good")
    _submit(page, pid, "introduction-form")
    assert "bezoek" in page.locator(f"#verblijf-{pid} .introductions").inner_text()
    _submit(page, pid, "agreement-form")
    assert page.locator(f"#verblijf-{pid} .agreement").inner_text() != "—"
    _submit(page, pid, "arrival-form")
    assert page.locator(f"#verblijf-{pid} .stay-status").get_attribute("data-status") == "started"


def test_a_whole_stay_from_the_offer_in_the_browser(page, browser, live_server, travel):
    page.set_viewport_size({"width": 1280, "height": 1000})
    browser_login(page, TEAM)
    pid = _offer_and_accept_from_the_link(page, browser, live_server, clock.today())
    with _db() as db:
        start = db.get(Placement, pid).start_date
    arrival = travel((start - clock.today()).days)
    browser_login(page, TEAM)
    _open_stay(page, pid)
    _arrive(page, pid)
    assert page.locator("#due li.due, #due li.overdue").count() == 0  # the arrival day: nothing due yet

    travel(1)  # day 1: the first check-in is due
    browser_login(page, TEAM)
    _open_stay(page, pid)
    assert page.locator("#due li.due[data-kind=check_in]").count() == 1
    page.select_option(f"#rating-{pid}", "good")
    page.fill(f"#concerns-{pid}", "wil graag hulp bij de huurachterstand")
    _submit(page, pid, "check-in-form")
    assert "goed" in page.locator(f"#verblijf-{pid} table.check-ins").inner_text()
    assert page.locator("#due li.due, #due li.overdue").count() == 0

    with _db() as db:
        end = db.get(Placement, pid).end_date
    page.fill(f"#until-{pid}", (end + timedelta(days=14)).isoformat())
    page.fill(f"#ext-reason-{pid}", "de bewindvoering is nog niet rond")
    _submit(page, pid, "extension-form")
    assert "bewindvoering" in page.locator(f"#verblijf-{pid} .extensions").inner_text()
    with _db() as db:
        assert db.get(Placement, pid).end_date == end + timedelta(days=14)

    left = travel((end - arrival).days + 7 - 1)  # a week past the old end, inside the extension
    browser_login(page, TEAM)
    _open_stay(page, pid)
    page.select_option(f"#destination-{pid}", "social_housing")
    _submit(page, pid, "end-form")
    assert page.locator(f"#verblijf-{pid} .stay-status").get_attribute("data-status") == "ended"
    assert "sociale huurwoning" in page.locator(f"#verblijf-{pid} .stay-status").inner_text()

    travel((add_months(left, 3) - left).days)  # the 3-month follow-up falls due
    browser_login(page, TEAM)
    _open_stay(page, pid)
    assert page.locator("#due li.due[data-kind=follow_up]").count() == 1
    page.select_option(f"#fu-months-{pid}", "3")
    page.select_option(f"#fu-outcome-{pid}", "social_housing")
    _submit(page, pid, "follow-up-form")
    assert page.locator(f"#verblijf-{pid} .follow-ups li[data-months='3']").is_visible()
    assert page.locator("#due li.due, #due li.overdue").count() == 0
    timeline = page.locator("#timeline").inner_text()
    steps = ("offer", "accept", "introduce", "agreement_signed", "start", "check_in", "extend", "end", "follow_up")
    for action in steps:
        assert action in timeline


def test_breakdown_on_day_ten_and_the_next_run_rematches(page, travel):
    page.set_viewport_size({"width": 1280, "height": 1000})
    browser_login(page, TEAM)
    pid = _confirm_first_proposal(page, clock.today())
    with _db() as db:
        placement = db.get(Placement, pid)
        start, hid, place_id = placement.start_date, placement.household_id, placement.place_id
    travel((start - clock.today()).days)
    browser_login(page, TEAM)
    _open_stay(page, pid)
    _arrive(page, pid)

    day10 = travel(10)
    browser_login(page, TEAM)
    _open_stay(page, pid)
    page.select_option(f"#brk-reason-{pid}", "conflict")
    _submit(page, pid, "breakdown-form")
    assert "afgebroken" in page.locator(f"#verblijf-{pid} .stay-status").inner_text()

    page.goto(f"/matching?date={day10.isoformat()}")
    page.click("#run-matching")
    page.wait_for_load_state()
    with _db() as db:
        household = db.get(Household, hid)
        assert household.status == "waiting"
        latest = db.scalars(select(Proposal).where(Proposal.household_id == hid).order_by(Proposal.id.desc())).first()
        assert latest is None or latest.place_id != place_id
        instance = matching.instance_for(db, municipality_id=household.municipality_id, day=day10)
        mine = next(h for h in instance["households"] if h["id"] == household.reference)
        book = policy_book(db, municipality_id=household.municipality_id)
        assert mine["priority"] == priority_breakdown(household, day10, book).total + 5
        assert db.get(Placement, pid).place.reference in mine["excluded_places"]
