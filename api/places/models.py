"""Shelter places: a waiting-room dwelling (De Wachtkamer) or a host's spare room."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Index, Integer, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from api.core import clock
from api.core.database import Base, UTCDateTime

if TYPE_CHECKING:  # a place may belong to a host; the hosts domain sits above places
    from api.hosts.models import Host

PLACE_KINDS = ("wachtkamer", "host_room")
PLACE_STATUSES = ("pending", "active", "paused", "inactive")


class Place(Base):
    __tablename__ = "place"

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id", ondelete="CASCADE"), index=True)
    reference: Mapped[str] = mapped_column(String(32), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    host_id: Mapped[int | None] = mapped_column(ForeignKey("host.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(120))
    address: Mapped[str | None] = mapped_column(String(200))  # waiting-room dwellings; hosts keep theirs
    postcode: Mapped[str | None] = mapped_column(String(7))  # waiting-room dwellings (geocoded with the number)
    house_number: Mapped[str | None] = mapped_column(String(16))
    location_approximate: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    lat: Mapped[float] = mapped_column()
    lon: Mapped[float] = mapped_column()
    capacity: Mapped[int] = mapped_column(Integer)
    accessible: Mapped[bool] = mapped_column(Boolean, default=False)
    allows_pets: Mapped[bool] = mapped_column(Boolean, default=False)
    allows_children: Mapped[bool] = mapped_column(Boolean, default=True)
    available_from: Mapped[date] = mapped_column(Date)
    available_until: Mapped[date | None] = mapped_column(Date)  # NULL: open-ended
    status: Mapped[str] = mapped_column(String(16), default="active")
    retired_on: Mapped[date | None] = mapped_column(Date)  # status 'inactive' by retirement, with its reason
    retire_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)

    host: Mapped[Host | None] = relationship()
    unavailable: Mapped[list[PlaceUnavailability]] = relationship(
        back_populates="place", cascade="all, delete-orphan", order_by="PlaceUnavailability.start_date"
    )

    __table_args__ = (
        Index("ix_place_municipality_status", "municipality_id", "status", "reference"),
        Index("ix_place_municipality_available", "municipality_id", "available_from"),
        Index("ix_place_municipality_postcode", "municipality_id", "postcode"),  # header search
        CheckConstraint(f"kind IN {PLACE_KINDS}", name="kind"),
        CheckConstraint(f"status IN {PLACE_STATUSES}", name="status"),
        CheckConstraint("(kind = 'host_room') = (host_id IS NOT NULL)", name="host_iff_room"),
        CheckConstraint("capacity BETWEEN 1 AND 12", name="capacity"),
        CheckConstraint("available_until IS NULL OR available_until > available_from", name="window"),
        CheckConstraint("lat BETWEEN 50.7 AND 53.6 AND lon BETWEEN 3.3 AND 7.3", name="in_nl"),
    )


class PlaceUnavailability(Base):
    """A period the host or the municipality blocks the place (holiday, repairs), half-open."""

    __tablename__ = "place_unavailability"

    id: Mapped[int] = mapped_column(primary_key=True)
    place_id: Mapped[int] = mapped_column(ForeignKey("place.id", ondelete="CASCADE"), index=True)
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    reason: Mapped[str | None] = mapped_column(Text)

    place: Mapped[Place] = relationship(back_populates="unavailable")

    __table_args__ = (CheckConstraint("end_date > start_date", name="positive"),)
