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
    origin_lat: float = Field(ge=NL_LAT[0], le=NL_LAT[1])
    origin_lon: float = Field(ge=NL_LON[0], le=NL_LON[1])
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
    origin_lat: float
    origin_lon: float
    pets: bool
    needs_accessible: bool
    medical_need: bool
    accepts_host: bool
    status: str
    members: list[MemberRead]
    evictions: list[EvictionRead]
