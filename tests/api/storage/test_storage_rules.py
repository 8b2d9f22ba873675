"""Pure storage rules: the 13-week deadline (day 90 versus 91, leap day, summer time), costs, letters."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from api.core import clock
from api.core.clock import FixedClock
from api.storage import rules
from matcher.rules.errors import PolicyDateError
from matcher.rules.policy import load_policy_book

POLICY = load_policy_book()


def test_period_is_the_dated_parameter_91_days():
    assert rules.storage_days(POLICY, date(2026, 11, 27)) == 91
    assert rules.deadline_for(POLICY, date(2026, 1, 10)) == date(2026, 4, 11)


def test_before_the_law_there_is_no_period():
    with pytest.raises(PolicyDateError):
        rules.deadline_for(POLICY, date(2021, 3, 31))


def test_municipality_may_keep_longer():
    book = POLICY.with_overrides(
        [{"key": "storage_period", "valid_from": "2026-01-01", "value": {"minimum_days": 120}, "source": "besluit B&W"}]
    )
    assert rules.deadline_for(book, date(2026, 2, 1)) == date(2026, 2, 1) + timedelta(days=120)
    assert rules.deadline_for(book, date(2025, 12, 31)) == date(2025, 12, 31) + timedelta(days=91)


@pytest.mark.parametrize(
    ("stored_on", "deadline"),
    [
        (date(2026, 1, 10), date(2026, 4, 11)),  # crosses the switch to summer time (29 March 2026)
        (date(2026, 8, 1), date(2026, 10, 31)),  # crosses the switch back (25 October 2026)
        (date(2027, 12, 15), date(2028, 3, 15)),  # crosses 29 February 2028
        (date(2028, 2, 29), date(2028, 5, 30)),  # stored on the leap day itself
    ],
)
def test_day_91_refused_day_92_allowed(stored_on, deadline):
    """art. 5:30 lid 1 Awb: "niet binnen dertien weken": the 13 weeks end at the end of day 91."""
    assert rules.deadline_for(POLICY, stored_on) == deadline
    day_91 = stored_on + timedelta(days=91)
    day_92 = stored_on + timedelta(days=92)
    assert rules.day_number(stored_on, day_91) == 91 and rules.day_number(stored_on, day_92) == 92
    assert day_91 == deadline and rules.disposal_allowed_from(deadline) == day_92
    assert not rules.period_passed(deadline, stored_on + timedelta(days=90))
    assert not rules.period_passed(deadline, day_91)
    assert rules.period_passed(deadline, day_92)


def test_early_sale_not_within_two_weeks_after_the_copy():
    copy = date(2028, 2, 20)  # art. 5:30 lid 3 Awb; crosses 29 February 2028
    assert rules.early_sale_allowed_from(copy) == date(2028, 3, 5)
    assert copy + timedelta(days=13) < rules.early_sale_allowed_from(copy)
    assert copy + timedelta(days=14) == rules.early_sale_allowed_from(copy)


def test_net_proceeds_and_the_three_year_claim_deadline():
    assert rules.net_proceeds(12_500, 4_000) == 8_500  # art. 5:30 lid 4 Awb: proceeds minus costs
    assert rules.net_proceeds(3_000, 4_000) == 0  # costs above the proceeds: nothing to claim, never negative
    assert rules.claim_deadline(date(2028, 3, 16)) == date(2031, 3, 16)
    assert rules.claim_deadline(date(2028, 2, 29)) == date(2031, 2, 28)  # no 29 February in 2031


def test_leap_day_counts_as_a_day():
    # 15 Dec 2027 + 91 days: 16 days to 31 Dec, 31 in January, 29 in February 2028, 15 in March.
    assert rules.deadline_for(POLICY, date(2027, 12, 15)) == date(2028, 3, 15)
    # the same dates a year earlier (no leap day) end one day later in March
    assert rules.deadline_for(POLICY, date(2026, 12, 15)) == date(2027, 3, 16)


@pytest.mark.parametrize(
    ("utc_instant", "today"),
    [
        # summer time (UTC+2) since 29 March: 22:00 UTC on 10 April 2026 is midnight on the 11th
        (datetime(2026, 4, 10, 21, 59, tzinfo=UTC), date(2026, 4, 10)),
        (datetime(2026, 4, 10, 22, 0, tzinfo=UTC), date(2026, 4, 11)),
        # after the switch back (UTC+1): 23:00 UTC on 30 October is midnight on the 31st
        (datetime(2026, 10, 30, 22, 59, tzinfo=UTC), date(2026, 10, 30)),
        (datetime(2026, 10, 30, 23, 0, tzinfo=UTC), date(2026, 10, 31)),
    ],
)
def test_today_is_the_calendar_day_in_amsterdam(utc_instant, today):
    with clock.use(FixedClock(utc_instant)):
        assert clock.today() == today


def test_flag_within_14_days():
    deadline = date(2026, 12, 11)
    times = rules.letter_times(POLICY, date(2026, 9, 11))
    assert times.flag_within_days == 14
    assert rules.flagged(times, deadline, date(2026, 11, 27))  # 14 days left
    assert not rules.flagged(times, deadline, date(2026, 11, 26))  # 15 days left
    assert rules.flagged(times, deadline, date(2026, 12, 20))  # passed


def test_personal_documents_photos_and_keepsakes_are_protected():
    assert rules.is_protected("personal_documents") and rules.is_protected("photos_keepsakes")
    assert not any(rules.is_protected(c) for c in ("furniture", "appliances", "clothing", "other"))


def test_letter_schedule():
    stored, deadline = date(2026, 1, 10), date(2026, 4, 11)
    times = rules.letter_times(POLICY, stored)
    assert [(d.kind, d.due_on) for d in rules.letter_schedule(times, stored, deadline)] == [
        ("intake", date(2026, 1, 10)),
        ("week_4", date(2026, 2, 7)),
        ("two_weeks_before", date(2026, 3, 28)),
        ("deadline", date(2026, 4, 11)),
    ]


def test_letter_schedule_is_a_dated_parameter_a_municipality_may_override():
    stored, deadline = date(2026, 1, 10), date(2026, 4, 11)
    override = {"key": "storage_letters", "valid_from": "2026-01-01", "value": {"week_4_days": 21}, "source": "test"}
    times = rules.letter_times(POLICY.with_overrides([override]), stored)
    assert (times.week_4_days, times.before_deadline_days, times.flag_within_days) == (21, 14, 14)
    assert rules.letter_schedule(times, stored, deadline)[1].due_on == date(2026, 1, 31)
    with pytest.raises(PolicyDateError):
        rules.letter_times(POLICY, date(2021, 3, 31))  # before the set starts: an error, never a silent default


@pytest.mark.parametrize(
    ("days", "dutch", "english"),
    [
        (1, "1 dag", "1 day"),
        (7, "1 week", "1 week"),
        (14, "2 weken", "2 weeks"),
        (10, "10 dagen", "10 days"),
        (21, "3 weken", "3 weeks"),
        (28, "4 weken", "4 weeks"),
        (91, "13 weken", "13 weeks"),
        (95, "95 dagen", "95 days"),
    ],
)
def test_period_in_plain_words_whole_weeks_as_weeks_else_days(days, dutch, english):
    assert rules.period_text(days) == rules.period_text(days, "nl") == dutch
    assert rules.period_text(days, "en") == english


def test_costs_per_m3_per_started_week():
    stored = date(2026, 1, 1)
    c = rules.storage_costs(
        stored_on=stored,
        until=date(2026, 1, 16),  # 15 days: 3 started weeks
        tariff_kind="per_m3_week",
        tariff_cents=450,
        removal_cents=35000,
        volume_m3=Decimal("7.05"),
    )
    assert c.weeks == 3
    assert c.storage_cents == 9518  # 4.50 × 7.05 × 3 = 95.175 → 95.18 (half up)
    assert c.total_cents == 44518
    assert rules.euro(c.total_cents) == "€ 445,18"


def test_costs_fixed_and_none():
    fixed = rules.storage_costs(
        stored_on=date(2026, 1, 1),
        until=date(2026, 6, 1),
        tariff_kind="fixed",
        tariff_cents=25000,
        removal_cents=0,
        volume_m3=Decimal("3"),
    )
    assert fixed.storage_cents == 25000
    none = rules.storage_costs(
        stored_on=date(2026, 1, 1),
        until=date(2026, 1, 1),
        tariff_kind=None,
        tariff_cents=None,
        removal_cents=100,
        volume_m3=Decimal("3"),
    )
    assert none.weeks == 1 and none.total_cents == 100


def test_euro_and_cents():
    assert rules.euro(123456) == "€ 1.234,56"
    assert rules.to_cents(Decimal("12.5")) == 1250
    with pytest.raises(ValueError):
        rules.to_cents(Decimal("0.001"))
