"""Matching API: run the daily matching, read runs, confirm or reject proposals.

Thin: every route calls the service the page and ``onderdak match`` call too.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response

from api.auth.dependencies import DbSession, require_roles
from api.core import clock
from api.core.csrf import verify_csrf
from api.core.error_schema import file_response
from api.core.errors import NotFound
from api.core.export import XLSX_TYPE, Format, download
from api.core.listing import ListQuery, api_list_query, list_query, set_headers
from api.core.payload import respond
from api.core.principal import Principal
from api.core.tenancy import RowId
from api.matching import bulk, decisions, listing, service, views
from api.matching.schemas import (
    BulkDecisionBody,
    BulkDecisionRead,
    BulkItemRead,
    ProposalRead,
    RejectBody,
    RunBrief,
    RunCreate,
    RunRead,
)
from api.placements.schemas import PlacementCreate, PlacementRead
from matcher.schema import Day

router = APIRouter(prefix="/api/matching", tags=["matching"])

# The matcher's own window of sane dates: a run far in the past or future is refused naming the field.
PlanningDay = Annotated[Day | None, Query()]
CrisisTeam = Annotated[Principal, Depends(require_roles("crisis_team"))]
Viewer = Annotated[Principal, Depends(require_roles("crisis_team", "case_worker", "coordinator"))]


@router.post("/runs", response_model=RunRead, status_code=201, dependencies=[Depends(verify_csrf)])
def create_run(body: RunCreate, response: Response, db: DbSession, principal: CrisisTeam) -> RunRead:
    """Run the matching for a day; with unchanged data the last run comes back (200, ``reused``)."""
    run = service.run_daily_matching(
        db,
        municipality_id=principal.municipality_id,
        day=body.date or clock.today(),
        run_by=principal.user_id,
        run_by_label=principal.email,
        principal=principal,
        force=body.force,
    )
    if run.reused:
        response.status_code = 200
    return views.run_read(db, run, current_hash=run.current_hash or None)  # the hash of this transaction's records


@router.get("/runs", response_model=list[RunBrief])
def list_runs(db: DbSession, principal: Viewer, date: PlanningDay = None) -> list[RunBrief]:
    return views.run_briefs(db, municipality_id=principal.municipality_id, day=date)


@router.get("/runs/latest", response_model=RunRead)
def latest_run(request: Request, db: DbSession, principal: Viewer, date: PlanningDay = None) -> Response:
    run = service.latest_run(db, municipality_id=principal.municipality_id, day=date or clock.today())
    if run is None:
        raise NotFound(code="matching.no_run_for_day", loc=("query", "date"))
    return respond(request, views.run_payload(db, run), "application/json")


@router.get("/runs/{run_id}", response_model=RunRead)
def read_run(request: Request, run_id: RowId, db: DbSession, principal: Viewer) -> Response:
    run = service.get_run(db, principal=principal, run_id=run_id)
    return respond(request, views.run_payload(db, run), "application/json")


Listed = Annotated[ListQuery, Depends(list_query)]
Paged = Annotated[ListQuery, Depends(api_list_query)]  # an API list: 50 rows unless asked otherwise


@router.get("/runs/{run_id}/proposals", response_model=list[ProposalRead])
def list_proposals(
    run_id: RowId,
    request: Request,
    response: Response,
    db: DbSession,
    principal: Viewer,
    query: Paged,
    status: str | None = None,
) -> list[ProposalRead]:
    """A run's proposals as a list: 50 without ``limit`` (at most 500); ``X-Total-Count`` and ``Link`` headers page."""
    run = service.get_run(db, principal=principal, run_id=run_id)
    page = listing.proposal_page(db, run_id=run.id, query=query.with_status(status))
    set_headers(response, request, page)
    return page.rows


@router.get(
    "/runs/{run_id}/proposals/export.{fmt}",
    response_class=Response,
    responses=file_response("text/csv", XLSX_TYPE, description="the filtered list (CSV or XLSX)"),
)
def export_proposals(
    run_id: RowId, fmt: Format, db: DbSession, principal: Viewer, query: Listed, status: str | None = None
) -> Response:
    """The proposals with the page's filter and columns (explanations in Dutch), every matching row."""
    run = service.get_run(db, principal=principal, run_id=run_id)
    page = listing.proposal_page(db, run_id=run.id, query=query.with_status(status))
    return download(fmt, name=f"voorstellen-{run.id}", columns=listing.COLUMNS, rows=page.rows)


@router.get("/instance")
def read_instance(db: DbSession, principal: Viewer, date: PlanningDay = None) -> dict[str, Any]:
    """The onderdak.instance/1 a run would get now (references and ages only, no names)."""
    return service.instance_for(db, municipality_id=principal.municipality_id, day=date or clock.today())


@router.post(
    "/proposals/{proposal_id}/confirm",
    response_model=PlacementRead,
    status_code=201,
    dependencies=[Depends(verify_csrf)],
)
def confirm(proposal_id: RowId, db: DbSession, principal: CrisisTeam) -> PlacementRead:
    """409 when someone else was first or the data changed since the run (stale proposal)."""
    return PlacementRead.model_validate(decisions.confirm_proposal(db, principal=principal, proposal_id=proposal_id))


@router.post("/proposals/bulk", response_model=BulkDecisionRead, dependencies=[Depends(verify_csrf)])
def decide_many(body: BulkDecisionBody, db: DbSession, principal: CrisisTeam) -> BulkDecisionRead:
    """Confirm or reject several proposals; each on its own (200 with a line per proposal, ``ok`` or why not)."""
    result = bulk.decide(
        db, principal=principal, action=body.action, proposal_ids=body.proposal_ids, reason=body.reason
    )
    return BulkDecisionRead(
        action=result.action,
        done=result.done,
        failed=result.failed,
        summary=result.summary,
        items=[BulkItemRead.model_validate(item, from_attributes=True) for item in result.items],
    )


@router.post("/proposals/{proposal_id}/reject", response_model=ProposalRead, dependencies=[Depends(verify_csrf)])
def reject(proposal_id: RowId, body: RejectBody, db: DbSession, principal: CrisisTeam) -> ProposalRead:
    """The pair becomes an exclusion for later runs; a reason is required (422 without)."""
    proposal = decisions.reject_proposal(db, principal=principal, proposal_id=proposal_id, reason=body.reason)
    run_view = views.run_read(db, proposal.run)
    return next(p for p in run_view.proposals if p.id == proposal.id)


# A placement outside the proposals is a decision like confirming one (same rules, same locks), so it is
# made here; the path stays under /api/placements.
manual_router = APIRouter(prefix="/api/placements", tags=["placements"])


@manual_router.post("", response_model=PlacementRead, status_code=201, dependencies=[Depends(verify_csrf)])
def create_manual(body: PlacementCreate, db: DbSession, principal: CrisisTeam) -> PlacementRead:
    """Outside the proposals: a reason is required; a hard-rule breach is refused naming the rule."""
    placement = decisions.place_manually(
        db,
        principal=principal,
        household_id=body.household_id,
        place_id=body.place_id,
        reason=body.reason,
        day=body.date,
    )
    return PlacementRead.model_validate(placement)
