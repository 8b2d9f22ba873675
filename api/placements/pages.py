"""The placement lifecycle from the case file (api.stays.case_file): arrival, end with outcome, cancel,
the letter."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from api.auth.dependencies import DbSession, require_roles
from api.core.csrf import verify_csrf
from api.core.errors import InvalidInput, OnderdakError
from api.core.list_page import render_list
from api.core.listing import ListQuery, list_query, page_query
from api.core.principal import Principal
from api.core.templating import render
from api.placements import letter, listing, service
from api.placements.models import Placement

router = APIRouter(include_in_schema=False)

CrisisTeam = Annotated[Principal, Depends(require_roles("crisis_team"))]
Viewer = Annotated[Principal, Depends(require_roles("crisis_team", "case_worker", "coordinator"))]


def _day(value: str, field: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(code="input.invalid_date_text", loc=("form", field), value=repr(value)) from None


def _done(household_id: int, msg: str) -> RedirectResponse:
    return RedirectResponse(f"/huishoudens/{household_id}?msg={msg}#plaatsingen", status_code=303)


def _refused(request: Request, exc: OnderdakError) -> Response:
    return render(
        request, "error.html", {"status": exc.status_code, "problems": exc.problems}, status_code=exc.status_code
    )


def _decide(request: Request, db: Session, decision: Callable[[], Placement], msg: str) -> Response:
    """Run one lifecycle step in a savepoint: back to the household page, or the refusal page (rolled back)."""
    try:
        with db.begin_nested():
            p = decision()
    except OnderdakError as exc:
        return _refused(request, exc)
    return _done(p.household_id, msg)


@router.post("/plaatsingen/{placement_id}/start", dependencies=[Depends(verify_csrf)])
def start(
    request: Request, placement_id: int, db: DbSession, principal: CrisisTeam, arrived_on: Annotated[str, Form()]
) -> Response:
    return _decide(
        request,
        db,
        lambda: service.start_placement(
            db, principal=principal, placement_id=placement_id, arrived_on=_day(arrived_on, "arrived_on")
        ),
        "started",
    )


@router.post("/plaatsingen/{placement_id}/einde", dependencies=[Depends(verify_csrf)])
def end(
    request: Request,
    placement_id: int,
    db: DbSession,
    principal: CrisisTeam,
    ended_on: Annotated[str, Form()],
    outcome: Annotated[str, Form()],
    note: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    return _decide(
        request,
        db,
        lambda: service.end_placement(
            db,
            principal=principal,
            placement_id=placement_id,
            ended_on=_day(ended_on, "ended_on"),
            outcome=outcome,
            note=note,
        ),
        "ended",
    )


@router.post("/plaatsingen/{placement_id}/annuleren", dependencies=[Depends(verify_csrf)])
def cancel(
    request: Request,
    placement_id: int,
    db: DbSession,
    principal: CrisisTeam,
    reason: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    return _decide(
        request,
        db,
        lambda: service.cancel_placement(db, principal=principal, placement_id=placement_id, reason=reason),
        "cancelled",
    )


@router.get("/plaatsingen", response_class=HTMLResponse)
def placement_list(
    request: Request,
    db: DbSession,
    principal: Viewer,
    query: Annotated[ListQuery, Depends(list_query)],
    status: str | None = None,
) -> Response:
    """Every placement of the municipality, newest start first, 50 a page, with filters."""
    page = listing.placement_page(db, municipality_id=principal.municipality_id, query=page_query(query, status))
    return render_list(
        request,
        heading="Plaatsingen",
        path="/plaatsingen",
        export_path="/api/placements/export",
        page=page,
        columns=listing.COLUMNS,
        statuses=listing.STATUSES,
        status_labels=listing.STATUS_LABELS,
        day_label="Begin",
    )


@router.get("/plaatsingen/{placement_id}/brief.pdf")
def letter_pdf(placement_id: int, db: DbSession, principal: Viewer) -> Response:
    filename, pdf = letter.placement_letter_pdf(db, principal=principal, placement_id=placement_id)
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{filename}"', "Cache-Control": "no-store"},
    )
