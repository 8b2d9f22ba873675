"""Pages of the rules domain (Dutch first): deadlines, a host's cost-sharing norm, agreement, priority.

Same services as the JSON routes. Forms post with the CSRF token; on an error the
page is shown again with the messages next to the fields and the input kept (422).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, ValidationError

from api.auth.dependencies import DbSession
from api.core import clock, error_codes
from api.core.csrf import verify_csrf
from api.core.errors import InvalidInput, OnderdakError
from api.core.principal import Principal
from api.core.templating import flash, render
from api.documents.agreement import render_agreement_html, render_agreement_pdf
from api.documents.use_agreement import render_use_agreement_html, render_use_agreement_pdf
from api.rules import schemas, service
from api.rules.dependencies import DECIDING_ROLES, Decider, TeamMember, TeamOrHost
from matcher.rules.cost_sharing import format_euro

router = APIRouter(include_in_schema=False)

Day = Annotated[date | None, Query()]
Fee = Annotated[Decimal | None, Query(ge=0, max_digits=8, decimal_places=2)]


@router.get("/termijnen", response_class=HTMLResponse)
def deadlines_page(request: Request, db: DbSession, principal: TeamMember, day: Day = None) -> Response:
    today = day or clock.today()
    return render(
        request,
        "rules/deadlines.html",
        {
            "day": today,
            "deadlines": service.deadlines(db, principal=principal, day=today),
            "stays": service.stays(db, principal=principal, day=today),
            "feed_url": "/api/rules/deadlines.ics",
        },
    )


def _host_context(db, principal: Principal, host_id: int, day: date, household_id: int | None) -> dict[str, Any]:
    host, effects = service.effects_for_waiting_households(db, principal=principal, host_id=host_id, day=day)
    chosen = None
    if household_id is not None:
        _, household, result = service.calculate_for_host(
            db, principal=principal, host_id=host_id, household_id=household_id, day=day
        )
        chosen = {"household": household, "result": result}
    return {
        "host": host,
        "codes": {f"H{i + 1}": m.first_name for i, m in enumerate(host.members)},
        "day": day,
        "effects": effects,
        "chosen": chosen,
        "euro": format_euro,
        "can_decide": principal.role in DECIDING_ROLES,
        "errors": {},
        "form": {},
        "form_name": None,
    }


@router.get("/regels/gastgevers/{host_id}", response_class=HTMLResponse)
def host_page(
    request: Request,
    host_id: int,
    db: DbSession,
    principal: TeamOrHost,
    day: Day = None,
    household_id: Annotated[int | None, Query()] = None,
) -> Response:
    return render(request, "rules/host.html", _host_context(db, principal, host_id, day or clock.today(), household_id))


def _form_errors(exc: ValidationError | OnderdakError) -> dict[str, str]:
    if isinstance(exc, ValidationError):
        return {str(e["loc"][-1]) if e["loc"] else "form": error_codes.pydantic_message(dict(e)) for e in exc.errors()}
    return {str(p.loc[-1]) if p.loc else "form": p.message for p in exc.problems}


async def _post_form(request: Request, schema: type[BaseModel], action, *, host_id: int, db, principal) -> Response:
    form = {k: v for k, v in (await request.form()).items() if k != "csrf_token"}
    try:
        body = schema.model_validate(form)
        action(body)
    except (ValidationError, OnderdakError) as exc:
        context = _host_context(db, principal, host_id, clock.today(), None)
        context.update(errors=_form_errors(exc), form=form, form_name=schema.__name__)
        return render(request, "rules/host.html", context, status_code=422)
    flash(request, "Opgeslagen.")
    return RedirectResponse(f"/regels/gastgevers/{host_id}", status_code=303)


@router.post("/regels/gastgevers/{host_id}/toestemming", dependencies=[Depends(verify_csrf)])
async def landlord_consent_form(request: Request, host_id: int, db: DbSession, principal: Decider) -> Response:
    def action(body: schemas.LandlordConsentCreate) -> None:
        service.record_landlord_consent(
            db, principal=principal, host_id=host_id, today=clock.today(), **body.model_dump()
        )

    return await _post_form(request, schemas.LandlordConsentCreate, action, host_id=host_id, db=db, principal=principal)


@router.post("/regels/gastgevers/{host_id}/besluit", dependencies=[Depends(verify_csrf)])
async def exemption_form(request: Request, host_id: int, db: DbSession, principal: Decider) -> Response:
    def action(body: schemas.ExemptionDecisionCreate) -> None:
        service.record_exemption_decision(
            db, principal=principal, host_id=host_id, today=clock.today(), **body.model_dump()
        )

    return await _post_form(
        request, schemas.ExemptionDecisionCreate, action, host_id=host_id, db=db, principal=principal
    )


def _agreement_or_fee_form(request: Request, db, principal: Principal, placement_id: int, fee: Decimal | None):
    try:
        return service.agreement_for_placement(db, principal=principal, placement_id=placement_id, fee=fee), None
    except InvalidInput as exc:
        if any("logeer_fee" in map(str, p.loc) for p in exc.problems):
            page = render(
                request,
                "rules/agreement_fee.html",
                {"placement_id": placement_id, "problems": exc.problems},
                status_code=422,
            )
            return None, page
        raise


@router.get("/regels/plaatsingen/{placement_id}/logeerafspraak", response_class=HTMLResponse)
def agreement_page(
    request: Request, placement_id: int, db: DbSession, principal: TeamOrHost, fee: Fee = None
) -> Response:
    agreement, fee_form = _agreement_or_fee_form(request, db, principal, placement_id, fee)
    return fee_form or HTMLResponse(render_agreement_html(agreement))


@router.get("/regels/plaatsingen/{placement_id}/logeerafspraak.pdf")
def agreement_pdf_page(
    request: Request, placement_id: int, db: DbSession, principal: TeamOrHost, fee: Fee = None
) -> Response:
    agreement, fee_form = _agreement_or_fee_form(request, db, principal, placement_id, fee)
    if fee_form is not None:
        return fee_form
    return Response(
        render_agreement_pdf(agreement),
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="logeerafspraak-PL-{placement_id}.pdf"'},
    )


@router.get("/regels/plaatsingen/{placement_id}/gebruiksovereenkomst", response_class=HTMLResponse)
def use_agreement_page(placement_id: int, db: DbSession, principal: TeamMember) -> Response:
    agreement = service.use_agreement_for_placement(db, principal=principal, placement_id=placement_id)
    return HTMLResponse(render_use_agreement_html(agreement))


@router.get("/regels/plaatsingen/{placement_id}/gebruiksovereenkomst.pdf")
def use_agreement_pdf_page(placement_id: int, db: DbSession, principal: TeamMember) -> Response:
    agreement = service.use_agreement_for_placement(db, principal=principal, placement_id=placement_id)
    return Response(
        render_use_agreement_pdf(agreement),
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="gebruiksovereenkomst-PL-{placement_id}.pdf"'},
    )


@router.get("/regels/huishoudens/{household_id}/prioriteit", response_class=HTMLResponse)
def priority_page(
    request: Request, household_id: int, db: DbSession, principal: TeamMember, day: Day = None
) -> Response:
    household, breakdown = service.household_priority(
        db, principal=principal, household_id=household_id, day=day or clock.today()
    )
    return render(request, "rules/priority.html", {"household": household, "breakdown": breakdown})
