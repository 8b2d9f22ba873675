"""Pydantic schemas of host rooms and their availability (PlaceRead, AvailabilityUpdate, UnavailabilityCreate)."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field, model_validator


class UnavailabilityRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    start_date: date
    end_date: date


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
