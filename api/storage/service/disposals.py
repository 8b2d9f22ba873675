"""Sale and destruction after the deadline (art. 5:30 Awb): request, four-eyes approval, the sale's result,
the claim on the household, and withdrawal. Personal documents are never destroyed (api.storage.rules)."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from api.core import audit, clock
from api.core.errors import Conflict, InvalidInput, NotFound, RuleBreach
from api.core.principal import Principal
from api.storage import rules
from api.storage.inventory import item_states
from api.storage.models import (
    StorageDisposal,
    StorageDisposalLine,
    StorageLot,
)
from api.storage.schemas import (
    ClaimCreate,
    ClaimPaid,
    DisposalCreate,
    SaleResult,
)
from api.storage.service.lots import fmt_day, lock_lot, refresh_status

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
        raise RuleBreach(
            code="storage.early_sale_copy_wait", loc=loc, copy_day=fmt_day(copy_given_on), allowed=fmt_day(allowed)
        )


def _check_early(lot: StorageLot, data: DisposalCreate, today: date) -> None:
    """Before day 92 (art. 5:30 lid 2-3 Awb): a reason, the date of the copy of the proces-verbaal, 14 days later."""
    allowed_from = rules.disposal_allowed_from(lot.deadline)
    if not (data.reason or "").strip():
        raise RuleBreach(
            code="storage.early_reason_required",
            loc=("body", "reason"),
            allowed=fmt_day(allowed_from),
            allowed_day=rules.day_number(lot.stored_on, allowed_from),
            today_day=rules.day_number(lot.stored_on, today),
        )
    copy_on = data.record_copy_given_on
    if copy_on is None:
        raise RuleBreach(code="storage.record_copy_date_required", loc=("body", "record_copy_given_on"))
    if copy_on > today:
        raise InvalidInput(
            code="storage.record_copy_in_future", loc=("body", "record_copy_given_on"), today=fmt_day(today)
        )
    if copy_on < lot.stored_on:
        raise InvalidInput(
            code="storage.record_copy_before_storage",
            loc=("body", "record_copy_given_on"),
            stored=fmt_day(lot.stored_on),
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
    refresh_status(lot, day=day)


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
        raise InvalidInput(code="storage.claim_in_future", loc=loc, today=fmt_day(today))
    if data.claim_received_on < disposal.done_on:
        raise InvalidInput(code="storage.claim_before_sale", loc=loc, sale_day=fmt_day(disposal.done_on))
    last_day = rules.claim_deadline(disposal.done_on)
    if data.claim_received_on > last_day:
        raise RuleBreach(
            code="storage.claim_too_late", loc=loc, last_day=fmt_day(last_day), sale_day=fmt_day(disposal.done_on)
        )
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
            claim_day=fmt_day(disposal.claim_received_on),
            today=fmt_day(today),
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
