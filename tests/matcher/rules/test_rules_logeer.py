"""Logeer rules: landlord consent before confirmation, latest end date, fee."""

from datetime import date
from decimal import Decimal

import pytest

from matcher.rules.errors import InvalidInputError
from matcher.rules.logeer import (
    LandlordConsent,
    ensure_confirmable,
    fee_paid_to_landlord,
    latest_end_date,
    logeer_fee,
    needs_landlord_consent,
)
from matcher.rules.policy import load_policy_book

POLICY = load_policy_book()
DAY = date(2024, 3, 1)
CONSENT = LandlordConsent(date(2024, 2, 20), "Woonpunt, mevrouw Bakker", "WP-88")


def test_consent_needed_for_corporation_and_private_landlord_only() -> None:
    assert needs_landlord_consent("corporation") and needs_landlord_consent("private")
    assert not needs_landlord_consent("owner")
    ensure_confirmable("owner", None, DAY)
    ensure_confirmable("corporation", CONSENT, DAY)
    for kind in ("corporation", "private"):
        with pytest.raises(InvalidInputError) as err:
            ensure_confirmable(kind, None, DAY)
        assert err.value.field == "landlord_consent"


def test_consent_must_be_complete_and_not_in_the_future() -> None:
    with pytest.raises(InvalidInputError) as err:
        ensure_confirmable("private", LandlordConsent(date(2024, 3, 2), "x", "doc"), DAY)
    assert err.value.field == "landlord_consent.given_on"
    with pytest.raises(InvalidInputError) as err:
        LandlordConsent(DAY, " ", "doc")
    assert err.value.field == "landlord_consent.given_by"
    with pytest.raises(InvalidInputError) as err:
        LandlordConsent(DAY, "x", "")
    assert err.value.field == "landlord_consent.document_reference"


def test_latest_end_and_fee() -> None:
    assert latest_end_date(DAY, POLICY) == date(2024, 4, 26)
    assert logeer_fee(DAY, POLICY, Decimal("150")) == Decimal("150.00")
    assert fee_paid_to_landlord(True, DAY, POLICY) and not fee_paid_to_landlord(False, DAY, POLICY)
    with pytest.raises(InvalidInputError) as err:
        logeer_fee(DAY, POLICY, Decimal("-0.01"))
    assert err.value.field == "monthly_fee"
