"""The audit trail: who read or changed what, when and from where. Append-only.

Call :func:`record` from services for every change and every read of a household's
personal data. Details hold ids and field names, never the personal values themselves.

"From where": the app's middleware puts the client address of the current request in
:data:`remote_addr_var`, so a service that has no request at hand still records it.
The database refuses UPDATE and DELETE on ``audit_event`` (triggers, migration 0006).
"""

from __future__ import annotations

import contextvars
from typing import Any

from sqlalchemy.orm import Session

from api.core.models import AuditEvent
from api.core.principal import Principal

remote_addr_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("audit_remote_addr", default=None)

#: Personal values must never land in ``detail``: values under these keys are dropped.
FORBIDDEN_DETAIL_KEYS = frozenset({"name", "display_name", "first_name", "birth_date", "email", "phone", "address"})


def record(
    db: Session,
    *,
    principal: Principal | None,
    action: str,
    object_type: str,
    object_id: int | str | None = None,
    municipality_id: int | None = None,
    detail: dict[str, Any] | None = None,
    remote_addr: str | None = None,
) -> AuditEvent:
    if detail and FORBIDDEN_DETAIL_KEYS & set(detail):
        # A personal value never reaches the append-only trail (it could not be erased later): drop it, say so.
        dropped = sorted(FORBIDDEN_DETAIL_KEYS & set(detail))
        detail = {**{k: v for k, v in detail.items() if k not in FORBIDDEN_DETAIL_KEYS}, "redacted": dropped}
    event = AuditEvent(
        municipality_id=municipality_id
        if municipality_id is not None
        else (principal.municipality_id if principal else None),
        user_id=principal.user_id if principal else None,
        action=action[:32],
        object_type=object_type[:48],
        object_id=str(object_id)[:64] if object_id is not None else None,
        detail=detail,
        remote_addr=(remote_addr or remote_addr_var.get() or None),
    )
    db.add(event)
    db.flush()
    return event
