"""Schemas of the admin area (audit trail, accounts)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field


def _utc(value: datetime) -> datetime:
    """SQLite hands back naive datetimes; every stored time is UTC, so say so (RFC 3339 needs an offset)."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


UtcDateTime = Annotated[datetime, AfterValidator(_utc)]


class AuditEventRead(BaseModel):
    id: int
    at: UtcDateTime
    user_id: int | None
    user_email: str | None
    action: str
    object_type: str
    object_id: str | None
    remote_addr: str | None
    detail: dict[str, Any] | None


class AuditPage(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[AuditEventRead]


class AccountRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    email: str
    role: str
    active: bool
    host_id: int | None
    created_at: UtcDateTime
    last_login_at: UtcDateTime | None


class AccountCreate(BaseModel):
    email: str = Field(min_length=3, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    role: str = Field(description="admin, coordinator, crisis_team or case_worker")
    password: str = Field(min_length=10, max_length=200)


class AccountUpdate(BaseModel):
    active: bool | None = None
    role: str | None = Field(default=None, description="admin, coordinator, crisis_team or case_worker")


class TokensRevoked(BaseModel):
    revoked: int
