"""Flags the scheduled jobs raise once (a stay nearing day 42 or 56), so a second run raises nothing new."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from api.core import clock
from api.core.database import Base, UTCDateTime


class BoardFlag(Base):
    __tablename__ = "board_flag"

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))  # e.g. "stay_day"
    object_id: Mapped[int] = mapped_column()
    mark: Mapped[str] = mapped_column(String(16))  # e.g. "42"
    flagged_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)

    __table_args__ = (UniqueConstraint("kind", "object_id", "mark"),)
