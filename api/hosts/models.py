"""Residents who offer a spare room (logeren), their household and vetting state."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Index, Integer, String, Text, false, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from api.core import clock
from api.core.database import Base, UTCDateTime

HOST_STATUSES = ("unconfirmed", "pending", "vetted", "active", "paused", "rejected", "withdrawn")
LANDLORD_TYPES = ("corporation", "private", "owner")
HOST_MEMBER_STATUSES = ("none", "student_finance", "bbl", "wtos", "commercial_renter")


class Host(Base):
    __tablename__ = "host"

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id", ondelete="CASCADE"), index=True)
    reference: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(32))
    street: Mapped[str] = mapped_column(String(120))
    house_number: Mapped[str] = mapped_column(String(16))
    postcode: Mapped[str] = mapped_column(String(7))
    city: Mapped[str] = mapped_column(String(80))
    lat: Mapped[float] = mapped_column()
    lon: Mapped[float] = mapped_column()
    # True when the location is a town centre, not the address (api.core.geocoding fallback).
    location_approximate: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    on_benefit: Mapped[bool] = mapped_column(Boolean, default=False)
    # A recorded municipal decision that a stay is temporary (art. 18 lid 1 Pw, maatwerk):
    cost_sharing_exemption: Mapped[bool] = mapped_column(Boolean, default=False)
    exemption_decided_on: Mapped[date | None] = mapped_column(Date)
    exemption_reference: Mapped[str | None] = mapped_column(String(64))
    landlord_type: Mapped[str] = mapped_column(String(16))
    landlord_consent: Mapped[bool] = mapped_column(Boolean, default=False)
    landlord_consent_date: Mapped[date | None] = mapped_column(Date)
    landlord_consent_by: Mapped[str | None] = mapped_column(String(120))
    landlord_consent_document: Mapped[str | None] = mapped_column(String(200))
    has_rent_arrears: Mapped[bool] = mapped_column(Boolean, default=False)
    max_households: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default="unconfirmed")
    rejection_reason: Mapped[str | None] = mapped_column(Text)
    identity_seen: Mapped[bool] = mapped_column(Boolean, default=False)
    vog_seen: Mapped[bool] = mapped_column(Boolean, default=False)
    home_visit_done: Mapped[bool] = mapped_column(Boolean, default=False)
    landlord_consent_received: Mapped[bool] = mapped_column(Boolean, default=False)
    benefit_checked: Mapped[bool] = mapped_column(Boolean, default=False)
    consent_given_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The retention period stated on the form when the host consented (dated policy host_data_retention):
    consent_retention_months: Mapped[int | None] = mapped_column(Integer)
    confirmation_token_hash: Mapped[str | None] = mapped_column(String(128))
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # When the host last said (by the reconfirmation link) that the rooms are still on offer as recorded:
    availability_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)

    members: Mapped[list[HostMember]] = relationship(
        back_populates="host", cascade="all, delete-orphan", order_by="HostMember.id"
    )

    __table_args__ = (
        Index("ix_host_municipality_status", "municipality_id", "status", "confirmed_at"),
        Index("ix_host_municipality_name", "municipality_id", "name"),  # header search
        Index("ix_host_municipality_postcode", "municipality_id", "postcode"),
        CheckConstraint(f"status IN {HOST_STATUSES}", name="status"),
        CheckConstraint(f"landlord_type IN {LANDLORD_TYPES}", name="landlord_type"),
        CheckConstraint("lat BETWEEN 50.7 AND 53.6 AND lon BETWEEN 3.3 AND 7.3", name="in_nl"),
        CheckConstraint("max_households IS NULL OR max_households >= 1", name="max_households"),
        CheckConstraint("NOT cost_sharing_exemption OR exemption_decided_on IS NOT NULL", name="exemption_is_decided"),
        CheckConstraint("NOT landlord_consent OR landlord_consent_date IS NOT NULL", name="consent_dated"),
        # One live sign-up per e-mail address and municipality (a second one is answered like the first):
        Index(
            "uq_host_live_email",
            "municipality_id",
            func.lower(email),
            unique=True,
            sqlite_where=status.not_in(("withdrawn", "rejected")),
            postgresql_where=status.not_in(("withdrawn", "rejected")),
        ),
    )


class HostMember(Base):
    """Who lives with the host: needed to compute the cost-sharing norm (art. 22a Pw)."""

    __tablename__ = "host_member"

    id: Mapped[int] = mapped_column(primary_key=True)
    host_id: Mapped[int] = mapped_column(ForeignKey("host.id", ondelete="CASCADE"), index=True)
    first_name: Mapped[str] = mapped_column(String(80))
    birth_date: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(24), default="none")
    on_benefit: Mapped[bool] = mapped_column(Boolean, default=False)

    host: Mapped[Host] = relationship(back_populates="members")

    __table_args__ = (CheckConstraint(f"status IN {HOST_MEMBER_STATUSES}", name="status"),)


class HostInvite(Base):
    """A one-time link for a newly activated host to set a password; only the SHA-256 of the token is kept."""

    __tablename__ = "host_invite"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)
