"""What happens during and after a stay: introduction, signed agreement, check-ins, contact log,
breakdown, extensions, follow-ups and the reminders already sent.

Why schedules are not stored: the due dates of check-ins (from the arrival) and follow-ups (from
the end) follow from the placement's dates and the dated policy ``stay_care``; only what actually
happened is a row. So a changed policy or an extension moves the schedule without a migration of
rows, and a stay ended through the older placement route gets its follow-ups all the same.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from api.core import clock
from api.core.database import Base, UTCDateTime

INTRODUCTION_KINDS = ("call", "visit", "trial_stay")
INTRODUCTION_OUTCOMES = ("good", "doubts", "stop")
SPOKE_WITH = ("household", "host", "both")
CHECK_IN_RATINGS = ("good", "fair", "worried", "bad")  # a short scale: how the stay goes
CONTACT_CHANNELS = ("phone", "visit", "letter", "email")
BREAKDOWN_REASONS = ("host_request", "conflict", "safety", "household_left")
ROOM_ACTIONS = ("freed", "paused")
REMINDER_KINDS = ("check_in", "follow_up", "stay_signal")
# Where a household went after a stay (issue 19's list). The placement keeps its own outcome (the
# pilot's five values, an API contract); api.stays.outcomes maps between the two lists.
DESTINATIONS = ("own_rental", "social_housing", "family", "other_shelter", "street", "unknown")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN {values}"


class StayIntroduction(Base):
    """A call, visit or trial stay before the start, with how it went."""

    __tablename__ = "stay_introduction"

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id", ondelete="CASCADE"), index=True)
    placement_id: Mapped[int] = mapped_column(ForeignKey("placement.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    held_on: Mapped[date] = mapped_column(Date)
    outcome: Mapped[str] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[int | None] = mapped_column(Integer)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)

    __table_args__ = (
        CheckConstraint(_in("kind", INTRODUCTION_KINDS), name="kind"),
        CheckConstraint(_in("outcome", INTRODUCTION_OUTCOMES), name="outcome"),
    )


class StayAgreement(Base):
    """The day the stay's agreement (api.documents) was signed: arrival needs it."""

    __tablename__ = "stay_agreement"

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id", ondelete="CASCADE"), index=True)
    placement_id: Mapped[int] = mapped_column(ForeignKey("placement.id", ondelete="CASCADE"), unique=True)
    signed_on: Mapped[date] = mapped_column(Date)
    recorded_by: Mapped[int | None] = mapped_column(Integer)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)


class CheckIn(Base):
    """One conversation during the stay. ``due_on`` is the scheduled day it answers (None: extra)."""

    __tablename__ = "check_in"

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id", ondelete="CASCADE"), index=True)
    placement_id: Mapped[int] = mapped_column(ForeignKey("placement.id", ondelete="CASCADE"), index=True)
    due_on: Mapped[date | None] = mapped_column(Date)
    held_on: Mapped[date] = mapped_column(Date)
    spoke_with: Mapped[str] = mapped_column(String(16))
    rating: Mapped[str] = mapped_column(String(16))
    concerns: Mapped[str | None] = mapped_column(Text)  # a case note: never shown to the host
    recorded_by: Mapped[int | None] = mapped_column(Integer)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)

    __table_args__ = (
        CheckConstraint(_in("spoke_with", SPOKE_WITH), name="spoke_with"),
        CheckConstraint(_in("rating", CHECK_IN_RATINGS), name="rating"),
        UniqueConstraint("placement_id", "due_on"),
    )


class ContactLogEntry(Base):
    """A contact with the household (phone, visit, letter, e-mail): a case note for the team only."""

    __tablename__ = "contact_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id", ondelete="CASCADE"), index=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id", ondelete="CASCADE"), index=True)
    channel: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(Integer)
    contacted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)

    __table_args__ = (
        CheckConstraint(_in("channel", CONTACT_CHANNELS), name="channel"),
        CheckConstraint("length(trim(note)) > 0", name="note_given"),
    )


class StayEnd(Base):
    """Where the household went when the stay ended (one of :data:`DESTINATIONS`)."""

    __tablename__ = "stay_end"

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id", ondelete="CASCADE"), index=True)
    placement_id: Mapped[int] = mapped_column(ForeignKey("placement.id", ondelete="CASCADE"), unique=True)
    destination: Mapped[str] = mapped_column(String(24))
    recorded_by: Mapped[int | None] = mapped_column(Integer)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)

    __table_args__ = (CheckConstraint(_in("destination", DESTINATIONS), name="destination"),)


class StayBreakdown(Base):
    """Why a stay ended early and what became of the room; the placement ends (outcome unknown) and the
    household waits again."""

    __tablename__ = "stay_breakdown"

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id", ondelete="CASCADE"), index=True)
    placement_id: Mapped[int] = mapped_column(ForeignKey("placement.id", ondelete="CASCADE"), unique=True)
    reason: Mapped[str] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(Text)
    room: Mapped[str] = mapped_column(String(8))
    paused_until: Mapped[date | None] = mapped_column(Date)
    decided_by: Mapped[int | None] = mapped_column(Integer)
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)

    __table_args__ = (
        CheckConstraint(_in("reason", BREAKDOWN_REASONS), name="reason"),
        CheckConstraint(_in("room", ROOM_ACTIONS), name="room"),
        CheckConstraint("(room = 'paused') = (paused_until IS NOT NULL)", name="paused_has_until"),
    )


class StayExtension(Base):
    """A recorded decision to let a stay run past its planned end: who, why, until when."""

    __tablename__ = "stay_extension"

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id", ondelete="CASCADE"), index=True)
    placement_id: Mapped[int] = mapped_column(ForeignKey("placement.id", ondelete="CASCADE"), index=True)
    previous_end: Mapped[date] = mapped_column(Date)
    new_end: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    decided_by: Mapped[int | None] = mapped_column(Integer)
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)

    __table_args__ = (
        CheckConstraint("new_end > previous_end", name="later"),
        CheckConstraint("length(trim(reason)) > 0", name="reason_given"),
    )


class FollowUp(Base):
    """The answer to a follow-up (3, 6, 12 months after the end): where the household is now."""

    __tablename__ = "follow_up"

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id", ondelete="CASCADE"), index=True)
    placement_id: Mapped[int] = mapped_column(ForeignKey("placement.id", ondelete="CASCADE"), index=True)
    months: Mapped[int] = mapped_column(Integer)
    due_on: Mapped[date] = mapped_column(Date)
    done_on: Mapped[date] = mapped_column(Date)
    outcome: Mapped[str] = mapped_column(String(24))  # one of DESTINATIONS
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[int | None] = mapped_column(Integer)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)

    __table_args__ = (
        UniqueConstraint("placement_id", "months"),
        CheckConstraint("months > 0", name="months"),
        CheckConstraint(_in("outcome", DESTINATIONS), name="outcome"),
    )


class StayReminder(Base):
    """A reminder already sent: the reminders job is safe to run every few minutes."""

    __tablename__ = "stay_reminder"

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    placement_id: Mapped[int] = mapped_column(ForeignKey("placement.id", ondelete="CASCADE"), index=True)
    due_on: Mapped[date] = mapped_column(Date)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)

    __table_args__ = (
        CheckConstraint(_in("kind", REMINDER_KINDS), name="kind"),
        UniqueConstraint("kind", "placement_id", "due_on"),
    )
