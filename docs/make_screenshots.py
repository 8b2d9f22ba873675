"""Make every screenshot of the user guide (docs/gebruikershandleiding/) from the running demo.

Screenshots taken by hand go stale the day a page changes; these are made again by one command, and
tests/browser/test_docs_screenshots.py takes them all in the test run, so a page the guide shows that no
longer answers 200 for its role fails the suite.

    .venv/bin/python docs/make_screenshots.py          # → docs/screenshots/handleiding/*.png

It starts the demo on a temporary SQLite database (`onderdak db upgrade`, `demo-data`, `match`, `serve`
on a free port, the clock on the demo day 2026-11-27), logs in as each role in headless Chromium
(/usr/bin/chromium) and saves each page at 1366 px wide, reduced to a 256-colour palette (Pillow)
so that the PNGs stay small.
"""

from __future__ import annotations

import io
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots" / "handleiding"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run"]
DEMO_DAY = "2026-11-27"
PASSWORD = "onderdak-demo"
WIDTH, HEIGHT = 1366, 768
ACCOUNTS = {
    "crisis_team": "crisis-team@maastricht.demo",
    "coordinator": "coordinator@maastricht.demo",
    "case_worker": "case-worker@maastricht.demo",
    "admin": "admin@maastricht.demo",
    "host": "gastgever1@maastricht.demo",
}


@dataclass(frozen=True)
class Shot:
    """One screenshot: the page `path` as `role` (None: not logged in), or the page reached from it by
    following, one after the other, the first link matching each selector of `follow` (a record page
    whose id differs per database)."""

    name: str
    role: str | None
    path: str
    follow: tuple[str, ...] = ()
    width: int = WIDTH
    height: int = HEIGHT

    @property
    def file(self) -> str:
        return f"{self.name}.png"


SHOTS: tuple[Shot, ...] = (
    Shot("inloggen", None, "/login"),
    Shot("aanmelden-telefoon", None, "/aanmelden", width=390, height=844),
    Shot("aanmelden-bedankt", None, "/aanmelden/bedankt", width=390, height=844),
    Shot("crisisteam-start", "crisis_team", "/"),
    Shot("crisisteam-matching", "crisis_team", f"/matching?date={DEMO_DAY}"),
    Shot("crisisteam-huishouden", "crisis_team", "/", follow=('a[href^="/huishoudens/"]',)),
    Shot("crisisteam-dossier", "crisis_team", "/huishoudens", follow=('tbody a[href^="/huishoudens/"]',)),
    Shot("crisisteam-dossier-bewerken", "crisis_team", "/huishoudens",
         follow=('tbody a[href^="/huishoudens/"]', "#edit-link")),
    Shot("crisisteam-zoeken", "crisis_team", "/zoeken?q=WK"),
    Shot("crisisteam-kaart", "crisis_team", f"/kaart?date={DEMO_DAY}"),
    Shot("crisisteam-termijnen", "crisis_team", "/termijnen"),
    Shot("crisisteam-afspraak", "crisis_team", "/termijnen", follow=('a[href^="/regels/plaatsingen/"]',)),
    Shot("crisisteam-dagbord", "crisis_team", "/dagbord"),
    Shot("crisisteam-aanbiedingen", "crisis_team", "/aanbiedingen"),
    Shot("crisisteam-redenen", "crisis_team", "/aanbiedingen/redenen"),
    Shot("crisisteam-verblijf", "crisis_team", "/dagbord", follow=('a[href$="/verblijf"]',)),
    Shot("crisisteam-uitkomsten", "crisis_team", "/verblijven/uitkomsten"),
    Shot("crisisteam-prioriteit", "crisis_team", "/huishoudens?status=waiting",
         follow=('tbody a[href^="/huishoudens/"]', 'a[href$="/prioriteit"]')),
    Shot("crisisteam-lijst", "crisis_team", "/huishoudens?status=waiting"),
    Shot("crisisteam-plaatsen", "crisis_team", "/plaatsen"),
    Shot("crisisteam-plaatsingen", "crisis_team", "/plaatsingen"),
    Shot("crisisteam-agenda-links", "crisis_team", "/account/agenda"),
    Shot("coordinator-gastgevers", "coordinator", "/gastgevers"),
    Shot("coordinator-gastgever", "coordinator", "/gastgevers", follow=('a[href^="/gastgevers/"]',)),
    Shot("coordinator-berekening", "coordinator", "/gastgevers?status=active",
         follow=('a[href^="/gastgevers/"]', 'a[href^="/regels/gastgevers/"]')),
    Shot("coordinator-rapportage", "coordinator", "/rapportage"),
    Shot("coordinator-bezetting", "coordinator", f"/plaatsen/bezetting?van={DEMO_DAY}&weken=8"),
    Shot("coordinator-plaats", "coordinator", "/plaatsen", follow=('tbody a[href^="/plaatsen/"]',)),
    Shot("casemanager-nieuw-huishouden", "case_worker", "/huishoudens/nieuw"),
    Shot("casemanager-import", "case_worker", "/huishoudens/import"),
    Shot("casemanager-opslag", "case_worker", "/opslag"),
    Shot("casemanager-opslag-nieuw", "case_worker", "/opslag/nieuw"),
    Shot("casemanager-opslagpartij", "case_worker", "/opslag", follow=('tbody a[href^="/opslag/"]',)),
    Shot("gastgever-eigen-pagina", "host", "/gastgever"),
    Shot("beheerder-accounts", "admin", "/admin/accounts"),
    Shot("beheerder-audit", "admin", "/admin/audit"),
    Shot("beheerder-normen", "admin", "/beheer/normen"),
    Shot("beheerder-wijzigingen", "admin", "/beheer/wijzigingen"),
    Shot("beheerder-huisstijl", "admin", "/beheer/huisstijl"),
)


def compress(png: bytes) -> bytes:
    """A 256-colour palette PNG: screens of text and flat colour lose nothing visible, and a third of the size."""
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _login(page, role: str) -> None:  # type: ignore[no-untyped-def]
    page.goto("/login")
    page.fill("#email", ACCOUNTS[role])
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def take(browser, base_url: str, out: Path, shots: tuple[Shot, ...] = SHOTS) -> list[Path]:  # type: ignore[no-untyped-def]
    """Take `shots` against the server at `base_url` into `out`; RuntimeError when a page does not answer 200."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for role in dict.fromkeys(s.role for s in shots):
        context = browser.new_context(base_url=base_url, locale="nl-NL", viewport={"width": WIDTH, "height": HEIGHT})
        # Only the demo server: no request leaves the machine (assets are vendored).
        context.route(
            "**/*", lambda route: route.continue_() if route.request.url.startswith(base_url) else route.abort()
        )
        page = context.new_page()
        if role is not None:
            _login(page, role)
        for shot in (s for s in shots if s.role == role):
            page.set_viewport_size({"width": shot.width, "height": shot.height})
            response = page.goto(shot.path)
            for selector in shot.follow:
                if response is None or response.status != 200 or page.locator(selector).count() == 0:
                    raise RuntimeError(f"{shot.name}: no link {selector} on {page.url} for role {role}")
                response = page.goto(page.locator(selector).first.get_attribute("href") or "")
            status = response.status if response is not None else None
            if status != 200:
                raise RuntimeError(f"{shot.name}: {shot.path} answered {status} for role {role}")
            page.wait_for_load_state("networkidle")
            target = out / shot.file
            target.write_bytes(compress(page.screenshot(full_page=False)))
            written.append(target)
        context.close()
    return written


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _answers(url: str) -> bool:
    try:
        urllib.request.urlopen(url, timeout=2)  # noqa: S310 - our own server
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False
    return True


@contextmanager
def demo_server() -> Iterator[str]:
    """The demo on a temporary SQLite database, served on a free port, stopped afterwards."""
    onderdak = str(Path(sys.executable).with_name("onderdak"))
    with tempfile.TemporaryDirectory(prefix="onderdak-shots-") as tmp:
        env = os.environ | {"ONDERDAK_DATABASE_URL": f"sqlite:///{tmp}/demo.db", "ONDERDAK_CLOCK_TODAY": DEMO_DAY,
                            "ONDERDAK_ENV": "development"}
        for args in (["db", "upgrade"], ["demo-data"], ["match", "--municipality", "GM0935", "--date", DEMO_DAY]):
            subprocess.run([onderdak, *args], env=env, check=True, stdout=subprocess.DEVNULL)
        port = _free_port()
        server = subprocess.Popen([onderdak, "serve", "--port", str(port)], env=env, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL)
        base_url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 120
            while not _answers(f"{base_url}/health"):
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the demo server did not start")
                time.sleep(0.2)
            yield base_url
        finally:
            server.terminate()
            server.wait(timeout=30)


def main() -> int:
    from playwright.sync_api import sync_playwright

    with demo_server() as base_url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            written = take(browser, base_url, OUT)
        finally:
            browser.close()
    sys.stdout.write(f"{len(written)} screenshots in {OUT.relative_to(ROOT)}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
