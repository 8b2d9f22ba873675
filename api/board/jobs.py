"""Scheduled: flag stays nearing their minimum (day 42) and maximum (day 56) once, for the day board.

The marks and their dates are :mod:`api.stays.marks`' (the stay clock with the dated policy), the same the
day board and the reminders use.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.board.models import BoardFlag
from api.core import audit, clock
from api.core.jobs import job
from api.core.policy import policy_book
from api.placements.models import LIVE_STATUSES, Placement
from api.stays.marks import NEARING_DAYS, reached_or_near
from matcher.rules.policy import PolicyBook


@job(
    "stays.flag_days",
    f"flag live stays from {NEARING_DAYS} days before their minimum and maximum stay day (once per stay and mark)",
)
def flag_stay_days(db: Session) -> int:
    today = clock.today()
    flagged = 0
    books: dict[int, PolicyBook] = {}
    live = select(Placement.id).where(Placement.status.in_(LIVE_STATUSES))
    done = set(
        db.execute(
            select(BoardFlag.object_id, BoardFlag.mark).where(
                BoardFlag.kind == "stay_day", BoardFlag.object_id.in_(live)
            )
        ).tuples()
    )
    rows = db.scalars(select(Placement).where(Placement.status.in_(LIVE_STATUSES)).order_by(Placement.id)).all()
    for placement in rows:
        if placement.municipality_id not in books:
            books[placement.municipality_id] = policy_book(db, municipality_id=placement.municipality_id)
        for deadline in reached_or_near(placement, books[placement.municipality_id], today):
            mark = str(deadline.day_number)
            if (placement.id, mark) in done:
                continue
            done.add((placement.id, mark))
            db.add(
                BoardFlag(municipality_id=placement.municipality_id, kind="stay_day", object_id=placement.id, mark=mark)
            )
            audit.record(
                db,
                principal=None,
                action="flag",
                object_type="placement",
                object_id=placement.id,
                municipality_id=placement.municipality_id,
                detail={"stay_day_mark": deadline.day_number, "signal": str(deadline.kind)},
            )
            flagged += 1
    db.flush()
    return flagged
