"""Stays API: every step during and after a stay, the due list and the quarterly outcomes.

Roles as elsewhere: the crisis team decides (introduction, agreement, arrival, breakdown, extension,
end, follow-up), the crisis team and case workers hold the conversations (check-ins, contact log),
coordinators read. A host reads only the check-ins of its own guests, without the concerns (case
notes), and nothing of the contact log.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from api.auth.dependencies import DbSession, require_roles
from api.core import audit, clock
from api.core.csrf import verify_csrf
from api.core.errors import NotFound
from api.core.principal import Principal
from api.core.tenancy import RowId
from api.households.service import get_household
from api.placements import service as placements
from api.stays import outcomes, reminders, service
from api.stays.schemas import (
    AgreementBody,
    AgreementRead,
    ArrivalBody,
    ArrivalRead,
    BreakdownBody,
    BreakdownRead,
    CheckInBody,
    CheckInRead,
    ContactBody,
    ContactRead,
    DueRead,
    EndBody,
    EndRead,
    ExtensionBody,
    ExtensionRead,
    FollowUpBody,
    FollowUpRead,
    IntroductionBody,
    IntroductionRead,
    QuarterReportRead,
)

router = APIRouter(prefix="/api/stays", tags=["stays"])
CSRF = [Depends(verify_csrf)]

CrisisTeam = Annotated[Principal, Depends(require_roles("crisis_team"))]
CareTeam = Annotated[Principal, Depends(require_roles("crisis_team", "case_worker"))]
Viewer = Annotated[Principal, Depends(require_roles("crisis_team", "case_worker", "coordinator"))]
ViewerOrHost = Annotated[Principal, Depends(require_roles("crisis_team", "case_worker", "coordinator", "host"))]
Quarter = Annotated[str | None, Query(json_schema_extra={"pattern": r"^\d{4}-[QqKk][1-4]$"})]


@router.get("/due", response_model=list[DueRead])
def due(db: DbSession, principal: Viewer, lead_days: Annotated[int, Query(ge=0, le=90)] = 0) -> list[DueRead]:
    """Check-ins and follow-ups due today (or within ``lead_days``), overdue ones first."""
    items = reminders.due_items(db, municipality_id=principal.municipality_id, day=clock.today(), lead_days=lead_days)
    return [DueRead.model_validate(i) for i in items]


@router.get("/outcomes", response_model=QuarterReportRead)
def quarter_outcomes(db: DbSession, principal: Viewer, quarter: Quarter = None) -> QuarterReportRead:
    """Where households went, per quarter (e.g. 2026-Q4): ended stays, breakdowns, follow-ups."""
    data = outcomes.quarter_report(
        db, municipality_id=principal.municipality_id, quarter=quarter or outcomes.quarter_of(clock.today())
    )
    return QuarterReportRead.model_validate(data)


@router.post("/{placement_id}/introductions", response_model=IntroductionRead, status_code=201, dependencies=CSRF)
def introduce(placement_id: RowId, body: IntroductionBody, db: DbSession, principal: CrisisTeam) -> IntroductionRead:
    row = service.record_introduction(db, principal=principal, placement_id=placement_id, **body.model_dump())
    return IntroductionRead.model_validate(row)


@router.post("/{placement_id}/agreement", response_model=AgreementRead, status_code=201, dependencies=CSRF)
def agreement(placement_id: RowId, body: AgreementBody, db: DbSession, principal: CrisisTeam) -> AgreementRead:
    row = service.record_agreement(db, principal=principal, placement_id=placement_id, signed_on=body.signed_on)
    return AgreementRead.model_validate(row)


@router.post("/{placement_id}/arrival", response_model=ArrivalRead, dependencies=CSRF)
def arrival(placement_id: RowId, body: ArrivalBody, db: DbSession, principal: CrisisTeam) -> ArrivalRead:
    placement = service.confirm_arrival(db, principal=principal, placement_id=placement_id, arrived_on=body.arrived_on)
    return ArrivalRead.model_validate(placement)


@router.get("/{placement_id}/check-ins", response_model=list[CheckInRead])
def check_ins(placement_id: RowId, db: DbSession, principal: ViewerOrHost) -> list[CheckInRead]:
    placement = placements.get_placement(db, principal=principal, placement_id=placement_id)
    is_host = principal.role == "host"
    if is_host and (placement.place.host_id is None or placement.place.host_id != principal.host_id):
        raise NotFound(code="placement.not_found", loc=("path", "placement_id"))
    rows = [CheckInRead.model_validate(c) for c in service.check_ins_of(db, placement_id=placement.id)]
    return [r.model_copy(update={"concerns": None}) for r in rows] if is_host else rows


@router.post("/{placement_id}/check-ins", response_model=CheckInRead, status_code=201, dependencies=CSRF)
def check_in(placement_id: RowId, body: CheckInBody, db: DbSession, principal: CareTeam) -> CheckInRead:
    row = service.record_check_in(db, principal=principal, placement_id=placement_id, **body.model_dump())
    return CheckInRead.model_validate(row)


@router.post("/{placement_id}/breakdown", response_model=BreakdownRead, status_code=201, dependencies=CSRF)
def breakdown(placement_id: RowId, body: BreakdownBody, db: DbSession, principal: CrisisTeam) -> BreakdownRead:
    row = service.break_down(db, principal=principal, placement_id=placement_id, **body.model_dump())
    return BreakdownRead.model_validate(row)


@router.get("/{placement_id}/extensions", response_model=list[ExtensionRead])
def extensions(placement_id: RowId, db: DbSession, principal: Viewer) -> list[ExtensionRead]:
    placement = placements.get_placement(db, principal=principal, placement_id=placement_id)
    return [ExtensionRead.model_validate(e) for e in service.extensions_of(db, placement_id=placement.id)]


@router.post("/{placement_id}/extensions", response_model=ExtensionRead, status_code=201, dependencies=CSRF)
def extend(placement_id: RowId, body: ExtensionBody, db: DbSession, principal: CrisisTeam) -> ExtensionRead:
    row = service.extend(db, principal=principal, placement_id=placement_id, until=body.until, reason=body.reason)
    return ExtensionRead.model_validate(row)


@router.post("/{placement_id}/end", response_model=EndRead, status_code=201, dependencies=CSRF)
def end(placement_id: RowId, body: EndBody, db: DbSession, principal: CrisisTeam) -> EndRead:
    row = service.end_stay(db, principal=principal, placement_id=placement_id, **body.model_dump())
    return EndRead.model_validate(row)


@router.get("/{placement_id}/follow-ups", response_model=list[FollowUpRead])
def follow_ups(placement_id: RowId, db: DbSession, principal: Viewer) -> list[FollowUpRead]:
    placement = placements.get_placement(db, principal=principal, placement_id=placement_id)
    return [FollowUpRead.model_validate(f) for f in service.follow_ups_of(db, placement_id=placement.id)]


@router.post("/{placement_id}/follow-ups", response_model=FollowUpRead, status_code=201, dependencies=CSRF)
def follow_up(placement_id: RowId, body: FollowUpBody, db: DbSession, principal: CrisisTeam) -> FollowUpRead:
    row = service.record_follow_up(db, principal=principal, placement_id=placement_id, **body.model_dump())
    return FollowUpRead.model_validate(row)


@router.get("/households/{household_id}/contacts", response_model=list[ContactRead])
def contacts(household_id: RowId, db: DbSession, principal: CareTeam) -> list[ContactRead]:
    household = get_household(db, principal=principal, household_id=household_id)
    audit.record(
        db,
        principal=principal,
        action="read",
        object_type="household",
        object_id=household.id,
        detail={"view": "contacts"},
    )
    return [ContactRead.model_validate(c) for c in service.contacts_of(db, household_id=household.id)]


@router.post("/households/{household_id}/contacts", response_model=ContactRead, status_code=201, dependencies=CSRF)
def add_contact(household_id: RowId, body: ContactBody, db: DbSession, principal: CareTeam) -> ContactRead:
    row = service.add_contact(db, principal=principal, household_id=household_id, channel=body.channel, note=body.note)
    return ContactRead.model_validate(row)
