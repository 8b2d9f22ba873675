"""Health check and the start page (an overview of the caller's municipality)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel
from sqlalchemy import text

from api.auth.dependencies import DbSession, optional_principal
from api.board import pages as board_pages
from api.core import clock
from api.core.principal import Principal
from api.core.templating import render
from api.shell import overview

router = APIRouter(tags=["core"])


class Health(BaseModel):
    status: str
    database: str


@router.get("/health", response_model=Health)
def health(db: DbSession) -> Health:
    db.execute(text("SELECT 1"))
    return Health(status="ok", database=db.get_bind().dialect.name)


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def start_page(
    request: Request, db: DbSession, principal: Annotated[Principal | None, Depends(optional_principal)]
) -> Response:
    if principal is None:
        return RedirectResponse("/login", status_code=303)
    if principal.role == "host":
        return RedirectResponse("/gastgever", status_code=303)
    if principal.role == "admin":  # accounts and settings only: the overview lists households, not theirs to see
        return RedirectResponse("/admin/accounts", status_code=303)
    start = overview.for_principal(db, principal)
    # A crisis team member starts the day with the day board on top of the overview (api/board).
    day_board = board_pages.sections_html(db, principal) if principal.role == "crisis_team" else None
    return render(
        request,
        "start.html",
        {
            "municipality": start.municipality,
            "households": start.households,
            "places": start.places,
            "placements": start.placements,
            "totals": {
                "households": start.household_total,
                "places": start.place_total,
                "placements": start.placement_total,
            },
            "board_html": day_board,
            "today": clock.today(),
        },
    )
