"""Pydantic schemas of the rules domain (XCreate / XRead and the anonymous preview)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pydantic import BaseModel, Field, field_validator

from api.hosts.models import HOST_MEMBER_STATUSES
from matcher.schema import Day

MAX_PEOPLE = 12


def _known_status(value: str) -> str:
    if value not in HOST_MEMBER_STATUSES:
        raise ValueError(f"unknown status; one of {', '.join(HOST_MEMBER_STATUSES)}")
    return value


class PersonIn(BaseModel):
    """A person for the preview: no name, only what the rule needs."""

    birth_date: date
    on_benefit: bool = False
    status: str = Field(
        default="none",
        description=f"one of {', '.join(HOST_MEMBER_STATUSES)}",
        json_schema_extra={"enum": list(HOST_MEMBER_STATUSES)},
    )

    _status = field_validator("status")(_known_status)


class CostSharingPreviewIn(BaseModel):
    """The public host sign-up form asks: what would guests do to my benefit?

    Without ``guests`` the answer covers three typical guest households (one adult of
    the cost-sharing age, two such adults, one younger adult).
    """

    municipality: str | None = Field(default=None, max_length=16, description="CBS code, e.g. GM0935")
    day: Day | None = None
    host_members: list[PersonIn] = Field(min_length=1, max_length=MAX_PEOPLE)
    guests: list[PersonIn] | None = Field(default=None, min_length=1, max_length=MAX_PEOPLE)


class VerdictRead(BaseModel):
    person: str
    role: str
    age: int
    counts: bool
    reason: str
    reason_en: str


class NormRead(BaseModel):
    person: str
    norm_without: Decimal
    norm_with: Decimal
    difference: Decimal
    cost_sharers_without: int = 0
    cost_sharers_with: int = 0


class BeneficiaryRead(BaseModel):
    """One person on benefit with their own A (art. 22a lid 1 Participatiewet)."""

    person: str
    age: int
    counted_without: list[str]
    counted_with: list[str]
    cost_sharers_without: int
    cost_sharers_with: int
    norm_without: Decimal | None
    norm_with: Decimal | None
    difference: Decimal | None
    state_pension_age_reached: bool
    not_applicable: str | None
    not_applicable_en: str | None


class NoteRead(BaseModel):
    text: str
    text_en: str


class CostSharingRead(BaseModel):
    day: date
    cost_sharing_age: int
    cost_sharers_without: int
    cost_sharers_with: int
    percent_without: Decimal
    percent_with: Decimal
    verdicts: list[VerdictRead]
    beneficiaries: list[str]
    norms: list[NormRead]
    monthly_difference: Decimal | None
    amounts_missing: str | None
    cuts_benefit: bool
    exemption_possible: bool
    exemption_in_force: bool
    decision_required: str | None
    decision_required_en: str | None
    sources: list[str]
    beneficiary_details: list[BeneficiaryRead] = []
    norms_from: date | None = None
    provisional: bool = False
    fee: Decimal | None = None
    fee_effect: Decimal | None = None
    effective_monthly_difference: Decimal | None = None
    notes: list[NoteRead] = []


class ScenarioRead(BaseModel):
    label: str
    label_en: str
    result: CostSharingRead


class CostSharingPreviewRead(BaseModel):
    day: date
    scenarios: list[ScenarioRead]


class LandlordConsentCreate(BaseModel):
    given_on: date
    given_by: str = Field(min_length=1, max_length=120, description="who gave the consent, for the landlord")
    document_reference: str = Field(min_length=1, max_length=200, description="letter, e-mail or case number")


class LandlordConsentRead(BaseModel):
    host_id: int
    landlord_type: str
    landlord_consent: bool
    landlord_consent_date: date | None
    landlord_consent_by: str | None
    landlord_consent_document: str | None


class ExemptionDecisionCreate(BaseModel):
    """The municipality's decision that stays with this host are temporary (art. 18 lid 1 Pw)."""

    granted: bool
    decided_on: Day
    reference: str = Field(min_length=1, max_length=64, description="decision document or case number")


class ExemptionDecisionRead(BaseModel):
    host_id: int
    cost_sharing_exemption: bool
    exemption_decided_on: date | None
    exemption_reference: str | None


class DeadlineRead(BaseModel):
    kind: str
    date: date
    placement_id: int
    household_reference: str
    day_number: int
    label: str
    label_en: str
    overdue: bool


class StayRead(BaseModel):
    placement_id: int
    household_reference: str
    start_date: date
    day_count: int
    latest_end_date: date
    reached: list[str]
    next_deadline: DeadlineRead | None


class PriorityFactorRead(BaseModel):
    factor: str
    points: int
    explanation: str


class PriorityRead(BaseModel):
    household_id: int
    household_reference: str
    day: date
    total: int
    factors: list[PriorityFactorRead]
    sources: list[str]


class NormsCreate(BaseModel):
    """A new half-year of the art. 21 norms (per month incl. holiday allowance), with its source."""

    valid_from: date = Field(description="1 January or 1 July (art. 38 Participatiewet)")
    single: Decimal = Field(gt=0, max_digits=8, decimal_places=2, description="art. 21 sub a, alleenstaande")
    couple: Decimal = Field(gt=0, max_digits=8, decimal_places=2, description="art. 21 sub b, gehuwden (B)")
    source: str = Field(min_length=5, max_length=500, description="e.g. Normenbrief SZW 1 juli 2026")

    @field_validator("valid_from")
    @classmethod
    def _half_year(cls, value: date) -> date:
        if (value.month, value.day) not in ((1, 1), (7, 1)):
            raise ValueError("norms change on 1 January and 1 July only")
        return value


class NormsRead(BaseModel):
    valid_from: date
    single: Decimal
    couple: Decimal
    source: str
    origin: str
