"""The instance comes from the records and the dated policy book, never from literals in code."""

from __future__ import annotations

from datetime import date

import pytest

from api.core.errors import InvalidInput
from api.core.models import PolicyParameter
from api.core.policy import policy_book
from api.hosts.models import Host
from api.matching import service
from api.matching.policy import matching_policy
from api.places.models import Place
from tests.api.matching.support import add_household, municipality_id
from tests.conftest import DEMO_DAY


def test_policy_block_comes_from_the_dated_book(db):
    policy = service.policy_at(db, municipality_id=municipality_id(db), day=DEMO_DAY)
    assert (policy.min_stay_days, policy.max_stay_days) == (42, 56)  # stay_limits 2021 (Wachtkamer pilot)
    assert policy.cost_sharing_age == 27  # art. 22a Pw since 1 January 2023
    assert (policy.horizon_days, policy.max_distance_km) == (14, 60.0)


def test_cost_sharing_age_follows_the_date(db):
    book = policy_book(db, municipality_id=municipality_id(db))
    assert matching_policy(book, date(2022, 6, 1)).cost_sharing_age == 21
    assert matching_policy(book, date(2023, 1, 1)).cost_sharing_age == 27


def test_a_municipality_override_changes_the_instance(db):
    mid = municipality_id(db)
    db.add(
        PolicyParameter(
            municipality_id=mid,
            key="matching",
            valid_from=date(2026, 11, 1),
            value_json={"horizon_days": 7, "max_distance_km": 25},
            source="Besluit crisisteam Maastricht 2026-11 (test)",
        )
    )
    db.flush()
    instance = service.instance_for(db, municipality_id=mid, day=DEMO_DAY)
    assert instance["horizon_days"] == 7 and instance["policy"]["max_distance_km"] == 25.0
    assert service.instance_for(db, municipality_id=mid, day=date(2026, 10, 31))["horizon_days"] == 14


def test_a_policy_gap_is_a_clear_error(db):
    with pytest.raises(InvalidInput) as err:
        service.instance_for(db, municipality_id=municipality_id(db), day=date(2015, 6, 1))
    assert err.value.code == "policy.invalid_at" and err.value.problems[0].loc[0] == "policy"
    assert err.value.message.startswith("Beleid op 2015-06-01: ") and "Policy at 2015-06-01: " in err.value.msg


def test_priorities_come_from_the_rules_engine(db):
    mid = municipality_id(db)
    add_household(db, "HH-T-SINGLE")
    family = [("Ma", date(1985, 1, 1)), ("K1", date(2015, 1, 1)), ("K2", date(2018, 1, 1))]
    add_household(db, "HH-T-FAMILY", members=family)
    households = {h["id"]: h for h in service.instance_for(db, municipality_id=mid, day=DEMO_DAY)["households"]}
    # priority_weights 2021: base 1, 2 per child (max 6), evicted today: 0 waiting points
    assert households["HH-T-SINGLE"]["priority"] == 1
    assert households["HH-T-FAMILY"]["priority"] == 5
    assert households["HH-T-FAMILY"]["children"] == [8, 11]


def test_instance_holds_no_names_and_only_active_places(db):
    mid = municipality_id(db)
    instance = service.instance_for(db, municipality_id=mid, day=DEMO_DAY)
    text = str(instance)
    assert "Huishouden" not in text and "display_name" not in text
    active = {p.reference for p in db.query(Place).filter(Place.municipality_id == mid, Place.status == "active")}
    assert {p["id"] for p in instance["places"]} <= active


def test_landlord_consent_needs_a_date(db):
    mid = municipality_id(db)
    host = (
        db.query(Host)
        .filter(
            Host.municipality_id == mid,
            Host.status == "active",
            Host.landlord_type == "corporation",
            Host.landlord_consent.is_(True),
        )
        .first()
    )
    assert host is not None
    room = db.query(Place).filter(Place.host_id == host.id).first()
    block = _block(db, mid, room.reference)
    assert block["host"]["landlord_consent"] is True
    host.landlord_consent_date = date(2027, 1, 1)  # recorded only after the planning day
    db.flush()
    block = _block(db, mid, room.reference)
    assert block["host"]["landlord_consent"] is False


def _block(db, mid: int, reference: str) -> dict:
    return next(
        p for p in service.instance_for(db, municipality_id=mid, day=DEMO_DAY)["places"] if p["id"] == reference
    )
