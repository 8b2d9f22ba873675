"""Closing a case (``POST /api/households/{id}/close``) and retiring a place (``POST /api/places/{id}/retire``),
with their forms.

Why here and not in households or places: a case may only close, and a place only retire, when no placement
is still running (confirmed or started), and placements sit above both; the change itself (status, reason,
audit) is :func:`api.households.service.close_household` / :func:`api.places.service.retire_place`.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy import func, select
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
from api.places import service as places
from api.places.models import Place
from api.places.pages import place_page
from api.places.router import managed_read
from api.places.schemas import ManagedPlaceRead, RetireBody

api_router = APIRouter(prefix="/api/households", tags=["households"])
places_api = APIRouter(prefix="/api/places", tags=["places"])
page_router = APIRouter(include_in_schema=False)

CanManagePlaces = Annotated[Principal, Depends(require_roles("crisis_team", "coordinator"))]
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
        return edit_page(request, db, principal, household, errors={"reason": message}, status=422)
    try:
        with db.begin_nested():
            close_case(db, principal=principal, household_id=household_id, reason=body.reason)
    except OnderdakError as exc:
        return edit_page(request, db, principal, household, errors={"reason": exc.message}, status=exc.status_code)
    return RedirectResponse(f"/huishoudens/{household_id}?msg=closed", status_code=303)


# ---------------------------------------------------------------- retiring a place


def retire(db: Session, *, principal: Principal, place_id: int, reason: str) -> Place:
    """Retire the place unless a placement in it still runs or is still to come (then a 409 with its end)."""
    place = places.get_place(db, principal=principal, place_id=place_id)
    last = db.scalar(
        select(func.max(Placement.end_date)).where(Placement.place_id == place.id, Placement.status.in_(LIVE_STATUSES))
    )
    if last is not None:
        raise Conflict(code="place.has_future_stays", loc=("path", "place_id"), until=last.strftime("%d-%m-%Y"))
    return places.retire_place(db, principal=principal, place=place, reason=reason)


@places_api.post("/{place_id}/retire", response_model=ManagedPlaceRead, dependencies=[Depends(verify_csrf)])
def retire_place(place_id: RowId, body: RetireBody, db: DbSession, principal: CanManagePlaces) -> ManagedPlaceRead:
    """Out of use for good (status ``inactive``) with a reason (audited); 409 while a placement runs in it."""
    return managed_read(retire(db, principal=principal, place_id=place_id, reason=body.reason), principal)


@page_router.post("/plaatsen/{place_id:int}/buiten-gebruik", dependencies=[Depends(verify_csrf)])
def retire_form(
    request: Request,
    place_id: int,
    db: DbSession,
    principal: CanManagePlaces,
    reason: Annotated[str, Form(max_length=4000)] = "",
) -> Response:
    """The retire form of the place page: back with a message, or the error at the field."""
    place = places.get_place(db, principal=principal, place_id=place_id)
    try:
        body = RetireBody(reason=reason.strip())
    except ValidationError as exc:
        message = error_codes.pydantic_message(dict(exc.errors()[0]))
        return place_page(request, principal, place, errors={"retire_reason": message}, status=422)
    try:
        with db.begin_nested():
            retire(db, principal=principal, place_id=place_id, reason=body.reason)
    except OnderdakError as exc:
        return place_page(request, principal, place, errors={"retire_reason": exc.message}, status=exc.status_code)
    return RedirectResponse(f"/plaatsen/{place_id}?msg=retired", status_code=303)
