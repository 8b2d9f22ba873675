"""Capacity API: start a plan-capacity run or a comparison of the matching policies in the background (202
with its id) and poll it.

Coordinators and the crisis team of a municipality plan its rooms; the jobs are rows in the database, so
any worker answers a poll and a restart keeps finished results (see :mod:`api.capacity.runner`).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path
from fastapi.responses import JSONResponse

from api.auth.dependencies import DbSession, require_roles
from api.capacity import service
from api.capacity.runner import PlanJob
from api.capacity.schemas import (
    ComparisonCreate,
    ComparisonRead,
    ComparisonResult,
    PlanCreate,
    PlanRead,
    PlanResult,
)
from api.core.csrf import verify_csrf
from api.core.principal import Principal

router = APIRouter(prefix="/api/capacity", tags=["capacity"])

Planner = Annotated[Principal, Depends(require_roles(*service.PLAN_ROLES))]
JobId = Annotated[str, Path(pattern="^[0-9a-f]{16}$", description="the id the POST returned")]


def plan_read(job: PlanJob) -> PlanRead:
    return PlanRead(
        id=job.id,
        status=job.status,  # type: ignore[arg-type]  # one of runner.STATUSES
        done=job.done,
        total=job.total,
        source=job.source,
        target=job.target if job.target is not None else 0.0,  # always set on a plan
        seeds=job.seeds,
        days=job.days,
        created_at=job.created_at,
        finished_at=job.finished_at,
        result=PlanResult.model_validate(job.result) if job.result is not None else None,
        error=job.error,
    )


@router.post(
    "/plans",
    response_model=PlanRead,
    status_code=202,
    dependencies=[Depends(verify_csrf)],
    responses={409: {"description": "two plans of this municipality are already queued or running"}},
)
def start_plan(body: PlanCreate, db: DbSession, principal: Planner) -> JSONResponse:
    """Start plan-capacity for a shipped profile or your municipality's history; poll the GET with the id."""
    job = service.start_plan(db, principal=principal, body=body)
    return JSONResponse(plan_read(job).model_dump(mode="json"), status_code=202)


@router.get("/plans/{plan_id}", response_model=PlanRead)
def get_plan(plan_id: JobId, db: DbSession, principal: Planner) -> PlanRead:
    """Status, progress (done of at most total replications) and, when done, the curve and the smallest mix.

    A queued or running plan whose process stopped (no heartbeat for two minutes) answers ``failed`` with
    an ``error`` starting "interrupted": ``POST /api/capacity/plans/{id}/restart`` starts it again with the same
    request."""
    return plan_read(service.get_plan(db, principal=principal, plan_id=plan_id))


@router.post(
    "/plans/{plan_id}/restart",
    response_model=PlanRead,
    status_code=202,
    dependencies=[Depends(verify_csrf)],
    responses={409: {"description": "the plan is done or still running, or two jobs are already open"}},
)
def restart_plan(plan_id: JobId, db: DbSession, principal: Planner) -> JSONResponse:
    """Start a failed or interrupted plan again with the same request; the answer is the new plan (a new id)."""
    job = service.restart(db, principal=principal, job_id=plan_id, kind="plan")
    return JSONResponse(plan_read(job).model_dump(mode="json"), status_code=202)


def comparison_read(job: PlanJob) -> ComparisonRead:
    return ComparisonRead(
        id=job.id,
        status=job.status,  # type: ignore[arg-type]  # one of runner.STATUSES
        done=job.done,
        total=job.total,
        source=job.source,
        seeds=job.seeds,
        days=job.days,
        load=job.load,
        hindsight_seconds=job.hindsight_seconds or 0.0,
        created_at=job.created_at,
        finished_at=job.finished_at,
        result=ComparisonResult.model_validate(job.result) if job.result is not None else None,
        error=job.error,
    )


@router.post(
    "/comparisons",
    response_model=ComparisonRead,
    status_code=202,
    dependencies=[Depends(verify_csrf)],
    responses={409: {"description": "two capacity jobs (plans or comparisons) of this municipality are already "
                                    "queued or running"}},
)
def start_comparison(body: ComparisonCreate, db: DbSession, principal: Planner) -> JSONResponse:
    """Compare every matching policy and hindsight on the same simulated years of a shipped profile or your
    municipality's history; poll the GET with the id."""
    job = service.start_comparison(db, principal=principal, body=body)
    return JSONResponse(comparison_read(job).model_dump(mode="json"), status_code=202)


@router.get("/comparisons/{comparison_id}", response_model=ComparisonRead)
def get_comparison(comparison_id: JobId, db: DbSession, principal: Planner) -> ComparisonRead:
    """Status, progress (done of total simulated years) and, when done, one row per policy: the totals with
    their 95% intervals, the wait distribution and the weekly occupancy.

    A queued or running comparison whose process stopped (no heartbeat for two minutes) answers ``failed``
    with an ``error`` starting "interrupted": ``POST /api/capacity/comparisons/{id}/restart`` starts it again
    with the same request."""
    return comparison_read(service.get_comparison(db, principal=principal, comparison_id=comparison_id))


@router.post(
    "/comparisons/{comparison_id}/restart",
    response_model=ComparisonRead,
    status_code=202,
    dependencies=[Depends(verify_csrf)],
    responses={409: {"description": "the comparison is done or still running, or two jobs are already open"}},
)
def restart_comparison(comparison_id: JobId, db: DbSession, principal: Planner) -> JSONResponse:
    """Start a failed or interrupted comparison again with the same request; the answer is the new one."""
    job = service.restart(db, principal=principal, job_id=comparison_id, kind="compare")
    return JSONResponse(comparison_read(job).model_dump(mode="json"), status_code=202)
