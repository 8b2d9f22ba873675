"""Helpers for the matching and placement tests: principals, households and runs on the demo region."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.auth.models import UserAccount
from api.core.models import Municipality
from api.core.principal import Principal
from api.households import service as household_service
from api.households.schemas import HouseholdCreate
from tests.conftest import DEMO_DAY

MAASTRICHT = "GM0935"


def principal(db: Session, role: str = "crisis_team", municipality: str = "maastricht") -> Principal:
    email = f"{role.replace('_', '-')}@{municipality}.demo"
    user = db.scalar(select(UserAccount).where(UserAccount.email == email))
    assert user is not None, email
    return Principal(user_id=user.id, email=user.email, role=user.role, municipality_id=user.municipality_id)


def municipality_id(db: Session, code: str = MAASTRICHT) -> int:
    return db.scalar(select(Municipality.id).where(Municipality.code == code))


def household_data(
    reference: str,
    *,
    members: list[tuple[str, date]] | None = None,
    eviction: date = DEMO_DAY,
    pets: bool = False,
    needs_accessible: bool = False,
    accepts_host: bool = True,
    lat: float = 50.85,
    lon: float = 5.69,
    bailiff: str | None = None,
) -> HouseholdCreate:
    members = members or [("Sam", date(1980, 5, 1))]
    return HouseholdCreate.model_validate(
        {
            "reference": reference,
            "display_name": f"Huishouden {reference}",
            "origin_lat": lat,
            "origin_lon": lon,
            "pets": pets,
            "needs_accessible": needs_accessible,
            "accepts_host": accepts_host,
            "members": [{"first_name": n, "birth_date": b.isoformat()} for n, b in members],
            "eviction": {
                "announced_date": (eviction - timedelta(days=10)).isoformat(),
                "eviction_date": eviction.isoformat(),
                "bailiff_reference": bailiff or f"DW-{reference}",
            },
        }
    )


def add_household(db: Session, reference: str, **kwargs) -> int:
    household = household_service.create_household(
        db, municipality_id=municipality_id(db), data=household_data(reference, **kwargs)
    )
    return household.id


def unplaceable(db: Session, reference: str = "HH-TEST-BIG") -> int:
    """Twelve persons with pets who need an accessible place and refuse hosts: no demo place fits."""
    members = [("Ouder", date(1980, 1, 1))] + [(f"Kind{i}", date(2012, 1, 1 + i)) for i in range(11)]
    return add_household(db, reference, members=members, pets=True, needs_accessible=True, accepts_host=False)
