"""Start a capacity plan or a policy comparison (a shipped profile or the municipality's history) and read it
back, tenancy-scoped.

The profile is settled in the request (reading the records needs the request's session); the plan or
comparison itself is pure and runs on the background runner (:mod:`api.capacity.runner`), which keeps the
job's row up to date; reads go to the row, so any worker process answers.
"""

from __future__ import annotations

import json
import math
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from api.capacity import runner
from api.capacity.history import profile_from_history
from api.capacity.models import CapacityPlan
from api.capacity.runner import RUNNER, PlanJob, new_id
from api.capacity.schemas import HINDSIGHT_BUDGET, ComparisonCreate, PlanCreate
from api.core import clock
from api.core.errors import Conflict, InvalidInput
from api.core.models import Municipality
from api.core.principal import Principal
from matcher.simulate.capacity import plan
from matcher.simulate.distribution import wait_bucket_labels
from matcher.simulate.generate import Profile, validate_profile
from matcher.simulate.replicate import compare
from seed_data.simulation import PROFILES, profile_path

SCALES = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0)  # the curve: the profile's stock times these
PLAN_ROLES = ("coordinator", "crisis_team")
STATUS_WORDS = {"queued": ("in de wachtrij", "queued"), "running": ("bezig", "running"), "done": ("klaar", "done"),
                "failed": ("mislukt", "failed")}  # a job's state in a message, Dutch and English


def shipped_profile(name: str) -> Profile:
    if name not in PROFILES:
        raise InvalidInput(code="capacity.unknown_profile", loc=("body", "profile"), value=repr(name),
                           choices=", ".join(PROFILES))
    return validate_profile(json.loads(profile_path(name).read_text(encoding="utf-8")))


def replications_at_most(prof: Profile, seeds: int) -> int:
    """An upper bound on the planner's replications (the curve, then per host-room count one check,
    the bisection and the final point), so progress can be shown as done / total."""
    w0, r0 = prof.stock.wachtkamer, prof.stock.host_rooms
    hi = max(4 * (w0 + r0), 8)
    per_mix = 2 + math.ceil(math.log2(hi + 1))
    return seeds * (len(SCALES) + len({0, r0, 2 * r0}) * per_mix)


def resolve_profile(db: Session, principal: Principal, body: PlanCreate | ComparisonCreate) -> tuple[str, Profile]:
    """The profile the plan or comparison runs on, and its source's name."""
    if (body.profile is None) == (not body.from_db):
        raise InvalidInput(code="capacity.profile_or_history", loc=("body", "profile"))
    if body.from_db:
        municipality = db.get(Municipality, principal.municipality_id)
        assert municipality is not None  # a principal's municipality exists (foreign key)
        prof = profile_from_history(db, municipality=municipality, today=clock.today(), days=body.days,
                                    loc=("body", "from_db"))
        return "history", prof
    assert body.profile is not None
    prof = shipped_profile(body.profile)
    return body.profile, prof.model_copy(update={"days": body.days})


def _new_row(principal: Principal, now: datetime, body: PlanCreate | ComparisonCreate, **fields: Any) -> CapacityPlan:
    """A job's row as a request creates it: who asked and when, the seeds and days asked for, and the
    kind's own ``fields``."""
    return CapacityPlan(id=new_id(), municipality_id=principal.municipality_id, created_by=principal.user_id,
                        created_at=now, seeds=body.seeds, days=body.days, **fields)


def start_plan(db: Session, *, principal: Principal, body: PlanCreate) -> PlanJob:
    source, prof = resolve_profile(db, principal, body)
    now = clock.now()
    job = _new_row(principal, now, body, kind="plan", source=source, target=body.target,
                   total=replications_at_most(prof, body.seeds))

    def work(executor: Any) -> dict[str, Any]:
        return plan(prof, target=body.target, seeds=body.seeds, scales=SCALES, executor=executor)

    return runner.state_of(RUNNER.submit(db, job, work), now)


def get_plan(db: Session, *, principal: Principal, plan_id: str) -> PlanJob:
    """A plan of the caller's municipality (a comparison's id is unknown here)."""
    return runner.get(db, plan_id, principal.municipality_id, kind="plan")


def get_job(db: Session, *, principal: Principal, job_id: str) -> PlanJob:
    """A plan or a comparison of the caller's municipality (the page shows either)."""
    return runner.get(db, job_id, principal.municipality_id)


def _pair(value: Any) -> dict[str, float]:
    mean, half = value
    return {"mean": float(mean), "half_width": float(half)}


PAIRED = ("value", "placed", "sheltered_share", "mean_wait", "p95_wait", "seconds", "share_of_hindsight",
          "share_of_bound")


def comparison_result(prof: Profile, body: ComparisonCreate, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The rows of :func:`matcher.simulate.replicate.compare` as the API's ``ComparisonResult``: the (mean,
    half-width) pairs named, the wait buckets labelled."""
    return {
        "profile": prof.name,
        "seeds": body.seeds,
        "load": body.load,
        "days": prof.days,
        "hindsight_seconds": body.hindsight_seconds,
        "wait_buckets": wait_bucket_labels(),
        "rows": [{k: (_pair(v) if k in PAIRED else v) for k, v in row.items()} for row in rows],
    }


def start_comparison(db: Session, *, principal: Principal, body: ComparisonCreate) -> PlanJob:
    """Every policy and hindsight on ``seeds`` simulated years; one replication (all policies of one seed) is
    one step of progress."""
    spent = body.seeds * body.hindsight_seconds
    if spent > HINDSIGHT_BUDGET:
        raise InvalidInput(code="capacity.hindsight_budget", loc=("body", "hindsight_seconds"),
                           limit=HINDSIGHT_BUDGET, value=f"{spent:g}")
    source, prof = resolve_profile(db, principal, body)
    now = clock.now()
    job = _new_row(principal, now, body, kind="compare", source=source, target=None, load=body.load,
                   hindsight_seconds=body.hindsight_seconds, total=body.seeds)

    def work(executor: Any) -> dict[str, Any]:
        rows = compare(prof, seeds=body.seeds, load=body.load, hindsight_seconds=body.hindsight_seconds,
                       executor=executor)
        return comparison_result(prof, body, rows)

    return runner.state_of(RUNNER.submit(db, job, work), now)


def get_comparison(db: Session, *, principal: Principal, comparison_id: str) -> PlanJob:
    """A comparison of the caller's municipality (a plan's id is unknown here)."""
    return runner.get(db, comparison_id, principal.municipality_id, kind="compare")


def body_of(job: PlanJob) -> PlanCreate | ComparisonCreate:
    """The request that started ``job``, as its kind's body (a job's row keeps every field of it)."""
    chosen: dict[str, Any] = {"from_db": True} if job.source == "history" else {"profile": job.source}
    if job.kind == "compare":
        return ComparisonCreate(**chosen, seeds=job.seeds, days=job.days, load=job.load,
                                hindsight_seconds=job.hindsight_seconds or 0.0)
    assert job.target is not None  # always set on a plan
    return PlanCreate(**chosen, target=job.target, seeds=job.seeds, days=job.days)


def restart(db: Session, *, principal: Principal, job_id: str, kind: str | None = None) -> PlanJob:
    """A new job with the same request as the failed or interrupted ``job_id`` (of ``kind``, if given).

    The old row stays as it is, so its error can still be read; a history profile is counted again from
    today's records. A job that is done or still running is a 409: there is nothing to restart."""
    job = runner.get(db, job_id, principal.municipality_id, kind=kind)
    if job.status != "failed":
        raise Conflict(code="capacity.not_restartable", loc=("path", "id"), status=STATUS_WORDS[job.status])
    body = body_of(job)
    if isinstance(body, ComparisonCreate):
        return start_comparison(db, principal=principal, body=body)
    return start_plan(db, principal=principal, body=body)


def recent_plans(db: Session, *, principal: Principal) -> list[PlanJob]:
    return runner.recent(db, principal.municipality_id)
