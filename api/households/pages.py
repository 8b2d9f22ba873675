"""Intake pages: a new household from an eviction notice and the CSV import.

The household's own page, with its placements, is a page of :mod:`api.placements.pages`.

The form and the import use the same schema (:class:`HouseholdCreate`) as the API, so a
rule is checked once. A form with problems comes back with the input kept and every
message next to its field (422).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.auth.dependencies import DbSession, require_roles
from api.core import audit, clock, error_codes
from api.core.csrf import verify_csrf
from api.core.errors import OnderdakError
from api.core.list_page import render_list
from api.core.listing import ListQuery, list_query, page_query
from api.core.models import Municipality
from api.core.principal import Principal
from api.core.templating import render
from api.households import importer, listing, service
from api.households.models import CaseWorker, Household
from api.households.schemas import HouseholdCreate, HouseholdUpdate, PriorityOverride

router = APIRouter(include_in_schema=False)

CanRegister = Annotated[Principal, Depends(require_roles("crisis_team", "case_worker"))]
CrisisTeam = Annotated[Principal, Depends(require_roles("crisis_team"))]
Viewer = Annotated[Principal, Depends(require_roles("crisis_team", "case_worker", "coordinator"))]
MEMBER_ROWS = 6
FLAGS = ("pets", "needs_accessible", "medical_need", "accepts_host")


def _form_to_data(form: dict[str, str]) -> dict[str, Any]:
    members = []
    for i in range(MEMBER_ROWS):
        name, born = form.get(f"member_name_{i}", "").strip(), form.get(f"member_birth_{i}", "").strip()
        if name or born:
            members.append({"first_name": name, "birth_date": born or None})
    eviction: dict[str, Any] = {
        "announced_date": form.get("announced_date") or None,
        "eviction_date": form.get("eviction_date") or None,
        "eviction_time": form.get("eviction_time") or None,
        "bailiff_reference": form.get("bailiff_reference", "").strip(),
        "household_goods": form.get("household_goods", "").strip() or None,
    }
    return {
        "display_name": form.get("display_name", "").strip(),
        "origin_postcode": form.get("origin_postcode", "").strip() or None,
        "origin_house_number": form.get("origin_house_number", "").strip() or None,
        "origin_lat": form.get("origin_lat") or None,
        "origin_lon": form.get("origin_lon") or None,
        **{flag: form.get(flag) == "on" for flag in FLAGS},
        "members": members,
        "eviction": eviction,
    }


def _field_of(loc: tuple[Any, ...]) -> str:
    if not loc:
        return "form"
    if loc[0] == "members":
        if len(loc) >= 3:
            return f"member_{'name' if loc[2] == 'first_name' else 'birth'}_{loc[1]}"
        return "members"
    if loc[0] == "eviction":
        return str(loc[1]) if len(loc) > 1 else "eviction_date"
    return str(loc[0])


def _intake(
    request: Request, db: Session, principal: Principal, form: dict[str, str], errors: dict[str, str], status: int = 200
) -> Response:
    municipality = db.get(Municipality, principal.municipality_id)
    return render(
        request,
        "households/new.html",
        {"form": form, "errors": errors, "member_rows": range(MEMBER_ROWS), "municipality": municipality},
        status_code=status,
    )


@router.get("/huishoudens", response_class=HTMLResponse)
def household_list(
    request: Request,
    db: DbSession,
    principal: Viewer,
    query: Annotated[ListQuery, Depends(list_query)],
    status: str | None = None,
) -> Response:
    """The households of the municipality, 50 a page, with search, status and eviction-date filters."""
    page = listing.household_page(db, municipality_id=principal.municipality_id, query=page_query(query, status))
    ids = [h.id for h in page.rows]
    audit.record(db, principal=principal, action="read", object_type="household", detail={"ids": ids})
    can_register = principal.role in ("crisis_team", "case_worker")
    return render_list(
        request,
        heading="Huishoudens",
        path="/huishoudens",
        export_path="/api/households/export",
        page=page,
        columns=listing.COLUMNS,
        statuses=listing.STATUSES,
        status_labels=listing.STATUS_LABELS,
        day_label="Ontruiming",
        actions=[("/huishoudens/nieuw", "Nieuw huishouden"), ("/huishoudens/import", "CSV importeren")]
        if can_register
        else [],
    )


@router.get("/huishoudens/nieuw", response_class=HTMLResponse)
def new_household_form(request: Request, db: DbSession, principal: CanRegister) -> Response:
    municipality = db.get(Municipality, principal.municipality_id)
    del municipality  # the location now comes from postcode + house number (api.core.geocoding)
    form = {"accepts_host": "on", "announced_date": clock.today().isoformat()}
    return _intake(request, db, principal, form, {})


@router.post("/huishoudens/nieuw", dependencies=[Depends(verify_csrf)])
async def new_household(request: Request, db: DbSession, principal: CanRegister) -> Response:
    raw = await request.form()
    form = {k: str(v) for k, v in raw.items() if k != "csrf_token"}
    try:
        data = HouseholdCreate.model_validate(_form_to_data(form))
    except ValidationError as exc:
        errors: dict[str, str] = {}
        for err in exc.errors():
            errors.setdefault(_field_of(tuple(err["loc"])), error_codes.pydantic_message(dict(err)))
        return _intake(request, db, principal, form, errors, 422)
    # As before the geocoder: a form without address or coordinates starts at the municipality's centre
    # (the form used to be filled with it), now marked "locatie bij benadering" so the team corrects it.
    centre = data.origin_postcode is None and data.origin_lat is None and data.origin_lon is None
    municipality = db.get(Municipality, principal.municipality_id) if centre else None
    if municipality is not None:
        data = data.model_copy(update={"origin_lat": municipality.lat, "origin_lon": municipality.lon})
    try:
        with db.begin_nested():
            household = service.create_household(db, municipality_id=principal.municipality_id, data=data)
            if municipality is not None:
                household.origin_approximate = True
            audit.record(db, principal=principal, action="create", object_type="household", object_id=household.id)
    except OnderdakError as exc:
        return _intake(request, db, principal, form, _errors_of(exc), exc.status_code)
    return RedirectResponse(f"/huishoudens/{household.id}?nieuw=1", status_code=303)


def _errors_of(exc: OnderdakError) -> dict[str, str]:
    """Each problem at its field (the last part of its ``loc``), else at the top of the form."""
    errors: dict[str, str] = {}
    for problem in exc.problems:
        loc = [p for p in problem.loc if isinstance(p, str) and p not in error_codes.LOCATIONS]
        errors.setdefault(loc[-1] if loc else "form", problem.message)
    return errors


# ---------------------------------------------------------------- the case file: edit and override


def _edit_form_of(household: Household) -> dict[str, str]:
    form = {
        "display_name": household.display_name,
        "origin_postcode": household.origin_postcode or "",
        "origin_house_number": household.origin_house_number or "",
        "case_worker_id": str(household.case_worker_id or ""),
        **{flag: "on" for flag in FLAGS if getattr(household, flag)},
    }
    for i, member in enumerate(household.members[:MEMBER_ROWS]):
        form[f"member_name_{i}"] = member.first_name
        form[f"member_birth_{i}"] = member.birth_date.isoformat()
    return form


def _edit_data(form: dict[str, str]) -> dict[str, Any]:
    data = _form_to_data(form)
    data.pop("eviction")
    data["case_worker_id"] = form.get("case_worker_id") or None
    if not data["origin_lat"] and not data["origin_lon"]:
        data.pop("origin_lat")
        data.pop("origin_lon")
    return data


def edit_page(
    request: Request,
    db: Session,
    principal: Principal,
    household: Household,
    form: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    """The edit page of the case file; also what the close form (api.placements.closing) answers with."""
    return render(
        request,
        "households/edit.html",
        {
            "household": household,
            "form": form if form is not None else _edit_form_of(household),
            "errors": errors or {},
            "member_rows": range(MEMBER_ROWS),
            "case_workers": db.scalars(
                select(CaseWorker)
                .where(CaseWorker.municipality_id == household.municipality_id)
                .order_by(CaseWorker.name)
            ).all(),
            "can_override": principal.role == "crisis_team",
        },
        status_code=status,
    )


@router.get("/huishoudens/{household_id:int}/bewerken", response_class=HTMLResponse)
def edit_form(request: Request, household_id: int, db: DbSession, principal: CanRegister) -> Response:
    household = service.get_household(db, principal=principal, household_id=household_id)
    audit.record(
        db, principal=principal, action="read", object_type="household", object_id=household.id, detail={"view": "edit"}
    )
    return edit_page(request, db, principal, household)


@router.post("/huishoudens/{household_id:int}/bewerken", dependencies=[Depends(verify_csrf)])
async def edit(request: Request, household_id: int, db: DbSession, principal: CanRegister) -> Response:
    """Save the case file: the same schema and service as ``PATCH /api/households/{id}``."""
    household = service.get_household(db, principal=principal, household_id=household_id)
    raw = await request.form()
    form = {k: str(v) for k, v in raw.items() if k != "csrf_token"}
    try:
        data = HouseholdUpdate.model_validate(_edit_data(form))
    except ValidationError as exc:
        errors: dict[str, str] = {}
        for err in exc.errors():
            errors.setdefault(_field_of(tuple(err["loc"])), error_codes.pydantic_message(dict(err)))
        return edit_page(request, db, principal, household, form, errors, 422)
    try:
        with db.begin_nested():
            service.update_household(db, principal=principal, household=household, data=data)
    except OnderdakError as exc:
        db.refresh(household)
        return edit_page(request, db, principal, household, form, _errors_of(exc), exc.status_code)
    return RedirectResponse(f"/huishoudens/{household.id}?msg=saved", status_code=303)


@router.post("/huishoudens/{household_id:int}/voorrang", dependencies=[Depends(verify_csrf)])
async def priority_override(request: Request, household_id: int, db: DbSession, principal: CrisisTeam) -> Response:
    """The crisis team's precedence decision from the case file, with its reason (audited)."""
    household = service.get_household(db, principal=principal, household_id=household_id)
    raw = await request.form()
    form = {k: str(v) for k, v in raw.items() if k != "csrf_token"}
    try:
        data = PriorityOverride(active=form.get("active") == "on", reason=form.get("override_reason", "").strip())
    except ValidationError as exc:
        message = error_codes.pydantic_message(dict(exc.errors()[0]))
        return edit_page(request, db, principal, household, None, {"override_reason": message}, 422)
    try:
        with db.begin_nested():
            service.set_priority_override(db, principal=principal, household=household, data=data)
    except OnderdakError as exc:
        return edit_page(request, db, principal, household, None, {"override_reason": exc.message}, exc.status_code)
    return RedirectResponse(f"/huishoudens/{household.id}?msg=priority", status_code=303)


@router.get("/huishoudens/import", response_class=HTMLResponse)
def import_form(request: Request, _principal: CanRegister) -> Response:
    return render(
        request,
        "households/import.html",
        {"example": importer.EXAMPLE, "columns": importer.COLUMNS, "required": importer.REQUIRED},
    )


@router.post("/huishoudens/import", dependencies=[Depends(verify_csrf)])
def import_upload(
    request: Request, db: DbSession, principal: CanRegister, file: Annotated[UploadFile, File()]
) -> Response:
    content = file.file.read(importer.MAX_BYTES + 1)
    context: dict[str, Any] = {
        "example": importer.EXAMPLE,
        "columns": importer.COLUMNS,
        "required": importer.REQUIRED,
        "filename": file.filename,
    }
    try:
        with db.begin_nested():
            created = importer.import_csv(db, principal=principal, content=content)
    except OnderdakError as exc:
        context["problems"] = exc.problems
        return render(request, "households/import.html", context, status_code=exc.status_code)
    context["created"] = created
    return render(request, "households/import.html", context, status_code=201)
