"""One view of a run for the API and the daily page: proposals with references, unplaced, changes."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.core import data_version
from api.core.payload import Payload
from api.households.models import Household
from api.matching import listing, service
from api.matching.models import MatchingRun
from api.matching.schemas import RunBrief, RunRead, UnplacedRead
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


def run_briefs(db: Session, *, municipality_id: int, day: date | None) -> list[RunBrief]:
    """The newest runs, kept per data version (a brief counts the stored solution's placements, which
    means reading that JSON: once per version of the data, not per request)."""
    return data_version.views.get_or_compute(
        db,
        ("matching.run_briefs", municipality_id, day),
        lambda: [run_brief(r) for r in service.list_runs(db, municipality_id=municipality_id, day=day)],
    )


def run_read(db: Session, run: MatchingRun, current_hash: str | None = None, *, with_proposals: bool = True) -> RunRead:
    """The run as the API shows it; the daily page leaves the proposals out (it pages them itself).

    A read of a stored run (no ``current_hash``, not just run) is kept per data version
    (api.core.data_version): at scale it is 400 proposals with their reasons and a comparison with the run
    before, asked by every crisis team member's screen. Shared between requests: never changed by callers."""
    if current_hash is None and not run.reused:
        return data_version.views.get_or_compute(
            db, ("matching.run_read", run.id, with_proposals), lambda: _run_read(db, run, None, with_proposals)
        )
    return _run_read(db, run, current_hash, with_proposals)


def run_payload(db: Session, run: MatchingRun) -> Payload:
    """A stored run as the API's JSON body, serialised (and compressed, api.core.payload) once per data version:
    the same document as :func:`run_read`, without validating 400 proposals again on every request."""
    return data_version.views.get_or_compute(
        db, ("matching.run_payload", run.id), lambda: Payload(run_read(db, run).model_dump_json().encode())
    )


def _run_read(db: Session, run: MatchingRun, current_hash: str | None, with_proposals: bool) -> RunRead:
    summary = service.run_summary(db, run, current_hash)
    chosen = list(run.proposals) if with_proposals else []
    place_ids = [x.place_id for x in chosen]
    place_rows = {p.id: p for p in db.scalars(select(Place).where(Place.id.in_(place_ids)))} if place_ids else {}
    household_ids = dict(
        db.execute(
            select(Household.reference, Household.id).where(Household.municipality_id == run.municipality_id)
        ).all()
    )
    refs = {v: k for k, v in household_ids.items()}
    proposals = [
        listing.proposal_read(
            p, refs.get(p.household_id, "?"), place_rows[p.place_id].reference, place_rows[p.place_id].kind
        )
        for p in chosen
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
