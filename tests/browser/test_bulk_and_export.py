"""In Chromium: run the matching, tick two proposals, confirm them at once, see the Dutch message,
then export the placements as XLSX from the list page and read the two back."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from tests.conftest import DEMO_DAY, browser_login

DAY = DEMO_DAY.isoformat()


def test_bulk_confirm_then_export_the_placements(page):
    browser_login(page, "crisis-team@maastricht.demo")
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
    for pid in chosen:
        assert page.locator(f"#voorstel-{pid}").get_attribute("class") == "status-confirmed"

    page.goto("/plaatsingen?status=confirmed")
    assert page.locator("#aantal-resultaten").get_attribute("data-total") is not None
    with page.expect_download() as info:
        page.click("a[href^='/api/placements/export.xlsx']")
    rows = list(load_workbook(io.BytesIO(open(info.value.path(), "rb").read())).active.iter_rows(values_only=True))
    assert rows[0][0] == "Huishouden"
    exported = {row[0] for row in rows[1:]}
    assert set(references) <= exported
    assert all(row[7] == "bevestigd" for row in rows[1:])
