"""Offers API: offer proposals (one or many), list and read offers, record a decline or the household's consent,
the decline catalogue and the report of declines per reason. Thin: the pages call the same service."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from api.auth.dependencies import DbSession, require_roles
from api.core.csrf import verify_csrf
from api.core.principal import Principal
from api.core.tenancy import RowId
from api.offers import reasons, service
from api.offers.models import OFFER_STATUSES
from api.offers.schemas import (
    ConsentBody,
    DeclineBody,
    DeclineReasonRead,
    DeclineReportRead,
    OfferCreate,
    OfferRead,
    ReasonCountRead,
)

router = APIRouter(prefix="/api/offers", tags=["offers"])

CrisisTeam = Annotated[Principal, Depends(require_roles("crisis_team"))]
CaseTeam = Annotated[Principal, Depends(require_roles("crisis_team", "case_worker"))]
Viewer = Annotated[Principal, Depends(require_roles("crisis_team", "case_worker", "coordinator"))]


@router.post("", response_model=list[OfferRead], status_code=201, dependencies=[Depends(verify_csrf)])
def create_offers(body: OfferCreate, db: DbSession, principal: CrisisTeam) -> list[OfferRead]:
    """Offer open proposals to their host or the Wachtkamer: all or nothing (409/422 naming the proposal)."""
    offers = service.make_offers(db, principal=principal, proposal_ids=body.proposal_ids)
    return [OfferRead.model_validate(o) for o in offers]


@router.get("", response_model=list[OfferRead])
def list_offers(
    db: DbSession,
    principal: Viewer,
    status: Annotated[str | None, Query(pattern="^(" + "|".join(OFFER_STATUSES) + ")$")] = None,
) -> list[OfferRead]:
    return [OfferRead.model_validate(o) for o in service.list_offers(db, principal=principal, status=status)]


@router.get("/decline-reasons", response_model=list[DeclineReasonRead])
def decline_reasons(_principal: Viewer) -> list[DeclineReasonRead]:
    """The catalogue: who may give each reason and the consequence it sets."""
    return [
        DeclineReasonRead(code=r.code, party=r.party, nl=r.nl, en=r.en, consequences=list(r.consequences))
        for r in reasons.CATALOGUE
    ]


@router.get("/report", response_model=DeclineReportRead)
def decline_report(
    db: DbSession, principal: Viewer, since: date | None = None, until: date | None = None
) -> DeclineReportRead:
    """Declines per reason (zero included) and offers per status, by the day the offer was made."""
    per_reason, statuses = service.decline_report(
        db, municipality_id=principal.municipality_id, since=since, until=until
    )
    return DeclineReportRead(
        since=since,
        until=until,
        reasons=[
            ReasonCountRead(
                code=r.code, party=r.party, nl=r.nl, en=r.en, consequences=list(r.consequences), count=r.count
            )
            for r in per_reason
        ],
        statuses=statuses,
    )


@router.get("/{offer_id}", response_model=OfferRead)
def read_offer(offer_id: RowId, db: DbSession, principal: Viewer) -> OfferRead:
    return OfferRead.model_validate(service.get_offer(db, principal=principal, offer_id=offer_id))


@router.post("/{offer_id}/decline", response_model=OfferRead, dependencies=[Depends(verify_csrf)])
def decline(offer_id: RowId, body: DeclineBody, db: DbSession, principal: CrisisTeam) -> OfferRead:
    """The team's or the household's decline; the reason's consequence is applied in the same transaction."""
    offer = service.decline_by_team(
        db, principal=principal, offer_id=offer_id, reason=body.reason, note=body.note, paused_until=body.paused_until
    )
    return OfferRead.model_validate(offer)


@router.post("/{offer_id}/consent", response_model=OfferRead, dependencies=[Depends(verify_csrf)])
def consent(offer_id: RowId, body: ConsentBody, db: DbSession, principal: CaseTeam) -> OfferRead:
    """Who in the household agreed (or not), how and when; recorded by the caller."""
    offer = service.record_consent(
        db, principal=principal, offer_id=offer_id, given=body.given, by=body.by, via=body.via
    )
    return OfferRead.model_validate(offer)
