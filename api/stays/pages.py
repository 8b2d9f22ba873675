"""The stay page of a household (``/huishoudens/{id}/verblijf``): what is due, every placement's
introductions, agreement, check-ins, extensions, end and follow-ups, the contact log and a timeline
built from the audit trail; with forms for a check-in and a contact."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select

from api.auth.dependencies import DbSession, require_roles
from api.core import audit, clock
from api.core.csrf import verify_csrf
from api.core.errors import InvalidInput, OnderdakError
from api.core.principal import Principal
from api.core.templating import render
from api.households.service import get_household
from api.placements import service as placements
from api.stays import case_file, outcomes, reminders, service
from api.stays.care import follow_up_days
from api.stays.models import (
    BREAKDOWN_REASONS,
    CHECK_IN_RATINGS,
    CONTACT_CHANNELS,
    DESTINATIONS,
    INTRODUCTION_KINDS,
    INTRODUCTION_OUTCOMES,
    SPOKE_WITH,
    StayAgreement,
    StayBreakdown,
    StayEnd,
    StayIntroduction,
)

router = APIRouter(include_in_schema=False)
router.include_router(case_file.router)
Viewer = Annotated[Principal, Depends(require_roles("crisis_team", "case_worker", "coordinator"))]
CareTeam = Annotated[Principal, Depends(require_roles("crisis_team", "case_worker"))]


def _day(value: str, field: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(code="input.invalid_date_text", loc=("form", field), value=repr(value)) from None


@router.get("/huishoudens/{household_id:int}/verblijf", response_class=HTMLResponse)
def stay_page(request: Request, household_id: int, db: DbSession, principal: Viewer) -> Response:
    household = get_household(db, principal=principal, household_id=household_id)
    audit.record(
        db, principal=principal, action="read", object_type="household", object_id=household.id, detail={"view": "stay"}
    )
    rows = placements.list_placements(db, municipality_id=principal.municipality_id, household_id=household.id)
    ids = [p.id for p in rows]
    today = clock.today()
    care = service.care_for(db, principal.municipality_id, today)
    stays = [
        {
            "placement": p,
            "introductions": db.scalars(select(StayIntroduction).where(StayIntroduction.placement_id == p.id)).all(),
            "agreement": db.scalar(select(StayAgreement).where(StayAgreement.placement_id == p.id)),
            "check_ins": service.check_ins_of(db, placement_id=p.id),
            "extensions": service.extensions_of(db, placement_id=p.id),
            "follow_ups": service.follow_ups_of(db, placement_id=p.id),
            "breakdown": db.scalar(select(StayBreakdown).where(StayBreakdown.placement_id == p.id)),
            "destination": db.scalar(select(StayEnd.destination).where(StayEnd.placement_id == p.id)),
            "follow_up_days": follow_up_days(p.ended_on, care) if p.ended_on else {},
        }
        for p in rows
    ]
    due = [
        i
        for i in reminders.due_items(db, municipality_id=principal.municipality_id, day=today)
        if i.household_id == household.id
    ]
    events = case_file.timeline(
        db, municipality_id=principal.municipality_id, household_id=household.id, placement_ids=ids
    )
    care_team = principal.role in ("crisis_team", "case_worker")
    return render(
        request,
        "stays/household.html",
        {
            "household": household,
            "stays": stays,
            "due": due,
            "events": events,
            "contacts": service.contacts_of(db, household_id=household.id) if care_team else [],
            "care_team": care_team,
            "today": today,
            "ratings": CHECK_IN_RATINGS,
            "spoke_with": SPOKE_WITH,
            "channels": CONTACT_CHANNELS,
            "can_decide": principal.role == "crisis_team",
            "intro_kinds": INTRODUCTION_KINDS,
            "intro_outcomes": INTRODUCTION_OUTCOMES,
            "breakdown_reasons": BREAKDOWN_REASONS,
            "destinations": DESTINATIONS,
            "message": request.query_params.get("msg"),
        },
    )


def _back(request: Request, household_id: int, action: Callable[[], None], msg: str) -> Response:
    try:
        action()
    except OnderdakError as exc:
        return render(
            request, "error.html", {"status": exc.status_code, "problems": exc.problems}, status_code=exc.status_code
        )
    return RedirectResponse(f"/huishoudens/{household_id}/verblijf?msg={msg}", status_code=303)


@router.post("/verblijven/{placement_id}/gesprek", dependencies=[Depends(verify_csrf)])
def check_in_form(
    request: Request,
    placement_id: int,
    db: DbSession,
    principal: CareTeam,
    held_on: Annotated[str, Form()],
    spoke_with: Annotated[str, Form()],
    rating: Annotated[str, Form()],
    concerns: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    placement = placements.get_placement(db, principal=principal, placement_id=placement_id)

    def act() -> None:
        with db.begin_nested():
            service.record_check_in(
                db,
                principal=principal,
                placement_id=placement.id,
                held_on=_day(held_on, "held_on"),
                spoke_with=spoke_with,
                rating=rating,
                concerns=concerns,
            )

    return _back(request, placement.household_id, act, "check_in")


@router.post("/huishoudens/{household_id:int}/contact", dependencies=[Depends(verify_csrf)])
def contact_form(
    request: Request,
    household_id: int,
    db: DbSession,
    principal: CareTeam,
    channel: Annotated[str, Form()],
    note: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    def act() -> None:
        with db.begin_nested():
            service.add_contact(db, principal=principal, household_id=household_id, channel=channel, note=note)

    return _back(request, household_id, act, "contact")


CrisisTeam = Annotated[Principal, Depends(require_roles("crisis_team"))]


def _placement_step(
    request: Request, db: DbSession, principal: Principal, placement_id: int, msg: str, step: Callable[[int], object]
) -> Response:
    """Run one decision on a placement in a savepoint: back to the stay page, or the refusal page."""
    placement = placements.get_placement(db, principal=principal, placement_id=placement_id)

    def act() -> None:
        with db.begin_nested():
            step(placement.id)

    return _back(request, placement.household_id, act, msg)


@router.post("/verblijven/{placement_id}/kennismaking", dependencies=[Depends(verify_csrf)])
def introduction_form(
    request: Request,
    placement_id: int,
    db: DbSession,
    principal: CrisisTeam,
    kind: Annotated[str, Form()],
    held_on: Annotated[str, Form()],
    outcome: Annotated[str, Form()],
    note: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    def step(pid: int) -> object:
        return service.record_introduction(
            db,
            principal=principal,
            placement_id=pid,
            kind=kind,
            held_on=_day(held_on, "held_on"),
            outcome=outcome,
            note=note,
        )

    return _placement_step(request, db, principal, placement_id, "introduction", step)


@router.post("/verblijven/{placement_id}/overeenkomst", dependencies=[Depends(verify_csrf)])
def agreement_form(
    request: Request, placement_id: int, db: DbSession, principal: CrisisTeam, signed_on: Annotated[str, Form()]
) -> Response:
    def step(pid: int) -> object:
        return service.record_agreement(
            db, principal=principal, placement_id=pid, signed_on=_day(signed_on, "signed_on")
        )

    return _placement_step(request, db, principal, placement_id, "agreement", step)


@router.post("/verblijven/{placement_id}/aankomst", dependencies=[Depends(verify_csrf)])
def arrival_form(
    request: Request, placement_id: int, db: DbSession, principal: CrisisTeam, arrived_on: Annotated[str, Form()]
) -> Response:
    def step(pid: int) -> object:
        return service.confirm_arrival(
            db, principal=principal, placement_id=pid, arrived_on=_day(arrived_on, "arrived_on")
        )

    return _placement_step(request, db, principal, placement_id, "arrival", step)


@router.post("/verblijven/{placement_id}/verlenging", dependencies=[Depends(verify_csrf)])
def extension_form(
    request: Request,
    placement_id: int,
    db: DbSession,
    principal: CrisisTeam,
    until: Annotated[str, Form()],
    reason: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    def step(pid: int) -> object:
        return service.extend(db, principal=principal, placement_id=pid, until=_day(until, "until"), reason=reason)

    return _placement_step(request, db, principal, placement_id, "extension", step)


@router.post("/verblijven/{placement_id}/einde", dependencies=[Depends(verify_csrf)])
def end_form(
    request: Request,
    placement_id: int,
    db: DbSession,
    principal: CrisisTeam,
    ended_on: Annotated[str, Form()],
    destination: Annotated[str, Form()],
    note: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    def step(pid: int) -> object:
        return service.end_stay(
            db,
            principal=principal,
            placement_id=pid,
            ended_on=_day(ended_on, "ended_on"),
            destination=destination,
            note=note,
        )

    return _placement_step(request, db, principal, placement_id, "ended", step)


@router.post("/verblijven/{placement_id}/afbreken", dependencies=[Depends(verify_csrf)])
def breakdown_form(
    request: Request,
    placement_id: int,
    db: DbSession,
    principal: CrisisTeam,
    ended_on: Annotated[str, Form()],
    reason: Annotated[str, Form()],
    room: Annotated[str, Form()] = "freed",
    paused_until: Annotated[str, Form()] = "",
    note: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    def step(pid: int) -> object:
        return service.break_down(
            db,
            principal=principal,
            placement_id=pid,
            ended_on=_day(ended_on, "ended_on"),
            reason=reason,
            note=note,
            room=room,
            paused_until=_day(paused_until, "paused_until") if paused_until else None,
        )

    return _placement_step(request, db, principal, placement_id, "breakdown", step)


@router.post("/verblijven/{placement_id}/nazorg", dependencies=[Depends(verify_csrf)])
def follow_up_form(
    request: Request,
    placement_id: int,
    db: DbSession,
    principal: CrisisTeam,
    months: Annotated[int, Form(ge=1, le=120)],
    done_on: Annotated[str, Form()],
    outcome: Annotated[str, Form()],
    note: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    def step(pid: int) -> object:
        return service.record_follow_up(
            db,
            principal=principal,
            placement_id=pid,
            months=months,
            done_on=_day(done_on, "done_on"),
            outcome=outcome,
            note=note,
        )

    return _placement_step(request, db, principal, placement_id, "follow_up", step)


@router.get("/verblijven/uitkomsten", response_class=HTMLResponse)
def outcomes_page(request: Request, db: DbSession, principal: Viewer) -> Response:
    """Where households went, per quarter (the API's ``/api/stays/outcomes`` as a page)."""
    quarter = request.query_params.get("kwartaal") or outcomes.quarter_of(clock.today())
    try:
        report = outcomes.quarter_report(db, municipality_id=principal.municipality_id, quarter=quarter)
    except OnderdakError as exc:
        return render(
            request, "error.html", {"status": exc.status_code, "problems": exc.problems}, status_code=exc.status_code
        )
    return render(request, "stays/outcomes.html", {"report": report})
