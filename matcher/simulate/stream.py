"""`onderdak.stream/1` (a year of arrivals) and `onderdak.simresult/1` as Pydantic models.

The stream reuses the instance format's place, host and household models, so a stream
household is exactly an instance household plus the day it became known (``announced``).
Validation errors carry JSON paths, as for instances (``InstanceError``), so the CLI can name
the field that is wrong.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt, ValidationError, model_validator

from ..schema import (
    MAX_DAYS,
    MAX_INPUT_BYTES,
    Day,
    HostLimit,
    Household,
    InstanceError,
    Place,
    Policy,
    _bounded_int,
    _CrossProblems,
    _depth_problem,
    _problems_from,
)

STREAM_FORMAT = "onderdak.stream/1"
RESULT_FORMAT = "onderdak.simresult/1"
MAX_SIM_DAYS = 3660  # ten years

DayCount = Annotated[StrictInt, Field(ge=1, le=MAX_DAYS)]


class StreamPolicy(Policy):
    """The instance policy plus the simulation's fixed stay length and the grace period of the value."""

    horizon_days: DayCount
    stay_days: DayCount
    grace_days: DayCount

    @model_validator(mode="after")
    def _horizon_fits(self) -> StreamPolicy:
        if self.horizon_days > self.stay_days:
            raise ValueError(f"horizon_days must be <= stay_days ({self.stay_days})")
        return self


class StreamHousehold(Household):
    announced: Day

    @model_validator(mode="after")
    def _announced_first(self) -> StreamHousehold:
        if self.announced > self.release_date:
            raise ValueError(f"announced ({self.announced}) must be on or before release_date ({self.release_date})")
        return self


class Stream(BaseModel):
    """An `onderdak.stream/1` document."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    format: Literal["onderdak.stream/1"]
    start: Day
    days: Annotated[StrictInt, Field(ge=1, le=MAX_SIM_DAYS)]
    policy: StreamPolicy
    places: list[Place]
    hosts: list[HostLimit] = Field(default_factory=list)
    households: list[StreamHousehold]

    @model_validator(mode="after")
    def _unique_ids(self) -> Stream:
        problems: list[tuple[str, str]] = []
        for name in ("households", "places", "hosts"):
            seen: dict[str, int] = {}
            for i, item in enumerate(getattr(self, name)):
                if item.id in seen:
                    problems.append((f"{name}[{i}].id", f"duplicate id {item.id!r} (also {name}[{seen[item.id]}])"))
                seen[item.id] = i
        if problems:
            raise _CrossProblems(problems)
        return self


class SimPlacement(BaseModel):
    model_config = ConfigDict(extra="forbid")

    household: str
    place: str
    start: date
    end: date
    decided_on: date


class SimResult(BaseModel):
    """An `onderdak.simresult/1` document (``status`` and ``bound`` only for hindsight)."""

    model_config = ConfigDict(extra="forbid")

    format: Literal["onderdak.simresult/1"] = "onderdak.simresult/1"
    policy: str
    value: int
    placed: int
    sheltered_on_release_day: int
    mean_wait: float
    placements: list[SimPlacement]
    seconds: float
    status: Literal["optimal", "feasible"] | None = None
    bound: int | None = None


def validate_stream(data: Any) -> Stream:
    """Validate a parsed stream; raise InstanceError with one (JSON path, message) per problem."""
    if isinstance(data, Stream):
        return data
    if not isinstance(data, dict):
        raise InstanceError([("", "a stream must be a JSON object")])
    try:
        return Stream.model_validate(data)
    except ValidationError as err:
        raise InstanceError(_problems_from(err)) from None


def load_stream(text: str | bytes) -> Stream:
    """Parse and validate stream JSON text (size, depth and number limits as for instances)."""
    size = len(text.encode("utf-8", "surrogatepass")) if isinstance(text, str) else len(text)
    if size > MAX_INPUT_BYTES:
        raise InstanceError([("", f"input is {size:,} bytes; the limit is {MAX_INPUT_BYTES:,}")])
    try:
        data = json.loads(text, parse_int=_bounded_int)
    except json.JSONDecodeError as err:
        raise InstanceError([("", f"malformed JSON: {err.msg} at line {err.lineno} column {err.colno}")]) from None
    except (UnicodeDecodeError, RecursionError, ValueError) as err:
        raise InstanceError([("", f"malformed JSON: {err}")]) from None
    problem = _depth_problem(data)
    if problem:
        raise InstanceError([("", f"malformed JSON: {problem}")])
    return validate_stream(data)


def load_result(text: str | bytes) -> SimResult:
    """Parse a result file (written by this package; errors become InstanceError)."""
    try:
        return SimResult.model_validate_json(text)
    except ValidationError as err:
        raise InstanceError(_problems_from(err)) from None
