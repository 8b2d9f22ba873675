"""The placement lifecycle (arrival, end, cancellation) and the locks and checks every way into a
placement shares; the decisions on proposals that create placements live in :mod:`api.matching.decisions`.

Why the locking order matters: every decision takes its locks in the same order (the
matching run, then the household, then the place), so two team members deciding at the
same moment queue up instead of deadlocking, and the second one re-reads what the first
one committed. On PostgreSQL ``SELECT ... FOR UPDATE`` takes the row locks; on SQLite the
whole write transaction is serialised by BEGIN IMMEDIATE. Behind the Python checks the
database itself refuses a second live placement of a household (partial unique index)
and overlapping live stays in a place (exclusion constraint / trigger, migration 0003),
so even a code path that forgets a check cannot double-book.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from api.core import audit, clock
from api.core.error_codes import status_label as _status
from api.core.errors import Conflict, InvalidInput, NotFound
from api.core.principal import Principal
from api.core.tenancy import owned
from api.households.models import Household
from api.placements.models import LIVE_STATUSES, OUTCOMES, Placement, Refusal
from api.places.models import Place


@dataclass(frozen=True)
class RefusalRow:
    """A refusal with the place's reference, as the household's page shows it."""

    refusal: Refusal
    place_reference: str


# ---------------------------------------------------------------- reading


def get_placement(db: Session, *, principal: Principal, placement_id: int) -> Placement:
    return owned(db, Placement, placement_id, principal, code="placement.not_found", loc=("path", "placement_id"))


def list_placements(
    db: Session, *, municipality_id: int, status: str | None = None, household_id: int | None = None
) -> Sequence[Placement]:
    query = (
        select(Placement)
        .where(Placement.municipality_id == municipality_id)
        .options(selectinload(Placement.household), selectinload(Placement.place))
        .order_by(Placement.start_date.desc(), Placement.id.desc())
    )
    if status:
        query = query.where(Placement.status == status)
    if household_id:
        query = query.where(Placement.household_id == household_id)
    return db.scalars(query).all()


def refusals_of(db: Session, *, household_id: int) -> list[RefusalRow]:
    """The places this household refused (or the team refused for it), newest first: never proposed again.
    Oldest first."""
    rows = db.execute(
        select(Refusal, Place.reference)
        .join(Place, Place.id == Refusal.place_id)
        .where(Refusal.household_id == household_id)
        .order_by(Refusal.id)
    ).all()
    return [RefusalRow(refusal=refusal, place_reference=reference) for refusal, reference in rows]


# ---------------------------------------------------------------- locks and checks


def require_reason(reason: str | None, field: str = "reason") -> str:
    """A decision outside the normal flow (reject, cancel, place by hand) states why, in at most 2,000 characters."""
    text = (reason or "").strip()
    if not text:
        raise InvalidInput(code="placement.reason_required", loc=("body", field))
    if len(text) > 2000:
        raise InvalidInput(code="placement.reason_too_long", loc=("body", field))
    return text


def lock_row(db: Session, model: type[Household] | type[Place], row_id: int) -> Any:
    row = db.scalar(select(model).where(model.id == row_id).with_for_update().execution_options(populate_existing=True))
    if row is None:
        code = "household.not_found" if model is Household else "place.not_found"
        raise NotFound(code=code, loc=("body", f"{model.__tablename__}_id"))
    return row


def check_no_overlap(db: Session, *, place_id: int, start: date, end: date) -> None:
    clash = db.scalar(
        select(Placement.id).where(
            Placement.place_id == place_id,
            Placement.status.in_(LIVE_STATUSES),
            Placement.start_date < end,
            Placement.end_date > start,
        )
    )
    if clash is not None:
        raise Conflict(
            code="placement.double_booking",
            loc=("body", "place_id"),
        )


def flush_or_conflict(db: Session) -> None:
    """The database's own guarantees (unique live placement, no overlap) surface as a 409."""
    try:
        db.flush()
    except IntegrityError:
        raise Conflict(
            code="placement.concurrent",
            loc=("body",),
        ) from None


# ---------------------------------------------------------------- lifecycle


def start_placement(db: Session, *, principal: Principal, placement_id: int, arrived_on: date) -> Placement:
    """The household arrived: confirmed → started."""
    placement = _lock_placement(db, principal, placement_id)
    if placement.status != "confirmed":
        raise Conflict(code="placement.not_confirmed", loc=("path", "placement_id"), status=_status(placement.status))
    if arrived_on > clock.today():
        raise InvalidInput(code="placement.arrival_in_future", loc=("body", "arrived_on"))
    if arrived_on >= placement.end_date:
        raise InvalidInput(code="placement.arrival_after_end", loc=("body", "arrived_on"))
    placement.status = "started"
    placement.arrived_on = arrived_on
    db.flush()
    audit.record(
        db,
        principal=principal,
        action="start",
        object_type="placement",
        object_id=placement.id,
        detail={"fields": ["status", "arrived_on"]},
    )
    return placement


def end_placement(
    db: Session, *, principal: Principal, placement_id: int, ended_on: date, outcome: str, note: str | None = None
) -> Placement:
    """The stay ended (on time or early) with an outcome; the household's case is closed."""
    if outcome not in OUTCOMES:
        raise InvalidInput(code="placement.unknown_outcome", loc=("body", "outcome"), choices=", ".join(OUTCOMES))
    placement = _lock_placement(db, principal, placement_id)
    if placement.status != "started":
        raise Conflict(code="placement.not_started", loc=("path", "placement_id"), status=_status(placement.status))
    if ended_on > clock.today():
        raise InvalidInput(code="placement.end_in_future", loc=("body", "ended_on"))
    if placement.arrived_on and ended_on < placement.arrived_on:
        raise InvalidInput(code="placement.end_before_arrival", loc=("body", "ended_on"))
    placement.status = "ended"
    placement.ended_on = ended_on
    placement.outcome = outcome
    placement.end_note = (note or "").strip() or None
    household = lock_row(db, Household, placement.household_id)
    household.status = "closed"
    household.closed_at = clock.now()
    db.flush()
    audit.record(
        db,
        principal=principal,
        action="end",
        object_type="placement",
        object_id=placement.id,
        detail={
            "outcome": outcome,
            "early": ended_on < placement.end_date,
            "fields": ["status", "ended_on", "outcome", "end_note"],
        },
    )
    return placement


def cancel_placement(db: Session, *, principal: Principal, placement_id: int, reason: str | None) -> Placement:
    """A confirmed stay that will not start: the household waits again, the place is free."""
    text = require_reason(reason)
    placement = _lock_placement(db, principal, placement_id)
    if placement.status != "confirmed":
        raise Conflict(code="placement.not_cancellable", loc=("path", "placement_id"), status=_status(placement.status))
    placement.status = "cancelled"
    placement.end_note = text
    household = lock_row(db, Household, placement.household_id)
    household.status = "waiting"
    db.flush()
    audit.record(
        db,
        principal=principal,
        action="cancel",
        object_type="placement",
        object_id=placement.id,
        detail={"fields": ["status", "end_note"]},
    )
    return placement


def _lock_placement(db: Session, principal: Principal, placement_id: int) -> Placement:
    get_placement(db, principal=principal, placement_id=placement_id)
    placement = db.scalar(
        select(Placement)
        .where(Placement.id == placement_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    assert placement is not None
    return placement


__all__ = [
    "cancel_placement",
    "check_no_overlap",
    "end_placement",
    "flush_or_conflict",
    "get_placement",
    "list_placements",
    "lock_row",
    "require_reason",
    "start_placement",
]
