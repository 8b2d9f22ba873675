"""Scheduled: flag stays nearing day 42 (the minimum stay) and day 56 (the maximum) once, for the day board."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.board.models import BoardFlag
from api.core import audit, clock
from api.core.jobs import job
from api.placements.models import LIVE_STATUSES, Placement

STAY_MARKS = (42, 56)
NEARING_DAYS = 3  # a stay is flagged from 3 days before the mark


def stay_day(start: object, today: object) -> int:
    """Day 1 is the day of arrival (or the planned start)."""
    return (today - start).days + 1  # type: ignore[operator]


@job("stays.flag_days", "flag live stays from 3 days before their day 42 and day 56 (once per stay and mark)")
def flag_stay_days(db: Session) -> int:
    today = clock.today()
    flagged = 0
    for mark in STAY_MARKS:
        latest_start = today - timedelta(days=mark - 1 - NEARING_DAYS)
        already = select(BoardFlag.object_id).where(BoardFlag.kind == "stay_day", BoardFlag.mark == str(mark))
        rows = db.scalars(
            select(Placement)
            .where(Placement.status.in_(LIVE_STATUSES), Placement.id.not_in(already))
            .order_by(Placement.id)
        ).all()
        for placement in rows:
            if (placement.arrived_on or placement.start_date) > latest_start:
                continue
            db.add(
                BoardFlag(
                    municipality_id=placement.municipality_id, kind="stay_day", object_id=placement.id, mark=str(mark)
                )
            )
            audit.record(
                db,
                principal=None,
                action="flag",
                object_type="placement",
                object_id=placement.id,
                municipality_id=placement.municipality_id,
                detail={"stay_day_mark": mark},
            )
            flagged += 1
    db.flush()
    return flagged
