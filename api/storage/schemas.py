"""Pydantic schemas of the storage domain (XCreate / XRead). Money in and out as euros with two decimals."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from api.core.amounts import CubicMetres, Euros
from api.storage.models import (
    CONFIRMATION_KINDS,
    COST_DECISIONS,
    DISPOSAL_METHODS,
    ITEM_CATEGORIES,
    ITEM_CONDITIONS,
    RECOVERY_STATUSES,
    TARIFF_KINDS,
)

Category = Literal[ITEM_CATEGORIES]  # type: ignore[valid-type]
Condition = Literal[ITEM_CONDITIONS]  # type: ignore[valid-type]
Money = Decimal
Id = Annotated[int, Field(ge=1, le=2**31 - 1)]  # a database id: out of range is bad input, not a crash


MAX_AMOUNT = Decimal("1000000.00")  # a sanity bound (cents must fit the database's integer column)


def _money(value: Decimal | None) -> Decimal | None:
    if value is None:
        return value
    if not value.is_finite():
        raise ValueError("not an amount")
    if value < 0:
        raise ValueError("an amount cannot be negative")
    if value > MAX_AMOUNT:
        raise ValueError("an amount above € 1.000.000 is not plausible here")
    if value != value.quantize(Decimal("0.01")):
        raise ValueError("an amount has at most two decimals (cents)")
    return value


class ItemCreate(BaseModel):
    category: Category
    description: str = Field(min_length=1, max_length=200)
    condition: Condition = "good"
    quantity: int = Field(default=1, ge=1, le=10_000)
    volume_m3: CubicMetres
    location: str | None = Field(default=None, max_length=80)


class LotCreate(BaseModel):
    household_id: Id
    eviction_id: Id | None = None
    depot_id: Id
    stored_on: date
    bailiff_reference: str = Field(min_length=1, max_length=64)
    tariff_kind: Literal[TARIFF_KINDS] | None = None  # type: ignore[valid-type]
    tariff: Euros | None = Field(default=None, description="euros per m³ per started week, or the fixed amount")
    removal_cost: Euros = Decimal("0")
    notes: str | None = Field(default=None, max_length=2000)
    items: list[ItemCreate] = Field(min_length=1, max_length=200)

    _m1 = field_validator("tariff", "removal_cost")(classmethod(lambda _cls, v: _money(v)))


class ItemRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    category: str
    description: str
    condition: str
    quantity: int
    volume_m3: Decimal
    location: str | None
    returned: int = 0
    disposed: int = 0
    remaining: int = 0
    waived: bool = False


class CostsRead(BaseModel):
    tariff_kind: str | None
    tariff: Decimal | None
    removal: Decimal
    storage: Decimal
    total: Decimal
    weeks: int
    volume_m3: Decimal
    until: date
    decision: str | None
    decision_reason: str | None
    paid_on: date | None
    recovery_party: str | None
    recovery_status: str | None
    recovery_amount: Decimal | None
    recovery_invoiced_on: date | None = None
    recovery_invoice_reference: str | None = None


class ReturnLineIn(BaseModel):
    item_id: Id
    quantity: int = Field(ge=1, le=1_000_000)


class ReturnCreate(BaseModel):
    returned_on: date
    returned_to: str = Field(min_length=1, max_length=120)
    confirmation: Literal[CONFIRMATION_KINDS]  # type: ignore[valid-type]
    confirmation_note: str | None = Field(default=None, max_length=2000)
    signature_id: Id | None = Field(default=None, description="an uploaded scan of the signed receipt")
    lines: list[ReturnLineIn] = Field(
        default_factory=list, max_length=500, description="empty = everything that remains"
    )


class ReturnRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    returned_on: date
    returned_to: str
    confirmation: str
    confirmation_note: str | None
    signature_id: int | None
    recorded_by: int | None
    recorded_at: datetime
    lines: list[ReturnLineIn]


class WaiverCreate(BaseModel):
    signed_on: date
    signed_by: str = Field(min_length=1, max_length=120)
    note: str | None = Field(default=None, max_length=2000)
    item_ids: list[Id] = Field(min_length=1, max_length=500)


class WaiverRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    signed_on: date
    signed_by: str
    note: str | None
    item_ids: list[int]


class DisposalCreate(BaseModel):
    category: Category
    method: Literal[DISPOSAL_METHODS]  # type: ignore[valid-type]
    reason: str | None = Field(
        default=None,
        max_length=2000,
        description="before day 92: why the storage costs are out of proportion to the value (art. 5:30 lid 2 Awb)",
    )
    proceeds: Euros | None = None
    costs: Euros | None = Field(
        default=None, description="a sale: the costs deducted from the proceeds (art. 5:30 lid 4 Awb)"
    )
    record_copy_given_on: date | None = Field(
        default=None,
        description="before day 92: the day a copy of the proces-verbaal was handed over or sent to the owner "
        "(art. 5:30 lid 3 Awb; the sale may follow 14 days later)",
    )
    unsellable_reason: str | None = Field(
        default=None,
        max_length=2000,
        description="destruction or giving away: why sale was not possible (art. 5:30 lid 5 Awb)",
    )

    _m = field_validator("proceeds", "costs")(classmethod(lambda _cls, v: _money(v)))


class SaleResult(BaseModel):
    """What a sale brought in and the costs deducted from it (art. 5:30 lid 4 Awb)."""

    proceeds: Euros
    costs: Euros = Decimal("0")

    _m = field_validator("proceeds", "costs")(classmethod(lambda _cls, v: _money(v)))


class ClaimCreate(BaseModel):
    """The former owner claims the net proceeds of a sale (art. 5:30 lid 4 Awb)."""

    claim_received_on: date
    claimed_by: str = Field(min_length=1, max_length=120)


class ClaimPaid(BaseModel):
    paid_on: date
    amount: Euros | None = Field(default=None, description="defaults to the net proceeds")

    _m = field_validator("amount")(classmethod(lambda _cls, v: _money(v)))


class DisposalRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    category: str
    method: str
    basis: str
    status: str
    reason: str | None
    requested_by: int
    requested_at: datetime
    approved_by: int | None
    approved_at: datetime | None
    done_on: date | None
    proceeds: Euros | None = None
    quantities: dict[int, int] = Field(default_factory=dict, description="item id -> quantity disposed")
    record_copy_given_on: date | None = None
    early_sale_allowed_from: date | None = Field(default=None, description="copy of the proces-verbaal + 14 days")
    unsellable_reason: str | None = None
    costs: Decimal | None = None
    net_proceeds: Decimal | None = Field(default=None, description="proceeds minus costs, what the owner may claim")
    claim_deadline: date | None = Field(default=None, description="a sale: the last day to claim (sale + 3 years)")
    claim_received_on: date | None = None
    claimed_by: str | None = None
    claim_paid_on: date | None = None
    claim_paid: Decimal | None = None


class CostDecision(BaseModel):
    decision: Literal[COST_DECISIONS]  # type: ignore[valid-type]
    reason: str | None = Field(default=None, max_length=2000)


class CostsPaid(BaseModel):
    paid_on: date


class Recovery(BaseModel):
    party: str = Field(min_length=1, max_length=120, description="the landlord that ordered the eviction")
    status: Literal[RECOVERY_STATUSES]  # type: ignore[valid-type]
    amount: Decimal | None = None
    invoiced_on: date | None = Field(default=None, description="the day the invoice went to the executant")
    invoice_reference: str | None = Field(default=None, max_length=64)

    _m = field_validator("amount")(classmethod(lambda _cls, v: _money(v)))


class LetterRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    kind: str
    due_on: date
    generated_at: datetime
    url: str = ""


class AttachmentRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    kind: str
    content_type: str
    size_bytes: int
    caption: str | None
    uploaded_at: datetime
    url: str = ""


class LotSummary(BaseModel):
    id: int
    reference: str
    household_reference: str
    depot: str
    stored_on: date
    deadline: date
    days_left: int
    flagged: bool
    status: str
    disposal_allowed_from: date = Field(
        description="first day of sale or destruction: day of storage + 92 (art. 5:30 lid 1 Awb); "
        "``deadline`` is the last day of the 13 weeks"
    )


class LotRead(LotSummary):
    household_id: int
    eviction_id: int | None
    bailiff_reference: str
    notes: str | None
    recorded_by: int | None
    recorded_at: datetime
    day_number: int
    period_passed: bool
    ended_on: date | None
    items: list[ItemRead]
    costs: CostsRead
    returns: list[ReturnRead]
    waivers: list[WaiverRead]
    disposals: list[DisposalRead]
    letters: list[LetterRead]
    attachments: list[AttachmentRead]


class DepotRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    address: str
