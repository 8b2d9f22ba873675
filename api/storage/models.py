"""Belongings stored after an eviction (art. 556 lid 3 Rv, art. 5:29–5:30 Awb).

The storage issue fills in items, costs, returns and letters; the foundation
holds the lot and the depot so the map and the household page can show them.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from api.core.timeutil import utcnow
from api.database import Base

LOT_STATUSES = ("stored", "partly_returned", "returned", "disposed", "closed")


class StorageDepot(Base):
    __tablename__ = "storage_depot"

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    address: Mapped[str] = mapped_column(String(200))
    lat: Mapped[float] = mapped_column()
    lon: Mapped[float] = mapped_column()


class StorageLot(Base):
    __tablename__ = "storage_lot"

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id", ondelete="CASCADE"), index=True)
    reference: Mapped[str] = mapped_column(String(32), unique=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id", ondelete="CASCADE"), index=True)
    eviction_id: Mapped[int | None] = mapped_column(ForeignKey("eviction.id", ondelete="SET NULL"), unique=True)
    depot_id: Mapped[int] = mapped_column(ForeignKey("storage_depot.id", ondelete="RESTRICT"), index=True)
    stored_on: Mapped[date] = mapped_column(Date)
    deadline: Mapped[date] = mapped_column(Date)  # stored_on + storage period (a dated parameter)
    bailiff_reference: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(20), default="stored")
    notes: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[int | None] = mapped_column(Integer)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    __table_args__ = (
        CheckConstraint(f"status IN {LOT_STATUSES}", name="status"),
        CheckConstraint("deadline > stored_on", name="deadline_after_storage"),
    )
