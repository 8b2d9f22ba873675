"""Pydantic schemas of host rooms and their availability (PlaceRead, AvailabilityUpdate, UnavailabilityCreate)."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field, model_validator


class UnavailabilityRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    start_date: date
    end_date: date
    reason: str | None = None


class PlaceRead(BaseModel):
    """A place; ``lat``/``lon`` of a host room are rounded to about a kilometre unless the caller is the
    crisis team (Principal.sees_exact_host_location)."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    reference: str
    kind: str
    label: str
    lat: float
    lon: float
    capacity: int
    accessible: bool
    allows_pets: bool
    allows_children: bool
    available_from: date
    available_until: date | None
    status: str
    unavailable: list[UnavailabilityRead] = []


class AvailabilityUpdate(BaseModel):
    available_from: date
    available_until: date | None = Field(default=None, description="empty: open-ended")

    @model_validator(mode="after")
    def _window(self) -> AvailabilityUpdate:
        if self.available_until is not None and self.available_until <= self.available_from:
            raise ValueError("available_until must lie after available_from")
        return self


class UnavailabilityCreate(BaseModel):
    start_date: date
    end_date: date

    @model_validator(mode="after")
    def _positive(self) -> UnavailabilityCreate:
        if self.end_date <= self.start_date:
            raise ValueError("end_date must lie after start_date")
        return self


POSTCODE_PATTERN = r"^[1-9][0-9]{3} ?[A-Za-z]{2}$"
HOUSE_NUMBER_PATTERN = r"^[0-9]{1,5}( ?[A-Za-z0-9-]{1,6})?$"


class WachtkamerCreate(BaseModel):
    """A new waiting-room dwelling (De Wachtkamer). The location is looked up from postcode + house number
    (api.core.geocoding); ``location_approximate`` in the answer says when the fallback was used."""

    model_config = ConfigDict(extra="forbid")

    label: str = Field(min_length=1, max_length=120)
    address: str = Field(min_length=1, max_length=200, description="street and number, town")
    postcode: str = Field(pattern=POSTCODE_PATTERN)
    house_number: str = Field(max_length=16, pattern=HOUSE_NUMBER_PATTERN)
    capacity: int = Field(ge=1, le=12)
    accessible: bool = False
    allows_pets: bool = False
    allows_children: bool = True
    available_from: date
    available_until: date | None = None

    @model_validator(mode="after")
    def _window(self) -> WachtkamerCreate:
        if self.available_until is not None and self.available_until <= self.available_from:
            raise ValueError("available_until must lie after available_from")
        return self


class PlaceUpdate(BaseModel):
    """A change to a place (``PATCH``): only the fields given. Label and address only for a waiting-room
    dwelling; a host room's location is the host's (changed with the host)."""

    model_config = ConfigDict(extra="forbid")

    label: str | None = Field(default=None, min_length=1, max_length=120)
    address: str | None = Field(default=None, min_length=1, max_length=200)
    postcode: str | None = Field(default=None, pattern=POSTCODE_PATTERN)
    house_number: str | None = Field(default=None, max_length=16, pattern=HOUSE_NUMBER_PATTERN)
    capacity: int | None = Field(default=None, ge=1, le=12)
    accessible: bool | None = None
    allows_pets: bool | None = None
    allows_children: bool | None = None


class PauseCreate(BaseModel):
    """Take a place out of the matching from today up to and including ``until``, with a reason."""

    until: date
    reason: str = Field(min_length=3, max_length=2000)


class RetireBody(BaseModel):
    """Retire a place for good (status ``inactive``), with a reason."""

    reason: str = Field(min_length=3, max_length=2000)


class ManagedPlaceRead(PlaceRead):
    """A place with what management adds: its address fields (waiting-room dwellings only), whether the
    location is approximate, and why and when it was retired."""

    address: str | None = None
    postcode: str | None = None
    house_number: str | None = None
    location_approximate: bool = False
    retired_on: date | None = None
    retire_reason: str | None = None
