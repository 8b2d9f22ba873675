"""Web pages of the hosts domain: the public sign-up (/aanmelden), vetting (/gastgevers) and the host's
own page (/gastgever). Thin: parse the form, call the service, render. Every POST checks the CSRF token;
the public POSTs are rate limited per client IP.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from api.auth import service as auth_service
from api.auth.dependencies import DbSession, optional_principal, require_roles
from api.core import audit, clock
from api.core.config import get_settings
from api.core.csrf import verify_csrf
from api.core.errors import InvalidInput, OnderdakError
from api.core.i18n import gettext as _
from api.core.listing import ListQuery, list_query, page_query
from api.core.principal import Principal
from api.core.ratelimit import RateLimit, client_ip
from api.core.templating import flash, render
from api.hosts import benefit, forms, geo, listing, reconfirm, service, vetting
from api.hosts.labels import label
from api.hosts.models import HOST_MEMBER_STATUSES, HOST_STATUSES, Host
from api.hosts.vetting_models import VETTING_KINDS
from api.places import service as place_service

router = APIRouter(include_in_schema=False, tags=["hosts"])

signup_limit = RateLimit("signup", limit=20, window_s=600)
preview_limit = RateLimit("benefit_preview", limit=60, window_s=600)
confirm_limit = RateLimit("confirm", limit=20, window_s=600)
reconfirm_limit = RateLimit("host_reconfirm", limit=20, window_s=600)

Coordinator = Annotated[Principal, Depends(require_roles("coordinator", "crisis_team"))]
HostUser = Annotated[Principal, Depends(require_roles("host"))]
MaybePrincipal = Annotated[Principal | None, Depends(optional_principal)]


def _render(request: Request, template: str, context: dict[str, Any], status_code: int = 200) -> HTMLResponse:
    return render(request, template, {"label": label, **context}, status_code=status_code)


def _form_dict(form: FormData) -> dict[str, str]:
    return {k: v for k, v in form.items() if isinstance(v, str)}


# ------------------------------------------------------------------ public sign-up


def _signup_context(db: DbSession, parsed: forms.ParsedForm, today: date) -> dict[str, Any]:
    municipalities = service.municipalities(db)
    chosen = next((m for m in municipalities if m.code == parsed.values.get("municipality")), None)
    kept = benefit.retention(db, chosen.id if chosen else None, today)
    preview = None
    if parsed.values.get("on_benefit") == "yes":
        preview = _preview_for(db, parsed.values, chosen.id if chosen else None, today)
    return {
        "f": parsed,
        "v": parsed.values,
        "errors": parsed.errors,
        "municipalities": municipalities,
        "retention": kept,
        "preview": preview,
        "today": today,
        "towns": geo.towns(),
        "member_statuses": HOST_MEMBER_STATUSES,
        "max_rooms": forms.MAX_ROOMS,
        "max_busy": forms.MAX_BUSY,
        "max_members": forms.MAX_MEMBERS,
        "honeypot": forms.HONEYPOT_FIELD,
    }


def _preview_for(db: DbSession, values: dict[str, str], municipality_id: int | None, today: date) -> Any:
    birth = forms._date(values.get("birth_date", ""))  # noqa: SLF001 - same package
    if birth is None or birth > today:
        return None
    mates = []
    for i in range(forms.MAX_MEMBERS):
        m_birth = forms._date(values.get(f"member{i}_birth_date", ""))  # noqa: SLF001
        if m_birth is not None and m_birth <= today:
            mates.append(
                benefit.Housemate(
                    m_birth, values.get(f"member{i}_status", "none"), values.get(f"member{i}_on_benefit") == "1"
                )
            )
    return benefit.preview(db, municipality_id=municipality_id, day=today, host_birth_date=birth, housemates=mates)


@router.get("/aanmelden", response_class=HTMLResponse)
def signup_form(request: Request, db: DbSession, _principal: MaybePrincipal, gemeente: str | None = None) -> Response:
    today = clock.today()
    codes = {m.code for m in service.municipalities(db)}
    code = gemeente if gemeente in codes else get_settings().demo_municipality
    return _render(request, "hosts/signup.html", _signup_context(db, forms.empty_form(code), today))


@router.post("/aanmelden", response_class=HTMLResponse, dependencies=[Depends(verify_csrf), Depends(signup_limit)])
async def signup_submit(request: Request, db: DbSession, _principal: MaybePrincipal) -> Response:
    today = clock.today()
    raw = _form_dict(await request.form())
    if raw.get(forms.HONEYPOT_FIELD, "").strip():
        return RedirectResponse("/aanmelden/bedankt", status_code=303)  # a bot: the same answer, nothing stored
    action = raw.get("action", "submit")
    add = {"add_room": "room", "add_busy": "busy", "add_member": "member"}.get(action)
    codes = {m.code for m in service.municipalities(db)}
    parsed = forms.parse_signup(raw, today=today, municipality_codes=codes, add=add)
    if add or action == "preview":
        parsed.errors.clear()  # adding a row or calculating is not a submission: no messages yet
        return _render(request, "hosts/signup.html", {**_signup_context(db, parsed, today), "focus": add or "preview"})
    if not parsed.ok:
        return _render(request, "hosts/signup.html", _signup_context(db, parsed, today), status_code=422)
    assert parsed.data is not None
    if parsed.data.on_benefit and raw.get("preview_seen") != "1":
        # The host must see what a guest does to the benefit before signing up (issue 7).
        ctx = _signup_context(db, parsed, today)
        return _render(request, "hosts/signup.html", {**ctx, "focus": "preview", "must_see_preview": True})
    service.signup(db, data=parsed.data, today=today, remote_addr=client_ip(request))
    return RedirectResponse("/aanmelden/bedankt", status_code=303)


@router.post(
    "/aanmelden/voorbeeld", response_class=HTMLResponse, dependencies=[Depends(verify_csrf), Depends(preview_limit)]
)
async def benefit_preview(request: Request, db: DbSession) -> Response:
    """The benefit preview as an HTML fragment, for signup.js (the form also shows it without JS)."""
    today = clock.today()
    raw = _form_dict(await request.form())
    municipality = next((m for m in service.municipalities(db) if m.code == raw.get("municipality")), None)
    preview = _preview_for(db, raw, municipality.id if municipality else None, today)
    return _render(request, "hosts/_benefit_preview.html", {"preview": preview, "partial": True})


@router.get("/aanmelden/plaatsen.json")
def towns_json() -> JSONResponse:
    """Town names and coordinates for the map's labels (GeoNames, CC BY 4.0). Public data."""
    data = [{"n": t.name, "lat": t.lat, "lon": t.lon, "p": t.population} for t in geo.towns()]
    return JSONResponse(data, headers={"Cache-Control": "public, max-age=86400"})


@router.get("/aanmelden/bedankt", response_class=HTMLResponse)
def signup_thanks(request: Request, _principal: MaybePrincipal) -> Response:
    return _render(request, "hosts/thanks.html", {})


@router.get("/aanmelden/bevestigen/{token}", response_class=HTMLResponse)
def confirm_page(request: Request, token: str, db: DbSession, _principal: MaybePrincipal) -> Response:
    """A page with a button, not a GET that confirms: mail scanners open links without a person."""
    valid = service.confirmation_is_valid(db, token=token)
    return _render(request, "hosts/confirm.html", {"token": token, "valid": valid}, status_code=200 if valid else 404)


@router.post(
    "/aanmelden/bevestigen/{token}",
    response_class=HTMLResponse,
    dependencies=[Depends(verify_csrf), Depends(confirm_limit)],
)
def confirm_submit(request: Request, token: str, db: DbSession, _principal: MaybePrincipal) -> Response:
    try:
        service.confirm(db, token=token, remote_addr=client_ip(request))
    except OnderdakError:
        return _render(request, "hosts/confirm.html", {"token": token, "valid": False}, status_code=404)
    return _render(request, "hosts/confirm.html", {"token": token, "valid": True, "done": True})


# ------------------------------------------------------------------ vetting by coordinators


@router.get("/gastgevers", response_class=HTMLResponse)
def vetting_list(
    request: Request,
    db: DbSession,
    principal: Coordinator,
    query: Annotated[ListQuery, Depends(list_query)],
    status: str = "pending",
) -> Response:
    """The tabs pick a status (the vetting queue first); search, dates and pages within it."""
    shown = status if status in (*HOST_STATUSES, "all") else "pending"
    page = listing.host_page(
        db, municipality_id=principal.municipality_id, query=page_query(query, None if shown == "all" else shown)
    )
    detail = {"status": shown, "count": len(page.rows)}
    audit.record(db, principal=principal, action="read", object_type="host_list", detail=detail)
    counts = service.status_counts(db, municipality_id=principal.municipality_id)
    return _render(
        request,
        "hosts/list.html",
        {
            "hosts": page.rows,
            "page": page,
            "query": page.query,
            "columns": listing.COLUMNS,
            "status": shown,
            "counts": counts,
            "statuses": HOST_STATUSES,
            "missing": service.checklist_missing,
        },
    )


def _detail(request: Request, db: DbSession, _principal: Principal, host: Host, **extra: Any) -> Response:
    status_code = extra.pop("status_code", 200)
    return _render(
        request,
        "hosts/detail.html",
        {
            "host": host,
            "rooms": place_service.host_rooms(db, host_id=host.id),
            "missing": service.checklist_missing(host),
            "needs_landlord": service.needs_landlord_consent(host),
            "consent_recorded": service.landlord_consent_recorded(host),
            "kept": extra.pop("kept", {}),
            "checklist": service.CHECKLIST,
            "transitions": service.TRANSITIONS,
            "today": clock.today(),
            "vetting_items": vetting.items_of(db, host.id),
            "vetting_labels": vetting.KIND_LABELS,
            "vetting_kinds": VETTING_KINDS,
            "vetting_required": vetting.REQUIRED_KINDS,
            "reconfirmation": reconfirm.latest_of(db, host.id),
            "reconfirm_due": reconfirm.due_at(host),
            "reconfirm_lapsed": host.id in reconfirm.lapsed_hosts(db, municipality_id=host.municipality_id),
            **extra,
        },
        status_code=status_code,
    )


@router.get("/gastgevers/{host_id}", response_class=HTMLResponse)
def vetting_detail(request: Request, host_id: int, db: DbSession, principal: Coordinator) -> Response:
    host = service.get_host(db, principal=principal, host_id=host_id)
    return _detail(request, db, principal, host)


@router.post("/gastgevers/{host_id}/checklist", response_class=HTMLResponse, dependencies=[Depends(verify_csrf)])
async def vetting_checklist(request: Request, host_id: int, db: DbSession, principal: Coordinator) -> Response:
    host = service.get_host(db, principal=principal, host_id=host_id, audit_read=False)
    form = _form_dict(await request.form())
    update = service.ChecklistUpdate(
        identity_seen=form.get("identity_seen") == "1",
        vog_seen=form.get("vog_seen") == "1",
        home_visit_done=form.get("home_visit_done") == "1",
        benefit_checked=form.get("benefit_checked") == "1",
        landlord_consent_date=forms._date(form.get("landlord_consent_date", "")),  # noqa: SLF001
        landlord_consent_by=form.get("landlord_consent_by", "").strip() or None,
        landlord_consent_document=form.get("landlord_consent_document", "").strip() or None,
    )
    nested = db.begin_nested()
    try:
        service.update_checklist(db, principal=principal, host=host, update=update)
        nested.commit()
    except OnderdakError as exc:
        nested.rollback()
        db.refresh(host)
        return _detail(request, db, principal, host, error=exc.message, kept=form, status_code=exc.status_code)
    return RedirectResponse(f"/gastgevers/{host.id}?opgeslagen=1", status_code=303)


def _form_day(value: str, field: str, *, required: bool) -> date | None:
    """A date field of a form: empty is None (or a coded error when required), nonsense a coded error."""
    if not value.strip():
        if required:
            raise InvalidInput(code="vetting.date_required", loc=("body", field))
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInput(code="input.invalid_date_text", loc=("body", field), value=repr(value[:20])) from None


@router.post("/gastgevers/{host_id}/screening", response_class=HTMLResponse, dependencies=[Depends(verify_csrf)])
async def vetting_item_form(request: Request, host_id: int, db: DbSession, principal: Coordinator) -> Response:
    """Record or renew one dated vetting item (the page form of PUT /api/hosts/{id}/vetting/{kind})."""
    host = service.get_host(db, principal=principal, host_id=host_id, audit_read=False)
    form = _form_dict(await request.form())
    try:
        with db.begin_nested():
            done_on = _form_day(form.get("done_on", ""), "done_on", required=True)
            assert done_on is not None
            vetting.record_item(
                db,
                principal=principal,
                host=host,
                kind=form.get("kind", ""),
                done_on=done_on,
                expires_on=_form_day(form.get("expires_on", ""), "expires_on", required=False),
            )
    except InvalidInput as exc:
        field = exc.problems[0].loc[-1] if exc.problems and exc.problems[0].loc else None
        return _detail(
            request,
            db,
            principal,
            host,
            vetting_error=exc.message,
            vetting_error_field=field,
            vetting_kept=form,
            status_code=exc.status_code,
        )
    return RedirectResponse(f"/gastgevers/{host.id}?screening=1#screening", status_code=303)


@router.post("/gastgevers/{host_id}/status", response_class=HTMLResponse, dependencies=[Depends(verify_csrf)])
async def vetting_transition(request: Request, host_id: int, db: DbSession, principal: Coordinator) -> Response:
    host = service.get_host(db, principal=principal, host_id=host_id, audit_read=False)
    form = _form_dict(await request.form())
    nested = db.begin_nested()
    try:
        service.transition(db, principal=principal, host=host, action=form.get("action", ""), reason=form.get("reason"))
        nested.commit()
    except OnderdakError as exc:
        nested.rollback()
        db.refresh(host)
        return _detail(
            request, db, principal, host, error=exc.message, reason=form.get("reason", ""), status_code=exc.status_code
        )
    flash(request, "De status van de gastgever is gewijzigd.")
    return RedirectResponse(f"/gastgevers/{host.id}", status_code=303)


@router.post("/gastgevers/{host_id}/uitnodiging", response_class=HTMLResponse, dependencies=[Depends(verify_csrf)])
def vetting_resend_invite(request: Request, host_id: int, db: DbSession, principal: Coordinator) -> Response:
    """Send the host a new set-password link (the old one expired or got lost)."""
    host = service.get_host(db, principal=principal, host_id=host_id, audit_read=False)
    try:
        service.resend_invite(db, principal=principal, host=host)
    except OnderdakError as exc:
        return _detail(request, db, principal, host, error=exc.message, status_code=exc.status_code)
    return _detail(
        request, db, principal, host, message=_("Er is een nieuwe link gestuurd om een wachtwoord te kiezen.")
    )


# ------------------------------------------------------------------ the host's own page


def _own_host(db: DbSession, principal: Principal) -> Host:
    assert principal.host_id is not None  # role host always has one (ck_user_account_host_role_has_host)
    return service.get_host(db, principal=principal, host_id=principal.host_id, audit_read=False)


def _self_page(request: Request, db: DbSession, principal: Principal, **extra: Any) -> Response:
    host = _own_host(db, principal)
    status_code = extra.pop("status_code", 200)
    return _render(
        request,
        "hosts/self.html",
        {
            "host": host,
            "rooms": place_service.host_rooms(db, host_id=host.id),
            "guests": service.guests_of_host(db, principal=principal, host=host),
            "today": clock.today(),
            "errors": extra.pop("errors", {}),
            **extra,
        },
        status_code=status_code,
    )


@router.get("/gastgever", response_class=HTMLResponse)
def self_service(request: Request, db: DbSession, principal: HostUser) -> Response:
    return _self_page(request, db, principal)


@router.post("/gastgever/status", response_class=HTMLResponse, dependencies=[Depends(verify_csrf)])
async def self_status(request: Request, db: DbSession, principal: HostUser) -> Response:
    host = _own_host(db, principal)
    form = _form_dict(await request.form())
    action = form.get("action", "")
    if action == "withdraw" and form.get("confirm_withdraw") != "1":
        errors = {"confirm_withdraw": _("Vink aan dat u zich wilt afmelden.")}
        return _self_page(request, db, principal, errors=errors, status_code=422)
    nested = db.begin_nested()
    try:
        service.transition(db, principal=principal, host=host, action=action)
        nested.commit()
    except OnderdakError as exc:
        nested.rollback()
        db.refresh(host)
        return _self_page(request, db, principal, error=exc.message, status_code=exc.status_code)
    if action == "withdraw":
        request.session.clear()
        return _render(request, "hosts/withdrawn.html", {"months": host.consent_retention_months})
    flash(request, "Uw status is opgeslagen.")
    return RedirectResponse("/gastgever", status_code=303)


@router.post(
    "/gastgever/kamers/{place_id}/beschikbaarheid", response_class=HTMLResponse, dependencies=[Depends(verify_csrf)]
)
async def self_availability(request: Request, place_id: int, db: DbSession, principal: HostUser) -> Response:
    host = _own_host(db, principal)
    place = place_service.room_of_host(db, place_id=place_id, host_id=host.id)
    form = _form_dict(await request.form())
    start = forms._date(form.get("available_from", ""))  # noqa: SLF001
    until_raw = form.get("available_until", "").strip()
    until = forms._date(until_raw) if until_raw else None  # noqa: SLF001
    errors: dict[str, str] = {}
    if start is None:
        errors[f"p{place.id}_available_from"] = _("Vul een geldige datum in.")
    if until_raw and until is None:
        errors[f"p{place.id}_available_until"] = _("Dit is geen geldige datum.")
    elif start and until and until <= start:
        errors[f"p{place.id}_available_until"] = _("De einddatum moet na de begindatum liggen.")
    if errors or start is None:
        return _self_page(request, db, principal, errors=errors, kept=form, status_code=422)
    place_service.change_availability(db, principal=principal, place=place, available_from=start, available_until=until)
    flash(request, "Uw beschikbaarheid is opgeslagen.")
    return RedirectResponse("/gastgever", status_code=303)


@router.post("/gastgever/kamers/{place_id}/bezet", response_class=HTMLResponse, dependencies=[Depends(verify_csrf)])
async def self_busy_add(request: Request, place_id: int, db: DbSession, principal: HostUser) -> Response:
    host = _own_host(db, principal)
    place = place_service.room_of_host(db, place_id=place_id, host_id=host.id)
    form = _form_dict(await request.form())
    start, end = forms._date(form.get("start_date", "")), forms._date(form.get("end_date", ""))  # noqa: SLF001
    errors: dict[str, str] = {}
    if start is None:
        errors[f"p{place.id}_start_date"] = _("Vul een geldige datum in.")
    if end is None:
        errors[f"p{place.id}_end_date"] = _("Vul een geldige datum in.")
    elif start and end <= start:
        errors[f"p{place.id}_end_date"] = _("De einddatum moet na de begindatum liggen.")
    if errors or start is None or end is None:
        return _self_page(request, db, principal, errors=errors, kept=form, status_code=422)
    place_service.add_busy_period(db, principal=principal, place=place, start=start, end=end)
    flash(request, "De periode is toegevoegd.")
    return RedirectResponse("/gastgever", status_code=303)


@router.post(
    "/gastgever/kamers/{place_id}/bezet/{period_id}/verwijderen",
    response_class=HTMLResponse,
    dependencies=[Depends(verify_csrf)],
)
def self_busy_remove(request: Request, place_id: int, period_id: int, db: DbSession, principal: HostUser) -> Response:
    host = _own_host(db, principal)
    place = place_service.room_of_host(db, place_id=place_id, host_id=host.id)
    place_service.remove_busy_period(db, principal=principal, place=place, period_id=period_id)
    flash(request, "De periode is verwijderd.")
    return RedirectResponse("/gastgever", status_code=303)


@router.get("/gastgever/wachtwoord/{token}", response_class=HTMLResponse)
def password_page(request: Request, token: str, db: DbSession, _principal: MaybePrincipal) -> Response:
    valid = service.invite_is_valid(db, token=token)
    return _render(request, "hosts/password.html", {"token": token, "valid": valid}, status_code=200 if valid else 404)


@router.post(
    "/gastgever/wachtwoord/{token}",
    response_class=HTMLResponse,
    dependencies=[Depends(verify_csrf), Depends(confirm_limit)],
)
async def password_submit(request: Request, token: str, db: DbSession, _principal: MaybePrincipal) -> Response:
    form = _form_dict(await request.form())
    nested = db.begin_nested()
    try:
        user = service.set_password(db, token=token, password=form.get("password", ""), repeat=form.get("repeat", ""))
        nested.commit()
    except OnderdakError as exc:
        nested.rollback()
        valid = service.invite_is_valid(db, token=token)
        field = exc.problems[0].loc[-1] if exc.problems and exc.problems[0].loc else "password"
        return _render(
            request,
            "hosts/password.html",
            {"token": token, "valid": valid, "errors": {str(field): exc.message}},
            status_code=exc.status_code,
        )
    request.session.clear()
    request.session["uid"] = user.id
    request.session["sid"] = auth_service.start_web_session(db, user=user)
    return RedirectResponse("/gastgever", status_code=303)


# ------------------------------------------------------------------ reconfirming availability (no account)


def _reconfirm_page(request: Request, db: DbSession, token: str, status_code: int = 200, **extra: Any) -> Response:
    pending = reconfirm.pending_for_token(db, token)
    if pending is None:
        return _render(request, "hosts/reconfirm.html", {"valid": False}, status_code=404)
    host = db.get(Host, pending.host_id)
    assert host is not None
    context = {
        "valid": True,
        "token": token,
        "first_name": host.members[0].first_name if host.members else "",
        "rooms": place_service.host_rooms(db, host_id=host.id),
        "deadline": clock.as_utc(pending.expires_at).astimezone(clock.AMSTERDAM),
        "today": clock.today(),
        **extra,
    }
    return _render(request, "hosts/reconfirm.html", context, status_code=status_code)


@router.get("/beschikbaarheid/{token}", response_class=HTMLResponse)
def reconfirm_page(request: Request, token: str, db: DbSession, _principal: MaybePrincipal) -> Response:
    """The page behind the reconfirmation link: no account; answering takes a button press (mail scanners
    that open links change nothing)."""
    return _reconfirm_page(request, db, token)


@router.post(
    "/beschikbaarheid/{token}/ja",
    response_class=HTMLResponse,
    dependencies=[Depends(verify_csrf), Depends(reconfirm_limit)],
)
def reconfirm_yes(request: Request, token: str, db: DbSession, _principal: MaybePrincipal) -> Response:
    try:
        with db.begin_nested():
            reconfirm.confirm(db, token=token)
    except OnderdakError:
        return _render(request, "hosts/reconfirm.html", {"valid": False}, status_code=404)
    return _render(request, "hosts/reconfirm.html", {"valid": False, "confirmed": True})


@router.post(
    "/beschikbaarheid/{token}/pauze",
    response_class=HTMLResponse,
    dependencies=[Depends(verify_csrf), Depends(reconfirm_limit)],
)
async def reconfirm_pause(request: Request, token: str, db: DbSession, _principal: MaybePrincipal) -> Response:
    form = _form_dict(await request.form())
    until_text = form.get("paused_until", "")[:10]
    try:
        with db.begin_nested():
            until = _form_day(until_text, "paused_until", required=False)
            request_row = reconfirm.pause(db, token=token, until=until)
    except InvalidInput as exc:
        return _reconfirm_page(request, db, token, exc.status_code, error=exc.message, paused_until=until_text)
    except OnderdakError:
        return _render(request, "hosts/reconfirm.html", {"valid": False}, status_code=404)
    return _render(request, "hosts/reconfirm.html", {"valid": False, "paused": request_row.paused_until})
