"""Schemas of the admin area (audit trail, accounts)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, JsonValue

from api.auth.models import ROLES

# Documented in the schema; checked (with its own code) in the service.
STAFF_ROLES: list[JsonValue] = [r for r in ROLES if r != "host"]


class AuditEventRead(BaseModel):
    id: int
    at: datetime
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
    created_at: datetime
    last_login_at: datetime | None


class AccountCreate(BaseModel):
    email: str = Field(min_length=3, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    role: str = Field(
        description="admin, coordinator, crisis_team or case_worker", json_schema_extra={"enum": STAFF_ROLES}
    )
    password: str = Field(min_length=10, max_length=200)


class AccountUpdate(BaseModel):
    active: bool | None = None
    role: str | None = Field(
        default=None,
        description="admin, coordinator, crisis_team or case_worker",
        json_schema_extra={"enum": [*STAFF_ROLES, None]},
    )


class TokensRevoked(BaseModel):
    revoked: int


class AdminChangeRead(BaseModel):
    """A change that waits for (or got) a second administrator's decision; never a password."""

    model_config = ConfigDict(from_attributes=True)
    id: int
    kind: str = Field(description="create_admin or change_role")
    payload: dict[str, Any]
    requested_by: int | None
    requested_at: datetime
    decided_by: int | None
    decided_at: datetime | None
    status: str = Field(description="pending, approved or refused")
