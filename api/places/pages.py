"""Place pages: the list (/plaatsen, 50 a page, with filters), a new waiting-room dwelling (/plaatsen/nieuw)
and a place's own page (/plaatsen/{id}) to edit it, pause it and see its busy periods. Retiring posts to
api.placements.closing (it checks the place's placements first); the occupancy calendar is
/plaatsen/bezetting (api.board.occupancy).

The forms use the same schemas and services as the API (``POST/PATCH /api/places``), so a rule is checked
once; a form with problems comes back with the input kept and every message next to its field.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from api.auth.dependencies import DbSession, require_roles
from api.core import audit, clock, error_codes
from api.core.csrf import verify_csrf
from api.core.errors import OnderdakError
from api.core.list_page import render_list
from api.core.listing import ListQuery, list_query, page_query
from api.core.principal import Principal
from api.core.templating import render
from api.places import listing, service
from api.places.models import Place
from api.places.schemas import PauseCreate, PlaceUpdate, WachtkamerCreate

router = APIRouter(include_in_schema=False)

Viewer = Annotated[Principal, Depends(require_roles("crisis_team", "coordinator", "case_worker"))]
Manager = Annotated[Principal, Depends(require_roles("crisis_team", "coordinator"))]
FLAGS = ("accessible", "allows_pets", "allows_children")
TEXTS = ("label", "address", "postcode", "house_number")


@router.get("/plaatsen", response_class=HTMLResponse)
def place_list(
    request: Request,
    db: DbSession,
    principal: Viewer,
    query: Annotated[ListQuery, Depends(list_query)],
    status: str | None = None,
) -> Response:
    page = listing.place_page(db, municipality_id=principal.municipality_id, query=page_query(query, status))
    actions = [("/plaatsen/bezetting", "Bezetting per week")]
    if principal.role in ("crisis_team", "coordinator"):
        actions.insert(0, ("/plaatsen/nieuw", "Nieuwe wachtkamerwoning"))
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
        actions=actions,
    )


def _errors(exc: ValidationError) -> dict[str, str]:
    errors: dict[str, str] = {}
    for err in exc.errors():
        loc = [p for p in err["loc"] if isinstance(p, str)]
        errors.setdefault(loc[-1] if loc else "form", error_codes.pydantic_message(dict(err)))
    return errors


def _coded(exc: OnderdakError) -> dict[str, str]:
    errors: dict[str, str] = {}
    for problem in exc.problems:
        loc = [p for p in problem.loc if isinstance(p, str) and p not in error_codes.LOCATIONS]
        errors.setdefault(loc[-1] if loc else "form", problem.message)
    return errors


def _form_data(form: dict[str, str], *, new: bool) -> dict[str, Any]:
    data: dict[str, Any] = {k: form.get(k, "").strip() or None for k in TEXTS}
    data["capacity"] = form.get("capacity") or None
    data.update({flag: form.get(flag) == "on" for flag in FLAGS})
    if new:
        data["available_from"] = form.get("available_from") or None
        data["available_until"] = form.get("available_until") or None
    return data


def _new_page(request: Request, form: dict[str, str], errors: dict[str, str], status: int = 200) -> Response:
    return render(
        request,
        "places/new.html",
        {"form": form, "errors": errors, "kind_labels": listing.KIND_LABELS},
        status_code=status,
    )


@router.get("/plaatsen/nieuw", response_class=HTMLResponse)
def new_place_form(request: Request, _principal: Manager) -> Response:
    return _new_page(
        request, {"capacity": "2", "allows_children": "on", "available_from": clock.today().isoformat()}, {}
    )


@router.post("/plaatsen/nieuw", dependencies=[Depends(verify_csrf)])
async def new_place(request: Request, db: DbSession, principal: Manager) -> Response:
    raw = await request.form()
    form = {k: str(v) for k, v in raw.items() if k != "csrf_token"}
    try:
        data = WachtkamerCreate.model_validate(_form_data(form, new=True))
    except ValidationError as exc:
        return _new_page(request, form, _errors(exc), 422)
    try:
        with db.begin_nested():
            place = service.add_wachtkamer(db, principal=principal, data=data)
    except OnderdakError as exc:
        return _new_page(request, form, _coded(exc), exc.status_code)
    return RedirectResponse(f"/plaatsen/{place.id}?msg=created", status_code=303)


def _form_of(place: Place) -> dict[str, str]:
    form = {k: str(getattr(place, k) or "") for k in TEXTS}
    form["capacity"] = str(place.capacity)
    form.update({flag: "on" for flag in FLAGS if getattr(place, flag)})
    return form


def place_page(
    request: Request,
    principal: Principal,
    place: Place,
    form: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    """A place's page; also what the retire form (api.placements.closing) answers with."""
    return render(
        request,
        "places/detail.html",
        {
            "place": place,
            "form": form if form is not None else _form_of(place),
            "errors": errors or {},
            "can_manage": principal.role in ("crisis_team", "coordinator"),
            "retired": place.retired_on is not None,
            "kind_labels": listing.KIND_LABELS,
            "status_labels": listing.STATUS_LABELS,
            "today": clock.today(),
            "message": request.query_params.get("msg"),
        },
        status_code=status,
    )


@router.get("/plaatsen/{place_id:int}", response_class=HTMLResponse)
def place_detail(request: Request, place_id: int, db: DbSession, principal: Viewer) -> Response:
    place = service.get_place(db, principal=principal, place_id=place_id)
    audit.record(db, principal=principal, action="read", object_type="place", object_id=place.id)
    return place_page(request, principal, place)


@router.post("/plaatsen/{place_id:int}", dependencies=[Depends(verify_csrf)])
async def edit_place(request: Request, place_id: int, db: DbSession, principal: Manager) -> Response:
    place = service.get_place(db, principal=principal, place_id=place_id)
    raw = await request.form()
    form = {k: str(v) for k, v in raw.items() if k != "csrf_token"}
    data = _form_data(form, new=False)
    if place.kind != "wachtkamer":  # a host room's label and location are the host's
        data = {k: v for k, v in data.items() if k not in TEXTS}
    try:
        update = PlaceUpdate.model_validate(data)
    except ValidationError as exc:
        return place_page(request, principal, place, form, _errors(exc), 422)
    try:
        with db.begin_nested():
            service.update_place(db, principal=principal, place=place, data=update)
    except OnderdakError as exc:
        db.refresh(place)
        return place_page(request, principal, place, form, _coded(exc), exc.status_code)
    return RedirectResponse(f"/plaatsen/{place.id}?msg=saved", status_code=303)


@router.post("/plaatsen/{place_id:int}/pauzeren", dependencies=[Depends(verify_csrf)])
async def pause_place(request: Request, place_id: int, db: DbSession, principal: Manager) -> Response:
    place = service.get_place(db, principal=principal, place_id=place_id)
    raw = await request.form()
    try:
        pause = PauseCreate.model_validate(
            {"until": str(raw.get("until", "")) or None, "reason": str(raw.get("pause_reason", "")).strip()}
        )
    except ValidationError as exc:
        errors = {("pause_reason" if k == "reason" else k): v for k, v in _errors(exc).items()}
        return place_page(request, principal, place, None, errors, 422)
    try:
        with db.begin_nested():
            service.pause_place(db, principal=principal, place=place, until=pause.until, reason=pause.reason)
    except OnderdakError as exc:
        return place_page(request, principal, place, None, _coded(exc), exc.status_code)
    return RedirectResponse(f"/plaatsen/{place.id}?msg=paused", status_code=303)
