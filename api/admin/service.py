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

from api.admin.models import AdminChange
from api.auth import service as auth_service
from api.auth.models import ROLES, ApiToken, UserAccount
from api.auth.security import hash_password
from api.core import audit, clock
from api.core.errors import Conflict, Forbidden, InvalidInput
from api.core.models import AuditEvent, Municipality
from api.core.principal import Principal
from api.core.templating import valid_theme_colour
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


# ---------------------------------------------------------------- four eyes: pending changes


def request_admin_account(db: Session, *, principal: Principal, email: str, password: str) -> AdminChange:
    """A new administrator waits for a second administrator; the password is kept only as its hash."""
    email = email.strip().lower()
    if auth_service.find_user(db, email=email) is not None or _pending_email(db, principal, email):
        raise Conflict(code="admin.email_taken", loc=("body", "email"))
    if len(password) < auth_service.MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            code="auth.password_too_short", loc=("body", "password"), min=auth_service.MIN_PASSWORD_LENGTH
        )
    change = AdminChange(
        municipality_id=principal.municipality_id,
        kind="create_admin",
        payload={"email": email, "role": "admin"},
        password_hash=hash_password(password),
        requested_by=principal.user_id,
        requested_at=clock.now(),
        status="pending",
    )
    return _requested(db, principal, change)


def request_role_change(db: Session, *, principal: Principal, user: UserAccount, role: str) -> AdminChange:
    """A role change waits for a second administrator (the checks run now and again on approval)."""
    _check_role_change(principal, user, role)
    change = AdminChange(
        municipality_id=principal.municipality_id,
        kind="change_role",
        payload={"user_id": user.id, "from_role": user.role, "role": role},
        requested_by=principal.user_id,
        requested_at=clock.now(),
        status="pending",
    )
    return _requested(db, principal, change)


def _check_role_change(principal: Principal, user: UserAccount, role: str) -> None:
    if user.id == principal.user_id:
        raise Conflict(code="admin.own_account", loc=("path", "user_id"))
    if user.role == "host" or role not in STAFF_ROLES:
        raise InvalidInput(code="admin.staff_role", loc=("body", "role"), roles=", ".join(STAFF_ROLES))


def _pending_email(db: Session, principal: Principal, email: str) -> bool:
    pending = db.scalars(
        select(AdminChange).where(
            AdminChange.municipality_id == principal.municipality_id,
            AdminChange.kind == "create_admin",
            AdminChange.status == "pending",
        )
    ).all()
    return any(c.payload.get("email") == email for c in pending)


def _requested(db: Session, principal: Principal, change: AdminChange) -> AdminChange:
    db.add(change)
    db.flush()
    audit.record(
        db,
        principal=principal,
        action="request",
        object_type="admin_change",
        object_id=change.id,
        detail={"kind": change.kind, **_audit_detail(change)},
    )
    return change


def _audit_detail(change: AdminChange) -> dict[str, Any]:
    """What the trail may hold about a change: never the e-mail address (a personal value)."""
    return {k: v for k, v in change.payload.items() if k in ("user_id", "from_role", "role")}


def list_changes(db: Session, *, principal: Principal, status: str | None = None) -> Sequence[AdminChange]:
    query = select(AdminChange).where(AdminChange.municipality_id == principal.municipality_id)
    if status:
        query = query.where(AdminChange.status == status)
    return db.scalars(query.order_by(AdminChange.requested_at.desc(), AdminChange.id.desc())).all()


def _pending_change(db: Session, principal: Principal, change_id: int) -> AdminChange:
    change = owned(db, AdminChange, change_id, principal, code="admin.change_not_found", loc=("path", "change_id"))
    if change.status != "pending":
        raise Conflict(code="admin.change_decided", loc=("path", "change_id"), status=change.status)
    if change.requested_by == principal.user_id:
        raise Forbidden(code="admin.change_own_request", loc=("path", "change_id"))
    return change


def approve_change(db: Session, *, principal: Principal, change_id: int) -> AdminChange:
    """A second administrator of the same municipality carries the change out (the checks run again)."""
    change = _pending_change(db, principal, change_id)
    if change.kind == "create_admin":
        email = str(change.payload["email"])
        if auth_service.find_user(db, email=email) is not None or not change.password_hash:
            raise Conflict(code="admin.email_taken", loc=("body", "email"))
        user = UserAccount(
            municipality_id=change.municipality_id,
            email=email,
            password_hash=change.password_hash,
            role="admin",
            created_at=clock.now(),
        )
        db.add(user)
        db.flush()
        change.payload = {**change.payload, "user_id": user.id}
        audit.record(
            db,
            principal=principal,
            action="create",
            object_type="user_account",
            object_id=user.id,
            detail={"role": "admin", "change_id": change.id},
        )
    else:
        target = get_account(db, principal=principal, user_id=int(change.payload["user_id"]))
        role = str(change.payload["role"])
        if target.id == principal.user_id:
            raise Conflict(code="admin.own_account", loc=("path", "change_id"))
        _check_role_change(principal, target, role)
        target.role = role
        audit.record(
            db,
            principal=principal,
            action="update",
            object_type="user_account",
            object_id=target.id,
            detail={"fields": ["role"], "change_id": change.id},
        )
    return _decide(db, principal, change, "approved")


def refuse_change(db: Session, *, principal: Principal, change_id: int) -> AdminChange:
    return _decide(db, principal, _pending_change(db, principal, change_id), "refused")


def _decide(db: Session, principal: Principal, change: AdminChange, status: str) -> AdminChange:
    change.status = status
    change.decided_by = principal.user_id
    change.decided_at = clock.now()
    change.password_hash = None
    db.flush()
    audit.record(
        db,
        principal=principal,
        action="approve" if status == "approved" else "refuse",
        object_type="admin_change",
        object_id=change.id,
        detail={"kind": change.kind, "requested_by": change.requested_by, **_audit_detail(change)},
    )
    return change


# ---------------------------------------------------------------- the municipality's look (issue 20.7)


def _luminance(colour: str) -> float:
    def channel(hex_pair: str) -> float:
        c = int(hex_pair, 16) / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(colour[i : i + 2]) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_with_white(colour: str) -> float:
    """WCAG contrast of white text on the colour: buttons and the header put white on it, so it must be ≥ 4.5."""
    return 1.05 / (_luminance(colour) + 0.05)


def get_theme(db: Session, *, principal: Principal) -> Municipality:
    municipality = db.get(Municipality, principal.municipality_id)
    assert municipality is not None  # an account always belongs to a municipality (foreign key)
    return municipality


def set_theme(db: Session, *, principal: Principal, colour: str, logo: str) -> Municipality:
    """Store the municipality's colour and logo; refused when white text on the colour would fail WCAG AA."""
    colour, logo = colour.strip().lower(), logo.strip()
    if colour and not valid_theme_colour(colour):
        raise InvalidInput(code="admin.theme_colour", loc=("body", "colour"))
    if colour and contrast_with_white(colour) < 4.5:
        ratio = f"{contrast_with_white(colour):.1f}"
        raise InvalidInput(code="admin.theme_contrast", loc=("body", "colour"), ratio=ratio)
    if logo and (not logo.startswith("/static/") or ".." in logo or len(logo) > 200):
        raise InvalidInput(code="admin.theme_logo", loc=("body", "logo"))
    municipality = get_theme(db, principal=principal)
    municipality.theme_colour = colour or None
    municipality.logo_path = logo or None
    db.flush()
    audit.record(db, principal=principal, action="theme_changed", object_type="municipality", object_id=municipality.id)
    return municipality
