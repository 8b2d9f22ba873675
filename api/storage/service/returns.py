"""Returning belongings to the household, and its waiver of what it does not want back (art. 5:30 Awb)."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from api.core import audit, clock
from api.core.errors import Conflict, InvalidInput, RuleBreach
from api.core.principal import Principal
from api.storage import rules
from api.storage.inventory import ItemState, item_states
from api.storage.models import (
    StorageAttachment,
    StorageItem,
    StorageLot,
    StorageReturn,
    StorageReturnLine,
    StorageWaiver,
    StorageWaiverItem,
)
from api.storage.schemas import (
    ReturnCreate,
    WaiverCreate,
)
from api.storage.service.lots import lock_lot, refresh_status

# ------------------------------------------------------------------ returns and waivers


def items_by_id(lot: StorageLot) -> dict[int, StorageItem]:
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
    items = items_by_id(lot)
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
    refresh_status(lot, day=data.returned_on)
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
    items = items_by_id(lot)
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
