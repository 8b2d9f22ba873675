"""Tenant, policy parameters and the audit trail: the tables every domain leans on."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from api.core import clock
from api.core.database import Base, UTCDateTime


class Municipality(Base):
    """The tenant: every personal row belongs to exactly one municipality."""

    __tablename__ = "municipality"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)  # CBS code, e.g. GM0935
    name: Mapped[str] = mapped_column(String(120))
    region: Mapped[str | None] = mapped_column(String(120))
    lat: Mapped[float] = mapped_column()
    lon: Mapped[float] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)
    # Contact details printed on every letter and agreement (who to call, where to go).
    contact_name: Mapped[str | None] = mapped_column(String(120))  # e.g. "Team Wonen, Gemeente Maastricht"
    contact_address: Mapped[str | None] = mapped_column(String(200))
    contact_phone: Mapped[str | None] = mapped_column(String(32))
    contact_email: Mapped[str | None] = mapped_column(String(120))
    # The pages' look (issue 20.7): a primary colour "#rrggbb" over the NL Design System tokens and a logo
    # under /static/; both optional, so a new municipality works with Onderdak's default look.
    theme_colour: Mapped[str | None] = mapped_column(String(7))
    logo_path: Mapped[str | None] = mapped_column(String(200))

    __table_args__ = (
        CheckConstraint("lat BETWEEN 50.5 AND 53.7", name="lat_in_nl"),
        CheckConstraint("lon BETWEEN 3.2 AND 7.3", name="lon_in_nl"),
    )


class PolicyParameter(Base):
    """A municipality's override of a national policy parameter, valid from a date."""

    __tablename__ = "policy_parameter"

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(64))
    valid_from: Mapped[date] = mapped_column(Date)
    value_json: Mapped[dict] = mapped_column(JSON)
    source: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)

    __table_args__ = (UniqueConstraint("municipality_id", "key", "valid_from"),)


class AuditEvent(Base):
    """Append-only trail of reads of personal data and of every change."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int | None] = mapped_column(ForeignKey("municipality.id", ondelete="SET NULL"))
    user_id: Mapped[int | None] = mapped_column(Integer)  # kept as a plain id: the trail outlives accounts
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now, index=True)
    action: Mapped[str] = mapped_column(String(32))  # read / create / update / delete / login / export …
    object_type: Mapped[str] = mapped_column(String(48))
    object_id: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[dict | None] = mapped_column(JSON)
    remote_addr: Mapped[str | None] = mapped_column(String(64))

    # the admin's audit page: one municipality's trail, newest first (migration 0013)
    __table_args__ = (Index("ix_audit_event_municipality_at", "municipality_id", "at"),)


class OutboxMessage(Base):
    """Mail waits here until a sender (SMTP in production, none in tests/demo) picks it up."""

    __tablename__ = "outbox_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int | None] = mapped_column(ForeignKey("municipality.id", ondelete="CASCADE"))
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
