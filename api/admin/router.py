"""Admin area: the audit trail (view, CSV/JSON export) and the accounts of the admin's municipality.

Only the ``admin`` role, only its own municipality (another municipality's account is a 404).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import ValidationError

from api.admin import service
from api.admin.models import AdminChange
from api.admin.schemas import (
    AccountCreate,
    AccountRead,
    AccountUpdate,
    AdminChangeRead,
    AuditEventRead,
    AuditPage,
    TokensRevoked,
)
from api.auth.dependencies import DbSession, require_roles
from api.core import audit, clock, error_codes
from api.core.csrf import verify_csrf
from api.core.error_schema import file_response
from api.core.errors import Conflict, Forbidden, InvalidInput, OnderdakError
from api.core.export import XLSX_TYPE, Column, download
from api.core.principal import Principal
from api.core.templating import DEFAULT_THEME_COLOUR, flash, render
from api.rules import norms as rules_norms
from api.rules.schemas import NormsCreate

router = APIRouter(tags=["admin"])

Admin = Annotated[Principal, Depends(require_roles("admin"))]
MAX_ID = 2**31 - 1
UserId = Annotated[int, Path(ge=1, le=MAX_ID)]


def _day(value: str | None, name: str) -> date | None:
    """A day from the filter form; an empty field (the form sends ``since=``) means no limit."""
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(code="input.invalid_date_text", loc=("query", name), value=repr(value)) from None


# Documented as a date; read by _day (an empty value, as the filter form sends it, means no limit).
DAY: dict[str, Any] = {"json_schema_extra": {"format": "date"}}


def audit_filter(
    since: Annotated[str | None, Query(max_length=10, description="first day (inclusive), YYYY-MM-DD", **DAY)] = None,
    until: Annotated[str | None, Query(max_length=10, description="last day (inclusive), YYYY-MM-DD", **DAY)] = None,
    action: Annotated[str | None, Query(max_length=32)] = None,
    object_type: Annotated[str | None, Query(max_length=48)] = None,
    object_id: Annotated[str | None, Query(max_length=64)] = None,
    user_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
) -> service.AuditFilter:
    first, last = _day(since, "since"), _day(until, "until")

    def start(day: date | None) -> datetime | None:
        return datetime.combine(day, time.min, tzinfo=UTC) if day else None

    return service.AuditFilter(
        since=start(first),
        until=start(last + timedelta(days=1)) if last and last < date.max else None,
        action=action or None,
        object_type=object_type or None,
        object_id=object_id or None,
        user_id=user_id,
    )


Filter = Annotated[service.AuditFilter, Depends(audit_filter)]


@router.get("/api/admin/audit", response_model=AuditPage)
def audit_events(
    db: DbSession,
    principal: Admin,
    flt: Filter,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> AuditPage:
    total = service.count_events(db, municipality_id=principal.municipality_id, flt=flt)
    items = service.list_events(db, principal=principal, flt=flt, limit=limit, offset=offset)
    rows = [AuditEventRead.model_validate(i, from_attributes=True) for i in items]
    return AuditPage(total=total, limit=limit, offset=offset, items=rows)


def _download(body: str, media_type: str, fmt: str) -> Response:
    stamp = clock.now().strftime("%Y%m%d-%H%M%S")
    return Response(
        body,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="onderdak-audit-{stamp}.{fmt}"'},
    )


@router.get(
    "/api/admin/audit.csv",
    response_class=Response,
    responses={200: {"content": {"text/csv": {"schema": {"type": "string"}}}, "description": "the trail as CSV"}},
)
def export_audit_csv(db: DbSession, principal: Admin, flt: Filter) -> Response:
    return _download(
        service.export_events(db, principal=principal, flt=flt, fmt="csv"), "text/csv; charset=utf-8", "csv"
    )


@router.get(
    "/api/admin/audit.json",
    response_class=Response,
    responses={200: {"content": {"application/json": {"schema": {"type": "object"}}}, "description": "the trail"}},
)
def export_audit_json(db: DbSession, principal: Admin, flt: Filter) -> Response:
    return _download(service.export_events(db, principal=principal, flt=flt, fmt="json"), "application/json", "json")


AUDIT_COLUMNS = (
    Column("Tijdstip", lambda e: e.at),
    Column("Gebruiker", lambda e: e.user_email or e.user_id),
    Column("Handeling", lambda e: e.action),
    Column("Soort gegeven", lambda e: e.object_type),
    Column("Nummer", lambda e: e.object_id),
    Column("Adres", lambda e: e.remote_addr),
    Column("Details", lambda e: json.dumps(e.detail, sort_keys=True, ensure_ascii=False) if e.detail else None),
)


@router.get(
    "/api/admin/audit.xlsx",
    response_class=Response,
    responses=file_response(XLSX_TYPE, description="the filtered trail (XLSX)"),
)
def export_audit_xlsx(db: DbSession, principal: Admin, flt: Filter) -> Response:
    """The filtered trail with the audit page's columns, newest first (the export itself is recorded)."""
    rows = service.list_events(db, principal=principal, flt=flt, limit=service.MAX_EXPORT_ROWS)
    detail = {"rows": len(rows), "format": "xlsx"}
    audit.record(db, principal=principal, action="export", object_type="audit_event", detail=detail)
    return download("xlsx", name="audit", columns=AUDIT_COLUMNS, rows=rows)


@router.get("/api/admin/accounts", response_model=list[AccountRead])
def list_accounts(db: DbSession, principal: Admin) -> list[AccountRead]:
    return [AccountRead.model_validate(u) for u in service.list_accounts(db, principal=principal)]


PENDING: dict[int | str, dict[str, Any]] = {
    202: {
        "model": AdminChangeRead,
        "description": "four eyes: the change waits for a second administrator (GET /api/admin/changes)",
    }
}
ChangeId = Annotated[int, Path(ge=1, le=MAX_ID)]


def _pending(change: object) -> JSONResponse:
    return JSONResponse(AdminChangeRead.model_validate(change).model_dump(mode="json"), status_code=202)


@router.post(
    "/api/admin/accounts",
    response_model=AccountRead,
    status_code=201,
    responses=PENDING,
    dependencies=[Depends(verify_csrf)],
)
def create_account(body: AccountCreate, db: DbSession, principal: Admin) -> AccountRead | JSONResponse:
    """A non-admin account is created at once (201); an administrator waits for a second admin (202)."""
    if body.role == "admin":
        return _pending(
            service.request_admin_account(db, principal=principal, email=body.email, password=body.password)
        )
    user = service.create_account(db, principal=principal, email=body.email, role=body.role, password=body.password)
    return AccountRead.model_validate(user)


@router.patch(
    "/api/admin/accounts/{user_id}", response_model=AccountRead, responses=PENDING, dependencies=[Depends(verify_csrf)]
)
def update_account(user_id: UserId, body: AccountUpdate, db: DbSession, principal: Admin) -> AccountRead | JSONResponse:
    """Blocking and unblocking happen at once (200); a new role waits for a second admin (202)."""
    user = service.get_account(db, principal=principal, user_id=user_id)
    change = None
    if body.role is not None and body.role != user.role:
        change = service.request_role_change(db, principal=principal, user=user, role=body.role)
    user = service.update_account(db, principal=principal, user_id=user_id, active=body.active)
    return _pending(change) if change is not None else AccountRead.model_validate(user)


@router.get("/api/admin/changes", response_model=list[AdminChangeRead])
def list_changes(
    db: DbSession,
    principal: Admin,
    status: Annotated[str | None, Query(pattern="^(pending|approved|refused)$")] = None,
) -> list[AdminChangeRead]:
    return [AdminChangeRead.model_validate(c) for c in service.list_changes(db, principal=principal, status=status)]


@router.post(
    "/api/admin/changes/{change_id}/approve", response_model=AdminChangeRead, dependencies=[Depends(verify_csrf)]
)
def approve_change(change_id: ChangeId, db: DbSession, principal: Admin) -> AdminChangeRead:
    """Another administrator of the same municipality carries the change out (never the one who asked)."""
    return AdminChangeRead.model_validate(service.approve_change(db, principal=principal, change_id=change_id))


@router.post(
    "/api/admin/changes/{change_id}/refuse", response_model=AdminChangeRead, dependencies=[Depends(verify_csrf)]
)
def refuse_change(change_id: ChangeId, db: DbSession, principal: Admin) -> AdminChangeRead:
    return AdminChangeRead.model_validate(service.refuse_change(db, principal=principal, change_id=change_id))


@router.post(
    "/api/admin/accounts/{user_id}/revoke-tokens", response_model=TokensRevoked, dependencies=[Depends(verify_csrf)]
)
def revoke_tokens(user_id: UserId, db: DbSession, principal: Admin) -> TokensRevoked:
    return TokensRevoked(revoked=service.revoke_tokens(db, principal=principal, user_id=user_id))


# ---------------------------------------------------------------- pages


@router.get("/admin/audit", response_class=HTMLResponse, include_in_schema=False)
def audit_page(
    request: Request,
    db: DbSession,
    principal: Admin,
    flt: Filter,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    per_page = 100
    total = service.count_events(db, municipality_id=principal.municipality_id, flt=flt)
    items = service.list_events(db, principal=principal, flt=flt, limit=per_page, offset=(page - 1) * per_page)
    query = request.url.query
    return render(
        request,
        "admin/audit.html",
        {
            "events": items,
            "total": total,
            "page": page,
            "pages": max(1, -(-total // per_page)),
            "filters": dict(request.query_params),
            "export_query": "&".join(p for p in query.split("&") if p and not p.startswith("page=")),
        },
    )


@router.get("/admin/accounts", response_class=HTMLResponse, include_in_schema=False)
def accounts_page(request: Request, db: DbSession, principal: Admin) -> Response:
    return render(request, "admin/accounts.html", _accounts_context(db, principal))


def _accounts_context(db: DbSession, principal: Principal, **extra: object) -> dict[str, object]:
    return {"accounts": service.list_accounts(db, principal=principal), "roles": service.STAFF_ROLES, **extra}


@router.post("/admin/accounts", include_in_schema=False, dependencies=[Depends(verify_csrf)])
def create_account_form(
    request: Request,
    db: DbSession,
    principal: Admin,
    email: Annotated[str, Form(max_length=254)] = "",
    role: Annotated[str, Form(max_length=16)] = "",
    password: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """The same checks as the API; on an error the form comes back with the input kept (never the password)."""
    try:
        body = AccountCreate(email=email, role=role, password=password)
        if body.role == "admin":  # four eyes: waits for a second administrator
            service.request_admin_account(db, principal=principal, email=body.email, password=body.password)
        else:
            service.create_account(db, principal=principal, email=body.email, role=body.role, password=body.password)
    except (ValidationError, OnderdakError) as exc:
        errors = _form_errors(exc)
        context = _accounts_context(db, principal, errors=errors, form={"email": email, "role": role})
        return render(request, "admin/accounts.html", context, status_code=422)
    flash(
        request,
        "Het account is aangemaakt."
        if body.role != "admin"
        else "Het beheerdersaccount wacht op een tweede beheerder.",
    )
    return RedirectResponse("/admin/accounts", status_code=303)


def _form_errors(exc: ValidationError | OnderdakError) -> dict[str, str]:
    if isinstance(exc, ValidationError):
        return {str(e["loc"][-1]): error_codes.pydantic_message(dict(e)) for e in exc.errors()}
    return {str(p.loc[-1]) if p.loc else "form": p.message for p in exc.problems}


@router.post("/admin/accounts/{user_id}/active", include_in_schema=False, dependencies=[Depends(verify_csrf)])
def set_active(
    request: Request, user_id: UserId, db: DbSession, principal: Admin, active: Annotated[bool, Form()]
) -> Response:
    service.update_account(db, principal=principal, user_id=user_id, active=active)
    flash(request, "Het account is weer actief." if active else "Het account is uitgeschakeld.")
    return RedirectResponse("/admin/accounts", status_code=303)


# ---------------------------------------------------------------- norms of the Participatiewet (art. 21, per half-year)


def _norms_context(db: DbSession, principal: Principal, **extra: object) -> dict[str, object]:
    return {"norms": rules_norms.list_norms(db, municipality_id=principal.municipality_id), **extra}


@router.get("/beheer/normen", response_class=HTMLResponse, include_in_schema=False)
def norms_page(
    request: Request, db: DbSession, principal: Admin, toegevoegd: Annotated[str, Query(max_length=10)] = ""
) -> Response:
    return render(request, "admin/norms.html", _norms_context(db, principal, added=toegevoegd))


def _amount_text(value: str) -> str:
    """A Dutch amount (``1.401,50`` or ``1401,50``) as the model reads it (``1401.50``)."""
    value = value.strip()
    return value.replace(".", "").replace(",", ".") if "," in value else value


def _norms_errors(exc: ValidationError | OnderdakError) -> dict[str, str]:
    if isinstance(exc, ValidationError):  # the half-year check speaks the page's language
        return {
            str(e["loc"][-1]): error_codes.render("norms.not_half_year", {})
            if e["type"] == "value_error" and e["loc"][-1] == "valid_from"
            else error_codes.pydantic_message(dict(e))
            for e in exc.errors()
        }
    return _form_errors(exc)


@router.post("/beheer/normen", include_in_schema=False, dependencies=[Depends(verify_csrf)])
def add_norms_form(
    request: Request,
    db: DbSession,
    principal: Admin,
    valid_from: Annotated[str, Form(max_length=10)] = "",
    single: Annotated[str, Form(max_length=20)] = "",
    couple: Annotated[str, Form(max_length=20)] = "",
    source: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    """The same model and service as ``POST /api/admin/policy/norms``; errors come back at their field."""
    form = {"valid_from": valid_from, "single": single, "couple": couple, "source": source}
    try:
        body = NormsCreate.model_validate(
            {"valid_from": valid_from, "single": _amount_text(single), "couple": _amount_text(couple), "source": source}
        )
        with db.begin_nested():  # nothing of a refused half-year stays (the service may have flushed it)
            rules_norms.add_norms(db, principal=principal, **body.model_dump())
    except (ValidationError, OnderdakError) as exc:
        context = _norms_context(db, principal, errors=_norms_errors(exc), form=form)
        return render(request, "admin/norms.html", context, status_code=422)
    return RedirectResponse(f"/beheer/normen?toegevoegd={body.valid_from.isoformat()}", status_code=303)


# ---------------------------------------------------------------- four eyes: pending admin changes


def _changes_context(db: DbSession, principal: Principal, **extra: object) -> dict[str, object]:
    """Pending changes first, then the last decided ones; requesters and targets shown by e-mail address."""
    changes = service.list_changes(db, principal=principal)
    emails = {a.id: a.email for a in service.list_accounts(db, principal=principal)}
    return {
        "pending": [c for c in changes if c.status == "pending"],
        "decided": [c for c in changes if c.status != "pending"][:20],
        "emails": emails,
        **extra,
    }


@router.get("/beheer/wijzigingen", response_class=HTMLResponse, include_in_schema=False)
def changes_page(
    request: Request,
    db: DbSession,
    principal: Admin,
    besloten: Annotated[str, Query(pattern="^(|approved|refused)$")] = "",
) -> Response:
    return render(request, "admin/changes.html", _changes_context(db, principal, decided_now=besloten))


@router.post("/beheer/wijzigingen/{change_id}/goedkeuren", include_in_schema=False, dependencies=[Depends(verify_csrf)])
def approve_change_form(request: Request, change_id: ChangeId, db: DbSession, principal: Admin) -> Response:
    return _decide_in_page(request, db, principal, change_id, service.approve_change)


@router.post("/beheer/wijzigingen/{change_id}/weigeren", include_in_schema=False, dependencies=[Depends(verify_csrf)])
def refuse_change_form(request: Request, change_id: ChangeId, db: DbSession, principal: Admin) -> Response:
    return _decide_in_page(request, db, principal, change_id, service.refuse_change)


def _decide_in_page(
    request: Request, db: DbSession, principal: Principal, change_id: int, decide: Callable[..., AdminChange]
) -> Response:
    """The same service as the API (four eyes, audited); its refusal comes back on the page in Dutch."""
    try:
        with db.begin_nested():  # nothing of a refused approval stays (the service may have flushed)
            change = decide(db, principal=principal, change_id=change_id)
    except (Forbidden, Conflict) as exc:
        context = _changes_context(db, principal, error=exc.message, error_id=change_id)
        return render(request, "admin/changes.html", context, status_code=exc.status_code)
    return RedirectResponse(f"/beheer/wijzigingen?besloten={change.status}", status_code=303)


# ---------------------------------------------------------------- the municipality's look (issue 20.7)


@router.get("/beheer/huisstijl", response_class=HTMLResponse, include_in_schema=False)
def theme_page(request: Request, db: DbSession, principal: Admin) -> Response:
    """The colour and logo every page of the municipality shows (over the NL Design System tokens)."""
    municipality = service.get_theme(db, principal=principal)
    form = {"colour": municipality.theme_colour or "", "logo": municipality.logo_path or ""}
    return render(request, "admin/theme.html", {"form": form, "errors": {}, "default": DEFAULT_THEME_COLOUR})


@router.post("/beheer/huisstijl", include_in_schema=False, dependencies=[Depends(verify_csrf)])
def theme_form(
    request: Request,
    db: DbSession,
    principal: Admin,
    colour: Annotated[str, Form(max_length=20)] = "",
    logo: Annotated[str, Form(max_length=300)] = "",
) -> Response:
    """An empty field means Onderdak's default; a refused value comes back at its field, nothing stored."""
    try:
        with db.begin_nested():
            service.set_theme(db, principal=principal, colour=colour, logo=logo)
    except OnderdakError as exc:
        context = {
            "form": {"colour": colour, "logo": logo},
            "errors": _form_errors(exc),
            "default": DEFAULT_THEME_COLOUR,
        }
        return render(request, "admin/theme.html", context, status_code=422)
    flash(request, "De huisstijl is opgeslagen.")
    return RedirectResponse("/beheer/huisstijl", status_code=303)
