"""The place list page (/plaatsen): Wachtkamer dwellings and host rooms, 50 a page, with filters."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from api.auth.dependencies import DbSession, require_roles
from api.core.list_page import render_list
from api.core.listing import ListQuery, list_query, page_query
from api.core.principal import Principal
from api.places import listing

router = APIRouter(include_in_schema=False)

Viewer = Annotated[Principal, Depends(require_roles("crisis_team", "coordinator", "case_worker"))]


@router.get("/plaatsen", response_class=HTMLResponse)
def place_list(
    request: Request,
    db: DbSession,
    principal: Viewer,
    query: Annotated[ListQuery, Depends(list_query)],
    status: str | None = None,
) -> Response:
    page = listing.place_page(db, municipality_id=principal.municipality_id, query=page_query(query, status))
    return render_list(
        request,
        heading="Plaatsen",
        path="/plaatsen",
        export_path="/api/places/export",
        page=page,
        columns=listing.COLUMNS,
        statuses=listing.STATUSES,
        status_labels=listing.STATUS_LABELS,
        day_label="Vrij vanaf",
    )
