"""A stored matching run (instance, solution, who, when) and its proposals."""

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
from sqlalchemy.orm import Mapped, mapped_column, relationship

from api.core import clock
from api.core.database import Base, UTCDateTime

PROPOSAL_STATUSES = ("open", "confirmed", "rejected", "stale")


class MatchingRun(Base):
    __tablename__ = "matching_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id", ondelete="CASCADE"), index=True)
    planning_date: Mapped[date] = mapped_column(Date)
    input_hash: Mapped[str] = mapped_column(String(64), index=True)
    # The input hash expected now if only this run's own decisions changed the data; a fresh
    # instance with another hash means the open proposals are stale.
    expected_hash: Mapped[str | None] = mapped_column(String(64))
    matcher_version: Mapped[str] = mapped_column(String(32))
    instance_json: Mapped[dict] = mapped_column(JSON)
    solution_json: Mapped[dict] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(24))
    run_by: Mapped[int | None] = mapped_column(Integer)
    run_by_label: Mapped[str] = mapped_column(String(64))  # "cli", or the user's e-mail
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)
    finished_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)

    proposals: Mapped[list[Proposal]] = relationship(
        back_populates="run", cascade="all, delete-orphan", order_by="Proposal.id"
    )

    reused = False  # not a column: set by run_daily_matching when unchanged data gave the same run
    # Not a column: the input hash of the records as run_daily_matching computed it; the route that answers the
    # run passes it on (views.run_read) instead of building the instance a second time to tell staleness.
    current_hash = ""  # empty: not computed


class Proposal(Base):
    __tablename__ = "proposal"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("matching_run.id", ondelete="CASCADE"), index=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id", ondelete="CASCADE"), index=True)
    place_id: Mapped[int] = mapped_column(ForeignKey("place.id", ondelete="CASCADE"), index=True)
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="open")
    reasons: Mapped[list | None] = mapped_column(JSON)  # [{code, nl, en, value}]
    decided_by: Mapped[int | None] = mapped_column(Integer)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    rejection_reason: Mapped[str | None] = mapped_column(Text)
    # Set when the proposal was put to the host or the Wachtkamer manager as an offer (api/offers): while it
    # stays open the household and the place are held, and a later run of the same day leaves it alone.
    offered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    run: Mapped[MatchingRun] = relationship(back_populates="proposals")

    __table_args__ = (
        Index("ix_proposal_run_status", "run_id", "status"),
        UniqueConstraint("run_id", "household_id"),
        UniqueConstraint("run_id", "place_id"),
        CheckConstraint(f"status IN {PROPOSAL_STATUSES}", name="status"),
        CheckConstraint("status != 'rejected' OR rejection_reason IS NOT NULL", name="rejection_has_reason"),
    )
