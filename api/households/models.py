"""Evicted households, their members, case workers and eviction notices.

Only what the matching, the letters and the storage need is stored: a display
name for letters, members' first names and birth dates (an age is always
computed at a date, never stored), and a rounded origin for the map.
"""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    Time,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from api.core import clock
from api.core.database import Base, UTCDateTime

HOUSEHOLD_STATUSES = ("waiting", "placed", "closed")
MEMBER_STATUSES = ("none", "student_finance", "bbl", "wtos", "commercial_renter")


class CaseWorker(Base):
    __tablename__ = "case_worker"

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(32))


class Household(Base):
    __tablename__ = "household"

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id", ondelete="CASCADE"), index=True)
    reference: Mapped[str] = mapped_column(String(32))  # e.g. HH-2026-0042: what logs, maps and feeds show
    display_name: Mapped[str] = mapped_column(String(120))  # for letters only
    case_worker_id: Mapped[int | None] = mapped_column(ForeignKey("case_worker.id", ondelete="SET NULL"))
    origin_postcode: Mapped[str | None] = mapped_column(String(7))
    origin_house_number: Mapped[str | None] = mapped_column(String(16))
    # True when the geocoder fell back to a town or municipality centre ("locatie bij benadering").
    origin_approximate: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    origin_lat: Mapped[float] = mapped_column()
    origin_lon: Mapped[float] = mapped_column()
    pets: Mapped[bool] = mapped_column(Boolean, default=False)
    needs_accessible: Mapped[bool] = mapped_column(Boolean, default=False)
    medical_need: Mapped[bool] = mapped_column(Boolean, default=False)
    accepts_host: Mapped[bool] = mapped_column(Boolean, default=True)
    priority_override: Mapped[int | None] = mapped_column(Integer)
    priority_override_reason: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="waiting")
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    close_reason: Mapped[str | None] = mapped_column(Text)  # why the case was closed (case file)
    anonymised_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now, onupdate=clock.now)

    members: Mapped[list[HouseholdMember]] = relationship(
        back_populates="household", cascade="all, delete-orphan", order_by="HouseholdMember.id"
    )
    evictions: Mapped[list[Eviction]] = relationship(
        back_populates="household", cascade="all, delete-orphan", order_by="Eviction.id"
    )

    __table_args__ = (
        Index("ix_household_municipality_status", "municipality_id", "status", "reference"),
        Index("ix_household_municipality_name", "municipality_id", "display_name"),  # header search
        Index("ix_household_municipality_postcode", "municipality_id", "origin_postcode"),
        UniqueConstraint("municipality_id", "reference"),
        CheckConstraint(f"status IN {HOUSEHOLD_STATUSES}", name="status"),
        CheckConstraint("origin_lat BETWEEN -90 AND 90 AND origin_lon BETWEEN -180 AND 180", name="origin"),
        CheckConstraint(
            "priority_override IS NULL OR priority_override_reason IS NOT NULL", name="override_has_reason"
        ),
    )


class HouseholdMember(Base):
    __tablename__ = "household_member"

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id", ondelete="CASCADE"), index=True)
    first_name: Mapped[str] = mapped_column(String(80))
    birth_date: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(24), default="none")  # for the cost-sharing norm

    household: Mapped[Household] = relationship(back_populates="members")

    __table_args__ = (CheckConstraint(f"status IN {MEMBER_STATUSES}", name="status"),)


class Eviction(Base):
    """The bailiff's notice (art. 14 Gerechtsdeurwaarderswet) and the eviction day."""

    __tablename__ = "eviction"

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id", ondelete="CASCADE"), index=True)
    announced_date: Mapped[date] = mapped_column(Date)  # when the notice reached the municipality
    eviction_date: Mapped[date] = mapped_column(Date)  # the matcher's release_date
    eviction_time: Mapped[time | None] = mapped_column(Time)
    bailiff_reference: Mapped[str] = mapped_column(String(64))
    household_goods: Mapped[str | None] = mapped_column(Text)  # nature and size of the goods
    notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)

    household: Mapped[Household] = relationship(back_populates="evictions")

    __table_args__ = (
        Index("ix_eviction_household_date", "household_id", "eviction_date"),
        CheckConstraint("eviction_date >= announced_date", name="after_announcement"),
    )
