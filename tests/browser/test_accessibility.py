"""WCAG 2.1 AA in the browser: axe-core on every page a role reaches from its start page (issue 20.8).

For each role (and for a visitor without an account) the test walks the pages reachable by same-origin
GET links (and same-origin iframes) from the start page, breadth first, one page per path pattern
(``/huishoudens/12`` and ``/huishoudens/13`` are one pattern), at most ``CAP`` pages. Every page is
checked at 1366 px and at 390 px: axe-core finds no *serious* or *critical* violation, and at 390 px a
staff page does not scroll sideways (WCAG 1.4.10 reflow: ``scrollWidth <= 391``).

axe-core is vendored for the tests only (tests/browser/vendor, see the README there); the pages forbid
inline scripts (CSP), so the contexts bypass CSP to inject it.
"""

from __future__ import annotations

import re
from collections import deque
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import pytest

from tests.conftest import browser_login

AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
CAP = 60
WIDTHS = (1366, 390)
PHONE = 390
# Links that are not pages: downloads, the API, language switches of the same page, log-out.
SKIP = re.compile(r"^/(api|static|logout)(/|$)|\.(csv|xlsx|pdf|ics|json|geojson|zip)$")
ROLES = {
    "crisis_team": "crisis-team@maastricht.demo",
    "coordinator": "coordinator@maastricht.demo",
    "case_worker": "case-worker@maastricht.demo",
    "admin": "admin@maastricht.demo",
    "host": "gastgever1@maastricht.demo",
    "public": None,
}
PUBLIC_START = ("/login", "/aanmelden")

AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations.filter(v => v.impact === 'serious' || v.impact === 'critical').map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' :: ' + (n.failureSummary || '').slice(0, 160))}));
}"""
WIDTH_JS = "document.documentElement.scrollWidth"


def pattern(path: str) -> str:
    """One page per shape: numbers and long tokens in a path become placeholders."""
    parts = []
    for part in path.rstrip("/").split("/"):
        if part.isdigit():
            parts.append("{id}")
        elif len(part) >= 20 and re.fullmatch(r"[A-Za-z0-9_-]+", part):
            parts.append("{token}")
        else:
            parts.append(part)
    return "/".join(parts) or "/"


def links(page, origin: str) -> list[str]:
    """Same-origin GET targets on the page: links and iframes, without fragments."""
    hrefs = page.evaluate(
        """() => [...document.querySelectorAll('a[href]:not([download])')].map(a => a.href)
             .concat([...document.querySelectorAll('iframe[src]')].map(f => f.src))"""
    )
    found = []
    for href in hrefs:
        url, _ = urldefrag(href)
        split = urlsplit(url)
        if f"{split.scheme}://{split.netloc}" != origin or SKIP.search(split.path):
            continue
        # The language switch is the same page again; other links keep their query without it.
        query = "&".join(p for p in split.query.split("&") if p and not p.startswith("lang="))
        found.append(split.path + (f"?{query}" if query else ""))
    return found


def walk(page, origin: str, starts: list[str], *, staff: bool) -> tuple[list[str], list[str]]:
    """Visit pages breadth first; return (visited paths, problems found)."""
    queue = deque(starts)
    seen_patterns: set[str] = set()
    visited: list[str] = []
    problems: list[str] = []
    while queue and len(visited) < CAP:
        target = queue.popleft()
        key = pattern(urlsplit(target).path)
        if key in seen_patterns:
            continue
        seen_patterns.add(key)
        page.set_viewport_size({"width": WIDTHS[0], "height": 900})
        response = page.goto(target)
        if response is None or "text/html" not in (response.headers.get("content-type") or ""):
            continue
        if response.status >= 500:
            problems.append(f"{target}: HTTP {response.status}")
            continue
        visited.append(target)
        page.add_script_tag(path=str(AXE))
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            page.wait_for_timeout(50)  # one layout after the resize
            for violation in page.evaluate(AXE_RUN):
                problems.append(f"{target} @{width}px: {violation['id']} ({violation['impact']}) {violation['nodes']}")
            if width == PHONE and staff:
                scroll = page.evaluate(WIDTH_JS)
                if scroll > PHONE + 1:
                    problems.append(f"{target} @{width}px: scrolls sideways ({scroll} px wide)")
        for link in links(page, origin):
            if pattern(urlsplit(link).path) not in seen_patterns:
                queue.append(link)
    return visited, problems


@pytest.mark.parametrize("role", list(ROLES))
def test_every_reachable_page_passes_axe_on_desktop_and_phone(browser, live_server, role):
    context = browser.new_context(base_url=live_server, locale="nl-NL", bypass_csp=True)
    context.route(
        "**/*", lambda route: route.continue_() if route.request.url.startswith(live_server) else route.abort()
    )
    page = context.new_page()
    try:
        email = ROLES[role]
        if email:
            browser_login(page, email)
            starts = ["/"]
        else:
            starts = list(PUBLIC_START)
        visited, problems = walk(page, live_server, starts, staff=role not in ("host", "public"))
    finally:
        context.close()
    assert len(visited) >= (2 if role in ("host", "public") else 3), visited  # the walk really went somewhere
    assert problems == [], "\n".join(problems)
