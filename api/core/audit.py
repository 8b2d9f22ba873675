"""The audit trail: who read or changed what, when and from where. Append-only.

Call :func:`record` from services for every change and every read of a household's
personal data. Details hold ids and field names, never the personal values themselves.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from api.auth.principal import Principal
from api.core.models import AuditEvent


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
    event = AuditEvent(
        municipality_id=municipality_id
        if municipality_id is not None
        else (principal.municipality_id if principal else None),
        user_id=principal.user_id if principal else None,
        action=action,
        object_type=object_type,
        object_id=str(object_id) if object_id is not None else None,
        detail=detail,
        remote_addr=remote_addr,
    )
    db.add(event)
    db.flush()
    return event
