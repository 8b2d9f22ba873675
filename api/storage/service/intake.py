"""Intake: a new lot with its proces-verbaal lines, the deadline from the dated policy and the intake letter."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api.core import audit, clock
from api.core.errors import Conflict, InvalidInput
from api.core.models import Municipality
from api.core.principal import Principal
from api.core.tenancy import owned
from api.households.models import Eviction, Household
from api.storage import rules
from api.storage.models import (
    StorageDepot,
    StorageItem,
    StorageLot,
)
from api.storage.schemas import (
    LotCreate,
)
from api.storage.service.letters_due import generate_letter
from api.storage.service.lots import deadline_for, fmt_day

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
            code="storage.stored_in_future",
            loc=("body", "stored_on"),
            day=fmt_day(data.stored_on),
            today=fmt_day(today),
        )
    household = owned(
        db,
        Household,
        data.household_id,
        principal,
        code="storage.unknown_household",
        loc=("body", "household_id"),
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
        db,
        StorageDepot,
        data.depot_id,
        principal,
        code="storage.unknown_depot",
        loc=("body", "depot_id"),
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
