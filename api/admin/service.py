"""The admin's view of the audit trail and of the accounts of one municipality.

Everything here is scoped to the admin's own municipality. Reading and exporting the
trail is itself recorded in the trail (action ``read`` / ``export``).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from api.auth import service as auth_service
from api.auth.models import ROLES, ApiToken, UserAccount
from api.core import audit
from api.core.errors import Conflict, InvalidInput
from api.core.models import AuditEvent
from api.core.principal import Principal
from api.core.tenancy import owned

EXPORT_FIELDS = ("id", "at", "user_id", "user_email", "action", "object_type", "object_id", "remote_addr", "detail")
MAX_EXPORT_ROWS = 100_000
STAFF_ROLES = tuple(r for r in ROLES if r != "host")  # host accounts come from the host invite flow


@dataclass(frozen=True)
class AuditFilter:
    since: datetime | None = None
    until: datetime | None = None
    action: str | None = None
    object_type: str | None = None
    object_id: str | None = None
    user_id: int | None = None


def _query(municipality_id: int, f: AuditFilter):  # type: ignore[no-untyped-def]
    query = (
        select(AuditEvent, UserAccount.email)
        .outerjoin(UserAccount, UserAccount.id == AuditEvent.user_id)
        .where(AuditEvent.municipality_id == municipality_id)
    )
    if f.since is not None:
        query = query.where(AuditEvent.at >= f.since)
    if f.until is not None:
        query = query.where(AuditEvent.at < f.until)
    if f.action:
        query = query.where(AuditEvent.action == f.action)
    if f.object_type:
        query = query.where(AuditEvent.object_type == f.object_type)
    if f.object_id:
        query = query.where(AuditEvent.object_id == f.object_id)
    if f.user_id is not None:
        query = query.where(AuditEvent.user_id == f.user_id)
    return query


def count_events(db: Session, *, municipality_id: int, flt: AuditFilter) -> int:
    sub = _query(municipality_id, flt).subquery()
    return int(db.scalar(select(func.count()).select_from(sub)) or 0)


def list_events(
    db: Session, *, principal: Principal, flt: AuditFilter, limit: int = 100, offset: int = 0
) -> list[AuditEntry]:
    """Newest first; the viewing itself is recorded."""
    rows = db.execute(
        _query(principal.municipality_id, flt)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(limit)
        .offset(offset)
    ).all()
    audit.record(db, principal=principal, action="read", object_type="audit_event", detail={"rows": len(rows)})
    return [_entry(event, email) for event, email in rows]


@dataclass(frozen=True)
class AuditEntry:
    """One line of the audit trail with the acting account's e-mail (fields in EXPORT_FIELDS order)."""

    id: int
    at: datetime
    user_id: int | None
    user_email: str | None
    action: str
    object_type: str
    object_id: str | None
    remote_addr: str | None
    detail: dict[str, Any] | None


def _entry(event: AuditEvent, email: str | None) -> AuditEntry:
    return AuditEntry(
        id=event.id,
        at=event.at,
        user_id=event.user_id,
        user_email=email,
        action=event.action,
        object_type=event.object_type,
        object_id=event.object_id,
        remote_addr=event.remote_addr,
        detail=event.detail,
    )


def export_events(db: Session, *, principal: Principal, flt: AuditFilter, fmt: str) -> str:
    """The filtered trail as CSV or JSON, oldest first (an export is recorded before it is built)."""
    if fmt not in ("csv", "json"):
        raise InvalidInput(code="admin.export_format", loc=("path", "format"))
    rows = db.execute(
        _query(principal.municipality_id, flt).order_by(AuditEvent.at, AuditEvent.id).limit(MAX_EXPORT_ROWS)
    ).all()
    audit.record(
        db, principal=principal, action="export", object_type="audit_event", detail={"rows": len(rows), "format": fmt}
    )
    items = [asdict(_entry(event, email)) for event, email in rows]
    if fmt == "json":
        return json.dumps(
            {"municipality_id": principal.municipality_id, "events": items}, default=_json_default, ensure_ascii=False
        )
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=EXPORT_FIELDS)
    writer.writeheader()
    for item in items:
        writer.writerow(
            {
                k: _csv_cell(json.dumps(v, sort_keys=True) if k == "detail" and v is not None else v)
                for k, v in item.items()
            }
        )
    return buffer.getvalue()


def _json_default(value: object) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def _csv_cell(value: object) -> object:
    """Defuse spreadsheet formulas (CSV injection): a cell never starts with = + - @."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


# ---------------------------------------------------------------- accounts


def list_accounts(db: Session, *, principal: Principal) -> Sequence[UserAccount]:
    return db.scalars(
        select(UserAccount).where(UserAccount.municipality_id == principal.municipality_id).order_by(UserAccount.email)
    ).all()


def get_account(db: Session, *, principal: Principal, user_id: int) -> UserAccount:
    return owned(db, UserAccount, user_id, principal, code="admin.account_not_found", loc=("path", "user_id"))


def create_account(db: Session, *, principal: Principal, email: str, role: str, password: str) -> UserAccount:
    if role not in STAFF_ROLES:
        raise InvalidInput(code="admin.staff_role", loc=("body", "role"), roles=", ".join(STAFF_ROLES))
    if auth_service.find_user(db, email=email) is not None:
        raise Conflict(code="admin.email_taken", loc=("body", "email"))
    user = auth_service.create_user(
        db, municipality_id=principal.municipality_id, email=email, password=password, role=role
    )
    audit.record(
        db, principal=principal, action="create", object_type="user_account", object_id=user.id, detail={"role": role}
    )
    return user


def update_account(
    db: Session, *, principal: Principal, user_id: int, active: bool | None = None, role: str | None = None
) -> UserAccount:
    """Deactivating an account also revokes its API tokens; an admin cannot lock itself out."""
    user = get_account(db, principal=principal, user_id=user_id)
    changed: list[str] = []
    if user.id == principal.user_id and (active is False or (role is not None and role != user.role)):
        raise Conflict(code="admin.own_account", loc=("path", "user_id"))
    if role is not None and role != user.role:
        if user.role == "host" or role not in STAFF_ROLES:
            raise InvalidInput(code="admin.staff_role", loc=("body", "role"), roles=", ".join(STAFF_ROLES))
        user.role = role
        changed.append("role")
    if active is not None and active != user.active:
        user.active = active
        changed.append("active")
        if not active:
            db.execute(update(ApiToken).where(ApiToken.user_id == user.id).values(revoked=True))
            auth_service.end_web_sessions_of(db, user_id=user.id)
    db.flush()
    if changed:
        audit.record(
            db,
            principal=principal,
            action="update",
            object_type="user_account",
            object_id=user.id,
            detail={"fields": changed},
        )
    return user


def revoke_tokens(db: Session, *, principal: Principal, user_id: int) -> int:
    user = get_account(db, principal=principal, user_id=user_id)
    result = db.execute(
        update(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked.is_(False)).values(revoked=True)
    )
    auth_service.revoke_feed_token(db, user_id=user.id)  # the calendar address too
    audit.record(db, principal=principal, action="revoke_tokens", object_type="user_account", object_id=user.id)
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
