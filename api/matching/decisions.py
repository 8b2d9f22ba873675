"""Decisions on the proposals of a matching run, and placements outside them: each one passes every
hard rule again (through the matcher's own predicates) and takes its locks in one order.

Why the locking order matters: every decision takes its locks in the same order (the matching run, then
the household, then the place, then the place's host), so two team members deciding at the same moment
queue up instead of deadlocking, and the second one re-reads what the first one committed. On PostgreSQL
``SELECT ... FOR UPDATE`` takes the row locks; on SQLite the whole write transaction is serialised by BEGIN IMMEDIATE.
Behind the Python checks the database itself refuses a second live placement of a household (partial
unique index) and overlapping live stays in a place (exclusion constraint / trigger, migration 0003).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.core import audit, clock
from api.core.error_codes import status_label
from api.core.errors import Conflict, NotFound, RuleBreach
from api.core.principal import Principal
from api.core.tenancy import ensure_own
from api.hosts.limit import lock_host_and_check_limit
from api.hosts.rules import ensure_host_confirmable
from api.households.models import Household
from api.matching import service as matching
from api.matching.models import MatchingRun, Proposal
from api.placements.models import LIVE_STATUSES, Placement, Refusal
from api.placements.service import check_no_overlap, flush_or_conflict, lock_row, require_reason
from api.places.models import Place


def _check_landlord_consent(place: Place, day: date) -> None:
    """E6 on the records, by the one definition in :mod:`api.hosts.rules`."""
    if place.kind == "host_room" and place.host is not None:
        ensure_host_confirmable(place.host, day)


def _booked_soon(db: Session, place: Place, day: date, instance: dict[str, Any]) -> bool:
    """A live placement overlaps the window in which a new stay would have to start and run."""
    window_end = day + timedelta(days=instance["horizon_days"] + instance["policy"]["min_stay_days"])
    return (
        db.scalar(
            select(Placement.id).where(
                Placement.place_id == place.id,
                Placement.status.in_(LIVE_STATUSES),
                Placement.start_date < window_end,
                Placement.end_date > day,
            )
        )
        is not None
    )


def _hard_rule_breaches(instance: dict[str, Any], household_ref: str, place_ref: str) -> list[str]:
    from matcher.eligibility import explain_pair

    return explain_pair(instance, household_ref, place_ref)


# ---------------------------------------------------------------- decisions on proposals


def _open_proposal_locked(db: Session, *, principal: Principal, proposal_id: int) -> tuple[Proposal, MatchingRun]:
    """The proposal, re-read after locking its run (decisions on one run are serialised); 409 unless still open."""
    proposal = matching.get_proposal(db, principal=principal, proposal_id=proposal_id)
    run = matching.lock_run(db, proposal.run_id)
    db.expire_all()
    fresh = db.get(Proposal, proposal_id)
    assert fresh is not None
    proposal = fresh
    if proposal.status != "open":
        raise Conflict(
            code="proposal.already_decided", loc=("path", "proposal_id"), status=status_label(proposal.status)
        )
    if proposal.offered_at is not None:  # the host answers now (api/offers), not the team
        raise Conflict(code="proposal.offered", loc=("path", "proposal_id"))
    return proposal, run


def _checked_for_a_stay(
    db: Session, *, principal: Principal, proposal_id: int
) -> tuple[Proposal, MatchingRun, Household, Place]:
    """An open, fresh proposal, locked, that may become a stay now: the household still waits, the run's
    records did not change, no hard rule, landlord consent, no overlap, the host limit (locked). Confirming
    and holding for an offer both pass here, so they refuse the same things."""
    proposal, run = _open_proposal_locked(db, principal=principal, proposal_id=proposal_id)
    household = lock_row(db, Household, proposal.household_id)
    place = lock_row(db, Place, proposal.place_id)
    if household.status != "waiting":
        raise Conflict(code="proposal.household_placed", loc=("body", "household_id"))
    instance = matching.instance_for(db, municipality_id=run.municipality_id, day=run.planning_date)
    if matching.input_hash(instance) != (run.expected_hash or run.input_hash):
        raise Conflict(code="proposal.stale", loc=("path", "proposal_id"), at=_hhmm(run.started_at))
    breaches = _hard_rule_breaches(instance, household.reference, place.reference)
    if breaches:
        raise RuleBreach(code="placement.hard_rules", loc=("path", "proposal_id"), breaches="; ".join(breaches))
    _check_landlord_consent(place, proposal.start_date)
    check_no_overlap(db, place_id=place.id, start=proposal.start_date, end=proposal.end_date)
    lock_host_and_check_limit(db, place=place, start=proposal.start_date, end=proposal.end_date)
    return proposal, run, household, place


def confirm_proposal(db: Session, *, principal: Principal, proposal_id: int) -> Placement:
    """Confirm an open, fresh proposal: a confirmed placement; the household is placed."""
    proposal, run, household, place = _checked_for_a_stay(db, principal=principal, proposal_id=proposal_id)
    placement = Placement(
        municipality_id=run.municipality_id,
        household_id=household.id,
        place_id=place.id,
        proposal_id=proposal.id,
        status="confirmed",
        start_date=proposal.start_date,
        end_date=proposal.end_date,
        confirmed_by=principal.user_id,
    )
    db.add(placement)
    household.status = "placed"
    proposal.status = "confirmed"
    proposal.decided_by = principal.user_id
    proposal.decided_at = clock.now()
    flush_or_conflict(db)
    run.expected_hash = matching.input_hash(
        matching.instance_for(db, municipality_id=run.municipality_id, day=run.planning_date)
    )
    db.flush()
    audit.record(
        db,
        principal=principal,
        action="confirm",
        object_type="placement",
        object_id=placement.id,
        detail={"proposal_id": proposal.id, "run_id": run.id, "household_id": household.id, "place_id": place.id},
    )
    return placement


def reject_proposal(db: Session, *, principal: Principal, proposal_id: int, reason: str | None) -> Proposal:
    """Reject with a reason; the pair becomes an exclusion (E8) for every later run."""
    text = require_reason(reason)
    proposal, run = _open_proposal_locked(db, principal=principal, proposal_id=proposal_id)
    was_fresh = matching.fresh_hash(db, run=run) == (run.expected_hash or run.input_hash)
    proposal.status = "rejected"
    proposal.rejection_reason = text
    proposal.decided_by = principal.user_id
    proposal.decided_at = clock.now()
    exists = db.scalar(
        select(Refusal.id).where(Refusal.household_id == proposal.household_id, Refusal.place_id == proposal.place_id)
    )
    if exists is None:
        db.add(
            Refusal(
                municipality_id=run.municipality_id,
                household_id=proposal.household_id,
                place_id=proposal.place_id,
                reason=text,
                refused_by=principal.user_id,
            )
        )
    flush_or_conflict(db)
    if was_fresh:  # a rejection is this run's own decision: the other proposals stay valid
        run.expected_hash = matching.fresh_hash(db, run=run)
        db.flush()
    audit.record(
        db,
        principal=principal,
        action="reject",
        object_type="proposal",
        object_id=proposal.id,
        detail={"run_id": run.id, "household_id": proposal.household_id, "place_id": proposal.place_id},
    )
    return proposal


def place_manually(
    db: Session,
    *,
    principal: Principal,
    household_id: int,
    place_id: int,
    reason: str | None,
    day: date | None = None,
) -> Placement:
    """A placement outside the proposals: needs a reason and passes every hard rule."""
    import matcher

    text = require_reason(reason)
    day = day or clock.today()
    household = lock_row(db, Household, household_id)
    place = lock_row(db, Place, place_id)
    ensure_own(principal, household.municipality_id, code="household.not_found", loc=("body", "household_id"))
    ensure_own(principal, place.municipality_id, code="place.not_found", loc=("body", "place_id"))
    if household.status != "waiting":
        raise Conflict(code="placement.household_not_waiting", loc=("body", "household_id"))
    instance = matching.instance_for(db, municipality_id=principal.municipality_id, day=day)
    if not any(p["id"] == place.reference for p in instance["places"]):
        raise RuleBreach(code="placement.place_inactive", loc=("body", "place_id"))
    if not any(h["id"] == household.reference for h in instance["households"]):
        raise RuleBreach(code="placement.household_incomplete", loc=("body", "household_id"))
    breaches = _hard_rule_breaches(instance, household.reference, place.reference)
    if breaches and all(b.startswith("E10") for b in breaches) and _booked_soon(db, place, day, instance):
        raise Conflict(  # not a rule of the household: someone booked the place first
            code="placement.double_booking",
            loc=("body", "place_id"),
        )
    if breaches:
        raise RuleBreach(code="placement.hard_rules", loc=("body", "place_id"), breaches="; ".join(breaches))
    pair = dict(instance)
    pair["households"] = [h for h in instance["households"] if h["id"] == household.reference]
    pair["places"] = [p for p in instance["places"] if p["id"] == place.reference]
    solution = matcher.solve(pair).model_dump(mode="json")
    if not solution["placements"]:
        unplaced = solution["unplaced"][0]
        reasons = ("; ".join(unplaced["reasons"]), "; ".join(unplaced["reasons_en"]))
        raise RuleBreach(code="placement.hard_rules", loc=("body", "place_id"), breaches=reasons)
    chosen = solution["placements"][0]
    start, end = date.fromisoformat(chosen["start"]), date.fromisoformat(chosen["end"])
    _check_landlord_consent(place, start)
    check_no_overlap(db, place_id=place.id, start=start, end=end)
    lock_host_and_check_limit(db, place=place, start=start, end=end)
    placement = Placement(
        municipality_id=principal.municipality_id,
        household_id=household.id,
        place_id=place.id,
        status="confirmed",
        start_date=start,
        end_date=end,
        manual_reason=text,
        confirmed_by=principal.user_id,
    )
    db.add(placement)
    household.status = "placed"
    flush_or_conflict(db)
    audit.record(
        db,
        principal=principal,
        action="create",
        object_type="placement",
        object_id=placement.id,
        detail={"manual": True, "household_id": household.id, "place_id": place.id, "fields": ["manual_reason"]},
    )
    return placement


# ---------------------------------------------------------------- offers (api/offers calls these)


def hold_for_offer(db: Session, *, principal: Principal, proposal_id: int) -> Proposal:
    """Put an open, fresh proposal on hold for an offer: the same checks as confirming it, but no placement.

    The household leaves the pool and the place is busy for the offered stay (see
    :func:`api.matching.instance.build_instance`) until :func:`confirm_offered` or :func:`release_offered`.
    """
    proposal, run, _household, _place = _checked_for_a_stay(db, principal=principal, proposal_id=proposal_id)
    proposal.offered_at = clock.now()
    db.flush()
    run.expected_hash = matching.fresh_hash(db, run=run)  # the offer is this run's own decision
    db.flush()
    return proposal


def _offered_proposal_locked(db: Session, proposal_id: int) -> tuple[Proposal, MatchingRun]:
    proposal = db.get(Proposal, proposal_id)
    if proposal is None:
        raise NotFound(code="proposal.not_found", loc=("path", "proposal_id"))
    run = matching.lock_run(db, proposal.run_id)
    db.expire_all()
    fresh = db.get(Proposal, proposal_id)
    assert fresh is not None
    if fresh.status != "open" or fresh.offered_at is None:
        raise Conflict(code="proposal.already_decided", loc=("path", "proposal_id"), status=status_label(fresh.status))
    return fresh, run


def confirm_offered(db: Session, *, proposal_id: int, principal: Principal | None, via: str) -> Placement:
    """The host (or the Wachtkamer manager) accepted: a confirmed placement, through the same checks as
    :func:`confirm_proposal` (hard rules on the day, no overlap, host limit lock) but without the staleness
    test: two days of other changes are normal for an offer. Starts today at the earliest."""
    proposal, run = _offered_proposal_locked(db, proposal_id)
    household = lock_row(db, Household, proposal.household_id)
    place = lock_row(db, Place, proposal.place_id)
    if household.status != "waiting":
        raise Conflict(code="proposal.household_placed", loc=("body", "household_id"))
    was_fresh = matching.fresh_hash(db, run=run) == (run.expected_hash or run.input_hash)
    proposal.offered_at = None  # the hold is lifted while the pair is checked as if new
    db.flush()
    start = max(proposal.start_date, clock.today())
    instance = matching.instance_for(db, municipality_id=run.municipality_id, day=start)
    breaches = _hard_rule_breaches(instance, household.reference, place.reference)
    if breaches:
        raise RuleBreach(code="placement.hard_rules", loc=("path", "proposal_id"), breaches="; ".join(breaches))
    _check_landlord_consent(place, start)
    check_no_overlap(db, place_id=place.id, start=start, end=proposal.end_date)
    lock_host_and_check_limit(db, place=place, start=start, end=proposal.end_date)
    placement = Placement(
        municipality_id=run.municipality_id,
        household_id=household.id,
        place_id=place.id,
        proposal_id=proposal.id,
        status="confirmed",
        start_date=start,
        end_date=proposal.end_date,
        confirmed_by=principal.user_id if principal else None,
    )
    db.add(placement)
    household.status = "placed"
    proposal.status = "confirmed"
    proposal.decided_by = principal.user_id if principal else None
    proposal.decided_at = clock.now()
    flush_or_conflict(db)
    if was_fresh:
        run.expected_hash = matching.fresh_hash(db, run=run)
        db.flush()
    audit.record(
        db,
        principal=principal,
        action="confirm",
        object_type="placement",
        object_id=placement.id,
        municipality_id=run.municipality_id,
        detail={"proposal_id": proposal.id, "run_id": run.id, "via": via, "place_id": place.id},
    )
    return placement


def release_offered(
    db: Session,
    *,
    proposal_id: int,
    rejected_for: str | None,
    decided_by: int | None,
    consequences: Callable[[], None] | None = None,
) -> None:
    """The offer ended without a placement: the proposal is rejected (a decline, with its reason) or stale
    (expired or void); the household is back in the pool and the place free, unless a consequence says else."""
    proposal, run = _offered_proposal_locked(db, proposal_id)
    was_fresh = matching.fresh_hash(db, run=run) == (run.expected_hash or run.input_hash)
    proposal.status = "rejected" if rejected_for else "stale"
    proposal.rejection_reason = rejected_for
    proposal.decided_by = decided_by
    proposal.decided_at = clock.now()
    db.flush()
    if consequences is not None:  # a decline's consequence is part of the same decision
        consequences()
    if was_fresh:
        run.expected_hash = matching.fresh_hash(db, run=run)
        db.flush()


def _hhmm(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment else "?"
