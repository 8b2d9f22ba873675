"""Pydantic schemas of the matching domain (XCreate / XRead)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field

from api.placements.schemas import Reason
from matcher.schema import Day


class RunCreate(BaseModel):
    date: Day | None = Field(
        default=None, description="planning date (default: today in the Netherlands), 1990-01-01 .. 2200-12-31"
    )
    force: bool = Field(default=False, description="solve again even when the data did not change")


class ReasonRead(BaseModel):
    code: str
    nl: str
    en: str
    value: Any = None


class ProposalRead(BaseModel):
    id: int
    run_id: int
    household_id: int
    household_reference: str
    place_id: int
    place_reference: str
    place_kind: str
    start_date: date
    end_date: date
    status: str
    reasons: list[ReasonRead]
    rejection_reason: str | None = None
    decided_at: datetime | None = None
    offered_at: datetime | None = Field(default=None, description="set while the proposal is offered (api/offers)")


class UnplacedRead(BaseModel):
    household: str
    household_id: int | None
    reasons: list[str]
    reasons_en: list[str] = []


class RunBrief(BaseModel):
    id: int
    planning_date: date
    input_hash: str
    matcher_version: str
    status: str
    run_by_label: str
    started_at: datetime
    proposals: int
    unplaced: int


class RunRead(BaseModel):
    id: int
    planning_date: date
    input_hash: str
    matcher_version: str
    status: str
    run_by: int | None
    run_by_label: str
    started_at: datetime
    reused: bool = False
    stale: bool
    previous_run_id: int | None
    changes: dict[str, list[str]]
    objective: dict[str, Any]
    solve_seconds: float | None
    proposals: list[ProposalRead]
    unplaced: list[UnplacedRead]


class RejectBody(BaseModel):
    reason: Reason = Field(description="why the pair does not fit (required)")


class BulkDecisionBody(BaseModel):
    """Several proposals at once; each is decided on its own (see api/matching/bulk.py)."""

    action: str = Field(description="confirm or reject", json_schema_extra={"enum": ["confirm", "reject"]})
    proposal_ids: list[int] = Field(max_length=200, description="at most 200, each decided on its own")
    reason: Reason | None = Field(default=None, description="required to reject (one for all)")


class BulkItemRead(BaseModel):
    proposal_id: int
    ok: bool
    status: str
    placement_id: int | None = None
    code: str | None = None
    message: str | None = None


class BulkDecisionRead(BaseModel):
    action: str
    done: int
    failed: int
    summary: str
    items: list[BulkItemRead]
