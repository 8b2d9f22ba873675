"""Logeer (staying with a host): landlord consent, latest end date and the fee.

Source: Movisie / Eropaf!, "Naar nul huisuitzettingen" (March 2022), section
"Tijdelijk toch een dak boven het hoofd: logeren" (Onder de Pannen, De Rustplek),
summarised in domain.md:

- a stay is not a tenancy: the guest builds up no tenancy rights;
- the guest pays the host a fee; when the host has rent arrears the fee can pay
  them off, paid to the landlord;
- the housing corporation gives consent; a private landlord the same; an
  owner-occupier needs none. So a placement at a corporation or private-landlord
  address cannot be confirmed before the consent is recorded (date, who, document);
- the stay lasts at most ``stay_limits.maximum_days`` (56 days, six to eight
  weeks as in De Wachtkamer).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from matcher.rules.errors import InvalidInputError
from matcher.rules.policy import PolicyBook

__all__ = [
    "LandlordConsent",
    "LandlordKind",
    "ensure_confirmable",
    "fee_paid_to_landlord",
    "latest_end_date",
    "logeer_fee",
    "needs_landlord_consent",
]


class LandlordKind(StrEnum):
    """Same values as ``host.landlord`` in the matcher instance format."""

    CORPORATION = "corporation"
    PRIVATE = "private"
    OWNER = "owner"


@dataclass(frozen=True)
class LandlordConsent:
    """The landlord's recorded consent for guests at the host's address."""

    given_on: date
    given_by: str
    document_reference: str

    def __post_init__(self) -> None:
        if not self.given_by.strip():
            raise InvalidInputError("landlord_consent.given_by", "say who gave the consent")
        if not self.document_reference.strip():
            raise InvalidInputError("landlord_consent.document_reference", "name the consent document")


def needs_landlord_consent(kind: LandlordKind | str) -> bool:
    """A corporation or private landlord must consent; an owner-occupier needs no one."""
    try:
        return LandlordKind(kind) is not LandlordKind.OWNER
    except ValueError as exc:
        raise InvalidInputError("landlord", f"unknown landlord kind {kind!r}") from exc


def ensure_confirmable(kind: LandlordKind | str, consent: LandlordConsent | None, day: date) -> None:
    """Raise unless a placement at this address may be confirmed on ``day``."""
    if not needs_landlord_consent(kind):
        return
    if consent is None:
        raise InvalidInputError(
            "landlord_consent",
            "the landlord's consent (date, who, document) must be recorded before the placement is confirmed",
        )
    if consent.given_on > day:
        raise InvalidInputError("landlord_consent.given_on", "the consent date lies in the future")


def latest_end_date(start: date, policy: PolicyBook) -> date:
    """Start plus the maximum stay in force on the start day (the stay is ``[start, end)``)."""
    return start + timedelta(days=policy.integer("stay_limits", start, "maximum_days", minimum=1))


def logeer_fee(day: date, policy: PolicyBook, agreed: Decimal | None = None) -> Decimal:
    """The monthly fee: the amount agreed for this placement, else the municipality's amount.

    The national seed names no amount (the source gives none), so without an agreed
    amount a municipality must have set ``logeer_fee.monthly_amount``.
    """
    if agreed is not None:
        if not agreed.is_finite() or agreed < 0:
            raise InvalidInputError("monthly_fee", f"must be a non-negative amount, got {agreed}")
        return agreed.quantize(Decimal("0.01"))
    return policy.decimal("logeer_fee", day, "monthly_amount").quantize(Decimal("0.01"))


def fee_paid_to_landlord(host_has_rent_arrears: bool, day: date, policy: PolicyBook) -> bool:
    """With rent arrears the fee goes to the landlord to pay them off (where the policy says so)."""
    return host_has_rent_arrears and policy.boolean("logeer_fee", day, "paid_to_landlord_when_rent_arrears")
