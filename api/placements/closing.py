"""Closing a case: ``POST /api/households/{id}/close`` and the form on the case file.

Why here and not in households: a case may only close when no placement is still running (confirmed or
started), and placements sit above households; the closing itself (status, reason, audit) is
:func:`api.households.service.close_household`.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.auth.dependencies import DbSession, require_roles
from api.core import error_codes
from api.core.csrf import verify_csrf
from api.core.errors import Conflict, OnderdakError
from api.core.principal import Principal
from api.core.tenancy import RowId
from api.households import service as households
from api.households.models import Household
from api.households.pages import edit_page
from api.households.schemas import HouseholdClose, HouseholdRead
from api.placements.models import LIVE_STATUSES, Placement

api_router = APIRouter(prefix="/api/households", tags=["households"])
page_router = APIRouter(include_in_schema=False)

CanClose = Annotated[Principal, Depends(require_roles("crisis_team", "case_worker"))]


def close_case(db: Session, *, principal: Principal, household_id: int, reason: str) -> Household:
    """Close the household's case unless a placement still runs (then a 409 naming it)."""
    household = households.get_household(db, principal=principal, household_id=household_id)
    running = db.scalar(
        select(Placement.id).where(Placement.household_id == household.id, Placement.status.in_(LIVE_STATUSES)).limit(1)
    )
    if running is not None:
        raise Conflict(code="household.close_has_stay", loc=("path", "household_id"), placement=f"PL-{running}")
    return households.close_household(db, principal=principal, household=household, reason=reason)


@api_router.post("/{household_id}/close", response_model=HouseholdRead, dependencies=[Depends(verify_csrf)])
def close_household(household_id: RowId, body: HouseholdClose, db: DbSession, principal: CanClose) -> HouseholdRead:
    """Close the case with a reason (audited); 409 while a placement is confirmed or started."""
    return HouseholdRead.model_validate(
        close_case(db, principal=principal, household_id=household_id, reason=body.reason)
    )


@page_router.post("/huishoudens/{household_id:int}/afsluiten", dependencies=[Depends(verify_csrf)])
def close_form(
    request: Request,
    household_id: int,
    db: DbSession,
    principal: CanClose,
    reason: Annotated[str, Form(max_length=4000)] = "",
) -> Response:
    """The close form of the edit page: back to the case file with a message, or the error at the field."""
    household = households.get_household(db, principal=principal, household_id=household_id)
    try:
        body = HouseholdClose(reason=reason.strip())
    except ValidationError as exc:
        message = error_codes.pydantic_message(dict(exc.errors()[0]))
        return edit_page(request, principal, household, errors={"reason": message}, status=422)
    try:
        with db.begin_nested():
            close_case(db, principal=principal, household_id=household_id, reason=body.reason)
    except OnderdakError as exc:
        return edit_page(request, principal, household, errors={"reason": exc.message}, status=exc.status_code)
    return RedirectResponse(f"/huishoudens/{household_id}?msg=closed", status_code=303)
