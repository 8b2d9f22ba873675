"""Reading lots: the deadlines for the calendar and day board, the list summaries and a lot's detail."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.core import audit, data_version
from api.core.policy import policy_book
from api.core.principal import Principal
from api.households.models import Household
from api.storage import rules
from api.storage.inventory import item_states
from api.storage.models import (
    StorageDepot,
    StorageDisposal,
    StorageLot,
)
from api.storage.schemas import (
    LotRead,
    LotSummary,
)
from api.storage.service.disposals import net_proceeds_cents
from api.storage.service.lots import OPEN_STATUSES, costs, get_lot, letter_times, list_depots, list_lots
from matcher.rules.stay_clock import Deadline

# ------------------------------------------------------------------ calendar


class StorageSignal(StrEnum):
    """Storage events in the team's calendar feed (alongside the stay clock's signals)."""

    LAST_LETTER = "storage_two_weeks_before"
    DEADLINE = "storage_deadline"


def storage_deadlines(db: Session, *, municipality_id: int, today: date) -> list[Deadline]:
    """Deadlines of the open lots as :class:`matcher.rules.stay_clock.Deadline` objects for the iCalendar feed.

    ``placement_ref`` carries the lot reference and ``household_ref`` the household's reference code:
    no names or addresses in a calendar. ``day_number`` counts from the day of storage. Kept per data version
    (api.core.data_version) and day; shared: callers never change the list.
    """
    return data_version.views.get_or_compute(
        db, ("storage.deadlines", municipality_id, today), lambda: _storage_deadlines(db, municipality_id, today)
    )


def _storage_deadlines(db: Session, municipality_id: int, today: date) -> list[Deadline]:
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
