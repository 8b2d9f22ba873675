"""The capacity page in the browser: the form starts a plan, its page refreshes itself until the chart is
there, and the finished page passes axe-core at desktop and phone width without scrolling sideways.

The accessibility walk (test_accessibility.py) reaches ``/capaciteit`` from the menu but never a finished
plan (none exists until someone starts one), so this test makes one.
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
