"""The daily matching page ("Dagelijkse matching") and the monthly report page.

Same services as the API: the button calls ``run_daily_matching``, the confirm and reject
buttons call the placement service. A refused action re-renders the page with the message
and the HTTP status of the error (409 conflict, 422 missing reason or rule breach), and
nothing is changed.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.auth.dependencies import DbSession, require_roles
from api.core import clock, i18n
from api.core.csrf import verify_csrf
from api.core.errors import InvalidInput, NotFound, OnderdakError
from api.core.listing import ListQuery, list_query, page_query
from api.core.models import Municipality
from api.core.principal import Principal
from api.core.templating import render
from api.hosts import vetting
from api.households.models import Household
from api.matching import bulk, decisions, listing, service, views
from api.placements import report as report_service
from api.placements.models import OUTCOMES
from api.places.models import Place

router = APIRouter(include_in_schema=False)

CrisisTeam = Annotated[Principal, Depends(require_roles("crisis_team"))]
Viewer = Annotated[Principal, Depends(require_roles("crisis_team", "case_worker", "coordinator"))]

MESSAGES = {
    "run": "De matching is gedraaid.",
    "reused": "Er is niets veranderd sinds de vorige matching: dezelfde voorstellen.",
    "confirmed": "Het voorstel is bevestigd. De plaatsingsbrief staat klaar.",
    "rejected": "Het voorstel is afgewezen. Deze combinatie komt niet meer terug.",
    "manual": "De plaatsing buiten de voorstellen is vastgelegd.",
    "offered": "Het aanbod is verstuurd. De gastgever of de Wachtkamer antwoordt via de link.",
}


def _parse_day(value: str | None) -> date:
    if not value:
        return clock.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(code="input.invalid_date_text", loc=("query", "date"), value=repr(value)) from None


SECTION_ROWS = 50  # waiting households, free places and unplaced shown on the page; the full lists are a link away


def daily_context(
    db: Session, principal: Principal, day: date, query: ListQuery | None = None, unplaced_offset: int = 0
) -> dict[str, Any]:
    """The compact daily page: counts on top, one page of proposals, the first rows of the other sections.

    Its size no longer grows with the data (200 KiB at most at ten times the demo, see benchmarks/)."""
    query = page_query(query or ListQuery(), (query.status if query else None))
    inputs = service.clock_inputs(db, principal.municipality_id)  # once for the page's three views of the instance
    instance = service.instance_for(db, municipality_id=principal.municipality_id, day=day, inputs=inputs)
    waiting, free = service.day_lists(
        db, municipality_id=principal.municipality_id, day=day, instance=instance, inputs=inputs
    )
    run = service.latest_run(db, municipality_id=principal.municipality_id, day=day)
    # kept per data version, like the instance above: the staleness check does not build it again
    run_view = views.run_read(db, run, with_proposals=False) if run else None
    proposals = listing.proposal_page(db, run_id=run.id, query=query) if run else None
    counts = listing.status_counts(db, run_id=run.id) if run else {}
    pending = service.pending_changes(db, run, instance, inputs) if run else None
    municipality = db.get(Municipality, principal.municipality_id)
    unplaced = run_view.unplaced if run_view else []
    unplaced_offset = max(0, min(unplaced_offset, max(0, len(unplaced) - 1)))
    return {
        "held_back": vetting.held_back_descriptions(db, municipality_id=principal.municipality_id, day=day),
        "day": day,
        "prev_day": day - timedelta(days=1),
        "next_day": day + timedelta(days=1),
        "municipality": municipality,
        "waiting": waiting[:SECTION_ROWS],
        "waiting_total": len(waiting),
        "free_places": free[:SECTION_ROWS],
        "free_total": len(free),
        "run": run_view,
        "proposals": proposals,
        "query": query,
        "counts": counts,
        "proposal_statuses": listing.STATUSES,
        "proposal_status_label": lambda s: i18n.gettext(listing.STATUS_LABELS.get(s) or s),
        "unplaced": unplaced[unplaced_offset : unplaced_offset + SECTION_ROWS],
        "unplaced_total": len(unplaced),
        "unplaced_offset": unplaced_offset,
        "section_rows": SECTION_ROWS,
        "pending": pending,
        "policy": instance["policy"],
        "horizon": instance["horizon_days"],
        "can_decide": principal.role == "crisis_team",
        "all_places": sorted(free[:SECTION_ROWS], key=lambda x: x.reference),
        "outcomes": OUTCOMES,
    }


def _page(request: Request, db: Session, principal: Principal, day: date, status: int = 200, **extra: Any) -> Response:
    context = daily_context(db, principal, day)
    context.update(extra)
    return render(request, "matching/daily.html", context, status_code=status)


def _back(day: date, msg: str, anchor: str = "") -> RedirectResponse:
    return RedirectResponse(f"/matching?date={day.isoformat()}&msg={msg}{anchor}", status_code=303)


@router.get("/matching", response_class=HTMLResponse)
def daily_page(
    request: Request,
    db: DbSession,
    principal: Viewer,
    query: Annotated[ListQuery, Depends(list_query)],
    date: str | None = None,
    msg: str | None = None,
    status: str | None = None,
    u_offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> Response:
    """The proposals are a list like the others (``q``, ``status``, ``sort``, ``offset``), 50 a page."""
    day = _parse_day(date)
    context = daily_context(db, principal, day, query.with_status(status), unplaced_offset=u_offset)
    context["message"] = MESSAGES.get(msg or "")
    return render(request, "matching/daily.html", context)


@router.post("/matching/voorstellen/bulk", dependencies=[Depends(verify_csrf)])
async def bulk_button(request: Request, db: DbSession, principal: CrisisTeam) -> Response:
    """The checked proposals, confirmed or rejected each on its own; the page says how many went through."""
    form = await request.form()
    day = _parse_day(str(form.get("date") or ""))
    ids: list[int] = []
    for value in form.getlist("proposal_ids"):
        if not str(value).isdigit():
            raise InvalidInput(code="input.invalid_int", loc=("form", "proposal_ids"), field="proposal_ids")
        ids.append(int(str(value)))
    action = str(form.get("action") or "")
    reason = str(form.get("reason") or "")[:2000]
    try:
        result = bulk.decide(db, principal=principal, action=action, proposal_ids=ids, reason=reason)
    except OnderdakError as exc:
        return _page(request, db, principal, day, exc.status_code, error=exc.message, bulk_reason=reason)
    context = daily_context(db, principal, day)
    context.update(bulk=result, message=result.summary, bulk_reason=reason if result.failed else "")
    return render(request, "matching/daily.html", context)


@router.post("/matching/run", dependencies=[Depends(verify_csrf)])
def run_button(request: Request, db: DbSession, principal: CrisisTeam, date: Annotated[str, Form()] = "") -> Response:
    day = _parse_day(date)
    try:
        with db.begin_nested():  # a refusal rolls back to here and the page can still be drawn
            run = service.run_daily_matching(
                db,
                municipality_id=principal.municipality_id,
                day=day,
                run_by=principal.user_id,
                run_by_label=principal.email,
                principal=principal,
            )
    except OnderdakError as exc:
        return _page(request, db, principal, day, exc.status_code, error=exc.message)
    return _back(day, "reused" if run.reused else "run", "#voorstellen")


def _proposal_day(db: Session, principal: Principal, proposal_id: int) -> date:
    return service.get_proposal(db, principal=principal, proposal_id=proposal_id).run.planning_date


@router.post("/matching/voorstellen/{proposal_id}/bevestigen", dependencies=[Depends(verify_csrf)])
def confirm_button(request: Request, proposal_id: int, db: DbSession, principal: CrisisTeam) -> Response:
    day = _proposal_day(db, principal, proposal_id)
    try:
        with db.begin_nested():
            decisions.confirm_proposal(db, principal=principal, proposal_id=proposal_id)
    except OnderdakError as exc:
        return _page(request, db, principal, day, exc.status_code, error=exc.message, error_proposal=proposal_id)
    return _back(day, "confirmed", f"#voorstel-{proposal_id}")


@router.post("/matching/voorstellen/{proposal_id}/afwijzen", dependencies=[Depends(verify_csrf)])
def reject_button(
    request: Request,
    proposal_id: int,
    db: DbSession,
    principal: CrisisTeam,
    reason: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    day = _proposal_day(db, principal, proposal_id)
    try:
        with db.begin_nested():
            decisions.reject_proposal(db, principal=principal, proposal_id=proposal_id, reason=reason)
    except OnderdakError as exc:
        return _page(
            request, db, principal, day, exc.status_code, error=exc.message, error_proposal=proposal_id, reason=reason
        )
    return _back(day, "rejected", f"#voorstel-{proposal_id}")


def _by_reference(
    db: Session,
    principal: Principal,
    model: type[Household] | type[Place],
    reference: str,
    field: str,
    chosen: int | None,
) -> int:
    """The id of a typed reference of the caller's municipality, else the id chosen in the select."""
    text = reference.strip()
    if text:
        found = db.scalar(
            select(model.id).where(model.municipality_id == principal.municipality_id, model.reference == text)
        )
        if found is None:
            code = "household.not_found" if model is Household else "place.not_found"
            raise NotFound(code=code, loc=("form", field.replace("_id", "_reference")))
        return int(found)
    if chosen is None:
        raise InvalidInput(code="input.missing", loc=("form", field), field=field)
    return chosen


@router.post("/matching/handmatig", dependencies=[Depends(verify_csrf)])
def manual_button(
    request: Request,
    db: DbSession,
    principal: CrisisTeam,
    household_id: Annotated[int | None, Form()] = None,
    place_id: Annotated[int | None, Form()] = None,
    household_reference: Annotated[str, Form(max_length=32)] = "",
    place_reference: Annotated[str, Form(max_length=32)] = "",
    reason: Annotated[str, Form(max_length=2000)] = "",
    date: Annotated[str, Form()] = "",
) -> Response:
    """The selects hold the first 50 waiting households and free places; a typed reference reaches any other."""
    day = _parse_day(date)
    try:
        with db.begin_nested():
            household_id = _by_reference(db, principal, Household, household_reference, "household_id", household_id)
            place_id = _by_reference(db, principal, Place, place_reference, "place_id", place_id)
            decisions.place_manually(
                db, principal=principal, household_id=household_id, place_id=place_id, reason=reason, day=day
            )
    except OnderdakError as exc:
        form = {
            "household_id": household_id,
            "place_id": place_id,
            "household_reference": household_reference,
            "place_reference": place_reference,
            "reason": reason,
        }
        return _page(request, db, principal, day, exc.status_code, manual_error=exc.message, manual=form)
    return _back(day, "manual", "#handmatig")


@router.get("/rapportage", response_class=HTMLResponse)
def report_page(request: Request, db: DbSession, principal: Viewer, month: str | None = None) -> Response:
    month = month or f"{clock.today():%Y-%m}"
    data = report_service.month_report(db, municipality_id=principal.municipality_id, month=month)
    first, _ = report_service.parse_month(month)
    prev = (first - timedelta(days=1)).strftime("%Y-%m")
    nxt = (first + timedelta(days=32)).strftime("%Y-%m")
    municipality = db.get(Municipality, principal.municipality_id)
    return render(
        request,
        "matching/report.html",
        {"report": data, "month_first": first, "prev": prev, "next": nxt, "municipality": municipality},
    )
