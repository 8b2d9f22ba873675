"""Pydantic schemas of the placement domain (XCreate / XRead)."""

from __future__ import annotations

import datetime as dt
from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from api.placements.models import OUTCOMES


class PlacementCreate(BaseModel):
    """A manual placement outside the proposals."""

    household_id: int
    place_id: int
    reason: str = Field(default="", max_length=2000, description="why outside the proposals (required)")
    date: dt.date | None = Field(default=None, description="planning day (default today)")


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
    reason: str = Field(default="", max_length=2000)


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
