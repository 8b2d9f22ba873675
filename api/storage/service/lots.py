"""A lot's life cycle up to its costs: the dated policy, lookups, quantities, intake and the cost decisions.

Shared by the other modules of :mod:`api.storage.service`: the lot lock and the status refresh live here.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.orm import Session, object_session, selectinload

from api.core import audit, clock
from api.core.errors import InvalidInput
from api.core.policy import policy_book
from api.core.principal import Principal
from api.core.tenancy import owned
from api.households.models import Household
from api.storage import rules
from api.storage.inventory import item_states
from api.storage.models import (
    StorageDepot,
    StorageLot,
)
from api.storage.schemas import (
    CostDecision,
    Recovery,
)
from matcher.rules.errors import RulesError

OPEN_STATUSES = ("stored", "partly_returned")


def fmt_day(day: date) -> str:
    return day.strftime("%d-%m-%Y")


# ------------------------------------------------------------------ policy


def letter_times(db: Session, *, lot: StorageLot) -> rules.LetterTimes:
    """The letter schedule and warning window of this lot (``storage_letters`` on its day of storage)."""
    return rules.letter_times(policy_book(db, municipality_id=lot.municipality_id), lot.stored_on)


def letter_schedule(db: Session, *, lot: StorageLot) -> tuple[rules.LetterDue, ...]:
    """The four letters of this lot and the day each is due."""
    return rules.letter_schedule(letter_times(db, lot=lot), lot.stored_on, lot.deadline)


def deadline_for(db: Session, *, municipality_id: int, stored_on: date) -> date:
    """stored_on + the storage period in force on that day; a day outside the known policy is bad input."""
    try:
        return rules.deadline_for(policy_book(db, municipality_id=municipality_id), stored_on)
    except RulesError as exc:
        raise InvalidInput(code="storage.no_storage_period", loc=("body", "stored_on"), detail=exc.msg) from exc


# ------------------------------------------------------------------ lookups


def get_lot(db: Session, *, principal: Principal, lot_id: int) -> StorageLot:
    """Another municipality's lot is 'not found', so ids cannot be probed."""
    return owned(db, StorageLot, lot_id, principal, code="storage.lot_not_found", loc=("path", "lot_id"))


def list_depots(db: Session, *, municipality_id: int) -> Sequence[StorageDepot]:
    return db.scalars(
        select(StorageDepot).where(StorageDepot.municipality_id == municipality_id).order_by(StorageDepot.name)
    ).all()


def list_lots(db: Session, *, municipality_id: int, include_ended: bool = True) -> Sequence[StorageLot]:
    """Lots of one municipality, the nearest deadline first (open lots before ended ones)."""
    query = (
        select(StorageLot)
        .where(StorageLot.municipality_id == municipality_id)
        .options(selectinload(StorageLot.items))
        .order_by(StorageLot.deadline, StorageLot.reference)
    )
    if not include_ended:
        query = query.where(StorageLot.status.in_(OPEN_STATUSES))
    lots = db.scalars(query).all()
    return sorted(lots, key=lambda lot: (lot.status not in OPEN_STATUSES, lot.deadline, lot.reference))


def households_for_intake(db: Session, *, municipality_id: int) -> Sequence[Row[int, str]]:
    """The intake form's choice of household: id and reference only (the form shows no more, and a large
    municipality has thousands)."""
    return db.execute(
        select(Household.id, Household.reference)
        .where(Household.municipality_id == municipality_id)
        .order_by(Household.reference)
    ).all()


# ------------------------------------------------------------------ quantities


def lot_volume(lot: StorageLot) -> Decimal:
    return sum((item.volume_m3 for item in lot.items), Decimal("0"))


def costs(lot: StorageLot, *, today: date) -> rules.Costs:
    """The running total: up to the day the lot ended, else up to today."""
    until = lot.ended_on or today
    return rules.storage_costs(
        stored_on=lot.stored_on,
        until=max(until, lot.stored_on),
        tariff_kind=lot.tariff_kind,
        tariff_cents=lot.tariff_cents,
        removal_cents=lot.removal_cost_cents or 0,
        volume_m3=lot_volume(lot),
    )


def lock_lot(db: Session, lot: StorageLot) -> None:
    """Serialise changes to one lot: a row lock (PostgreSQL; SQLite already writes one at a time), then
    fresh returns, disposals and waivers, so two people returning or approving at the same moment cannot
    both take the same remaining quantity."""
    db.execute(select(StorageLot.id).where(StorageLot.id == lot.id).with_for_update())
    db.expire(lot, ["status", "ended_on", "items", "returns", "waivers", "disposals"])


def refresh_status(lot: StorageLot, *, day: date) -> None:
    """stored → partly_returned → returned / disposed once nothing is left; ended_on is that day."""
    db = session_of(lot)
    states = item_states(lot)
    left = sum(s.remaining for s in states.values())
    if left == 0:
        lot.status = "disposed" if any(s.disposed for s in states.values()) else "returned"
        lot.ended_on = lot.ended_on or day
    else:
        lot.status = "partly_returned" if any(s.returned or s.disposed for s in states.values()) else "stored"
        lot.ended_on = None
    db.flush()


def session_of(obj: Any) -> Session:

    session = object_session(obj)
    assert session is not None
    return session


# ------------------------------------------------------------------ costs


def decide_costs(db: Session, *, principal: Principal, lot: StorageLot, data: CostDecision) -> StorageLot:
    """Record whether the municipality waives the costs or holds the return until they are paid (5:29 lid 4-5)."""
    if data.decision == "hold_until_paid" and not (data.reason or "").strip():
        # Holding goods back weighs on people who have just lost their home: the reason is part of the decision.
        raise InvalidInput(code="storage.suspension_reason_required", loc=("body", "reason"))
    lot.cost_decision = data.decision
    lot.cost_decision_reason = (data.reason or "").strip() or None
    lot.cost_decision_by = principal.user_id
    lot.cost_decision_at = clock.now()
    db.flush()
    audit.record(
        db,
        principal=principal,
        action="update",
        object_type="storage_lot",
        object_id=lot.id,
        detail={"fields": ["cost_decision"], "decision": data.decision},
    )
    return lot


def mark_costs_paid(db: Session, *, principal: Principal, lot: StorageLot, paid_on: date, today: date) -> StorageLot:
    if paid_on > today:
        raise InvalidInput(code="storage.paid_in_future", loc=("body", "paid_on"))
    if paid_on < lot.stored_on:
        raise InvalidInput(code="storage.paid_before_storage", loc=("body", "paid_on"))
    lot.costs_paid_on = paid_on
    db.flush()
    audit.record(
        db,
        principal=principal,
        action="update",
        object_type="storage_lot",
        object_id=lot.id,
        detail={"fields": ["costs_paid_on"]},
    )
    return lot


def set_recovery(
    db: Session, *, principal: Principal, lot: StorageLot, data: Recovery, today: date | None = None
) -> StorageLot:
    """The invoice to the executant, the party that ordered the eviction (usually the landlord): the costs of
    removal and storage are theirs (art. 556 lid 3 Rv), whatever the municipality decides toward the household."""
    today = today or clock.today()
    if data.invoiced_on is not None and (data.invoiced_on > today or data.invoiced_on < lot.stored_on):
        raise InvalidInput(
            code="storage.invoice_date_out_of_range",
            loc=("body", "invoiced_on"),
            stored=fmt_day(lot.stored_on),
            today=fmt_day(today),
        )
    lot.recovery_party = data.party.strip()
    lot.recovery_status = data.status
    lot.recovery_amount_cents = None if data.amount is None else rules.to_cents(data.amount)
    lot.recovery_invoiced_on = data.invoiced_on
    lot.recovery_invoice_reference = (data.invoice_reference or "").strip() or None
    lot.recovery_updated_at = clock.now()
    db.flush()
    audit.record(
        db,
        principal=principal,
        action="update",
        object_type="storage_lot",
        object_id=lot.id,
        detail={
            "fields": [
                "recovery_party",
                "recovery_status",
                "recovery_amount_cents",
                "recovery_invoiced_on",
                "recovery_invoice_reference",
            ],
            "status": data.status,
        },
    )
    return lot
