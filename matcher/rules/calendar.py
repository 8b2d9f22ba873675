"""iCalendar feed of stay-clock deadlines, for the team's calendar.

Why: the crisis team lives in its calendar; a feed they subscribe to shows each
placement's signals (plan the next step, minimum reached, maximum: escalate)
without opening Onderdak. Because a calendar is often synced to phones and shared
further, the feed carries no personal data: summaries use the household's
reference code, never a name or an address.

UIDs are stable (``<placement>-<kind>@<domain>``), so a re-published feed updates
events instead of duplicating them, and an event moves when its date changes.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from icalendar import Calendar, Event

from matcher.rules.stay_clock import Deadline

__all__ = ["build_feed", "event_uid"]

PRODID = "-//Onderdak//Verblijfsklok//NL"


def event_uid(deadline: Deadline, domain: str = "onderdak") -> str:
    """A stable UID: the same placement and signal always give the same event."""
    return f"{deadline.placement_ref}-{deadline.kind.value}@{domain}"


def build_feed(
    deadlines: Iterable[Deadline],
    *,
    calendar_name: str,
    stamp: datetime,
    domain: str = "onderdak",
) -> bytes:
    """An iCalendar (RFC 5545) document with one all-day event per deadline.

    ``stamp`` is the DTSTAMP of every event: the caller's clock, so output is reproducible and the
    pure core never reads the wall clock.
    """
    stamp = stamp.astimezone(UTC)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", calendar_name)
    for deadline in deadlines:
        event = Event()
        event.add("uid", event_uid(deadline, domain))
        event.add("dtstamp", stamp)
        event.add("dtstart", deadline.date)
        event.add("dtend", deadline.date + timedelta(days=1))
        event.add("summary", f"{deadline.household_ref}: {deadline.label}")
        event.add(
            "description",
            f"{deadline.placement_ref}, dag {deadline.day_number}. {deadline.label_en}.",
        )
        event.add("categories", [deadline.kind.value])
        event.add("transp", "TRANSPARENT")
        if deadline.overdue:
            event.add("priority", 1)
        cal.add_component(event)
    ical: bytes = cal.to_ical()
    return ical
