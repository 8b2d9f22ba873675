"""Storage of belongings after an eviction: intake, costs, returns, waivers, disposals, letters.

Every function takes the session first and keyword-only arguments, checks the rules of
:mod:`api.storage.rules`, writes an audit event and flushes (never commits). "Today" is
passed in by the caller (routes use :func:`api.core.timeutil.today_nl`: a calendar day in
Europe/Amsterdam), so tests can pin any day, including around leap days and summer time.

A refused action raises before anything is written, so a refusal changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from api.core import audit, clock
from api.core.errors import Conflict, InvalidInput, NotFound, RuleBreach
from api.core.models import Municipality
from api.core.policy import policy_book
from api.core.principal import Principal
from api.core.tenancy import owned
from api.households.models import Eviction, Household
from api.storage import rules
from api.storage.inventory import ItemState, item_states
from api.storage.models import (
    StorageAttachment,
    StorageDepot,
    StorageDisposal,
    StorageDisposalLine,
    StorageItem,
    StorageLetter,
    StorageLot,
    StorageReturn,
    StorageReturnLine,
    StorageWaiver,
    StorageWaiverItem,
)
from api.storage.schemas import (
    ClaimCreate,
    ClaimPaid,
    CostDecision,
    DisposalCreate,
    LotCreate,
    LotRead,
    LotSummary,
    Recovery,
    ReturnCreate,
    SaleResult,
    WaiverCreate,
)
from matcher.rules.errors import RulesError
from matcher.rules.stay_clock import Deadline

OPEN_STATUSES = ("stored", "partly_returned")
MAX_ATTACHMENT_BYTES = 8 * 1024 * 1024
ATTACHMENT_TYPES = {
    b"\xff\xd8\xff": "image/jpeg",
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"%PDF-": "application/pdf",
}


def _d(day: date) -> str:
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


def households_for_intake(db: Session, *, municipality_id: int) -> Sequence[Household]:
    return db.scalars(
        select(Household)
        .where(Household.municipality_id == municipality_id)
        .options(selectinload(Household.evictions))
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


def _refresh_status(lot: StorageLot, *, day: date) -> None:
    """stored → partly_returned → returned / disposed once nothing is left; ended_on is that day."""
    db = _session(lot)
    states = item_states(lot)
    left = sum(s.remaining for s in states.values())
    if left == 0:
        lot.status = "disposed" if any(s.disposed for s in states.values()) else "returned"
        lot.ended_on = lot.ended_on or day
    else:
        lot.status = "partly_returned" if any(s.returned or s.disposed for s in states.values()) else "stored"
        lot.ended_on = None
    db.flush()


def _session(obj: Any) -> Session:
    from sqlalchemy.orm import object_session

    session = object_session(obj)
    assert session is not None
    return session


# ------------------------------------------------------------------ intake


def _next_reference(db: Session, *, municipality: Municipality, year: int) -> str:
    count = db.scalar(select(func.count()).select_from(StorageLot).where(StorageLot.municipality_id == municipality.id))
    n = (count or 0) + 1
    while True:
        reference = f"OP-{municipality.code[2:]}-{year}-{n:04d}"
        if not db.scalar(select(StorageLot.id).where(StorageLot.reference == reference)):
            return reference
        n += 1


def create_lot(db: Session, *, principal: Principal, data: LotCreate, today: date) -> StorageLot:
    """Intake: the lot, its proces-verbaal lines, the deadline from the dated policy and the intake letter."""
    if data.stored_on > today:
        raise InvalidInput(
            code="storage.stored_in_future", loc=("body", "stored_on"), day=_d(data.stored_on), today=_d(today)
        )
    household = owned(
        db, Household, data.household_id, principal, code="storage.unknown_household", loc=("body", "household_id"),
        error=InvalidInput,
    )
    eviction_id = data.eviction_id
    if eviction_id is None and household.evictions:
        eviction_id = household.evictions[-1].id
    if eviction_id is not None:
        eviction = db.get(Eviction, eviction_id)
        if eviction is None or eviction.household_id != household.id:
            raise InvalidInput(code="storage.eviction_other_household", loc=("body", "eviction_id"))
        taken = db.scalar(select(StorageLot.id).where(StorageLot.eviction_id == eviction_id))
        if taken:
            raise Conflict(code="storage.eviction_has_lot", loc=("body", "eviction_id"))
    depot = owned(
        db, StorageDepot, data.depot_id, principal, code="storage.unknown_depot", loc=("body", "depot_id"),
        error=InvalidInput,
    )
    if (data.tariff_kind is None) != (data.tariff is None):
        raise InvalidInput(code="storage.tariff_incomplete", loc=("body", "tariff"))
    deadline = deadline_for(db, municipality_id=principal.municipality_id, stored_on=data.stored_on)
    municipality = db.get(Municipality, principal.municipality_id)
    assert municipality is not None
    lot = StorageLot(
        municipality_id=principal.municipality_id,
        reference=_next_reference(db, municipality=municipality, year=data.stored_on.year),
        household_id=household.id,
        eviction_id=eviction_id,
        depot_id=depot.id,
        stored_on=data.stored_on,
        deadline=deadline,
        bailiff_reference=data.bailiff_reference,
        status="stored",
        notes=data.notes,
        recorded_by=principal.user_id,
        recorded_at=clock.now(),
        tariff_kind=data.tariff_kind,
        tariff_cents=None if data.tariff is None else rules.to_cents(data.tariff),
        removal_cost_cents=rules.to_cents(data.removal_cost),
    )
    lot.items = [StorageItem(**item.model_dump()) for item in data.items]
    db.add(lot)
    db.flush()
    audit.record(
        db,
        principal=principal,
        action="create",
        object_type="storage_lot",
        object_id=lot.id,
        detail={"household_id": household.id, "items": len(lot.items), "deadline": deadline.isoformat()},
    )
    generate_letter(db, principal=principal, lot=lot, kind="intake", today=today)
    return lot


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
            stored=_d(lot.stored_on),
            today=_d(today),
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


# ------------------------------------------------------------------ returns and waivers


def _items_by_id(lot: StorageLot) -> dict[int, StorageItem]:
    return {item.id: item for item in lot.items}


def _wanted_quantities(
    data: ReturnCreate, items: dict[int, StorageItem], states: dict[int, ItemState]
) -> dict[int, int]:
    """Item id → quantity to hand back: the given lines, or everything that remains."""
    if data.lines:
        wanted: dict[int, int] = {}
        for i, line in enumerate(data.lines):
            if line.item_id not in items:
                raise InvalidInput(code="storage.item_not_in_lot", loc=("body", "lines", i, "item_id"))
            if line.item_id in wanted:
                raise InvalidInput(code="storage.item_twice_in_return", loc=("body", "lines", i, "item_id"))
            wanted[line.item_id] = line.quantity
    else:
        wanted = {item_id: s.remaining for item_id, s in states.items() if s.remaining > 0}
    if not wanted:
        raise Conflict(code="storage.nothing_to_return", loc=("body", "lines"))
    return wanted


def record_return(
    db: Session, *, principal: Principal, lot: StorageLot, data: ReturnCreate, today: date
) -> StorageReturn:
    """Goods handed back (full when no lines are given: everything that remains)."""
    lock_lot(db, lot)
    if data.returned_on > today:
        raise InvalidInput(code="storage.return_in_future", loc=("body", "returned_on"))
    if data.returned_on < lot.stored_on:
        raise InvalidInput(code="storage.return_before_storage", loc=("body", "returned_on"))
    if data.confirmation == "recorded" and not (data.confirmation_note or "").strip():
        raise InvalidInput(code="storage.confirmation_note_required", loc=("body", "confirmation_note"))
    if data.confirmation == "signature":
        scan = db.get(StorageAttachment, data.signature_id) if data.signature_id else None
        if scan is None or scan.lot_id != lot.id or scan.kind != "signature":
            raise InvalidInput(code="storage.signature_required", loc=("body", "signature_id"))
    items = _items_by_id(lot)
    states = item_states(lot)
    wanted = _wanted_quantities(data, items, states)
    for i, (item_id, quantity) in enumerate(wanted.items()):
        state = states[item_id]
        if quantity > state.remaining:
            raise RuleBreach(
                code="storage.return_exceeds_stock",
                loc=("body", "lines", i, "quantity"),
                item=items[item_id].description,
                quantity=quantity,
                remaining=state.remaining,
                stored=items[item_id].quantity,
            )
    held = lot.cost_decision == "hold_until_paid" and lot.costs_paid_on is None
    if held and any(not rules.is_protected(items[item_id].category) for item_id in wanted):
        raise RuleBreach(
            code="storage.return_suspended",
            loc=("body", "lines"),
        )
    ret = StorageReturn(
        lot_id=lot.id,
        returned_on=data.returned_on,
        returned_to=data.returned_to.strip(),
        confirmation=data.confirmation,
        confirmation_note=(data.confirmation_note or "").strip() or None,
        signature_id=data.signature_id if data.confirmation == "signature" else None,
        recorded_by=principal.user_id,
        recorded_at=clock.now(),
    )
    ret.lines = [StorageReturnLine(item_id=item_id, quantity=q) for item_id, q in wanted.items()]
    lot.returns.append(ret)
    db.flush()
    _refresh_status(lot, day=data.returned_on)
    audit.record(
        db,
        principal=principal,
        action="create",
        object_type="storage_return",
        object_id=ret.id,
        detail={"lot_id": lot.id, "item_ids": sorted(wanted), "status": lot.status},
    )
    return ret


def record_waiver(
    db: Session, *, principal: Principal, lot: StorageLot, data: WaiverCreate, today: date
) -> StorageWaiver:
    """An afstandsverklaring: it ends the period early for the items it lists (never personal documents)."""
    lock_lot(db, lot)
    if data.signed_on > today:
        raise InvalidInput(code="storage.waiver_in_future", loc=("body", "signed_on"))
    if data.signed_on < lot.stored_on:
        raise InvalidInput(code="storage.waiver_before_storage", loc=("body", "signed_on"))
    items = _items_by_id(lot)
    if len(set(data.item_ids)) != len(data.item_ids):
        raise InvalidInput(code="storage.item_twice_in_waiver", loc=("body", "item_ids"))
    for i, item_id in enumerate(data.item_ids):
        if item_id not in items:
            raise InvalidInput(code="storage.item_not_in_lot", loc=("body", "item_ids", i))
        if rules.is_protected(items[item_id].category):
            raise RuleBreach(
                code="storage.waiver_protected",
                loc=("body", "item_ids", i),
            )
    waiver = StorageWaiver(
        lot_id=lot.id,
        signed_on=data.signed_on,
        signed_by=data.signed_by.strip(),
        note=(data.note or "").strip() or None,
        recorded_by=principal.user_id,
        recorded_at=clock.now(),
    )
    waiver.items = [StorageWaiverItem(item_id=item_id) for item_id in data.item_ids]
    lot.waivers.append(waiver)
    db.flush()
    audit.record(
        db,
        principal=principal,
        action="create",
        object_type="storage_waiver",
        object_id=waiver.id,
        detail={"lot_id": lot.id, "item_ids": sorted(data.item_ids)},
    )
    return waiver


# ------------------------------------------------------------------ sale and destruction


def _remaining_of(lot: StorageLot, category: str) -> dict[int, int]:
    states = item_states(lot)
    return {
        item.id: states[item.id].remaining
        for item in lot.items
        if item.category == category and states[item.id].remaining > 0
    }


def _check_method(data: DisposalCreate) -> None:
    """Sale: proceeds and costs. Destruction or giving away: only with the reason why sale was not possible."""
    if data.method != "sale":  # destruction or gift
        if data.proceeds is not None or data.costs is not None:
            raise InvalidInput(code="storage.no_proceeds_without_sale", loc=("body", "proceeds"))
        if not (data.unsellable_reason or "").strip():
            raise RuleBreach(code="storage.unsellable_reason_required", loc=("body", "unsellable_reason"))
    elif data.costs is not None and data.proceeds is None:
        raise InvalidInput(code="storage.costs_need_proceeds", loc=("body", "proceeds"))


def _check_copy_wait(copy_given_on: date, today: date, *, loc: tuple[str | int, ...]) -> None:
    """art. 5:30 lid 3 Awb: no early sale within 2 weeks after the copy of the proces-verbaal."""
    allowed = rules.early_sale_allowed_from(copy_given_on)
    if today < allowed:
        raise RuleBreach(code="storage.early_sale_copy_wait", loc=loc, copy_day=_d(copy_given_on), allowed=_d(allowed))


def _check_early(lot: StorageLot, data: DisposalCreate, today: date) -> None:
    """Before day 92 (art. 5:30 lid 2-3 Awb): a reason, the date of the copy of the proces-verbaal, 14 days later."""
    allowed_from = rules.disposal_allowed_from(lot.deadline)
    if not (data.reason or "").strip():
        raise RuleBreach(
            code="storage.early_reason_required",
            loc=("body", "reason"),
            allowed=_d(allowed_from),
            allowed_day=rules.day_number(lot.stored_on, allowed_from),
            today_day=rules.day_number(lot.stored_on, today),
        )
    copy_on = data.record_copy_given_on
    if copy_on is None:
        raise RuleBreach(code="storage.record_copy_date_required", loc=("body", "record_copy_given_on"))
    if copy_on > today:
        raise InvalidInput(code="storage.record_copy_in_future", loc=("body", "record_copy_given_on"), today=_d(today))
    if copy_on < lot.stored_on:
        raise InvalidInput(
            code="storage.record_copy_before_storage", loc=("body", "record_copy_given_on"), stored=_d(lot.stored_on)
        )
    _check_copy_wait(copy_on, today, loc=("body", "record_copy_given_on"))


def _disposal_basis(lot: StorageLot, data: DisposalCreate, remaining: dict[int, int], today: date) -> str:
    if rules.period_passed(lot.deadline, today):
        return "deadline_passed"
    states = item_states(lot)
    if all(states[item_id].waived for item_id in remaining):
        return "waiver"
    _check_early(lot, data, today)
    return "four_eyes"


def request_disposal(
    db: Session, *, principal: Principal, lot: StorageLot, data: DisposalCreate, today: date
) -> StorageDisposal:
    """Sell, destroy or give away what remains of one category (art. 5:30 Awb).

    - personal documents, photos and keepsakes: always refused (kept for return);
    - destruction only with the reason why sale is not possible (lid 5);
    - from day 92 (the day after the 13 weeks, lid 1): done at once, recorded with date and who decided;
    - before it, when a waiver covers everything that remains of the category: done at once;
    - before it otherwise (lid 2-3): only with a reason (costs out of proportion to the value) and the date a
      copy of the proces-verbaal was handed over or sent, at least 14 days ago; it then waits for the approval
      of a second, different user (:func:`approve_disposal`).
    """
    lock_lot(db, lot)
    labels = (rules.CATEGORY_LABELS[data.category][0].lower(), rules.CATEGORY_LABELS[data.category][1].lower())
    if rules.is_protected(data.category):
        raise RuleBreach(
            code="storage.disposal_protected", loc=("body", "category"), label=rules.CATEGORY_LABELS[data.category]
        )
    remaining = _remaining_of(lot, data.category)
    if not remaining:
        raise Conflict(code="storage.category_empty", loc=("body", "category"), label=labels)
    _check_method(data)
    open_request = any(d.status == "requested" and d.category == data.category for d in lot.disposals)
    if open_request:
        raise Conflict(code="storage.disposal_pending", loc=("body", "category"), label=labels)
    basis = _disposal_basis(lot, data, remaining, today)
    disposal = StorageDisposal(
        lot_id=lot.id,
        category=data.category,
        method=data.method,
        basis=basis,
        status="requested",
        reason=(data.reason or "").strip() or None,
        requested_by=principal.user_id,
        requested_at=clock.now(),
        proceeds_cents=None if data.proceeds is None else rules.to_cents(data.proceeds),
        costs_deducted_cents=None if data.costs is None else rules.to_cents(data.costs),
        record_copy_given_on=data.record_copy_given_on if basis == "four_eyes" else None,
        unsellable_reason=(data.unsellable_reason or "").strip() or None if data.method != "sale" else None,
    )
    lot.disposals.append(disposal)
    db.flush()
    if basis != "four_eyes":
        _carry_out(disposal, lot=lot, remaining=remaining, day=today)
    audit.record(
        db,
        principal=principal,
        action="create",
        object_type="storage_disposal",
        object_id=disposal.id,
        detail={
            "lot_id": lot.id,
            "category": data.category,
            "method": data.method,
            "basis": basis,
            "status": disposal.status,
        },
    )
    return disposal


def _carry_out(disposal: StorageDisposal, *, lot: StorageLot, remaining: dict[int, int], day: date) -> None:
    disposal.lines = [StorageDisposalLine(item_id=item_id, quantity=q) for item_id, q in remaining.items()]
    disposal.status = "done"
    disposal.done_on = day
    _refresh_status(lot, day=day)


def _get_disposal(lot: StorageLot, disposal_id: int) -> StorageDisposal:
    for disposal in lot.disposals:
        if disposal.id == disposal_id:
            return disposal
    raise NotFound(code="storage.disposal_not_found", loc=("path", "disposal_id"))


def approve_disposal(
    db: Session, *, principal: Principal, lot: StorageLot, disposal_id: int, today: date
) -> StorageDisposal:
    """The second pair of eyes: a different user than the one who asked approves the early disposal."""
    lock_lot(db, lot)
    disposal = _get_disposal(lot, disposal_id)
    if disposal.status != "requested":
        raise Conflict(code="storage.disposal_settled", loc=("path", "disposal_id"))
    if disposal.requested_by == principal.user_id:
        raise RuleBreach(code="storage.four_eyes", loc=("path", "disposal_id"))
    if rules.is_protected(disposal.category):  # pragma: no cover - refused at the request and by the database
        raise RuleBreach(code="storage.personal_papers_never_disposed", loc=("path", "disposal_id"))
    remaining = _remaining_of(lot, disposal.category)
    if not remaining:
        raise Conflict(code="storage.category_exhausted", loc=("path", "disposal_id"))
    _check_approval_wait(lot, disposal, today)
    disposal.approved_by = principal.user_id
    disposal.approved_at = clock.now()
    db.flush()
    _carry_out(disposal, lot=lot, remaining=remaining, day=today)
    audit.record(
        db,
        principal=principal,
        action="approve",
        object_type="storage_disposal",
        object_id=disposal.id,
        detail={"lot_id": lot.id, "category": disposal.category, "requested_by": disposal.requested_by},
    )
    return disposal


def _check_approval_wait(lot: StorageLot, disposal: StorageDisposal, today: date) -> None:
    """An early request approved before day 92 still waits 14 days after the copy (art. 5:30 lid 3 Awb)."""
    if disposal.basis != "four_eyes" or rules.period_passed(lot.deadline, today):
        return
    if disposal.record_copy_given_on is None:
        raise RuleBreach(code="storage.approval_copy_date_missing", loc=("path", "disposal_id"))
    _check_copy_wait(disposal.record_copy_given_on, today, loc=("path", "disposal_id"))


def _done_sale(lot: StorageLot, disposal_id: int) -> StorageDisposal:
    disposal = _get_disposal(lot, disposal_id)
    if disposal.method != "sale" or disposal.status != "done" or disposal.done_on is None:
        raise Conflict(code="storage.not_a_done_sale", loc=("path", "disposal_id"))
    return disposal


def net_proceeds_cents(disposal: StorageDisposal) -> int | None:
    """Proceeds minus the deducted costs (no costs recorded: nothing deducted); None while proceeds are unknown."""
    if disposal.method != "sale" or disposal.proceeds_cents is None:
        return None
    return rules.net_proceeds(disposal.proceeds_cents, disposal.costs_deducted_cents or 0)


def record_sale_result(
    db: Session, *, principal: Principal, lot: StorageLot, disposal_id: int, data: SaleResult
) -> StorageDisposal:
    """The proceeds of a sale and the costs deducted from them (art. 5:30 lid 4 Awb), also after the sale."""
    lock_lot(db, lot)
    disposal = _done_sale(lot, disposal_id)
    if disposal.claim_paid_on is not None:
        raise Conflict(code="storage.proceeds_paid_out", loc=("path", "disposal_id"))
    disposal.proceeds_cents = rules.to_cents(data.proceeds)
    disposal.costs_deducted_cents = rules.to_cents(data.costs)
    db.flush()
    audit.record(
        db,
        principal=principal,
        action="update",
        object_type="storage_disposal",
        object_id=disposal.id,
        detail={"lot_id": lot.id, "fields": ["proceeds_cents", "costs_deducted_cents"]},
    )
    return disposal


def record_claim(
    db: Session, *, principal: Principal, lot: StorageLot, disposal_id: int, data: ClaimCreate, today: date
) -> StorageDisposal:
    """The former owner claims the net proceeds: within 3 years after the sale (art. 5:30 lid 4 Awb)."""
    lock_lot(db, lot)
    disposal = _done_sale(lot, disposal_id)
    assert disposal.done_on is not None
    loc = ("body", "claim_received_on")
    if disposal.claim_received_on is not None:
        raise Conflict(code="storage.claim_exists", loc=loc)
    if data.claim_received_on > today:
        raise InvalidInput(code="storage.claim_in_future", loc=loc, today=_d(today))
    if data.claim_received_on < disposal.done_on:
        raise InvalidInput(code="storage.claim_before_sale", loc=loc, sale_day=_d(disposal.done_on))
    last_day = rules.claim_deadline(disposal.done_on)
    if data.claim_received_on > last_day:
        raise RuleBreach(code="storage.claim_too_late", loc=loc, last_day=_d(last_day), sale_day=_d(disposal.done_on))
    disposal.claim_received_on = data.claim_received_on
    disposal.claimed_by = data.claimed_by.strip()
    db.flush()
    audit.record(
        db,
        principal=principal,
        action="update",
        object_type="storage_disposal",
        object_id=disposal.id,
        detail={"lot_id": lot.id, "fields": ["claim_received_on", "claimed_by"]},
    )
    return disposal


def record_claim_payment(
    db: Session, *, principal: Principal, lot: StorageLot, disposal_id: int, data: ClaimPaid, today: date
) -> StorageDisposal:
    """Pay out a claim: at most the net proceeds (by default exactly that)."""
    lock_lot(db, lot)
    disposal = _done_sale(lot, disposal_id)
    if disposal.claim_received_on is None:
        raise Conflict(code="storage.claim_missing", loc=("path", "disposal_id"))
    if disposal.claim_paid_on is not None:
        raise Conflict(code="storage.claim_paid", loc=("path", "disposal_id"))
    net = net_proceeds_cents(disposal)
    if net is None:
        raise Conflict(code="storage.sale_result_missing", loc=("path", "disposal_id"))
    if data.paid_on > today or data.paid_on < disposal.claim_received_on:
        raise InvalidInput(
            code="storage.claim_paid_on_out_of_range",
            loc=("body", "paid_on"),
            claim_day=_d(disposal.claim_received_on),
            today=_d(today),
        )
    amount = net if data.amount is None else rules.to_cents(data.amount)
    if amount > net:
        raise RuleBreach(code="storage.claim_exceeds_net", loc=("body", "amount"), net=rules.euro(net))
    disposal.claim_paid_on = data.paid_on
    disposal.claim_paid_cents = amount
    db.flush()
    audit.record(
        db,
        principal=principal,
        action="update",
        object_type="storage_disposal",
        object_id=disposal.id,
        detail={"lot_id": lot.id, "fields": ["claim_paid_on", "claim_paid_cents"]},
    )
    return disposal


def withdraw_disposal(db: Session, *, principal: Principal, lot: StorageLot, disposal_id: int) -> StorageDisposal:
    """The one who asked (or a colleague) takes back an early request that still waits for approval."""
    lock_lot(db, lot)
    disposal = _get_disposal(lot, disposal_id)
    if disposal.status != "requested":
        raise Conflict(code="storage.disposal_settled", loc=("path", "disposal_id"))
    disposal.status = "withdrawn"
    db.flush()
    audit.record(
        db,
        principal=principal,
        action="update",
        object_type="storage_disposal",
        object_id=disposal.id,
        detail={"lot_id": lot.id, "status": "withdrawn"},
    )
    return disposal


# ------------------------------------------------------------------ photos and scans


def add_attachment(
    db: Session, *, principal: Principal, lot: StorageLot, data: bytes, kind: str, caption: str | None
) -> StorageAttachment:
    """A photo of the inventory or a scanned receipt: JPEG, PNG or PDF (checked by content), at most 8 MB."""
    if kind not in ("photo", "signature"):
        raise InvalidInput(code="storage.unknown_attachment_kind", loc=("body", "kind"))
    if not data:
        raise InvalidInput(code="storage.file_empty", loc=("body", "file"))
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise InvalidInput(code="storage.file_too_large", loc=("body", "file"))
    content_type = next((ct for magic, ct in ATTACHMENT_TYPES.items() if data.startswith(magic)), None)
    if content_type is None:
        raise InvalidInput(code="storage.file_type", loc=("body", "file"))
    attachment = StorageAttachment(
        lot_id=lot.id,
        kind=kind,
        content_type=content_type,
        size_bytes=len(data),
        data=data,
        caption=(caption or "").strip()[:200] or None,
        uploaded_by=principal.user_id,
        uploaded_at=clock.now(),
    )
    lot.attachments.append(attachment)
    db.flush()
    audit.record(
        db,
        principal=principal,
        action="create",
        object_type="storage_attachment",
        object_id=attachment.id,
        detail={"lot_id": lot.id, "kind": kind, "size_bytes": len(data)},
    )
    return attachment


def get_attachment(db: Session, *, principal: Principal, lot: StorageLot, attachment_id: int) -> StorageAttachment:
    attachment = db.get(StorageAttachment, attachment_id)
    if attachment is None or attachment.lot_id != lot.id:
        raise NotFound(code="storage.attachment_not_found", loc=("path", "attachment_id"))
    audit.record(
        db,
        principal=principal,
        action="read",
        object_type="storage_attachment",
        object_id=attachment.id,
        detail={"lot_id": lot.id},
    )
    return attachment


# ------------------------------------------------------------------ letters


def generate_letter(
    db: Session, *, principal: Principal | None, lot: StorageLot, kind: str, today: date
) -> StorageLetter:
    """The letter of this kind for the lot, made once: a second call returns the letter already kept."""
    from api.storage import letters

    existing = db.scalar(select(StorageLetter).where(StorageLetter.lot_id == lot.id, StorageLetter.kind == kind))
    if existing is not None:
        return existing
    due = {d.kind: d.due_on for d in letter_schedule(db, lot=lot)}
    if kind not in due:
        raise InvalidInput(code="storage.unknown_letter_kind", loc=("path", "kind"))
    if due[kind] > today:
        raise Conflict(code="storage.letter_not_due", loc=("path", "kind"), day=_d(due[kind]))
    pdf = letters.render_letter(
        db, lot=lot, kind=kind, today=today, costs_now=costs(lot, today=today), times=letter_times(db, lot=lot)
    )
    letter = StorageLetter(
        lot_id=lot.id,
        kind=kind,
        due_on=due[kind],
        generated_at=clock.now(),
        generated_by=principal.user_id if principal else None,
        pdf=pdf,
    )
    lot.letters.append(letter)
    db.flush()
    audit.record(
        db,
        principal=principal,
        action="create",
        object_type="storage_letter",
        object_id=letter.id,
        municipality_id=lot.municipality_id,
        detail={"lot_id": lot.id, "kind": kind},
    )
    return letter


def due_letters(db: Session, *, lot: StorageLot, today: date) -> list[rules.LetterDue]:
    """Letters due by today and not yet made. Reminders stop once nothing is left to collect."""
    made = {letter.kind for letter in lot.letters}
    return [
        d
        for d in letter_schedule(db, lot=lot)
        if d.kind not in made and d.due_on <= today and (d.kind == "intake" or lot.status in OPEN_STATUSES)
    ]


def generate_due_letters(
    db: Session, *, principal: Principal | None, municipality_id: int, today: date, lot: StorageLot | None = None
) -> list[StorageLetter]:
    """Make every letter that is due (for one lot, or all lots of the municipality). Safe to run daily."""
    lots = [lot] if lot is not None else list(list_lots(db, municipality_id=municipality_id))
    made = []
    for each in lots:
        for due in due_letters(db, lot=each, today=today):
            made.append(generate_letter(db, principal=principal, lot=each, kind=due.kind, today=today))
    return made


def get_letter(db: Session, *, principal: Principal, lot: StorageLot, letter_id: int) -> StorageLetter:
    letter = db.get(StorageLetter, letter_id)
    if letter is None or letter.lot_id != lot.id:
        raise NotFound(code="storage.letter_not_found", loc=("path", "letter_id"))
    audit.record(
        db,
        principal=principal,
        action="read",
        object_type="storage_letter",
        object_id=letter.id,
        detail={"lot_id": lot.id, "kind": letter.kind},
    )
    return letter


# ------------------------------------------------------------------ calendar


class StorageSignal(StrEnum):
    """Storage events in the team's calendar feed (alongside the stay clock's signals)."""

    LAST_LETTER = "storage_two_weeks_before"
    DEADLINE = "storage_deadline"


def storage_deadlines(db: Session, *, municipality_id: int, today: date) -> list[Deadline]:
    """Deadlines of the open lots as :class:`matcher.rules.stay_clock.Deadline` objects for the iCalendar feed.

    ``placement_ref`` carries the lot reference and ``household_ref`` the household's reference code:
    no names or addresses in a calendar. ``day_number`` counts from the day of storage.
    """
    lots = db.scalars(
        select(StorageLot)
        .where(StorageLot.municipality_id == municipality_id, StorageLot.status.in_(OPEN_STATUSES))
        .order_by(StorageLot.deadline)
    ).all()
    household_refs = dict(
        db.execute(select(Household.id, Household.reference).where(Household.municipality_id == municipality_id)).all()
    )
    book = policy_book(db, municipality_id=municipality_id)
    out: list[Deadline] = []
    for lot in lots:
        ref = household_refs.get(lot.household_id, "?")
        before = rules.letter_times(book, lot.stored_on).before_deadline_days
        reminder = lot.deadline - timedelta(days=before)
        period = rules.day_number(lot.stored_on, lot.deadline)
        out.append(
            Deadline(
                kind=StorageSignal.LAST_LETTER,
                date=reminder,
                placement_ref=lot.reference,
                household_ref=ref,
                day_number=rules.day_number(lot.stored_on, reminder),
                label=f"Opslag: nog {rules.period_text(before)}, laatste brief",
                label_en=f"Storage: {rules.period_text(before, 'en')} left, last letter",
            )
        )
        out.append(
            Deadline(
                kind=StorageSignal.DEADLINE,
                date=lot.deadline,
                placement_ref=lot.reference,
                household_ref=ref,
                day_number=rules.day_number(lot.stored_on, lot.deadline),
                label=f"Opslag: bewaartermijn {rules.period_text(period)} voorbij",
                label_en=f"Storage: period of {rules.period_text(period, 'en')} ended",
                overdue=today > lot.deadline,
            )
        )
    return sorted(out, key=lambda d: (d.date, d.placement_ref))


# ------------------------------------------------------------------ reading a lot


def read_lot(db: Session, *, principal: Principal, lot_id: int) -> StorageLot:
    """A lot for its page or the API; the read is audited (the lot holds personal data)."""
    lot = get_lot(db, principal=principal, lot_id=lot_id)
    audit.record(db, principal=principal, action="read", object_type="storage_lot", object_id=lot.id)
    return lot


def lot_summary(
    lot: StorageLot, *, today: date, household_ref: str, depot_name: str, times: rules.LetterTimes
) -> LotSummary:
    return LotSummary(
        id=lot.id,
        reference=lot.reference,
        household_reference=household_ref,
        depot=depot_name,
        stored_on=lot.stored_on,
        deadline=lot.deadline,
        days_left=rules.days_left(lot.deadline, today),
        flagged=lot.status in OPEN_STATUSES and rules.flagged(times, lot.deadline, today),
        status=lot.status,
        disposal_allowed_from=rules.disposal_allowed_from(lot.deadline),
    )


def summaries(db: Session, *, municipality_id: int, today: date) -> list[LotSummary]:
    lots = list_lots(db, municipality_id=municipality_id)
    refs = dict(
        db.execute(select(Household.id, Household.reference).where(Household.municipality_id == municipality_id)).all()
    )
    depots = {d.id: d.name for d in list_depots(db, municipality_id=municipality_id)}
    book = policy_book(db, municipality_id=municipality_id)
    return [
        lot_summary(
            lot,
            today=today,
            household_ref=refs.get(lot.household_id, "?"),
            depot_name=depots.get(lot.depot_id, "?"),
            times=rules.letter_times(book, lot.stored_on),
        )
        for lot in lots
    ]


def _cents(value: int | None) -> Decimal | None:
    return None if value is None else (Decimal(value) / 100).quantize(Decimal("0.01"))


def _disposal_detail(d: StorageDisposal) -> dict[str, Any]:
    sold = d.method == "sale" and d.status == "done" and d.done_on is not None
    return {
        "id": d.id,
        "category": d.category,
        "method": d.method,
        "basis": d.basis,
        "status": d.status,
        "reason": d.reason,
        "requested_by": d.requested_by,
        "requested_at": d.requested_at,
        "approved_by": d.approved_by,
        "approved_at": d.approved_at,
        "done_on": d.done_on,
        "proceeds": _cents(d.proceeds_cents),
        "quantities": {ln.item_id: ln.quantity for ln in d.lines},
        "record_copy_given_on": d.record_copy_given_on,
        "early_sale_allowed_from": (
            rules.early_sale_allowed_from(d.record_copy_given_on) if d.record_copy_given_on else None
        ),
        "unsellable_reason": d.unsellable_reason,
        "costs": _cents(d.costs_deducted_cents),
        "net_proceeds": _cents(net_proceeds_cents(d)),
        "claim_deadline": rules.claim_deadline(d.done_on) if sold and d.done_on else None,
        "claim_received_on": d.claim_received_on,
        "claimed_by": d.claimed_by,
        "claim_paid_on": d.claim_paid_on,
        "claim_paid": _cents(d.claim_paid_cents),
    }


def lot_detail(db: Session, *, lot: StorageLot, today: date) -> LotRead:
    """Everything the lot page and ``GET /api/storage/lots/{id}`` show; the letters' and attachments'
    ``url`` stay empty (the router and the page fill them in)."""
    household = db.get(Household, lot.household_id)
    depot = db.get(StorageDepot, lot.depot_id)
    states = item_states(lot)
    c = costs(lot, today=today)
    base = lot_summary(
        lot,
        today=today,
        household_ref=household.reference if household else "?",
        depot_name=depot.name if depot else "?",
        times=letter_times(db, lot=lot),
    )
    detail = {
        **base.model_dump(),
        "household_id": lot.household_id,
        "eviction_id": lot.eviction_id,
        "bailiff_reference": lot.bailiff_reference,
        "notes": lot.notes,
        "recorded_by": lot.recorded_by,
        "recorded_at": lot.recorded_at,
        "day_number": rules.day_number(lot.stored_on, today),
        "period_passed": rules.period_passed(lot.deadline, today),
        "ended_on": lot.ended_on,
        "items": [
            {
                "id": item.id,
                "category": item.category,
                "description": item.description,
                "condition": item.condition,
                "quantity": item.quantity,
                "volume_m3": item.volume_m3,
                "location": item.location,
                "returned": states[item.id].returned,
                "disposed": states[item.id].disposed,
                "remaining": states[item.id].remaining,
                "waived": states[item.id].waived,
            }
            for item in lot.items
        ],
        "costs": {
            "tariff_kind": lot.tariff_kind,
            "tariff": _cents(lot.tariff_cents),
            "removal": _cents(c.removal_cents),
            "storage": _cents(c.storage_cents),
            "total": _cents(c.total_cents),
            "weeks": c.weeks,
            "volume_m3": c.volume_m3,
            "until": lot.ended_on or today,
            "decision": lot.cost_decision,
            "decision_reason": lot.cost_decision_reason,
            "paid_on": lot.costs_paid_on,
            "recovery_party": lot.recovery_party,
            "recovery_status": lot.recovery_status,
            "recovery_amount": _cents(lot.recovery_amount_cents),
            "recovery_invoiced_on": lot.recovery_invoiced_on,
            "recovery_invoice_reference": lot.recovery_invoice_reference,
        },
        "returns": [
            {
                "id": r.id,
                "returned_on": r.returned_on,
                "returned_to": r.returned_to,
                "confirmation": r.confirmation,
                "confirmation_note": r.confirmation_note,
                "signature_id": r.signature_id,
                "recorded_by": r.recorded_by,
                "recorded_at": r.recorded_at,
                "lines": [{"item_id": ln.item_id, "quantity": ln.quantity} for ln in r.lines],
            }
            for r in lot.returns
        ],
        "waivers": [
            {
                "id": w.id,
                "signed_on": w.signed_on,
                "signed_by": w.signed_by,
                "note": w.note,
                "item_ids": sorted(wi.item_id for wi in w.items),
            }
            for w in lot.waivers
        ],
        "disposals": [_disposal_detail(d) for d in lot.disposals],
        "letters": [
            {
                "id": letter.id,
                "kind": letter.kind,
                "due_on": letter.due_on,
                "generated_at": letter.generated_at,
            }
            for letter in lot.letters
        ],
        "attachments": [
            {
                "id": a.id,
                "kind": a.kind,
                "content_type": a.content_type,
                "size_bytes": a.size_bytes,
                "caption": a.caption,
                "uploaded_at": a.uploaded_at,
            }
            for a in lot.attachments
        ],
    }
    return LotRead.model_validate(detail)
