"""The storage pages in headless Chromium: the list by deadline, a lot's page, a refused destruction.

Nothing is written to the shared live database (the refusal changes nothing), so other browser tests
see the demo data as loaded.
"""

from __future__ import annotations

from tests.conftest import browser_login


def test_list_lot_page_and_refusal_in_the_browser(page):
    page.set_viewport_size({"width": 1280, "height": 1000})
    browser_login(page, "case-worker@maastricht.demo")
    page.goto("/opslag")
    assert page.locator("h1").inner_text() == "Opslag van inboedels"
    rows = page.locator("table.lots tbody tr")
    assert rows.count() >= 3
    page.locator("table.lots tbody tr a").first.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text().startswith("Opslag OP-0935-")
    box = page.locator(".deadline-box").inner_text()
    assert "13 weken voorbij op" in box and "verkoop of vernietiging mag vanaf" in box
    assert page.locator("table.items tbody tr").count() >= 4

    page.select_option("#disposal-category", "personal_documents")
    page.select_option("#method", "destruction")
    page.fill("#disposal-reason", "geen waarde")
    page.locator("form[action$='/verkoop'] button[type=submit]").click()
    page.wait_for_load_state()
    alert = page.locator("#verkoop ~ div.error[role=alert]").first
    assert "nooit verkocht of vernietigd" in alert.inner_text()
    assert page.locator("#verkoop ~ table").first.inner_text().count("Niets verkocht of vernietigd.") == 1
