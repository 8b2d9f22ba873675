"""The user guide covers every page each role reaches: a new HTML page behind `require_roles(...)` that the
guide of one of those roles does not name fails here, and so does a page without a role (login, sign-up,
links from an e-mail) that no guide page names.

A page counts as named when the guide writes its path in code or bold (`` `/dagbord` ``, ``**/aanmelden**``;
a path parameter may be written as anything, e.g. `` `/huishoudens/…/verblijf` ``) or its title in bold
(``**Dagbord**``, the title from the template's ``{% block title %}``). A role's guide is its own page plus the
sections it links to (``[Casemanager](casemanager.md#een-huishouden-aanmelden)``): pointing to where a page
is explained is covering it.

The test reads the routes of ``create_app()``, so pages added later are checked without editing this file.
"""

from __future__ import annotations

import functools
import inspect
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path

from fastapi.responses import HTMLResponse

from api.shell.main import create_app

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "docs" / "gebruikershandleiding"
TEMPLATES = ROOT / "api" / "templates"
ROLE_PAGES = {
    "crisis_team": "crisisteam.md",
    "coordinator": "coordinator.md",
    "case_worker": "casemanager.md",
    "host": "gastgever.md",
    "admin": "beheerder.md",
}
# HTML routes the guide need not name, each with the reason.
EXCEPTIONS = {
    "/kaart/document": "the map's inner document, shown inside /kaart (an iframe); nobody opens it on its own",
}
_LINK = re.compile(r"\]\(([\w-]+\.md)(?:#([\w-]+))?\)")
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*$", re.M)
_TITLE = re.compile(r"block title %\}\{\{ _\(\"([^\"]+)\"\) \}\}")
_TEMPLATE = re.compile(r"[\"']([\w/]+\.html)[\"']")


@functools.cache
def html_pages() -> tuple[tuple[str, tuple[str, ...] | None, Callable[..., object]], ...]:
    """(path, roles or None for a page without a role, endpoint) of every GET route that answers HTML."""
    pages = []
    for included in create_app().routes:
        contexts = included.effective_route_contexts() if hasattr(included, "effective_route_contexts") else []
        for route in contexts:
            if "GET" in (route.methods or set()) and route.response_class is HTMLResponse and not api_path(route.path):
                pages.append((route.path, _roles(route.dependant), route.endpoint))
    return tuple(pages)


def api_path(path: str) -> bool:
    """The JSON API (and the few HTML answers under it, for API clients) is documented in OpenAPI, not here."""
    return path == "/api" or path.startswith("/api/")


def _roles(dependant) -> tuple[str, ...] | None:  # type: ignore[no-untyped-def]
    """The roles of the route's ``require_roles(...)`` dependency (None: no role is required)."""
    for dep in dependant.dependencies:
        if inspect.isfunction(dep.call) and "roles" in inspect.getclosurevars(dep.call).nonlocals:
            return tuple(inspect.getclosurevars(dep.call).nonlocals["roles"])
        found = _roles(dep)
        if found is not None:
            return found
    return None


def titles(endpoint: Callable[..., object]) -> set[str]:
    """The Dutch titles of the templates the endpoint renders (best effort: the template names written in its
    source, or, when it renders through a helper and names none, those of its module)."""
    found = set()
    names = _TEMPLATE.findall(inspect.getsource(endpoint))
    module = inspect.getmodule(endpoint)
    if not names and module is not None:
        names = _TEMPLATE.findall(inspect.getsource(module))
    for name in names:
        template = TEMPLATES / name
        if template.exists() and name != "error.html":
            found.update(_TITLE.findall(template.read_text(encoding="utf-8")))
    return found


def slug(heading: str) -> str:
    """The anchor MkDocs (Python-Markdown's toc) gives a heading."""
    text = unicodedata.normalize("NFKD", heading).encode("ascii", "ignore").decode()
    text = re.sub(r"[^\w\s-]", "", text).strip().lower()
    return re.sub(r"[-\s]+", "-", text)


def section(text: str, anchor: str | None) -> str:
    """The part of a guide page under the heading with this anchor (the whole page without one)."""
    if anchor is None:
        return text
    headings = list(_HEADING.finditer(text))
    for i, match in enumerate(headings):
        if slug(match.group(2)) == anchor:
            level = len(match.group(1))
            end = next((h.start() for h in headings[i + 1:] if len(h.group(1)) <= level), len(text))
            return text[match.start():end]
    raise AssertionError(f"no heading #{anchor}")


def role_text(page: str) -> str:
    """A role's guide: its page and the sections of other guide pages it links to."""
    text = (GUIDE / page).read_text(encoding="utf-8")
    linked = [section((GUIDE / target).read_text(encoding="utf-8"), anchor or None)
              for target, anchor in _LINK.findall(text) if (GUIDE / target).exists()]
    return "\n".join([text, *linked])


def names(text: str, path: str, page_titles: set[str]) -> bool:
    """Whether the guide text names the page: its path in code or bold, or a title in bold."""
    pattern = "".join("[^`*\\s]+" if part.startswith("{") else re.escape(part)
                      for part in re.split(r"(\{[^}]+\})", path))
    if re.search(rf"(`|\*\*){pattern}([?#][^`*\s]*)?(`|\*\*)", text):
        return True
    return any(f"**{title}**" in text for title in page_titles)


def test_the_routes_are_read_with_their_roles():
    pages = {path: roles for path, roles, _ in html_pages()}
    assert pages["/login"] is None
    assert pages["/admin/accounts"] == ("admin",)
    assert set(pages["/gastgevers"] or ()) == {"coordinator", "crisis_team"}
    assert "/health" not in pages  # JSON, not a page
    endpoints = {path: endpoint for path, _, endpoint in html_pages()}
    assert "Dagbord" in titles(endpoints["/dagbord"])
    assert "Vraag om opvang" in titles(endpoints["/aanbod/{token}"])  # rendered through a helper of its module


def test_a_path_with_parameters_is_named_with_anything_in_their_place():
    assert names("open `/huishoudens/…/verblijf`.", "/huishoudens/{household_id:int}/verblijf", set())
    assert names("ga naar **/aanmelden**", "/aanmelden", set())
    assert not names("ga naar /aanmelden zonder opmaak", "/aanmelden", set())
    assert not names("`/huishoudens/nieuw`", "/huishoudens", set())
    assert names("klik op **Dagbord**", "/dagbord", {"Dagbord"})


def test_a_linked_section_counts_for_the_role_that_links_to_it():
    text = "# A\n\n## Een ding\n\nzie `/x`\n\n## Ander\n\n`/y`\n"
    assert "`/x`" in section(text, "een-ding") and "`/y`" not in section(text, "een-ding")
    assert slug("Coördinator: de kaart") == "coordinator-de-kaart"


def test_the_guide_of_each_role_names_every_page_the_role_reaches():
    guides = {role: role_text(page) for role, page in ROLE_PAGES.items()}
    everything = "\n".join(p.read_text(encoding="utf-8") for p in sorted(GUIDE.glob("*.md")))
    missing = []
    for path, roles, endpoint in html_pages():
        if path in EXCEPTIONS:
            continue
        page_titles = titles(endpoint)
        for role in roles or ("(no role)",):
            text = guides.get(role, everything)
            if not names(text, path, page_titles):
                missing.append(f"{path} for {role} (titles {sorted(page_titles)})")
    assert missing == [], "pages the guide does not name for a role that reaches them:\n" + "\n".join(missing)


def test_every_exception_is_still_a_page():
    pages = {path for path, _, _ in html_pages()}
    assert set(EXCEPTIONS) <= pages
