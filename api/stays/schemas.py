"""Pydantic schemas of the stays domain (bodies and reads)."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field
from pydantic.config import JsonDict

from api.stays.models import (
    BREAKDOWN_REASONS,
    CHECK_IN_RATINGS,
    CONTACT_CHANNELS,
    DESTINATIONS,
    INTRODUCTION_KINDS,
    INTRODUCTION_OUTCOMES,
    ROOM_ACTIONS,
    SPOKE_WITH,
)


def _enum(values: tuple[str, ...]) -> JsonDict:
    return {"enum": list(values)}


class IntroductionBody(BaseModel):
    kind: str = Field(json_schema_extra=_enum(INTRODUCTION_KINDS))
    held_on: date
    outcome: str = Field(json_schema_extra=_enum(INTRODUCTION_OUTCOMES))
    note: str | None = Field(default=None, max_length=2000)


class IntroductionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    placement_id: int
    kind: str
    held_on: date
    outcome: str


class AgreementBody(BaseModel):
    signed_on: date


class AgreementRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    placement_id: int
    signed_on: date


class ArrivalBody(BaseModel):
    arrived_on: date


class ArrivalRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    status: str
    arrived_on: date | None


class CheckInBody(BaseModel):
    held_on: date
    spoke_with: str = Field(json_schema_extra=_enum(SPOKE_WITH))
    rating: str = Field(json_schema_extra=_enum(CHECK_IN_RATINGS))
    concerns: str | None = Field(default=None, max_length=2000)


class CheckInRead(BaseModel):
    """A check-in; ``concerns`` is a case note and is left out for a host."""

    model_config = ConfigDict(from_attributes=True)
    id: int
    placement_id: int
    due_on: date | None
    held_on: date
    spoke_with: str
    rating: str
    concerns: str | None = None


class ContactBody(BaseModel):
    channel: str = Field(json_schema_extra=_enum(CONTACT_CHANNELS))
    note: str = Field(default="", max_length=2000)


class ContactRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    household_id: int
    channel: str
    note: str
    author_id: int | None
    contacted_at: datetime


class BreakdownBody(BaseModel):
    ended_on: date
    reason: str = Field(json_schema_extra=_enum(BREAKDOWN_REASONS))
    note: str | None = Field(default=None, max_length=2000)
    room: str = Field(default="freed", json_schema_extra=_enum(ROOM_ACTIONS))
    paused_until: date | None = None


class BreakdownRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    placement_id: int
    reason: str
    room: str
    paused_until: date | None


class ExtensionBody(BaseModel):
    until: date
    reason: str = Field(default="", max_length=2000)


class ExtensionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    placement_id: int
    previous_end: date
    new_end: date
    reason: str
    decided_by: int | None
    decided_at: datetime


class EndBody(BaseModel):
    ended_on: date
    destination: str = Field(json_schema_extra=_enum(DESTINATIONS))
    note: str | None = Field(default=None, max_length=2000)


class EndRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    placement_id: int
    destination: str


class FollowUpBody(BaseModel):
    months: int = Field(ge=1, le=120)
    done_on: date
    outcome: str = Field(json_schema_extra=_enum(DESTINATIONS))
    note: str | None = Field(default=None, max_length=2000)


class FollowUpRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    placement_id: int
    months: int
    due_on: date
    done_on: date
    outcome: str


class DueRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    kind: str
    placement_id: int
    household_id: int
    household_reference: str
    due_on: date
    overdue: bool
    months: int | None
    signal: str | None


class QuarterReportRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    quarter: str
    first_day: date
    last_day: date
    ended: int
    breakdowns: int
    destinations: dict[str, int]
    follow_ups: dict[str, dict[str, int]]
