"""The capacity page in the browser: the form starts a plan or a policy comparison, its page refreshes itself
until the charts are there, and the finished page passes axe-core at desktop and phone width without
scrolling sideways.

The accessibility walk (test_accessibility.py) reaches ``/capaciteit`` from the menu but never a finished
plan or comparison (none exists until someone starts one), so these tests make one of each.
"""

from __future__ import annotations

from tests.browser.test_accessibility import AXE, AXE_RUN, PHONE, WIDTH_JS, WIDTHS
from tests.conftest import browser_login


def test_a_plan_started_in_the_browser_ends_in_an_accessible_chart(browser, live_server) -> None:
    context = browser.new_context(base_url=live_server, locale="nl-NL", bypass_csp=True)
    page = context.new_page()
    try:
        browser_login(page, "coordinator@maastricht.demo")
        page.click("a[href='/capaciteit']")
        page.check("#source-small")
        page.fill("#target", "90")
        page.fill("#seeds", "1")
        page.click("form[action='/capaciteit'] button[type=submit]")
        page.wait_for_url("**/capaciteit/*")
        page.wait_for_selector("svg polyline.share", timeout=90_000)  # the meta refresh brings it in
        assert page.locator("svg line.target").count() == 1
        assert page.locator("table tbody tr").count() == 6
        problems = []
        page.add_script_tag(path=str(AXE))
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            page.wait_for_timeout(50)
            problems += [f"@{width}px: {v['id']} {v['nodes']}" for v in page.evaluate(AXE_RUN)]
            if width == PHONE:
                assert page.evaluate(WIDTH_JS) <= PHONE + 1, "the page scrolls sideways on a phone"
        assert problems == [], "\n".join(problems)
    finally:
        context.close()


def test_a_comparison_started_in_the_browser_ends_in_accessible_charts(browser, live_server) -> None:
    """The same walk for a policy comparison: its table, the grouped bars and the occupancy lines, with the
    occupancy table opened, pass axe-core at both widths."""
    context = browser.new_context(base_url=live_server, locale="nl-NL", bypass_csp=True)
    page = context.new_page()
    try:
        browser_login(page, "coordinator@maastricht.demo")
        page.click("a[href='/capaciteit']")
        page.check("#kind-compare")
        page.check("#source-small")
        page.fill("#seeds", "1")
        page.click("form[action='/capaciteit'] button[type=submit]")
        page.wait_for_url("**/capaciteit/*")
        page.wait_for_selector("svg polyline.occupancy", timeout=180_000)  # the meta refresh brings it in
        assert page.locator("svg polyline.occupancy").count() == 5
        assert page.locator("svg rect.bar").count() == 5 * 7
        assert page.locator("svg title#wait-title").count() == 1
        assert page.locator("svg desc#occupancy-desc").count() == 1
        page.click("details.chart-data summary")
        assert page.locator("details.chart-data tbody tr").count() == 53  # 365 days: 52 weeks and one day
        problems = []
        page.add_script_tag(path=str(AXE))
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            page.wait_for_timeout(50)
            problems += [f"@{width}px: {v['id']} {v['nodes']}" for v in page.evaluate(AXE_RUN)]
            if width == PHONE:
                assert page.evaluate(WIDTH_JS) <= PHONE + 1, "the page scrolls sideways on a phone"
        assert problems == [], "\n".join(problems)
    finally:
        context.close()
