"""The stay-day marks (plan the next step, minimum stay, maximum stay: day 35, 42 and 56 by today's policy),
in one place for the day board, the ``stays.flag_days`` job and the stays' reminders.

Why one place: the three used to count on their own (the board from day 1 on the arrival day with a fixed
35/42/56, the job with a fixed 42/56, the reminders by :mod:`matcher.rules.stay_clock`), so the same stay
could be "day 42" on one screen and a day earlier or later on the other. Now all ask the stay clock:
the days come from the dated policy (``stay_signals.plan_next_step_day``, ``stay_limits.minimum_days`` /
``maximum_days``, read at the stay's start), the mark for day N falls on ``start + N`` days, and a stay
starts on the arrival day (the planned start while the household has not arrived).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.orm import Session

from api.core.policy import policy_book, rules_errors
from api.placements.models import Placement
from matcher.rules.policy import PolicyBook
from matcher.rules.stay_clock import Deadline, SignalKind, StayPlacement, upcoming_deadlines

#: A mark shows on the day board, and is flagged, from this many days before it falls.
NEARING_DAYS = 3
#: The marks the ``stays.flag_days`` job records once per stay (the plan-the-next-step mark is a reminder only).
FLAGGED = (SignalKind.MINIMUM_STAY_REACHED, SignalKind.MAXIMUM_STAY)


def stay_start(placement: Placement) -> date:
    """The day the stay clock counts from: arrival, or the planned start before it."""
    return placement.arrived_on or placement.start_date


def stay_of(placement: Placement, household_ref: str) -> StayPlacement:
    return StayPlacement(ref=str(placement.id), household_ref=household_ref, start_date=stay_start(placement))


@dataclass(frozen=True)
class StayMark:
    """One mark of one stay: which signal, its day number, the date it falls on, passed maximum or not."""

    placement: Placement
    deadline: Deadline

    @property
    def kind(self) -> str:
        return str(self.deadline.kind)

    @property
    def day_number(self) -> int:
        return self.deadline.day_number

    @property
    def on(self) -> date:
        return self.deadline.date

    @property
    def overdue(self) -> bool:
        return self.deadline.overdue


def marks(
    placements: Sequence[Placement],
    refs: dict[int, str],
    book: PolicyBook,
    today: date,
    *,
    lead_days: int = NEARING_DAYS,
) -> list[StayMark]:
    """Marks of stays that have begun, falling in ``[today, today + lead_days]``, and passed maxima; by date."""
    begun = {str(p.id): p for p in placements if stay_start(p) <= today}
    if not begun:
        return []
    with rules_errors(("policy",)):
        deadlines = upcoming_deadlines(
            [stay_of(p, refs.get(p.id, str(p.id))) for p in begun.values()], today, book, horizon_days=lead_days
        )
    return [StayMark(begun[d.placement_ref], d) for d in deadlines]


def marks_for(
    db: Session, municipality_id: int, placements: Sequence[Placement], refs: dict[int, str], today: date
) -> list[StayMark]:
    """:func:`marks` with the municipality's policy book."""
    return marks(placements, refs, policy_book(db, municipality_id=municipality_id), today)


def reached_or_near(placement: Placement, book: PolicyBook, today: date) -> list[Deadline]:
    """The flagged marks (minimum, maximum) of one stay that fall on or before ``today + NEARING_DAYS``:
    what the ``stays.flag_days`` job records, once each."""
    if stay_start(placement) > today:
        return []
    stay = stay_of(placement, str(placement.id))
    with rules_errors(("policy",)):
        every = upcoming_deadlines([stay], stay.start_date, book)
    return [d for d in every if d.kind in FLAGGED and d.date - timedelta(days=NEARING_DAYS) <= today]
