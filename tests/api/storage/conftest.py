"""Storage fixtures: principals of the demo accounts and a lot factory on a pinned day."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from api.auth.models import UserAccount
from api.core.models import PolicyParameter
from api.core.principal import Principal
from api.households.models import Household
from api.storage import service
from api.storage.models import StorageLot
from api.storage.schemas import ItemCreate, LotCreate


def principal_of(db, email: str) -> Principal:
    user = db.scalar(select(UserAccount).where(UserAccount.email == email))
    assert user is not None, email
    return Principal(user_id=user.id, email=user.email, role=user.role, municipality_id=user.municipality_id)


@pytest.fixture
def team(db) -> Principal:
    return principal_of(db, "crisis-team@maastricht.demo")


@pytest.fixture
def worker(db) -> Principal:
    return principal_of(db, "case-worker@maastricht.demo")


ITEMS = [
    ItemCreate(category="furniture", description="Bank", condition="worn", quantity=2, volume_m3=Decimal("3.00")),
    ItemCreate(category="clothing", description="Dozen kleding", quantity=4, volume_m3=Decimal("1.00")),
    ItemCreate(
        category="personal_documents",
        description="Map met paspoort en diploma's",
        quantity=1,
        volume_m3=Decimal("0.05"),
        location="Kluis",
    ),
    ItemCreate(category="photos_keepsakes", description="Fotoalbums", quantity=3, volume_m3=Decimal("0.10")),
]


@pytest.fixture
def make_lot(db, team):
    """``make_lot(stored_on, today=...)``: a lot of a Maastricht household without one yet, via the service."""

    def make(stored_on: date, *, today: date | None = None, tariff: str | None = "4.50", **extra):
        used = set(db.scalars(select(StorageLot.household_id)))
        household = db.scalars(
            select(Household).where(Household.municipality_id == team.municipality_id).order_by(Household.id)
        ).all()
        household = next(h for h in household if h.id not in used)
        depot = service.list_depots(db, municipality_id=team.municipality_id)[0]
        data = LotCreate(
            household_id=household.id,
            eviction_id=extra.pop("eviction_id", None),
            depot_id=depot.id,
            stored_on=stored_on,
            bailiff_reference="DW-TEST-1",
            tariff_kind="per_m3_week" if tariff else None,
            tariff=Decimal(tariff) if tariff else None,
            removal_cost=Decimal("350.00"),
            items=extra.pop("items", ITEMS),
        )
        return service.create_lot(db, principal=team, data=data, today=today or stored_on)

    return make


@pytest.fixture
def policy_override(db, team):
    """``policy_override("storage_letters", week_4_days=21)``: a Maastricht override from 1 January 2026."""

    def override(key: str, **value) -> None:
        db.add(
            PolicyParameter(
                municipality_id=team.municipality_id,
                key=key,
                valid_from=date(2026, 1, 1),
                value_json=value,
                source="Besluit B&W Maastricht (test)",
            )
        )
        db.flush()

    return override
