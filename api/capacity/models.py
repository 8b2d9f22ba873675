"""A capacity job as a row (a plan or a comparison): any worker process answers a poll, and a restart keeps
finished results."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from api.core.database import Base, UTCDateTime


class CapacityPlan(Base):
    """One capacity job: who asked, what, and how far the worker that runs it has come.

    ``kind`` is ``plan`` (plan-capacity: rooms → share sheltered; ``target`` set) or ``compare`` (every
    policy and hindsight on the same streams; ``load`` and ``hindsight_seconds`` set). Both kinds share the
    runner, the table and the limit of open jobs per municipality.

    ``heartbeat_at`` is touched by the process that runs (or queues) the job each time it writes progress;
    a queued or running row whose heartbeat is old belongs to a process that stopped (see
    :func:`api.capacity.runner.effective`).
    """

    __tablename__ = "capacity_plan"
    __table_args__ = (
        CheckConstraint("status IN ('queued', 'running', 'done', 'failed')", name="status"),
        CheckConstraint("kind IN ('plan', 'compare')", name="kind"),
        Index("ix_capacity_plan_municipality_created", "municipality_id", "created_at"),
    )

    id: Mapped[str] = mapped_column(String(16), primary_key=True)  # secrets.token_hex(8): unguessable
    # Indexed with created_at (the composite below): every read is one municipality's, newest first.
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id", ondelete="CASCADE"))
    created_by: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    kind: Mapped[str] = mapped_column(String(16), default="plan", server_default="plan")  # plan | compare
    source: Mapped[str] = mapped_column(String(16))  # small | medium | large | history
    target: Mapped[float | None] = mapped_column(Float)  # a plan's share to reach
    load: Mapped[float | None] = mapped_column(Float)  # a comparison's demand factor (None: the profile's)
    hindsight_seconds: Mapped[float | None] = mapped_column(Float)  # a comparison's time for hindsight per seed
    seeds: Mapped[int] = mapped_column(Integer)
    days: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16))  # queued | running | done | failed
    done: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int] = mapped_column(Integer)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    heartbeat_at: Mapped[datetime] = mapped_column(UTCDateTime())
