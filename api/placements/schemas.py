"""Pydantic schemas of the placement domain (XCreate / XRead)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from api.placements.models import OUTCOMES
from matcher.schema import Day

# A decision outside the normal flow states why (placements.service.require_reason strips and checks it
# again): required, at most 2,000 characters, not only white space (Python's str.strip also strips the
# separators U+001C..U+001F, which the regular expression's \s does not name).
Reason = Annotated[str, Field(min_length=1, max_length=2000, pattern=r"[^\s\x1c-\x1f]", description="why (required)")]


class PlacementCreate(BaseModel):
    """A manual placement outside the proposals."""

    household_id: int
    place_id: int
    reason: Reason
    date: Day | None = Field(default=None, description="planning day (default today)")


class PlacementRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    household_id: int
    place_id: int
    proposal_id: int | None
    status: str
    start_date: date
    end_date: date
    arrived_on: date | None
    ended_on: date | None
    outcome: str | None
    manual_reason: str | None
    confirmed_at: datetime


class StartBody(BaseModel):
    arrived_on: date


class EndBody(BaseModel):
    ended_on: date
    outcome: str = Field(description=f"one of {', '.join(OUTCOMES)}", json_schema_extra={"enum": list(OUTCOMES)})
    note: str | None = Field(default=None, max_length=2000)


class CancelBody(BaseModel):
    reason: Reason


class MonthReportRead(BaseModel):
    month: str
    placed: int
    manual: int
    cancelled: int
    days_to_placement_mean: float | None
    days_to_placement_median: float | None
    ended: int
    early_ends: int
    stay_days_mean: float | None
    stay_days_median: float | None
    outcomes: dict[str, int]
    waiting_at_month_end: int
