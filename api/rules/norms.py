"""The art. 21 norm amounts per half-year: list them, and let an administrator add the next one.

Why: the norms change every 1 January and 1 July (art. 38 Participatiewet). A new half-year is
data, not code: the administrator enters the amounts with their source (the ministry's
Normenbrief) and they are stored as a ``policy_parameter`` row of key ``benefit_norms``, which
:func:`api.core.policy.policy_book` lays over the national sets. Every addition is audited.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Depends
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.auth.dependencies import DbSession, require_roles
from api.core import audit
from api.core.csrf import verify_csrf
from api.core.errors import Conflict
from api.core.models import PolicyParameter
from api.core.policy import policy_book
from api.core.principal import Principal
from api.rules import schemas

KEY = "benefit_norms"
Admin = Annotated[Principal, Depends(require_roles("admin"))]
router = APIRouter(prefix="/api/admin/policy", tags=["rules"])


def list_norms(db: Session, *, municipality_id: int) -> list[schemas.NormsRead]:
    """Every half-year of norms known to the municipality (national sets and its own), oldest first."""
    book = policy_book(db, municipality_id=municipality_id)
    return [
        schemas.NormsRead(
            valid_from=ps.valid_from,
            single=Decimal(str(ps.value.get("single"))),
            couple=Decimal(str(ps.value.get("couple"))),
            source=ps.source,
            origin=ps.origin,
        )
        for ps in sorted((p for p in book.sets if p.key == KEY), key=lambda p: (p.valid_from, p.is_override))
        if "single" in ps.value and "couple" in ps.value
    ]


def add_norms(
    db: Session, *, principal: Principal, valid_from: date, single: Decimal, couple: Decimal, source: str
) -> PolicyParameter:
    """Store a new half-year for the administrator's municipality (one per date)."""
    exists = db.scalar(
        select(PolicyParameter.id).where(
            PolicyParameter.municipality_id == principal.municipality_id,
            PolicyParameter.key == KEY,
            PolicyParameter.valid_from == valid_from,
        )
    )
    if exists is not None:
        raise Conflict(code="norms.already_entered", loc=("body", "valid_from"), day=valid_from.isoformat())
    row = PolicyParameter(
        municipality_id=principal.municipality_id,
        key=KEY,
        valid_from=valid_from,
        value_json={"single": f"{single:.2f}", "couple": f"{couple:.2f}"},
        source=source.strip(),
    )
    db.add(row)
    db.flush()
    policy_book(db, municipality_id=principal.municipality_id)  # the book still loads (422 otherwise)
    audit.record(
        db,
        principal=principal,
        action="create",
        object_type="policy_parameter",
        object_id=row.id,
        detail={"key": KEY, "valid_from": valid_from.isoformat()},
    )
    return row


@router.get("/norms", response_model=list[schemas.NormsRead])
def norms(db: DbSession, principal: Admin) -> list[schemas.NormsRead]:
    return list_norms(db, municipality_id=principal.municipality_id)


@router.post("/norms", response_model=schemas.NormsRead, status_code=201, dependencies=[Depends(verify_csrf)])
def create_norms(body: schemas.NormsCreate, db: DbSession, principal: Admin) -> schemas.NormsRead:
    row = add_norms(db, principal=principal, **body.model_dump())
    return schemas.NormsRead(
        valid_from=row.valid_from,
        single=body.single,
        couple=body.couple,
        source=row.source,
        origin=f"municipality {row.municipality_id}",
    )
