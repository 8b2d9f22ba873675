"""Dated vetting items of a host (identity, home visit, VOG, references, landlord consent), each with an expiry.

The checklist booleans on ``host`` say an item was done once; these rows say when, and until when it holds.
A host whose required item has expired is left out of the daily matching (the reason shows on the
matching page and the day board) and is asked in time to renew it.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from api.core import clock
from api.core.database import Base, UTCDateTime

VETTING_KINDS = ("identity", "home_visit", "vog", "references", "landlord_consent")


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
