"""Pydantic schemas of the capacity domain (XCreate / XRead)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class PlanCreate(BaseModel):
    """A shipped profile by name, or ``from_db: true`` for the caller's municipality's own history."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"profile": "small", "target": 0.95, "seeds": 3}, {"from_db": True, "target": 0.9}]
        },
    )

    profile: Literal["small", "medium", "large"] | None = Field(default=None, description="a shipped profile")
    from_db: bool = Field(default=False, description="the profile counted from your municipality's records")
    target: float = Field(default=0.95, gt=0, le=1, description="share sheltered on the eviction day to reach")
    seeds: int = Field(default=3, ge=1, le=20, description="replications per point of the curve")
    days: int = Field(default=365, ge=28, le=730, description="length of the simulated period in days")


class CurvePoint(BaseModel):
    wachtkamer: int
    host_rooms: int
    rooms: int
    share: float = Field(description="mean share sheltered on the eviction day")
    low: float = Field(description="lower end of the 95% confidence band")
    high: float = Field(description="upper end of the 95% confidence band")


class PlanResult(BaseModel):
    profile: str
    target: float
    policy: str
    seeds: int
    curve: list[CurvePoint]
    smallest: CurvePoint | None = Field(description="the smallest mix meeting the target; null if none searched does")


class PlanRead(BaseModel):
    id: str
    status: Literal["queued", "running", "done", "failed"]
    done: int = Field(description="replications finished")
    total: int = Field(description="replications at most (the search may need fewer)")
    source: str = Field(description="small, medium, large or history")
    target: float
    seeds: int
    days: int
    created_at: datetime
    finished_at: datetime | None = None
    result: PlanResult | None = None
    error: str | None = None
