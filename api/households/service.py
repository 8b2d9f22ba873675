"""Household records: intake, lookup and listing, always inside one municipality."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from api.core import audit, clock, geocoding
from api.core.errors import Conflict, Forbidden, InvalidInput
from api.core.models import Municipality
from api.core.principal import Principal
from api.core.tenancy import owned
from api.households.models import CaseWorker, Eviction, Household, HouseholdMember
from api.households.schemas import HouseholdCreate, HouseholdUpdate, MemberCreate, PriorityOverride
from matcher.rules.dates import age_on

ADULT_AGE = 18


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
    fields = data.model_dump(exclude={"reference", "members", "eviction"})
    if data.origin_lat is None or data.origin_lon is None:
        # No coordinates given: look the address up (intake with postcode + house number).
        found = locate(
            db, municipality_id=municipality_id, postcode=data.origin_postcode, house_number=data.origin_house_number
        )
        if found is None:
            raise InvalidInput(code="household.location_missing", loc=("body", "origin_postcode"))
        fields.update(origin_lat=found.lat, origin_lon=found.lon, origin_approximate=found.approximate)
    household = Household(municipality_id=municipality_id, reference=reference, **fields)
    household.members = [HouseholdMember(**m.model_dump()) for m in data.members]
    household.evictions = [Eviction(**data.eviction.model_dump())]
    db.add(household)
    db.flush()
    return household


# ---------------------------------------------------------------- the case file: address, edit, override


def locate(
    db: Session, *, municipality_id: int, postcode: str | None, house_number: str | None
) -> geocoding.GeoResult | None:
    """The former home's location from postcode and house number (api.core.geocoding), falling back to
    the municipality's centre (approximate). None without a postcode: nothing to look up."""
    if not postcode:
        return None
    municipality = db.get(Municipality, municipality_id)
    near = (municipality.lat, municipality.lon) if municipality else None
    return geocoding.current().lookup(postcode, house_number or "", near=near)


def _adult_on(members: Sequence[MemberCreate], day: date) -> bool:
    return any(age_on(m.birth_date, day) >= ADULT_AGE for m in members)


def _update_case_worker(db: Session, household: Household, data: HouseholdUpdate) -> list[str]:
    if "case_worker_id" not in data.model_fields_set or data.case_worker_id == household.case_worker_id:
        return []
    if data.case_worker_id is not None:
        worker = db.get(CaseWorker, data.case_worker_id)
        if worker is None or worker.municipality_id != household.municipality_id:
            raise InvalidInput(code="household.unknown_case_worker", loc=("body", "case_worker_id"))
    household.case_worker_id = data.case_worker_id
    return ["case_worker_id"]


def _update_location(db: Session, household: Household, data: HouseholdUpdate) -> list[str]:
    """Postcode and house number as given; the coordinates given, else looked up for a new address."""
    given = data.model_fields_set
    changed: list[str] = []
    for field in ("origin_postcode", "origin_house_number"):
        if field in given and getattr(household, field) != getattr(data, field):
            setattr(household, field, getattr(data, field))
            changed.append(field)
    if data.origin_lat is not None and data.origin_lon is not None:
        household.origin_lat, household.origin_lon = data.origin_lat, data.origin_lon
        household.origin_approximate = False
        return [*changed, "location"]
    if changed and household.origin_postcode:
        found = locate(
            db,
            municipality_id=household.municipality_id,
            postcode=household.origin_postcode,
            house_number=household.origin_house_number,
        )
        if found is not None:
            household.origin_lat, household.origin_lon = found.lat, found.lon
            household.origin_approximate = found.approximate
            changed.append("location")
    return changed


def update_household(db: Session, *, principal: Principal, household: Household, data: HouseholdUpdate) -> list[str]:
    """Apply the fields given; returns the names of the fields that changed (what the audit records).

    Why the address goes through the geocoder here too: distances in the matching use these coordinates,
    so a corrected address must move the household, not only its label."""
    if household.status == "closed":
        raise Conflict(code="household.closed", loc=("path", "household_id"))
    given = data.model_fields_set
    changed: list[str] = []
    for field in ("display_name", "pets", "needs_accessible", "medical_need", "accepts_host"):
        value = getattr(data, field)
        if field in given and value is not None and getattr(household, field) != value:
            setattr(household, field, value)
            changed.append(field)
    changed += _update_case_worker(db, household, data)
    changed += _update_location(db, household, data)
    if data.members is not None:
        day = max((e.eviction_date for e in household.evictions), default=clock.today())
        if not _adult_on(data.members, day):
            raise InvalidInput(code="household.no_adult", loc=("body", "members"))
        household.members = [HouseholdMember(**m.model_dump()) for m in data.members]
        changed.append("members")
    db.flush()
    if changed:
        audit.record(
            db,
            principal=principal,
            action="update",
            object_type="household",
            object_id=household.id,
            detail={"fields": sorted(set(changed))},
        )
    return changed


def set_priority_override(
    db: Session, *, principal: Principal, household: Household, data: PriorityOverride
) -> Household:
    """The crisis team's precedence decision (or its withdrawal), with its reason in the audit trail.

    Why audited: the override outweighs every other factor of the priority (matcher/rules/priority.py,
    ``crisis_override``), so who decided it and when must be traceable; the reason stays on the household
    (free text may name people, and the append-only trail could never erase it)."""
    if principal.role != "crisis_team":
        raise Forbidden(code="household.override_crisis_team", loc=("role",))
    if household.status == "closed":
        raise Conflict(code="household.closed", loc=("path", "household_id"))
    household.priority_override = 1 if data.active else None
    household.priority_override_reason = data.reason  # a withdrawal keeps its own reason (the override is NULL)
    household.updated_at = clock.now()
    db.flush()
    audit.record(
        db,
        principal=principal,
        action="priority_override" if data.active else "priority_override_withdrawn",
        object_type="household",
        object_id=household.id,
        detail={"fields": ["priority_override", "priority_override_reason"]},
    )
    return household


def close_household(db: Session, *, principal: Principal, household: Household, reason: str) -> Household:
    """Close the case (status ``closed``): it leaves the matching; the reason is kept and audited.

    The caller (api.placements) first checks that no placement is still running."""
    if household.status == "closed":
        raise Conflict(code="household.closed", loc=("path", "household_id"))
    household.status = "closed"
    household.closed_at = clock.now()
    household.close_reason = reason
    db.flush()
    audit.record(
        db,
        principal=principal,
        action="close",
        object_type="household",
        object_id=household.id,
        detail={"fields": ["status", "close_reason"]},
    )
    return household
