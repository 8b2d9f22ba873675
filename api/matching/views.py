"""One view of a run for the API and the daily page: proposals with references, unplaced, changes."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.households.models import Household
from api.matching import service
from api.matching.models import MatchingRun
from api.matching.schemas import ProposalRead, ReasonRead, RunBrief, RunRead, UnplacedRead
from api.places.models import Place


def run_brief(run: MatchingRun) -> RunBrief:
    return RunBrief(
        id=run.id,
        planning_date=run.planning_date,
        input_hash=run.input_hash,
        matcher_version=run.matcher_version,
        status=run.status,
        run_by_label=run.run_by_label,
        started_at=run.started_at,
        proposals=len(run.solution_json.get("placements", [])),
        unplaced=len(run.solution_json.get("unplaced", [])),
    )


def run_read(db: Session, run: MatchingRun) -> RunRead:
    summary = service.run_summary(db, run)
    place_rows = {p.id: p for p in db.scalars(select(Place).where(Place.id.in_([x.place_id for x in run.proposals])))}
    household_ids = dict(
        db.execute(
            select(Household.reference, Household.id).where(Household.municipality_id == run.municipality_id)
        ).all()
    )
    refs = {v: k for k, v in household_ids.items()}
    proposals = [
        ProposalRead(
            id=p.id,
            run_id=run.id,
            household_id=p.household_id,
            household_reference=refs.get(p.household_id, "?"),
            place_id=p.place_id,
            place_reference=place_rows[p.place_id].reference,
            place_kind=place_rows[p.place_id].kind,
            start_date=p.start_date,
            end_date=p.end_date,
            status=p.status,
            reasons=[ReasonRead(**r) for r in (p.reasons or [])],
            rejection_reason=p.rejection_reason,
            decided_at=p.decided_at,
            offered_at=p.offered_at,
        )
        for p in run.proposals
    ]
    unplaced = [
        UnplacedRead(
            household=u["household"],
            household_id=household_ids.get(u["household"]),
            reasons=u.get("reasons", []),
            reasons_en=u.get("reasons_en", []),
        )
        for u in run.solution_json.get("unplaced", [])
    ]
    return RunRead(
        id=run.id,
        planning_date=run.planning_date,
        input_hash=run.input_hash,
        matcher_version=run.matcher_version,
        status=run.status,
        run_by=run.run_by,
        run_by_label=run.run_by_label,
        started_at=run.started_at,
        reused=bool(run.reused),
        stale=summary.stale,
        previous_run_id=summary.previous_run_id,
        changes=summary.changes,
        objective=run.solution_json.get("objective", {}),
        solve_seconds=run.solution_json.get("solve_seconds"),
        proposals=proposals,
        unplaced=unplaced,
    )
