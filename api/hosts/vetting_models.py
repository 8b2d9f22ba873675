"""Dated vetting items of a host (identity, home visit, VOG, references, landlord consent), each with an expiry.

The checklist booleans on ``host`` say an item was done once; these rows say when, and until when it holds.
A host whose required item has expired is left out of the daily matching (the reason shows on the
matching page and the day board) and is asked in time to renew it.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from api.core import clock
from api.core.database import Base, UTCDateTime

VETTING_KINDS = ("identity", "home_visit", "vog", "references", "landlord_consent")
RECONFIRM_STATUSES = ("pending", "confirmed", "paused", "expired")


class HostVettingItem(Base):
    __tablename__ = "host_vetting_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    host_id: Mapped[int] = mapped_column(ForeignKey("host.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(24))
    done_on: Mapped[date] = mapped_column(Date)
    expires_on: Mapped[date | None] = mapped_column(Date)  # NULL: does not expire
    recorded_by: Mapped[int | None] = mapped_column(Integer)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)

    __table_args__ = (
        UniqueConstraint("host_id", "kind"),
        CheckConstraint(f"kind IN {VETTING_KINDS}", name="kind"),
        CheckConstraint("expires_on IS NULL OR expires_on > done_on", name="expires_after_done"),
    )


class HostReconfirmation(Base):
    """One request to a host to reconfirm availability: a single-purpose link (only its SHA-256 kept), valid
    until ``expires_at`` and revoked once answered or expired, like an offer's link."""

    __tablename__ = "host_reconfirmation"

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id", ondelete="CASCADE"), index=True)
    host_id: Mapped[int] = mapped_column(ForeignKey("host.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    paused_until: Mapped[date | None] = mapped_column(Date)

    __table_args__ = (
        CheckConstraint(f"status IN {RECONFIRM_STATUSES}", name="status"),
        CheckConstraint("status = 'pending' OR token_hash IS NULL", name="token_revoked_when_answered"),
        CheckConstraint("status != 'paused' OR paused_until IS NOT NULL", name="paused_has_date"),
        # One open request per host at a time: the job never sends a second link next to a live one.
        Index(
            "uq_host_reconfirmation_pending_host",
            "host_id",
            unique=True,
            sqlite_where=text("status = 'pending'"),
            postgresql_where=text("status = 'pending'"),
        ),
    )
