"""Pydantic schemas of the household domain (XCreate / XRead)."""

from __future__ import annotations

from datetime import date, time

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from api.core import clock
from api.households.models import MEMBER_STATUSES
from matcher.rules.dates import age_on
from matcher.schema import year_pattern

NL_LAT = (50.7, 53.6)
NL_LON = (3.3, 7.3)


class MemberCreate(BaseModel):
    first_name: str = Field(min_length=1, max_length=80)
    birth_date: date = Field(json_schema_extra={"pattern": year_pattern(1900, 9999)}, description="not in the future")
    status: str = Field(
        default="none",
        description=f"one of {', '.join(MEMBER_STATUSES)}",
        json_schema_extra={"enum": list(MEMBER_STATUSES)},
    )

    @field_validator("birth_date")
    @classmethod
    def _not_in_future(cls, value: date) -> date:
        if value > clock.today():
            raise ValueError("birth date lies in the future")
        if value.year < 1900:
            raise ValueError("birth date before 1900")
        return value

    @field_validator("status")
    @classmethod
    def _known_status(cls, value: str) -> str:
        if value not in MEMBER_STATUSES:
            raise ValueError(f"unknown status; one of {', '.join(MEMBER_STATUSES)}")
        return value


class EvictionCreate(BaseModel):
    announced_date: date
    eviction_date: date
    eviction_time: time | None = None
    bailiff_reference: str = Field(min_length=1, max_length=64)
    household_goods: str | None = Field(default=None, max_length=2000)

    @model_validator(mode="after")
    def _order(self) -> EvictionCreate:
        if self.eviction_date < self.announced_date:
            raise ValueError("eviction_date lies before announced_date")
        return self


class HouseholdCreate(BaseModel):
    reference: str | None = Field(default=None, max_length=32, description="generated when left out")
    display_name: str = Field(min_length=1, max_length=120)
    origin_postcode: str | None = Field(default=None, pattern=r"^[1-9][0-9]{3} ?[A-Za-z]{2}$")
    origin_house_number: str | None = Field(default=None, max_length=16, pattern=r"^[0-9]{1,5}( ?[A-Za-z0-9-]{1,6})?$")
    origin_lat: float | None = Field(
        default=None, ge=NL_LAT[0], le=NL_LAT[1], description="left out: looked up from postcode + house number"
    )
    origin_lon: float | None = Field(default=None, ge=NL_LON[0], le=NL_LON[1])
    pets: bool = False
    needs_accessible: bool = False
    medical_need: bool = False
    accepts_host: bool = True
    case_worker_id: int | None = None
    members: list[MemberCreate] = Field(min_length=1, max_length=12)
    eviction: EvictionCreate

    @model_validator(mode="after")
    def _one_adult(self) -> HouseholdCreate:
        """The matcher places households with at least one adult (a minor alone is a youth-care case)."""
        day = self.eviction.eviction_date
        if not any(age_on(m.birth_date, day) >= 18 for m in self.members):
            raise ValueError("at least one member must be 18 or older on the eviction date")
        return self


POSTCODE_PATTERN = r"^[1-9][0-9]{3} ?[A-Za-z]{2}$"
HOUSE_NUMBER_PATTERN = r"^[0-9]{1,5}( ?[A-Za-z0-9-]{1,6})?$"


class HouseholdUpdate(BaseModel):
    """A change to the case file (``PATCH``): only the fields given change.

    ``members``, when given, replaces the list (first names and birth dates; still one adult). A new
    ``origin_postcode`` with ``origin_house_number`` is looked up by the geocoder (api.core.geocoding)
    unless ``origin_lat``/``origin_lon`` are given too. The priority override is a separate decision of
    the crisis team (:class:`PriorityOverride`)."""

    model_config = ConfigDict(extra="forbid")

    display_name: str | None = Field(default=None, min_length=1, max_length=120)
    origin_postcode: str | None = Field(default=None, pattern=POSTCODE_PATTERN)
    origin_house_number: str | None = Field(default=None, max_length=16, pattern=HOUSE_NUMBER_PATTERN)
    origin_lat: float | None = Field(default=None, ge=NL_LAT[0], le=NL_LAT[1])
    origin_lon: float | None = Field(default=None, ge=NL_LON[0], le=NL_LON[1])
    pets: bool | None = None
    needs_accessible: bool | None = None
    medical_need: bool | None = None
    accepts_host: bool | None = None
    case_worker_id: int | None = None
    members: list[MemberCreate] | None = Field(default=None, min_length=1, max_length=12)

    @model_validator(mode="after")
    def _both_or_neither(self) -> HouseholdUpdate:
        if (self.origin_lat is None) != (self.origin_lon is None):
            raise ValueError("give origin_lat and origin_lon together")
        return self


class HouseholdClose(BaseModel):
    """Closing a case: why (audited); a household with a placement still running cannot be closed."""

    reason: str = Field(min_length=3, max_length=2000)


class PriorityOverride(BaseModel):
    """The crisis team's decision to give a household precedence (the rules' ``crisis_override`` factor).

    ``active`` false withdraws it; a reason is always needed, both ways, and both are audited."""

    active: bool
    reason: str = Field(min_length=3, max_length=2000)


class MemberRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    first_name: str
    birth_date: date
    status: str


class EvictionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    announced_date: date
    eviction_date: date
    eviction_time: time | None
    bailiff_reference: str
    household_goods: str | None


class HouseholdRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    reference: str
    display_name: str
    origin_postcode: str | None
    origin_house_number: str | None = None
    origin_lat: float
    origin_lon: float
    origin_approximate: bool = False
    pets: bool
    needs_accessible: bool
    medical_need: bool
    accepts_host: bool
    status: str
    priority_override: int | None = None
    priority_override_reason: str | None = None
    close_reason: str | None = None
    members: list[MemberRead]
    evictions: list[EvictionRead]
