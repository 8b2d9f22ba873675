"""Rules API: cost-sharing norm, landlord consent, exemption decision, agreement, stay clock, priority.

Routes are thin: they parse, call :mod:`api.rules.service` and return a schema.
All paths are scoped to the caller's municipality (no municipality in the path).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import HTMLResponse, Response

from api.auth.dependencies import DbSession
from api.core import clock
from api.core.amounts import Euros
from api.core.csrf import verify_csrf
from api.core.error_schema import file_response
from api.core.ratelimit import RateLimit
from api.core.tenancy import RowId
from api.rules import convert, norms, pages, schemas, service
from api.rules.dependencies import Decider, FeedReader, TeamMember, TeamOrHost
from matcher.schema import Day as PlanningDay

router = APIRouter(prefix="/api/rules", tags=["rules"])

Day = Annotated[PlanningDay | None, Query(description="calculation date; default today (Europe/Amsterdam)")]
# The preview is public (host sign-up form): a brake against scripted use, generous for real people.
preview_limit = RateLimit("cost_sharing_preview", limit=60, window_s=600)
Fee = Annotated[Euros | None, Query(description="agreed monthly fee")]


@router.post(
    "/cost-sharing/preview", response_model=schemas.CostSharingPreviewRead, dependencies=[Depends(preview_limit)]
)
def cost_sharing_preview(body: schemas.CostSharingPreviewIn, db: DbSession) -> schemas.CostSharingPreviewRead:
    """Anonymous (public host sign-up form): what guests would do to a benefit. Stores nothing."""
    day = body.day or clock.today()
    scenarios = service.preview(
        db, municipality_code=body.municipality, day=day, host_members=body.host_members, guests=body.guests
    )
    return schemas.CostSharingPreviewRead(
        day=day,
        scenarios=[
            schemas.ScenarioRead(label=nl, label_en=en, result=convert.cost_sharing_read(r)) for nl, en, r in scenarios
        ],
    )


@router.get("/hosts/{host_id}/cost-sharing", response_model=schemas.CostSharingRead)
def host_cost_sharing(
    host_id: RowId,
    household_id: Annotated[int, Query()],
    db: DbSession,
    principal: TeamOrHost,
    day: Day = None,
    fee: Fee = None,
) -> schemas.CostSharingRead:
    _, _, result = service.calculate_for_host(
        db, principal=principal, host_id=host_id, household_id=household_id, day=day or clock.today(), fee=fee
    )
    return convert.cost_sharing_read(result)


@router.post(
    "/hosts/{host_id}/landlord-consent",
    response_model=schemas.LandlordConsentRead,
    dependencies=[Depends(verify_csrf)],
)
def record_landlord_consent(
    host_id: RowId, body: schemas.LandlordConsentCreate, db: DbSession, principal: Decider
) -> schemas.LandlordConsentRead:
    host = service.record_landlord_consent(
        db, principal=principal, host_id=host_id, today=clock.today(), **body.model_dump()
    )
    return schemas.LandlordConsentRead(
        host_id=host.id,
        landlord_type=host.landlord_type,
        landlord_consent=host.landlord_consent,
        landlord_consent_date=host.landlord_consent_date,
        landlord_consent_by=host.landlord_consent_by,
        landlord_consent_document=host.landlord_consent_document,
    )


@router.post(
    "/hosts/{host_id}/exemption-decision",
    response_model=schemas.ExemptionDecisionRead,
    dependencies=[Depends(verify_csrf)],
)
def record_exemption_decision(
    host_id: RowId, body: schemas.ExemptionDecisionCreate, db: DbSession, principal: Decider
) -> schemas.ExemptionDecisionRead:
    host = service.record_exemption_decision(
        db, principal=principal, host_id=host_id, today=clock.today(), **body.model_dump()
    )
    return schemas.ExemptionDecisionRead(
        host_id=host.id,
        cost_sharing_exemption=host.cost_sharing_exemption,
        exemption_decided_on=host.exemption_decided_on,
        exemption_reference=host.exemption_reference,
    )


@router.get("/placements/{placement_id}/agreement", response_class=HTMLResponse)
def agreement_html(placement_id: RowId, db: DbSession, principal: TeamOrHost, fee: Fee = None) -> HTMLResponse:
    from api.documents.agreement import render_agreement_html

    agreement = service.agreement_for_placement(db, principal=principal, placement_id=placement_id, fee=fee)
    return HTMLResponse(render_agreement_html(agreement))


@router.get(
    "/placements/{placement_id}/agreement.pdf",
    response_class=Response,
    responses=file_response("application/pdf", description="the stay agreement (PDF)"),
)
def agreement_pdf(placement_id: RowId, db: DbSession, principal: TeamOrHost, fee: Fee = None) -> Response:
    from api.documents.agreement import render_agreement_pdf

    agreement = service.agreement_for_placement(db, principal=principal, placement_id=placement_id, fee=fee)
    return Response(
        render_agreement_pdf(agreement),
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="logeerafspraak-PL-{placement_id}.pdf"'},
    )


@router.get("/placements/{placement_id}/use-agreement", response_class=HTMLResponse)
def use_agreement_html(placement_id: RowId, db: DbSession, principal: TeamMember) -> HTMLResponse:
    """The use agreement (gebruiksovereenkomst) of a stay in a waiting-room dwelling."""
    from api.documents.use_agreement import render_use_agreement_html

    agreement = service.use_agreement_for_placement(db, principal=principal, placement_id=placement_id)
    return HTMLResponse(render_use_agreement_html(agreement))


@router.get(
    "/placements/{placement_id}/use-agreement.pdf",
    response_class=Response,
    responses=file_response("application/pdf", description="the use agreement (PDF)"),
)
def use_agreement_pdf(placement_id: RowId, db: DbSession, principal: TeamMember) -> Response:
    from api.documents.use_agreement import render_use_agreement_pdf

    agreement = service.use_agreement_for_placement(db, principal=principal, placement_id=placement_id)
    return Response(
        render_use_agreement_pdf(agreement),
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="gebruiksovereenkomst-PL-{placement_id}.pdf"'},
    )


@router.get("/placements/{placement_id}/stay", response_model=schemas.StayRead)
def placement_stay(placement_id: RowId, db: DbSession, principal: TeamMember, day: Day = None) -> schemas.StayRead:
    placement, status = service.stay_of(db, principal=principal, placement_id=placement_id, day=day or clock.today())
    return convert.stay_read(
        placement.id, placement.household.reference, placement.arrived_on or placement.start_date, status
    )


@router.get("/deadlines", response_model=list[schemas.DeadlineRead])
def list_deadlines(
    db: DbSession,
    principal: TeamMember,
    day: Day = None,
    horizon_days: Annotated[int | None, Query(ge=0, le=366)] = None,
) -> list[schemas.DeadlineRead]:
    found = service.deadlines(db, principal=principal, day=day or clock.today(), horizon_days=horizon_days)
    return [convert.deadline_read(d) for d in found]


@router.get(
    "/deadlines.ics",
    response_class=Response,
    responses=file_response("text/calendar", description="the deadlines as an iCalendar feed"),
)
def deadlines_feed(db: DbSession, principal: FeedReader, day: Day = None) -> Response:
    """iCalendar feed for the team's calendar; subscribe with ``?token=<API token>``."""
    return Response(
        service.calendar_feed(db, principal=principal, day=day or clock.today()),
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": 'inline; filename="onderdak-termijnen.ics"'},
    )


@router.get("/households/{household_id}/priority", response_model=schemas.PriorityRead)
def household_priority(
    household_id: RowId, db: DbSession, principal: TeamMember, day: Day = None
) -> schemas.PriorityRead:
    household, breakdown = service.household_priority(
        db, principal=principal, household_id=household_id, day=day or clock.today()
    )
    return convert.priority_read(household.id, breakdown)


# The JSON API and the pages, registered together in api/routers.py.
all_routes = APIRouter()
all_routes.include_router(router)
all_routes.include_router(norms.router)
all_routes.include_router(pages.router)
