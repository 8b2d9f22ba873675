"""Offer pages: the page behind the link (no account), the team's buttons and list, the decline report.

The link page answers only with a button press (POST with the CSRF token of the visitor's session): mail
scanners that open links accept nothing. A used, revoked or expired link shows one plain message and 404.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.auth.dependencies import DbSession, optional_principal, require_roles
from api.core import clock
from api.core.csrf import verify_csrf
from api.core.errors import InvalidInput, OnderdakError
from api.core.principal import Principal
from api.core.ratelimit import RateLimit
from api.core.templating import render
from api.core.tenancy import RowId
from api.matching import service as matching
from api.matching.models import Proposal
from api.matching.pages import _page as daily_page
from api.offers import reasons, service
from api.offers.models import CONSENT_VIA

router = APIRouter(include_in_schema=False)

# Answers by link come from anyone holding a link: bounded per address like the other public forms.
answer_limit = RateLimit("offer_answer", limit=20, window_s=600)

MaybePrincipal = Annotated[Principal | None, Depends(optional_principal)]
CrisisTeam = Annotated[Principal, Depends(require_roles("crisis_team"))]
Viewer = Annotated[Principal, Depends(require_roles("crisis_team", "case_worker", "coordinator"))]


def _optional_day(value: str, loc: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(code="input.invalid_date_text", loc=("body", loc), value=repr(value)) from None


# ---------------------------------------------------------------- the link (no account)


def _link_page(request: Request, db: DbSession, token: str, status: int = 200, **extra: Any) -> Response:
    offer = service.pending_for_token(db, token)
    if offer is None:
        return render(request, "offers/link.html", {"valid": False}, status_code=404)
    context = {
        "valid": True,
        "token": token,
        "view": service.host_view(db, offer=offer),
        "reasons": reasons.for_party("host"),
        "pause": reasons.PAUSE_PLACE,
        "today": clock.today(),
        **extra,
    }
    return render(request, "offers/link.html", context, status_code=status)


@router.get("/aanbod/{token}", response_class=HTMLResponse)
def link_page(request: Request, token: str, db: DbSession, _principal: MaybePrincipal) -> Response:
    return _link_page(request, db, token)


@router.post(
    "/aanbod/{token}/ja", response_class=HTMLResponse, dependencies=[Depends(verify_csrf), Depends(answer_limit)]
)
def link_accept(request: Request, token: str, db: DbSession, _principal: MaybePrincipal) -> Response:
    try:
        result = service.accept(db, token=token)
    except OnderdakError:
        return render(request, "offers/link.html", {"valid": False}, status_code=404)
    if result.problem:
        return render(request, "offers/link.html", {"valid": False, "void": result.problem}, status_code=409)
    return render(request, "offers/link.html", {"valid": False, "accepted": True, "offer": result.offer})


@router.post(
    "/aanbod/{token}/nee", response_class=HTMLResponse, dependencies=[Depends(verify_csrf), Depends(answer_limit)]
)
def link_decline(
    request: Request,
    token: str,
    db: DbSession,
    _principal: MaybePrincipal,
    reason: Annotated[str, Form(max_length=32)] = "",
    note: Annotated[str, Form(max_length=2000)] = "",
    paused_until: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    form = {"reason": reason, "note": note, "paused_until": paused_until}
    try:
        with db.begin_nested():
            service.decline_by_token(
                db, token=token, reason=reason, note=note, paused_until=_optional_day(paused_until, "paused_until")
            )
    except InvalidInput as exc:
        return _link_page(
            request,
            db,
            token,
            422,
            error=exc.message,
            error_field=exc.problems[0].loc[-1] if exc.problems[0].loc else None,
            form=form,
        )
    except OnderdakError:
        return render(request, "offers/link.html", {"valid": False}, status_code=404)
    return render(request, "offers/link.html", {"valid": False, "declined": True})


# ---------------------------------------------------------------- the team


def _back(day: date, msg: str, anchor: str = "#voorstellen") -> RedirectResponse:
    return RedirectResponse(f"/matching?date={day.isoformat()}&msg={msg}{anchor}", status_code=303)


@router.post("/matching/voorstellen/{proposal_id}/aanbieden", dependencies=[Depends(verify_csrf)])
def offer_button(request: Request, proposal_id: RowId, db: DbSession, principal: CrisisTeam) -> Response:
    day = matching.get_proposal(db, principal=principal, proposal_id=proposal_id).run.planning_date
    try:
        with db.begin_nested():
            service.make_offer(db, principal=principal, proposal_id=proposal_id)
    except OnderdakError as exc:
        return daily_page(request, db, principal, day, exc.status_code, error=exc.message, error_proposal=proposal_id)
    return _back(day, "offered", f"#voorstel-{proposal_id}")


@router.post("/matching/runs/{run_id}/aanbieden", dependencies=[Depends(verify_csrf)])
def offer_all_button(request: Request, run_id: RowId, db: DbSession, principal: CrisisTeam) -> Response:
    """Bulk: every open proposal of the run that is not offered yet (all or nothing)."""
    run = matching.get_run(db, principal=principal, run_id=run_id)
    ids = [p.id for p in run.proposals if p.status == "open" and p.offered_at is None]
    try:
        with db.begin_nested():
            service.make_offers(db, principal=principal, proposal_ids=ids)
    except OnderdakError as exc:
        return daily_page(request, db, principal, run.planning_date, exc.status_code, error=exc.message)
    return _back(run.planning_date, "offered")


def _list_page(request: Request, db: DbSession, principal: Principal, status: int = 200, **extra: Any) -> Response:
    offers = service.list_offers(db, principal=principal)
    proposals = {o.id: db.get(Proposal, o.proposal_id) if o.proposal_id else None for o in offers}
    context = {
        "offers": offers,
        "proposals": proposals,
        "team_reasons": [r for r in reasons.CATALOGUE if r.party in ("household", "team")],
        "pause": reasons.PAUSE_PLACE,
        "consent_via": CONSENT_VIA,
        "can_decide": principal.role == "crisis_team",
        "can_consent": principal.role in ("crisis_team", "case_worker"),
        "message": {"declined": "Het afslaan is vastgelegd.", "consent": "De toestemming is vastgelegd."}.get(
            request.query_params.get("msg", "")
        ),
        **extra,
    }
    return render(request, "offers/list.html", context, status_code=status)


@router.get("/aanbiedingen", response_class=HTMLResponse)
def offers_page(request: Request, db: DbSession, principal: Viewer) -> Response:
    return _list_page(request, db, principal)


@router.post("/aanbiedingen/{offer_id}/afslaan", dependencies=[Depends(verify_csrf)])
def team_decline(
    request: Request,
    offer_id: RowId,
    db: DbSession,
    principal: CrisisTeam,
    reason: Annotated[str, Form(max_length=32)] = "",
    note: Annotated[str, Form(max_length=2000)] = "",
    paused_until: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    try:
        with db.begin_nested():
            service.decline_by_team(
                db,
                principal=principal,
                offer_id=offer_id,
                reason=reason,
                note=note,
                paused_until=_optional_day(paused_until, "paused_until"),
            )
    except OnderdakError as exc:
        return _list_page(request, db, principal, exc.status_code, error=exc.message, error_offer=offer_id)
    return RedirectResponse(f"/aanbiedingen?msg=declined#aanbod-{offer_id}", status_code=303)


@router.post("/aanbiedingen/{offer_id}/toestemming", dependencies=[Depends(verify_csrf)])
def team_consent(
    request: Request,
    offer_id: RowId,
    db: DbSession,
    principal: Annotated[Principal, Depends(require_roles("crisis_team", "case_worker"))],
    given: Annotated[str, Form(max_length=8)] = "",
    by: Annotated[str, Form(max_length=60)] = "",
    via: Annotated[str, Form(max_length=16)] = "",
) -> Response:
    try:
        with db.begin_nested():
            service.record_consent(db, principal=principal, offer_id=offer_id, given=given == "ja", by=by, via=via)
    except OnderdakError as exc:
        return _list_page(request, db, principal, exc.status_code, error=exc.message, error_offer=offer_id)
    return RedirectResponse(f"/aanbiedingen?msg=consent#aanbod-{offer_id}", status_code=303)


@router.get("/aanbiedingen/redenen", response_class=HTMLResponse)
def report_page(request: Request, db: DbSession, principal: Viewer, since: str = "", until: str = "") -> Response:
    start, end = _optional_day(since, "since"), _optional_day(until, "until")
    per_reason, statuses = service.decline_report(db, municipality_id=principal.municipality_id, since=start, until=end)
    return render(
        request,
        "offers/report.html",
        {"per_reason": per_reason, "statuses": statuses, "since": start, "until": end},
    )
