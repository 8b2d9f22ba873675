"""The dated policy ``stay_care`` and the due dates that follow from it.

Why computed and not stored: a check-in is due on day 1 and day 7 after the arrival and then every
14 days until the planned end (Nightstop / Homes for Ukraine practice; each municipality may set its
own numbers), and a follow-up 3, 6 and 12 months after the end. An extension moves the end, a new
policy moves the days: computing them from the placement's dates keeps every list right.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from api.core.errors import InvalidInput
from matcher.rules.errors import PolicyValueError, RulesError
from matcher.rules.policy import PolicyBook

KEY = "stay_care"


@dataclass(frozen=True)
class CarePolicy:
    """The numbers of ``stay_care`` in force on one day."""

    check_in_first_days: tuple[int, ...]
    check_in_every_days: int
    extension_max_count: int
    extension_max_days: int
    rematch_points: int
    rematch_points_max: int
    follow_up_months: tuple[int, ...]
    reminder_days_before: int


def _days(book: PolicyBook, day: date, name: str) -> tuple[int, ...]:
    raw = book.raw(KEY, day, name)
    if not isinstance(raw, list) or not raw or any(isinstance(x, bool) or not isinstance(x, int) or x < 1 for x in raw):
        raise PolicyValueError(KEY, name, f"must be a list of whole numbers of at least 1, got {raw!r}")
    return tuple(sorted(set(raw)))


def care_policy(book: PolicyBook, day: date) -> CarePolicy:
    """Read ``stay_care`` at ``day``; a gap or a wrong value is a clear 422 naming the parameter."""
    try:
        return CarePolicy(
            check_in_first_days=_days(book, day, "check_in_first_days"),
            check_in_every_days=book.integer(KEY, day, "check_in_every_days", minimum=1),
            extension_max_count=book.integer(KEY, day, "extension_max_count"),
            extension_max_days=book.integer(KEY, day, "extension_max_days", minimum=1),
            rematch_points=book.integer(KEY, day, "rematch_points"),
            rematch_points_max=book.integer(KEY, day, "rematch_points_max"),
            follow_up_months=_days(book, day, "follow_up_months"),
            reminder_days_before=book.integer(KEY, day, "reminder_days_before"),
        )
    except RulesError as exc:
        raise InvalidInput(
            code="policy.invalid_at", loc=("policy", *exc.loc), day=day.isoformat(), detail=exc.msg
        ) from None


def check_in_days(arrived: date, end: date, care: CarePolicy) -> list[date]:
    """The scheduled check-ins of a stay from ``arrived`` to (not including) ``end``."""
    offsets = list(care.check_in_first_days)
    offset = offsets[-1] + care.check_in_every_days
    while arrived + timedelta(days=offset) < end:
        offsets.append(offset)
        offset += care.check_in_every_days
    return [d for d in (arrived + timedelta(days=o) for o in offsets) if d < end]


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later; the 31st becomes the month's last day (31 Aug + 3 = 30 Nov)."""
    total = day.month - 1 + months
    year, month = day.year + total // 12, total % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def follow_up_days(ended_on: date, care: CarePolicy) -> dict[int, date]:
    """Months after the end → the day that follow-up is due."""
    return {m: add_months(ended_on, m) for m in care.follow_up_months}
