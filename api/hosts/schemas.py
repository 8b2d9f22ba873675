"""Pydantic schemas of the hosts API (HostSummary, HostRead, ChecklistUpdateBody, TransitionBody)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from api.core import clock
from api.places.schemas import PlaceRead

# The transitions of api.hosts.service.TRANSITIONS, for the OpenAPI document (a test keeps them in step).
ACTIONS = ("vet", "activate", "pause", "resume", "reject", "withdraw")
HOST_ACTIONS = ("pause", "resume", "withdraw")  # what a host may do to its own record (the service reads it here)


class HostSummary(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    reference: str
    name: str
    city: str
    status: str
    confirmed_at: datetime | None
    checklist_missing: list[str] = []


class HostRead(HostSummary):
    email: str
    phone: str | None
    street: str
    house_number: str
    postcode: str
    on_benefit: bool
    landlord_type: str
    has_rent_arrears: bool
    max_households: int | None
    identity_seen: bool
    vog_seen: bool
    home_visit_done: bool
    landlord_consent_received: bool
    benefit_checked: bool
    landlord_consent: bool
    landlord_consent_date: date | None
    cost_sharing_exemption: bool
    exemption_decided_on: date | None
    rejection_reason: str | None
    consent_given_at: datetime | None
    consent_retention_months: int | None
    # when the host last reconfirmed availability by link (api.hosts.reconfirm); None: not yet
    availability_confirmed_at: datetime | None = None
    rooms: list[PlaceRead] = []


class ChecklistUpdateBody(BaseModel):
    """The ticks; the landlord's consent is recorded when all three landlord fields are given."""

    identity_seen: bool = False
    vog_seen: bool = False
    home_visit_done: bool = False
    benefit_checked: bool = False
    landlord_consent_date: date | None = None
    landlord_consent_by: str | None = Field(default=None, max_length=120)
    landlord_consent_document: str | None = Field(default=None, max_length=200)


class TransitionBody(BaseModel):
    action: str = Field(
        description="vet, activate, pause, resume, reject, withdraw", json_schema_extra={"enum": list(ACTIONS)}
    )
    reason: str | None = Field(default=None, max_length=2000, description="required for reject")


class OwnTransitionBody(BaseModel):
    """What a host may do to its own record: the schema names only those actions (the others are the
    coordinator's; the service refuses them with ``host.coordinator_only``)."""

    action: str = Field(description="pause, resume or withdraw", json_schema_extra={"enum": list(HOST_ACTIONS)})


class VettingItemBody(BaseModel):
    done_on: date
    expires_on: date | None = Field(default=None, description="null: does not expire")


class VettingItemRead(BaseModel):
    kind: str
    done_on: date
    expires_on: date | None
    expired: bool

    @classmethod
    def of(cls, item: Any) -> VettingItemRead:
        return cls(
            kind=item.kind,
            done_on=item.done_on,
            expires_on=item.expires_on,
            expired=item.expires_on is not None and item.expires_on <= clock.today(),
        )
