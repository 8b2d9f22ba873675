"""The day board (``/dagbord``, ``GET /api/board``): what needs doing today, with counts on top.

The sections come from the registry in :mod:`api.core.board`; :data:`SECTION_MODULES` lists the modules
whose import registers them (a domain with a section of its own adds its module here).
"""

from __future__ import annotations

import importlib
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup
from pydantic import BaseModel
from sqlalchemy.orm import Session

from api.auth.dependencies import DbSession, require_roles
from api.board import occupancy, search
from api.core import board, clock, data_version, i18n
from api.core.principal import Principal
from api.core.templating import render, templates

SECTION_MODULES = ("api.board.sections", "api.stays.board")

router = APIRouter()
router.include_router(occupancy.router)
router.include_router(search.router)
Viewer = Annotated[Principal, Depends(require_roles("crisis_team", "case_worker", "coordinator"))]


BOARD_CACHE_SECONDS = 60  # sections that depend on the time (offers about to expire) are at most this late


def sections(db: Session, principal: Principal) -> list[board.Section]:
    """The board for the caller's municipality and role, built once per version of the data and per minute.

    Why: the board is every team member's start page and reloads all day, while its records change a few
    times an hour; the sections depend on the municipality, the role, the data and the time (offers and
    reconfirmation links expire), not on who asks."""
    for module in SECTION_MODULES:
        importlib.import_module(module)
    key = ("board", *_board_key(principal))
    return data_version.views.get_or_compute(db, key, lambda: board.build(db, principal, clock.today()))


def _board_key(principal: Principal) -> tuple[int, str, date, int]:
    minute = int(clock.now().timestamp()) // BOARD_CACHE_SECONDS
    return principal.municipality_id, principal.role, clock.today(), minute


def sections_html(db: Session, principal: Principal) -> Markup:
    """The board's sections rendered (``board/_sections.html``), once per board and language.

    Why: at a large city's size the board has hundreds of lines, and rendering them was half of the start
    page's time; the HTML depends only on the board (cached above), the day and the language."""
    key = ("board.html", *_board_key(principal), i18n.current_language.get())
    template = templates.get_template("board/_sections.html")
    return data_version.views.get_or_compute(
        db, key, lambda: Markup(template.render(sections=sections(db, principal), today=clock.today()))
    )


class LineRead(BaseModel):
    text: str
    href: str
    urgent: bool


class SectionRead(BaseModel):
    key: str
    title: str
    count: int
    lines: list[LineRead]


@router.get("/api/board", response_model=list[SectionRead], tags=["board"])
def board_api(db: DbSession, principal: Viewer) -> list[SectionRead]:
    """The day board's sections for the caller's role and municipality, today."""
    return [
        SectionRead(
            key=s.key,
            title=s.title,
            count=s.count,
            lines=[LineRead(text=x.text, href=x.href, urgent=x.urgent) for x in s.lines],
        )
        for s in sections(db, principal)
    ]


@router.get("/dagbord", response_class=HTMLResponse, include_in_schema=False)
def board_page(request: Request, db: DbSession, principal: Viewer) -> Response:
    return render(request, "board/board.html", {"board_html": sections_html(db, principal), "today": clock.today()})
