"""Household API: list, read and register (intake from an eviction notice)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, File, Request, Response, UploadFile

from api.auth.dependencies import DbSession, require_roles
from api.core import audit
from api.core.csrf import verify_csrf
from api.core.error_schema import file_response
from api.core.export import XLSX_TYPE, Format, download
from api.core.listing import ListQuery, api_list_query, list_query, set_headers
from api.core.principal import Principal
from api.core.tenancy import RowId
from api.households import importer, listing, service
from api.households.schemas import HouseholdCreate, HouseholdRead, HouseholdUpdate, PriorityOverride

router = APIRouter(prefix="/api/households", tags=["households"])

CanReadHouseholds = Annotated[Principal, Depends(require_roles("crisis_team", "case_worker", "coordinator"))]
CanRegister = Annotated[Principal, Depends(require_roles("crisis_team", "case_worker"))]
CrisisTeam = Annotated[Principal, Depends(require_roles("crisis_team"))]


Listed = Annotated[ListQuery, Depends(list_query)]
Paged = Annotated[ListQuery, Depends(api_list_query)]  # an API list: 50 rows unless asked otherwise


@router.get("", response_model=list[HouseholdRead])
def list_households(
    request: Request,
    response: Response,
    db: DbSession,
    principal: CanReadHouseholds,
    query: Paged,
    status: str | None = None,
) -> list[HouseholdRead]:
    """The first 50 households without ``limit`` (at most 500); ``X-Total-Count`` and ``Link`` headers page."""
    page = listing.household_page(db, municipality_id=principal.municipality_id, query=query.with_status(status))
    rows = page.rows
    audit.record(db, principal=principal, action="read", object_type="household", detail={"ids": [h.id for h in rows]})
    set_headers(response, request, page)
    return [HouseholdRead.model_validate(h) for h in rows]


@router.get(
    "/export.{fmt}",
    response_class=Response,
    responses=file_response("text/csv", XLSX_TYPE, description="the filtered list (CSV or XLSX)"),
)
def export_households(
    fmt: Format, db: DbSession, principal: CanReadHouseholds, query: Listed, status: str | None = None
) -> Response:
    """The list with the page's filter and columns, every matching row."""
    page = listing.household_page(db, municipality_id=principal.municipality_id, query=query.with_status(status))
    audit.record(
        db, principal=principal, action="export", object_type="household", detail={"rows": page.total, "format": fmt}
    )
    return download(fmt, name="huishoudens", columns=listing.COLUMNS, rows=page.rows)


@router.get("/{household_id}", response_model=HouseholdRead)
def read_household(household_id: RowId, db: DbSession, principal: CanReadHouseholds) -> HouseholdRead:
    household = service.get_household(db, principal=principal, household_id=household_id)
    audit.record(db, principal=principal, action="read", object_type="household", object_id=household.id)
    return HouseholdRead.model_validate(household)


@router.post("", response_model=HouseholdRead, status_code=201, dependencies=[Depends(verify_csrf)])
def create_household(body: HouseholdCreate, db: DbSession, principal: CanRegister) -> HouseholdRead:
    household = service.create_household(db, municipality_id=principal.municipality_id, data=body)
    audit.record(db, principal=principal, action="create", object_type="household", object_id=household.id)
    return HouseholdRead.model_validate(household)


@router.post("/import", response_model=list[HouseholdRead], status_code=201, dependencies=[Depends(verify_csrf)])
def import_households(
    db: DbSession,
    principal: CanRegister,
    file: Annotated[UploadFile, File(description="CSV, see api/households/importer.py")],
) -> list[HouseholdRead]:
    """All rows or none: every problem comes back as a 422 naming row and column."""
    households = importer.import_csv(db, principal=principal, content=file.file.read(importer.MAX_BYTES + 1))
    return [HouseholdRead.model_validate(h) for h in households]


@router.patch("/{household_id}", response_model=HouseholdRead, dependencies=[Depends(verify_csrf)])
def update_household(
    household_id: RowId, body: HouseholdUpdate, db: DbSession, principal: CanRegister
) -> HouseholdRead:
    """Change the case file: only the fields given. A new postcode + house number is looked up (geocoder)
    unless coordinates come with it; ``origin_approximate`` says when the fallback was used."""
    household = service.get_household(db, principal=principal, household_id=household_id)
    service.update_household(db, principal=principal, household=household, data=body)
    return HouseholdRead.model_validate(household)


@router.post("/{household_id}/priority", response_model=HouseholdRead, dependencies=[Depends(verify_csrf)])
def set_priority_override(
    household_id: RowId, body: PriorityOverride, db: DbSession, principal: CrisisTeam
) -> HouseholdRead:
    """The crisis team gives (``active: true``) or withdraws precedence, always with a reason (audited)."""
    household = service.get_household(db, principal=principal, household_id=household_id)
    service.set_priority_override(db, principal=principal, household=household, data=body)
    return HouseholdRead.model_validate(household)
