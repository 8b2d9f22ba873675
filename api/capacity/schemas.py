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


class ComparisonCreate(BaseModel):
    """Every matching policy and hindsight on the same simulated years of a shipped profile or the history.

    Bounded so that one request cannot hold the process's worker thread for hours: at most 20 seeds, at most
    120 seconds of hindsight per seed and at most :data:`HINDSIGHT_BUDGET` seconds of hindsight in all."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"profile": "small", "seeds": 3, "hindsight_seconds": 10}, {"from_db": True, "load": 1.2}]
        },
    )

    profile: Literal["small", "medium", "large"] | None = Field(default=None, description="a shipped profile")
    from_db: bool = Field(default=False, description="the profile counted from your municipality's records")
    seeds: int = Field(default=3, ge=1, le=20, description="simulated years (replications)")
    load: float | None = Field(
        default=None, ge=0.5, le=2.0, description="demand as a share of the stock's capacity; none: the profile's"
    )
    days: int = Field(default=365, ge=28, le=730, description="length of the simulated period in days")
    hindsight_seconds: float = Field(
        default=10, ge=0, le=120, description="time for the hindsight optimum per seed; 0 leaves hindsight out"
    )


HINDSIGHT_BUDGET = 600  # seconds of hindsight per comparison: seeds × hindsight_seconds


class MeanCI(BaseModel):
    mean: float
    half_width: float = Field(description="half-width of the 95% confidence interval (Student's t)")


class ComparisonRow(BaseModel):
    policy: str = Field(description="first-come, greedy, daily-optimum, anticipating or hindsight")
    value: MeanCI
    placed: MeanCI
    sheltered_share: MeanCI = Field(description="share of households sheltered on their eviction day")
    mean_wait: MeanCI = Field(description="days from eviction to the stay, of the households placed")
    p95_wait: MeanCI
    seconds: MeanCI
    share_of_hindsight: MeanCI | None = Field(default=None, description="value / hindsight's value (with hindsight)")
    share_of_bound: MeanCI | None = Field(default=None, description="value / hindsight's proven bound")
    optimal: int | None = Field(default=None, description="hindsight only: seeds solved to proven optimality")
    wait_distribution: list[float] = Field(
        description="mean households per wait bucket (the result's wait_buckets), the last: not placed"
    )
    occupancy: list[float] = Field(description="per week of the period: mean share of available places occupied")


class ComparisonResult(BaseModel):
    profile: str
    seeds: int
    load: float | None
    days: int
    hindsight_seconds: float
    wait_buckets: list[str] = Field(description="labels of wait_distribution: days 0, 1-2, 3-7, 8-14, 15-28, >28, "
                                                "then not placed")
    rows: list[ComparisonRow]


class ComparisonRead(BaseModel):
    id: str
    status: Literal["queued", "running", "done", "failed"]
    done: int = Field(description="replications (simulated years, every policy) finished")
    total: int = Field(description="replications in all: the seeds")
    source: str = Field(description="small, medium, large or history")
    seeds: int
    days: int
    load: float | None
    hindsight_seconds: float
    created_at: datetime
    finished_at: datetime | None = None
    result: ComparisonResult | None = None
    error: str | None = None
