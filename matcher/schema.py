"""The interchange formats `onderdak.instance/1` and `onderdak.solution/1` as Pydantic models.

Validation happens here, at the edge, so the core (eligibility, solve, explain) can work on
plain arrays and trust its input. Every problem is reported with the JSON path of the value
that caused it (``households[3].adults[0].age``) because the people who fix bad input look at
the JSON, not at Python tracebacks.

Extensions to the spec (stricter, never contradicting it):

- numbers and booleans are strict: ``"34"`` is not an age, ``1`` is not ``true``;
- ``priority`` is an integer from 0 to 1000 (keeps the folded solver weights exact);
- ``max_stay_days >= min_stay_days``;
- ``available_until`` must lie after ``available_from``;
- a ``wachtkamer`` must not carry ``host_id`` / ``host`` (``null`` is accepted);
- every number and date lies in a sane range (issue 18: out-of-range input used to crash
  deep inside the solver with OverflowError instead of being refused with its JSON path):
  dates from 1990-01-01 to 2200-12-31, ``capacity`` and ``max_households`` up to 10,000,
  ``horizon_days`` and stay days up to 3,650, ``max_distance_km`` up to 25,000;
- a JSON document is at most 256 MiB and nested at most 32 levels deep (checked before and
  while parsing, so a hostile file cannot exhaust memory or the parser's recursion), and an
  integer literal has at most 40 digits.
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StrictStr,
    ValidationError,
    model_validator,
)
from pydantic_core import PydanticCustomError

INSTANCE_FORMAT = "onderdak.instance/1"
SOLUTION_FORMAT = "onderdak.solution/1"
MAX_PRIORITY = 1000
MIN_DATE = date(1990, 1, 1)
MAX_DATE = date(2200, 12, 31)
MAX_COUNT = 10_000  # capacity, max_households
MAX_DAYS = 3650  # horizon and stay lengths
MAX_KM = 25_000.0  # more than half the earth's circumference: "no limit" in practice
MAX_INPUT_BYTES = 256 * 2**20
MAX_DEPTH = 32  # a valid instance is 6 deep (places[i].busy[j].start)
MAX_INT_DIGITS = 40

Latitude = Annotated[float, Field(ge=-90.0, le=90.0, strict=True, allow_inf_nan=False)]
Longitude = Annotated[float, Field(ge=-180.0, le=180.0, strict=True, allow_inf_nan=False)]
Count = Annotated[StrictInt, Field(ge=0, le=MAX_COUNT)]


def year_group(first: int, last: int) -> str:
    """A regular expression group for the four-digit years ``first`` to ``last`` (``(?:199\\d|200\\d|...)``)."""
    decades = []
    for decade in range(first // 10, last // 10 + 1):
        low, high = max(first, decade * 10) % 10, min(last, decade * 10 + 9) % 10
        decades.append(f"{decade}\\d" if (low, high) == (0, 9) else f"{decade}[{low}-{high}]")
    return f"(?:{'|'.join(decades)})"


def year_pattern(first: int, last: int) -> str:
    """A regular expression for ISO days (``YYYY-MM-DD``) in the years ``first`` to ``last``.

    JSON Schema cannot bound a ``format: date`` string, so without this pattern the API document calls a
    day in the year 0001 valid while the model refuses it; with it, generated and documented input agree.
    """
    return f"^{year_group(first, last)}-\\d{{2}}-\\d{{2}}$"


ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_day(value: object) -> object:
    """A day is written ``YYYY-MM-DD``: in lax mode Pydantic would read ``0.0`` or ``"1700000000"`` as seconds
    since 1970, which the documented ``format: date`` refuses (date objects pass as they are)."""
    if isinstance(value, int | float) or (isinstance(value, str) and not ISO_DAY.fullmatch(value)):
        raise PydanticCustomError("date_parsing", "Input should be a valid date in the format YYYY-MM-DD")
    return value


def day_window(first: date, last: date) -> Any:
    """``Annotated[date, day_window(a, b)]``: a day from ``a`` to ``b`` (whole years), bounded in the model and
    in its JSON Schema alike."""
    return Field(ge=first, le=last, json_schema_extra={"pattern": year_pattern(first.year, last.year)})


Day = Annotated[date, BeforeValidator(_iso_day), day_window(MIN_DATE, MAX_DATE)]


def _utf8(text: str) -> str:
    """Ids end up in UTF-8 output: a lone surrogate (legal in JSON escapes) is refused here."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("must be valid Unicode text (no unpaired surrogate escapes)") from None
    return text


Id = Annotated[StrictStr, Field(min_length=1, max_length=200), AfterValidator(_utf8)]


class InstanceError(ValueError):
    """Raised for invalid input; ``problems`` holds ``(json_path, message)`` pairs, one per problem."""

    def __init__(self, problems: list[tuple[str, str]]):
        self.problems = problems
        super().__init__("\n".join(f"{path}: {msg}" if path else msg for path, msg in problems))

    def lines(self) -> list[str]:
        """One readable line per problem, as the CLI prints them."""
        return [f"{path}: {msg}" if path else msg for path, msg in self.problems]


class _In(BaseModel):
    """Base for input models: unknown extra fields are ignored, as the spec requires."""

    model_config = ConfigDict(extra="ignore", frozen=True)


class Location(_In):
    lat: Latitude
    lon: Longitude


class Adult(_In):
    age: Annotated[StrictInt, Field(ge=0, le=130)]


class Household(_In):
    id: Id
    release_date: Day
    adults: Annotated[list[Adult], Field(min_length=1)]
    children: list[Annotated[StrictInt, Field(ge=0, le=30)]]
    pets: StrictBool
    needs_accessible: StrictBool
    accepts_host: StrictBool
    priority: Annotated[StrictInt, Field(ge=0, le=MAX_PRIORITY)]
    location: Location
    excluded_places: list[Id] = Field(default_factory=list)


class Busy(_In):
    start: Day
    end: Day

    @model_validator(mode="after")
    def _end_after_start(self) -> Busy:
        if self.end <= self.start:
            raise ValueError(f"busy interval must end after it starts ({self.start} .. {self.end})")
        return self


class HostInfo(_In):
    on_benefit: StrictBool
    cost_sharing_exemption: StrictBool
    landlord: Literal["corporation", "private", "owner"]
    landlord_consent: StrictBool


class Place(_In):
    id: Id
    kind: Literal["wachtkamer", "host_room"]
    host_id: Id | None = None
    capacity: Count
    accessible: StrictBool
    allows_pets: StrictBool
    allows_children: StrictBool
    location: Location
    available_from: Day
    available_until: Day | None = None
    busy: list[Busy] = Field(default_factory=list)
    host: HostInfo | None = None

    @model_validator(mode="after")
    def _kind_fields(self) -> Place:
        if self.kind == "host_room" and (self.host_id is None or self.host is None):
            missing = [n for n in ("host_id", "host") if getattr(self, n) is None]
            raise ValueError(f"a host_room needs {' and '.join(missing)}")
        if self.kind == "wachtkamer" and (self.host_id is not None or self.host is not None):
            raise ValueError("a wachtkamer has no host_id or host")
        if self.available_until is not None and self.available_until <= self.available_from:
            raise ValueError("available_until must be after available_from")
        return self


class HostLimit(_In):
    id: Id
    max_households: Annotated[StrictInt, Field(ge=1, le=MAX_COUNT)]


class Policy(_In):
    min_stay_days: Annotated[StrictInt, Field(ge=1, le=MAX_DAYS)]
    max_stay_days: Annotated[StrictInt, Field(ge=1, le=MAX_DAYS)]
    cost_sharing_age: Annotated[StrictInt, Field(ge=0, le=130)]
    max_distance_km: Annotated[float, Field(ge=0, le=MAX_KM, strict=True, allow_inf_nan=False)] | None = None

    @model_validator(mode="after")
    def _stay_order(self) -> Policy:
        if self.max_stay_days < self.min_stay_days:
            raise ValueError("max_stay_days must be >= min_stay_days")
        return self


class Instance(_In):
    """An `onderdak.instance/1` document: one day's matching problem."""

    format: Literal["onderdak.instance/1"]
    planning_date: Day
    horizon_days: Annotated[StrictInt, Field(ge=1, le=MAX_DAYS)]
    policy: Policy
    households: list[Household]
    places: list[Place]
    hosts: list[HostLimit] = Field(default_factory=list)

    @model_validator(mode="after")
    def _cross_checks(self) -> Instance:
        problems: list[tuple[str, str]] = []
        if self.horizon_days > self.policy.min_stay_days:
            problems.append(("horizon_days", f"must be <= policy.min_stay_days ({self.policy.min_stay_days})"))
        id_lists: list[tuple[str, list[str]]] = [
            ("households", [h.id for h in self.households]),
            ("places", [p.id for p in self.places]),
            ("hosts", [h.id for h in self.hosts]),
        ]
        for name, ids in id_lists:
            seen: dict[str, int] = {}
            for i, item_id in enumerate(ids):
                if item_id in seen:
                    problems.append((f"{name}[{i}].id", f"duplicate id {item_id!r} (also {name}[{seen[item_id]}])"))
                else:
                    seen[item_id] = i
        if problems:
            raise _CrossProblems(problems)
        return self


class _CrossProblems(ValueError):
    """Carries several path-specific problems out of a model validator."""

    def __init__(self, problems: list[tuple[str, str]]):
        self.problems = problems
        super().__init__("; ".join(f"{p}: {m}" for p, m in problems))


# ---------------------------------------------------------------- solution


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Placement(_Out):
    household: str
    place: str
    start: date
    end: date


class Unplaced(_Out):
    household: str
    reasons: list[str]
    reasons_en: list[str] = Field(default_factory=list)


class Objective(_Out):
    placed: int
    priority: int
    weighted_wait: int
    distance: int
    stay_days: int


class Bound(_Out):
    """Best known bound per level (None where unknown); only for ``status: feasible``."""

    placed: int | None = None
    priority: int | None = None
    weighted_wait: int | None = None
    distance: int | None = None
    stay_days: int | None = None


class Solution(_Out):
    """An `onderdak.solution/1` document. ``model_dump(mode="json")`` gives the spec JSON."""

    format: Literal["onderdak.solution/1"] = "onderdak.solution/1"
    status: Literal["optimal", "feasible", "infeasible_input"]
    placements: list[Placement]
    unplaced: list[Unplaced]
    objective: Objective
    bound: Bound | None = None
    solve_seconds: float
    language: Literal["nl", "en"] = "nl"
    matcher_version: str = ""
    #: "brief" when a time limit left too little time for full explanations: a household
    #: without any eligible place then gets one step for distance, time and host limit
    #: together (still true, still ending at zero); see matcher.explain.explain_unplaced
    explanations: Literal["full", "brief"] = "full"


# ---------------------------------------------------------------- errors with JSON paths


def json_path(loc: tuple[Any, ...]) -> str:
    """Turn a Pydantic ``loc`` into ``households[3].adults[0].age``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif isinstance(part, str) and not part.startswith(("function-", "literal[")) and "[" not in part:
            out += ("." if out else "") + part
    return out


def _problems_from(err: ValidationError) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    for e in err.errors(include_url=False):
        ctx_err = (e.get("ctx") or {}).get("error")
        if isinstance(ctx_err, _CrossProblems):
            prefix = json_path(tuple(e["loc"]))
            for path, msg in ctx_err.problems:
                problems.append((f"{prefix}.{path}" if prefix else path, msg))
            continue
        msg = e["msg"]
        if msg.startswith("Value error, "):
            msg = msg[len("Value error, ") :]
        if e["type"] == "missing":
            msg = "required field is missing"
        problems.append((json_path(tuple(e["loc"])), msg))
    # stable order, no duplicates (union-type errors can repeat)
    seen: set[tuple[str, str]] = set()
    unique = []
    for p in problems:
        if p not in seen:
            seen.add(p)
            unique.append(p)
    return unique


def validate(data: Any) -> Instance:
    """Validate a parsed instance (dict) or pass an Instance through; raise InstanceError."""
    if isinstance(data, Instance):
        return data
    if not isinstance(data, dict):
        raise InstanceError([("", "an instance must be a JSON object")])
    try:
        return Instance.model_validate(data)
    except ValidationError as err:
        problems = _problems_from(err)
        # checks that live in "after" validators do not run when a field failed: report
        # them too, so one run lists every problem
        for extra in _raw_cross_checks(data):
            if extra not in problems:
                problems.append(extra)
        raise InstanceError(problems) from None


def _raw_cross_checks(data: dict[str, Any]) -> list[tuple[str, str]]:
    """Duplicate ids, the horizon bound and host blocks, checked defensively on raw data."""
    out: list[tuple[str, str]] = []
    pol = data.get("policy")
    horizon = data.get("horizon_days")
    if isinstance(pol, dict) and type(horizon) is int and type(pol.get("min_stay_days")) is int:
        if horizon > pol["min_stay_days"]:
            out.append(("horizon_days", f"must be <= policy.min_stay_days ({pol['min_stay_days']})"))
    for name in ("households", "places", "hosts"):
        items = data.get(name)
        if not isinstance(items, list):
            continue
        seen: dict[Any, int] = {}
        for i, item in enumerate(items):
            if not isinstance(item, dict) or not isinstance(item.get("id"), str):
                continue
            if item["id"] in seen:
                out.append((f"{name}[{i}].id", f"duplicate id {item['id']!r} (also {name}[{seen[item['id']]}])"))
            else:
                seen[item["id"]] = i
    places = data.get("places")
    for i, p in enumerate(places if isinstance(places, list) else []):
        if isinstance(p, dict) and p.get("kind") == "host_room":
            missing = [n for n in ("host_id", "host") if p.get(n) is None]
            if missing:
                out.append((f"places[{i}]", f"a host_room needs {' and '.join(missing)}"))
    return out


def _bounded_int(text: str) -> int:
    """JSON integers, but a literal longer than MAX_INT_DIGITS becomes a value just outside
    every bound, so the schema refuses it with its path (int() would raise, or take quadratic
    time, on thousands of digits)."""
    digits = text.lstrip("-")
    if len(digits) > MAX_INT_DIGITS:
        huge: int = 10**MAX_INT_DIGITS
        return -huge if text.startswith("-") else huge
    return int(text)


def _depth_problem(data: Any) -> str | None:
    """A message if `data` nests deeper than MAX_DEPTH (iterative: no recursion to exhaust)."""
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict | list):
            if depth > MAX_DEPTH:
                return f"nested more than {MAX_DEPTH} levels deep"
            children = node.values() if isinstance(node, dict) else node
            stack.extend((c, depth + 1) for c in children if isinstance(c, dict | list))
    return None


_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')


def _text_depth(raw: bytes) -> int:
    """Nesting depth of a syntactically valid JSON text, from its bytes.

    Why not walk the parsed data (:func:`_depth_problem`): that visits every value in Python,
    0.4 s for a 6 MB instance on a quiet machine, more than parsing it. Here the strings are
    cut out by one regular expression (brackets inside them do not count) and the brackets
    counted by numpy: a few tens of milliseconds.
    """
    import numpy as np  # numpy is loaded anyway by the solver; not needed by the schema itself

    if b"\\" in raw:  # escapes: cut the strings out (a quote may be escaped)
        raw = _JSON_STRING.sub(b'""', raw)
    code = np.frombuffer(raw, dtype=np.uint8)
    # without escapes, every quote opens or closes a string: outside them, count brackets
    outside = (np.cumsum(code == ord('"'), dtype=np.int32) & 1) == 0
    step = ((code == ord("[")) | (code == ord("{"))).astype(np.int8)
    step -= (code == ord("]")) | (code == ord("}"))
    step *= outside
    return int(np.cumsum(step, dtype=np.int32).max(initial=0))


def validate_json(text: str | bytes, max_bytes: int = MAX_INPUT_BYTES) -> Instance:
    """Parse JSON text and validate it; every problem becomes an InstanceError.

    Malformed JSON is reported with its position; a document larger than `max_bytes`, nested
    too deeply or with an absurdly long number is refused before (or while) parsing.
    """
    return validate(parse_json(text, max_bytes))


def parse_json(text: str | bytes, max_bytes: int = MAX_INPUT_BYTES) -> Any:
    """The JSON document as Python data, with the checks of :func:`validate_json` that come
    before the schema (size, syntax, depth, number length); InstanceError on any of them.

    Why apart: ``solve`` checks a plainly valid dict column by column, several times faster
    than the schema's models, and falls back to the schema for anything else; the CLI hands
    it the parsed dict so that a large instance is not validated twice.
    """
    size = len(text.encode("utf-8", "surrogatepass")) if isinstance(text, str) else len(text)
    if size > max_bytes:
        raise InstanceError([("", f"input is {size:,} bytes; the limit is {max_bytes:,}")])
    try:
        data = json.loads(text, parse_int=_bounded_int)
    except json.JSONDecodeError as err:
        raise InstanceError([("", f"malformed JSON: {err.msg} at line {err.lineno} column {err.colno}")]) from None
    except UnicodeDecodeError as err:
        raise InstanceError([("", f"not UTF-8 text: {err.reason}")]) from None
    except RecursionError:
        raise InstanceError([("", f"malformed JSON: nested more than {MAX_DEPTH} levels deep")]) from None
    except ValueError as err:  # e.g. a float literal the parser cannot convert
        raise InstanceError([("", f"malformed JSON: {err}")]) from None
    raw = text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass")
    problem = f"nested more than {MAX_DEPTH} levels deep" if _text_depth(raw) > MAX_DEPTH else None
    if problem:
        raise InstanceError([("", f"malformed JSON: {problem}")])
    return data
