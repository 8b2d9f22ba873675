"""Placements API: lifecycle (start, end, cancel), the letter and the monthly report."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response

from api.auth.dependencies import DbSession, require_roles
from api.core import audit, clock
from api.core.csrf import verify_csrf
from api.core.error_schema import file_response
from api.core.export import XLSX_TYPE, Format, download
from api.core.listing import ListQuery, api_list_query, list_query, set_headers
from api.core.principal import Principal
from api.core.tenancy import RowId
from api.placements import letter, listing, report, service
from api.placements.schemas import (
    CancelBody,
    EndBody,
    MonthReportRead,
    PlacementRead,
    StartBody,
)
from matcher.schema import MAX_DATE, MIN_DATE, year_group

router = APIRouter(prefix="/api/placements", tags=["placements"])
# Documented as YYYY-MM in the matcher's years; checked with its own code in report.month_report.
MONTH_PATTERN = f"^{year_group(MIN_DATE.year, MAX_DATE.year)}-(0[1-9]|1[0-2])$"
Month = Annotated[str | None, Query(json_schema_extra={"pattern": MONTH_PATTERN})]

CrisisTeam = Annotated[Principal, Depends(require_roles("crisis_team"))]
Viewer = Annotated[Principal, Depends(require_roles("crisis_team", "case_worker", "coordinator"))]


Listed = Annotated[ListQuery, Depends(list_query)]
Paged = Annotated[ListQuery, Depends(api_list_query)]  # an API list: 50 rows unless asked otherwise


@router.get("", response_model=list[PlacementRead])
def list_placements(
    request: Request, response: Response, db: DbSession, principal: Viewer, query: Paged, status: str | None = None
) -> list[PlacementRead]:
    """The first 50 placements without ``limit`` (newest start first, at most 500); headers page."""
    page = listing.placement_page(db, municipality_id=principal.municipality_id, query=query.with_status(status))
    set_headers(response, request, page)
    return [PlacementRead.model_validate(p) for p in page.rows]


@router.get(
    "/export.{fmt}",
    response_class=Response,
    responses=file_response("text/csv", XLSX_TYPE, description="the filtered list (CSV or XLSX)"),
)
def export_placements(
    fmt: Format, db: DbSession, principal: Viewer, query: Listed, status: str | None = None
) -> Response:
    """The list with the page's filter and columns, every matching row."""
    page = listing.placement_page(db, municipality_id=principal.municipality_id, query=query.with_status(status))
    audit.record(
        db, principal=principal, action="export", object_type="placement", detail={"rows": page.total, "format": fmt}
    )
    return download(fmt, name="plaatsingen", columns=listing.COLUMNS, rows=page.rows)


@router.get("/report", response_model=MonthReportRead)
def month_report(db: DbSession, principal: Viewer, month: Month = None) -> MonthReportRead:
    data = report.month_report(db, municipality_id=principal.municipality_id, month=month or f"{clock.today():%Y-%m}")
    return MonthReportRead.model_validate(data, from_attributes=True)


@router.get("/{placement_id}", response_model=PlacementRead)
def read_placement(placement_id: RowId, db: DbSession, principal: Viewer) -> PlacementRead:
    return PlacementRead.model_validate(service.get_placement(db, principal=principal, placement_id=placement_id))


@router.post("/{placement_id}/start", response_model=PlacementRead, dependencies=[Depends(verify_csrf)])
def start(placement_id: RowId, body: StartBody, db: DbSession, principal: CrisisTeam) -> PlacementRead:
    placement = service.start_placement(db, principal=principal, placement_id=placement_id, arrived_on=body.arrived_on)
    return PlacementRead.model_validate(placement)


@router.post("/{placement_id}/end", response_model=PlacementRead, dependencies=[Depends(verify_csrf)])
def end(placement_id: RowId, body: EndBody, db: DbSession, principal: CrisisTeam) -> PlacementRead:
    placement = service.end_placement(
        db, principal=principal, placement_id=placement_id, ended_on=body.ended_on, outcome=body.outcome, note=body.note
    )
    return PlacementRead.model_validate(placement)


@router.post("/{placement_id}/cancel", response_model=PlacementRead, dependencies=[Depends(verify_csrf)])
def cancel(placement_id: RowId, body: CancelBody, db: DbSession, principal: CrisisTeam) -> PlacementRead:
    placement = service.cancel_placement(db, principal=principal, placement_id=placement_id, reason=body.reason)
    return PlacementRead.model_validate(placement)


@router.get(
    "/{placement_id}/letter.pdf",
    response_class=Response,
    responses=file_response("application/pdf", description="the placement letter (PDF)"),
)
def placement_letter(placement_id: RowId, db: DbSession, principal: Viewer) -> Response:
    """The placement letter in plain Dutch (PDF)."""
    filename, pdf = letter.placement_letter_pdf(db, principal=principal, placement_id=placement_id)
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{filename}"', "Cache-Control": "no-store"},
    )
