"""Pydantic schemas of the offers domain (XCreate / XRead)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class OfferCreate(BaseModel):
    proposal_ids: list[int] = Field(min_length=1, max_length=200, description="open proposals to offer at once")

    model_config = ConfigDict(json_schema_extra={"examples": [{"proposal_ids": [12, 13]}]})


class OfferRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    proposal_id: int | None
    household_id: int
    place_id: int
    start_date: date
    end_date: date
    recipient_kind: str
    status: str
    created_at: datetime
    expires_at: datetime
    reminded_at: datetime | None = None
    answered_at: datetime | None = None
    decline_reason: str | None = None
    decline_note: str | None = None
    paused_until: date | None = None
    void_reason: str | None = None
    placement_id: int | None = None
    consent: str | None = None
    consent_by: str | None = None
    consent_via: str | None = None
    consent_at: datetime | None = None


class DeclineBody(BaseModel):
    reason: str = Field(max_length=32, description="a code of GET /api/offers/decline-reasons (household or team)")
    note: str | None = Field(default=None, max_length=2000)
    paused_until: date | None = Field(default=None, description="required when the reason pauses the place")


class ConsentBody(BaseModel):
    given: bool
    by: str = Field(max_length=60, description="who in the household answered (a role, e.g. 'hoofdbewoner')")
    via: Literal["in_person", "phone", "email", "letter"]


class DeclineReasonRead(BaseModel):
    code: str
    party: str
    nl: str
    en: str
    consequences: list[str]


class ReasonCountRead(DeclineReasonRead):
    count: int


class DeclineReportRead(BaseModel):
    since: date | None
    until: date | None
    reasons: list[ReasonCountRead]
    statuses: dict[str, int]
