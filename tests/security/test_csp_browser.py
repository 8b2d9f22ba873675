"""The Content-Security-Policy holds in a real browser: every page of every role loads in headless
Chromium without a CSP violation or a script error (so no page relies on an inline script or on a
resource from elsewhere), and the admin's audit trail page works end to end.
"""

from __future__ import annotations

import pytest
from fastapi.routing import APIRoute

from tests.conftest import browser_login

pytestmark = pytest.mark.browser

ACCOUNTS = {
    "crisis_team": "crisis-team@maastricht.demo",
    "coordinator": "coordinator@maastricht.demo",
    "case_worker": "case-worker@maastricht.demo",
    "admin": "admin@maastricht.demo",
    "host": "gastgever1@maastricht.demo",
}


def _pages() -> list[str]:
    """GET page routes without path parameters (the ones a menu or a link opens directly)."""
    from api.shell.main import create_app
    from tests.api.security.test_access_matrix import app_routes

    pages = []
    for method, path, route in app_routes(create_app()):
        if method == "GET" and isinstance(route, APIRoute) and not route.include_in_schema and "{" not in path:
            if not path.endswith((".json", ".pdf", ".ics", ".csv")) and path not in ("/kaart/document",):
                pages.append(path)
    return sorted(pages)


@pytest.mark.parametrize("role", list(ACCOUNTS))
def test_every_page_loads_without_csp_violations_or_script_errors(page, role):
    problems: list[str] = []
    page.on(
        "console",
        lambda msg: (
            problems.append(f"console {msg.type}: {msg.text}")
            if msg.type == "error" and ("Content Security Policy" in msg.text or "Refused" in msg.text)
            else None
        ),
    )
    page.on("pageerror", lambda exc: problems.append(f"script error: {exc}"))
    browser_login(page, ACCOUNTS[role])
    visited = 0
    for path in _pages():
        response = page.goto(path)
        if response is not None and response.status == 200:
            visited += 1
            page.wait_for_load_state("load")
    assert visited >= 1
    assert not problems, f"{role}:\n" + "\n".join(problems)


def test_admin_filters_and_exports_the_audit_trail_in_the_browser(page):
    browser_login(page, ACCOUNTS["admin"])
    page.goto("/admin/audit")
    assert page.locator("h1").inner_text() == "Audittrail"
    page.fill("#action", "login")
    with page.expect_navigation():
        page.click("form.filters button[type=submit]")
    assert "action=login" in page.url
    cells = page.locator("tbody tr td:nth-child(3)").all_inner_texts()
    assert cells and set(cells) == {"login"}, page.content()[-2500:]
    with page.expect_download() as download:
        page.click("text=Exporteren als CSV")
    assert download.value.suggested_filename.endswith(".csv")
