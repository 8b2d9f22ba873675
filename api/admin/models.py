"""Pending changes of the four-eyes rule: a second administrator approves or refuses them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from api.core import clock
from api.core.database import Base, UTCDateTime

CHANGE_KINDS = ("create_admin", "change_role")
CHANGE_STATUSES = ("pending", "approved", "refused")


class AdminChange(Base):
    """One requested change. ``payload`` never holds a password: the new admin's Argon2 hash waits in
    ``password_hash`` and is wiped as soon as the change is decided."""

    __tablename__ = "admin_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(24))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    password_hash: Mapped[str | None] = mapped_column(String(200))
    requested_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(String(16), default="pending")

    __table_args__ = (
        CheckConstraint(f"kind IN {CHANGE_KINDS}", name="kind"),
        CheckConstraint(f"status IN {CHANGE_STATUSES}", name="status"),
        CheckConstraint("(status = 'pending') = (decided_at IS NULL)", name="decided_when_not_pending"),
    )
