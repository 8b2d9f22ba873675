"""The iCalendar feed parses back, has stable UIDs and carries no personal names."""

from datetime import UTC, date, datetime

from icalendar import Calendar

from matcher.rules.calendar import build_feed, event_uid
from matcher.rules.policy import load_policy_book
from matcher.rules.stay_clock import StayPlacement, upcoming_deadlines

POLICY = load_policy_book()
STAMP = datetime(2024, 3, 1, 8, 0, tzinfo=UTC)
PLACEMENTS = [StayPlacement("PL-1", "HH-0001", date(2024, 3, 1)), StayPlacement("PL-2", "HH-0002", date(2024, 1, 1))]


def feed() -> bytes:
    deadlines = upcoming_deadlines(PLACEMENTS, date(2024, 3, 1), POLICY)
    return build_feed(deadlines, calendar_name="Onderdak Maastricht", stamp=STAMP)


def test_feed_parses_back_with_icalendar() -> None:
    cal = Calendar.from_ical(feed())
    events = cal.walk("VEVENT")
    assert str(cal["X-WR-CALNAME"]) == "Onderdak Maastricht"
    assert len(events) == 4  # PL-2 overdue maximum + three signals of PL-1
    first = events[0]
    assert first["UID"] == "PL-2-maximum_stay@onderdak"
    assert first.decoded("DTSTART") == date(2024, 2, 26)
    assert first.decoded("DTEND") == date(2024, 2, 27)
    assert str(first["SUMMARY"]).startswith("HH-0002: ")
    assert first["PRIORITY"] == 1
    summaries = [str(e["SUMMARY"]) for e in events]
    assert all(s.split(":")[0] in {"HH-0001", "HH-0002"} for s in summaries)


def test_uids_are_stable_and_unique() -> None:
    uids = [str(e["UID"]) for e in Calendar.from_ical(feed()).walk("VEVENT")]
    assert len(set(uids)) == len(uids)
    assert feed() == feed()
    d = upcoming_deadlines(PLACEMENTS[:1], date(2024, 3, 1), POLICY)[0]
    assert event_uid(d) == "PL-1-plan_next_step@onderdak"


def test_empty_feed_is_still_a_calendar() -> None:
    cal = Calendar.from_ical(build_feed([], calendar_name="Leeg", stamp=STAMP))
    assert cal.walk("VEVENT") == []
