"""In Chromium, a crisis team member's morning: the day board → an unplaced household's case file → its
address edited through the geocoder (the fake: no network) so its coordinates change → run the matching →
confirm two proposals at once → the Dutch message → export the placements as XLSX and read them back."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from api.core import geocoding
from tests.conftest import DEMO_DAY, browser_login

DAY = DEMO_DAY.isoformat()
MARKT = geocoding.FakeGeocoder.KNOWN["6211CK"]


@pytest.fixture
def fake_geocoder():
    """Installed process-wide, so the live server's thread uses it too."""
    with geocoding.use(geocoding.FakeGeocoder()) as fake:
        yield fake


def test_morning_walk(page, fake_geocoder):
    browser_login(page, "crisis-team@maastricht.demo")
    page.goto("/dagbord")
    unplaced = page.locator("#sectie-evictions li a").first
    reference = unplaced.inner_text().split(":")[0]
    unplaced.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == f"Dossier {reference}"
    location = page.locator("#origin-location")
    before = (location.get_attribute("data-lat"), location.get_attribute("data-lon"))

    page.click("#edit-link")
    page.wait_for_load_state()
    page.fill("#origin_postcode", "6211 CK")
    page.fill("#origin_house_number", "4")
    page.click("#edit-form button[type=submit]")
    page.wait_for_load_state()
    assert "Het dossier is opgeslagen." in page.locator("main").inner_text()
    after = (float(location.get_attribute("data-lat")), float(location.get_attribute("data-lon")))
    assert after == MARKT[:2] and after != tuple(float(x) for x in before)
    assert page.locator("#approximate").count() == 0  # found by the geocoder, not the fallback
    assert ("6211 CK", "4") in fake_geocoder.calls
    assert "Dossier gewijzigd" in page.locator("#timeline").inner_text()

    page.goto(f"/matching?date={DAY}")
    page.click("#run-matching")
    page.wait_for_load_state()
    boxes = page.locator("input[name=proposal_ids]")
    assert boxes.count() >= 2
    chosen = [boxes.nth(i).get_attribute("value") for i in range(2)]
    references = [page.locator(f"#voorstel-{pid} td a").first.inner_text() for pid in chosen]
    boxes.nth(0).check()
    boxes.nth(1).check()
    page.click("#bulk-confirm")
    page.wait_for_load_state()
    assert "2 voorstel(len) bevestigd." in page.locator("#bulk-resultaat").inner_text()

    page.goto("/plaatsingen?status=confirmed")
    with page.expect_download() as info:
        page.click("a[href^='/api/placements/export.xlsx']")
    with open(info.value.path(), "rb") as handle:
        rows = list(load_workbook(io.BytesIO(handle.read())).active.iter_rows(values_only=True))
    assert rows[0][0] == "Huishouden"
    assert set(references) <= {row[0] for row in rows[1:]}
