"""Time helpers: timestamps in UTC, calendar days in Europe/Amsterdam.

A deadline is a calendar day in the Netherlands, so "today" is taken there, not in UTC.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """The same instant as an aware UTC datetime; a naive value is taken to be UTC already (as stored)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def today_nl() -> date:
    return datetime.now(AMSTERDAM).date()
