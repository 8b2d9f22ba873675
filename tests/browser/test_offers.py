"""Offers in headless Chromium: the crisis team offers a proposal, the host accepts from the link without
logging in, and the placement exists; a second offer expires (the jobs runner) and the next run offers that
household another place (the expired pair is excluded), which the team offers again."""

from __future__ import annotations

import os
import re
from datetime import timedelta

from sqlalchemy import select

from api.core import clock
from api.core.database import session_scope
from api.core.models import OutboxMessage
from api.offers.models import Offer
from api.placements.models import Placement
from api.places.models import Place
from api.shell.jobs_cli import load_jobs, run_job
from tests.conftest import DEMO_DAY, browser_login

DAY = DEMO_DAY.isoformat()


def _offerable(page):
    return page.locator("table.proposals tbody tr.status-open", has=page.locator("button.offer"))


def _newest_link() -> str:
    with session_scope(os.environ["ONDERDAK_DATABASE_URL"]) as db:
        body = db.scalars(select(OutboxMessage.body).order_by(OutboxMessage.id.desc())).first()
    return "/aanbod/" + re.search(r"/aanbod/([A-Za-z0-9_\-]+)", body).group(1)


def _offer_first(page) -> str:
    """Offer the first offerable proposal on the page; returns the household reference."""
    row = _offerable(page).first
    row_id = row.get_attribute("id")
    household = row.locator("a[href^='/huishoudens/']").first.inner_text().strip()  # (the first cell is the checkbox)
    row.locator("button.offer").click()
    page.wait_for_load_state()
    assert page.locator("#melding").is_visible()
    assert "aangeboden" in page.locator(f"#{row_id}").inner_text()
    return household


def test_offer_accepted_from_the_link_then_an_offer_expires(page, browser, live_server):
    browser_login(page, "crisis-team@maastricht.demo")
    page.goto(f"/matching?date={DAY}")
    page.click("#run-matching")
    page.wait_for_load_state()
    assert _offerable(page).count() >= 2

    # 1. offer → the host opens the link in a browser without an account and says yes
    household = _offer_first(page)
    link = _newest_link()
    host = browser.new_context(base_url=live_server, locale="nl-NL").new_page()
    host.goto(link)
    assert host.locator("h1").inner_text() == "Kunt u dit huishouden opvangen?"
    assert host.locator("a[href='/login']").count() == 1  # not logged in
    host.click("#ja")
    host.wait_for_load_state()
    assert host.locator("#melding").inner_text().startswith("U heeft ja gezegd")
    with session_scope(os.environ["ONDERDAK_DATABASE_URL"]) as db:
        offer = db.scalars(select(Offer).order_by(Offer.id.desc())).first()
        assert offer.status == "accepted"
        placement = db.get(Placement, offer.placement_id)
        assert placement is not None and placement.status == "confirmed"
    host.goto(link)
    assert host.locator("h1").inner_text() == "Deze link werkt niet meer"
    host.context.close()

    # 2. the next offer is not answered; after its time the jobs runner expires it
    page.goto(f"/matching?date={DAY}")
    second = _offer_first(page)
    assert second != household
    with session_scope(os.environ["ONDERDAK_DATABASE_URL"]) as db:
        pending = db.scalars(select(Offer).where(Offer.status == "pending")).one()
        pending.expires_at = clock.now() - timedelta(seconds=1)  # its 48 hours are up
    expire = next(j for j in load_jobs() if j.name == "offers.expire")
    with session_scope(os.environ["ONDERDAK_DATABASE_URL"]) as db:
        assert run_job(db, expire).done == 1

    with session_scope(os.environ["ONDERDAK_DATABASE_URL"]) as db:
        expired = db.scalars(select(Offer).where(Offer.status == "expired")).one()
        expired_place, expired_ref = expired.place_id, db.get(Place, expired.place_id).reference

    # the day board says so, and the next run offers that household ANOTHER place (the expired pair is excluded)
    page.goto("/dagbord")
    assert "verlopen" in page.locator("#sectie-offers").inner_text()
    page.goto(f"/matching?date={DAY}")
    page.click("#run-matching")
    page.wait_for_load_state()
    again = _offerable(page).filter(has=page.get_by_role("link", name=second, exact=True))
    assert again.count() == 1
    assert expired_ref not in again.first.inner_text()
    again.first.locator("button.offer").click()
    page.wait_for_load_state()
    with session_scope(os.environ["ONDERDAK_DATABASE_URL"]) as db:
        fresh = db.scalars(select(Offer).where(Offer.status == "pending")).one()
        assert fresh.household_id == expired.household_id and fresh.place_id != expired_place
