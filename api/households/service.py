"""Household records: intake, lookup and listing, always inside one municipality."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from api.core.errors import Conflict
from api.core.principal import Principal
from api.core.tenancy import owned
from api.households.models import Eviction, Household, HouseholdMember
from api.households.schemas import HouseholdCreate


def list_households(db: Session, *, municipality_id: int, status: str | None = None) -> Sequence[Household]:
    query = (
        select(Household)
        .where(Household.municipality_id == municipality_id)
        .options(selectinload(Household.members), selectinload(Household.evictions))
        .order_by(Household.reference)
    )
    if status:
        query = query.where(Household.status == status)
    return db.scalars(query).all()


def get_household(db: Session, *, principal: Principal, household_id: int) -> Household:
    """Another municipality's household is 'not found': ids cannot be probed."""
    return owned(db, Household, household_id, principal, code="household.not_found", loc=("path", "household_id"))


def next_reference(db: Session, *, municipality_id: int, year: int) -> str:
    count = db.scalar(select(func.count()).select_from(Household).where(Household.municipality_id == municipality_id))
    return f"HH-{year}-{(count or 0) + 1:04d}"


def create_household(db: Session, *, municipality_id: int, data: HouseholdCreate) -> Household:
    reference = data.reference or next_reference(
        db, municipality_id=municipality_id, year=data.eviction.eviction_date.year
    )
    exists = db.scalar(
        select(Household.id).where(Household.municipality_id == municipality_id, Household.reference == reference)
    )
    if exists:
        raise Conflict(code="household.reference_taken", loc=("body", "reference"), reference=repr(reference))
    household = Household(
        municipality_id=municipality_id,
        reference=reference,
        **data.model_dump(exclude={"reference", "members", "eviction"}),
    )
    household.members = [HouseholdMember(**m.model_dump()) for m in data.members]
    household.evictions = [Eviction(**data.eviction.model_dump())]
    db.add(household)
    db.flush()
    return household
