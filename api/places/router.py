"""Places API: list the municipality's places; hosts (and coordinators) change a room's availability."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response

from api.auth.dependencies import CurrentPrincipal, DbSession, ensure_same_municipality, require_roles
from api.core import audit
from api.core.csrf import verify_csrf
from api.core.error_schema import file_response
from api.core.errors import Forbidden, NotFound
from api.core.export import XLSX_TYPE, Format, download
from api.core.listing import ListQuery, api_list_query, list_query, set_headers
from api.core.principal import Principal
from api.core.tenancy import RowId
from api.places import listing, service
from api.places.models import Place
from api.places.schemas import (
    AvailabilityUpdate,
    ManagedPlaceRead,
    PauseCreate,
    PlaceRead,
    PlaceUpdate,
    UnavailabilityCreate,
    UnavailabilityRead,
    WachtkamerCreate,
)

router = APIRouter(prefix="/api/places", tags=["places"])

CanList = Annotated[Principal, Depends(require_roles("crisis_team", "coordinator", "case_worker"))]
# Who manages places (add, edit, pause; retiring is in api.placements.closing): the coordinator and the crisis team.
CanManage = Annotated[Principal, Depends(require_roles("crisis_team", "coordinator"))]
COARSE_DECIMALS = 2  # about a kilometre: enough to match by distance, not enough to find the house


def _read(place: Place, principal: Principal) -> PlaceRead:
    out = PlaceRead.model_validate(place)
    if place.kind == "host_room" and not principal.sees_exact_host_location:
        out.lat, out.lon = round(place.lat, COARSE_DECIMALS), round(place.lon, COARSE_DECIMALS)
    return out


def editable_place(place_id: RowId, db: DbSession, principal: CurrentPrincipal) -> Place:
    """A room the caller may change: a host its own rooms, a coordinator any place of its municipality."""
    if principal.role == "host":
        assert principal.host_id is not None
        return service.room_of_host(db, place_id=place_id, host_id=principal.host_id)
    if principal.role != "coordinator":
        raise Forbidden(code="auth.role_forbidden", loc=("role",), role=repr(principal.role))
    place = db.get(Place, place_id)
    if place is None:
        raise NotFound(code="place.not_found", loc=("path", "place_id"))
    ensure_same_municipality(principal, place.municipality_id, "place")
    return place


EditablePlace = Annotated[Place, Depends(editable_place)]


Listed = Annotated[ListQuery, Depends(list_query)]
Paged = Annotated[ListQuery, Depends(api_list_query)]  # an API list: 50 rows unless asked otherwise


@router.get("", response_model=list[PlaceRead])
def list_places(
    request: Request,
    response: Response,
    db: DbSession,
    principal: CanList,
    query: Paged,
    kind: str | None = None,
    status: str | None = None,
) -> list[PlaceRead]:
    """The first 50 places without ``limit`` (at most 500); ``X-Total-Count`` and ``Link`` headers page."""
    page = listing.place_page(
        db, municipality_id=principal.municipality_id, query=query.with_status(status), kind=kind or None
    )
    set_headers(response, request, page)
    return [_read(p, principal) for p in page.rows]


@router.get(
    "/export.{fmt}",
    response_class=Response,
    responses=file_response("text/csv", XLSX_TYPE, description="the filtered list (CSV or XLSX)"),
)
def export_places(
    fmt: Format, db: DbSession, principal: CanList, query: Listed, kind: str | None = None, status: str | None = None
) -> Response:
    """The list with the page's filter and columns, every matching row."""
    page = listing.place_page(
        db, municipality_id=principal.municipality_id, query=query.with_status(status), kind=kind or None
    )
    detail = {"rows": page.total, "format": fmt}
    audit.record(db, principal=principal, action="export", object_type="place", detail=detail)
    return download(fmt, name="plaatsen", columns=listing.COLUMNS, rows=page.rows)


@router.put("/{place_id}/availability", response_model=PlaceRead, dependencies=[Depends(verify_csrf)])
def change_availability(
    body: AvailabilityUpdate, place: EditablePlace, db: DbSession, principal: CurrentPrincipal
) -> PlaceRead:
    service.change_availability(
        db,
        principal=principal,
        place=place,
        available_from=body.available_from,
        available_until=body.available_until,
    )
    return _read(place, principal)


@router.post(
    "/{place_id}/unavailability",
    response_model=UnavailabilityRead,
    status_code=201,
    dependencies=[Depends(verify_csrf)],
)
def add_unavailability(
    body: UnavailabilityCreate, place: EditablePlace, db: DbSession, principal: CurrentPrincipal
) -> UnavailabilityRead:
    period = service.add_busy_period(db, principal=principal, place=place, start=body.start_date, end=body.end_date)
    return UnavailabilityRead.model_validate(period)


@router.delete("/{place_id}/unavailability/{period_id}", status_code=204, dependencies=[Depends(verify_csrf)])
def remove_unavailability(
    period_id: RowId, place: EditablePlace, db: DbSession, principal: CurrentPrincipal
) -> Response:
    service.remove_busy_period(db, principal=principal, place=place, period_id=period_id)
    return Response(status_code=204)


def managed_read(place: Place, principal: Principal) -> ManagedPlaceRead:
    """A place as management sees it; a host room's location coarse for roles that may not see it."""
    out = ManagedPlaceRead.model_validate(place, from_attributes=True)
    if place.kind == "host_room" and not principal.sees_exact_host_location:
        out.lat, out.lon = round(place.lat, COARSE_DECIMALS), round(place.lon, COARSE_DECIMALS)
    return out


@router.post("", response_model=ManagedPlaceRead, status_code=201, dependencies=[Depends(verify_csrf)])
def add_wachtkamer(body: WachtkamerCreate, db: DbSession, principal: CanManage) -> ManagedPlaceRead:
    """A new waiting-room dwelling; its location is looked up from postcode + house number (geocoder)."""
    return managed_read(service.add_wachtkamer(db, principal=principal, data=body), principal)


@router.get("/{place_id}", response_model=ManagedPlaceRead)
def read_place(place_id: RowId, db: DbSession, principal: CanList) -> ManagedPlaceRead:
    return managed_read(service.get_place(db, principal=principal, place_id=place_id), principal)


@router.patch("/{place_id}", response_model=ManagedPlaceRead, dependencies=[Depends(verify_csrf)])
def update_place(place_id: RowId, body: PlaceUpdate, db: DbSession, principal: CanManage) -> ManagedPlaceRead:
    """Only the fields given change (audited); label and address only for a waiting-room dwelling."""
    place = service.get_place(db, principal=principal, place_id=place_id)
    service.update_place(db, principal=principal, place=place, data=body)
    return managed_read(place, principal)


@router.post(
    "/{place_id}/pause", response_model=UnavailabilityRead, status_code=201, dependencies=[Depends(verify_csrf)]
)
def pause_place(place_id: RowId, body: PauseCreate, db: DbSession, principal: CanManage) -> UnavailabilityRead:
    """Out of the matching from today through ``until`` (inclusive), with a reason (audited)."""
    place = service.get_place(db, principal=principal, place_id=place_id)
    period = service.pause_place(db, principal=principal, place=place, until=body.until, reason=body.reason)
    return UnavailabilityRead.model_validate(period)
