"""Placements (proposed → confirmed → started → ended / cancelled) and refusals.

Double booking is prevented in the database, not only in Python: a household
can hold at most one live placement (partial unique index), and confirming
locks the place row so overlapping stays cannot be confirmed concurrently.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from api.core import clock
from api.core.database import Base, UTCDateTime
from api.households.models import Household
from api.places.models import Place

PLACEMENT_STATUSES = ("confirmed", "started", "ended", "cancelled")
LIVE_STATUSES = ("confirmed", "started")
# The Wachtkamer pilot's five values (kept valid), then where a household went as issue 19 lists it
# (own rental, social housing, family, other shelter, street; "unknown" is in both lists).
PILOT_OUTCOMES = ("back_home_addendum", "other_home", "own_network", "shelter", "unknown")
OUTCOMES = (*PILOT_OUTCOMES, "own_rental", "social_housing", "family", "other_shelter", "street")


class Placement(Base):
    __tablename__ = "placement"

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id", ondelete="CASCADE"), index=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id", ondelete="CASCADE"), index=True)
    place_id: Mapped[int] = mapped_column(ForeignKey("place.id", ondelete="RESTRICT"), index=True)
    proposal_id: Mapped[int | None] = mapped_column(ForeignKey("proposal.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(16), default="confirmed")
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)  # planned latest end (max stay)
    arrived_on: Mapped[date | None] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)
    outcome: Mapped[str | None] = mapped_column(String(24))
    end_note: Mapped[str | None] = mapped_column(Text)
    manual_reason: Mapped[str | None] = mapped_column(Text)  # set when placed outside the proposals
    confirmed_by: Mapped[int | None] = mapped_column(Integer)
    confirmed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)

    household: Mapped[Household] = relationship()
    place: Mapped[Place] = relationship()

    __table_args__ = (
        Index("ix_placement_municipality_start", "municipality_id", "start_date"),
        Index("ix_placement_municipality_status", "municipality_id", "status", "start_date"),
        CheckConstraint(f"status IN {PLACEMENT_STATUSES}", name="status"),
        CheckConstraint(f"outcome IS NULL OR outcome IN {OUTCOMES}", name="outcome"),
        CheckConstraint("end_date > start_date", name="positive"),
        CheckConstraint("status != 'ended' OR (ended_on IS NOT NULL AND outcome IS NOT NULL)", name="ended"),
        Index(
            "uq_placement_live_household",
            "household_id",
            unique=True,
            sqlite_where=text("status IN ('confirmed', 'started')"),
            postgresql_where=text("status IN ('confirmed', 'started')"),
        ),
    )


class Refusal(Base):
    """A rejected pair: the next runs exclude it (the matcher's E8)."""

    __tablename__ = "refusal"

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id", ondelete="CASCADE"), index=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id", ondelete="CASCADE"), index=True)
    place_id: Mapped[int] = mapped_column(ForeignKey("place.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    refused_by: Mapped[int | None] = mapped_column(Integer)
    refused_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)

    __table_args__ = (
        UniqueConstraint("household_id", "place_id"),
        CheckConstraint("length(trim(reason)) > 0", name="reason_given"),
    )


def placement_ref(placement_id: int) -> str:
    """The code a placement goes by in agreements, deadlines and the calendar (``PL-<id>``)."""
    return f"PL-{placement_id}"
