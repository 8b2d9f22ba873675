"""Time helpers: timestamps in UTC, calendar days in Europe/Amsterdam.

A deadline is a calendar day in the Netherlands, so "today" is taken there, not in UTC.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def utcnow() -> datetime:
    return datetime.now(UTC)


def today_nl() -> date:
    return datetime.now(AMSTERDAM).date()

