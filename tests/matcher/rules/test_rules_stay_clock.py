"""Stay clock: day count, the 35/42/56 signals, deadlines per municipality."""

from datetime import date

import pytest

from matcher.rules.errors import InvalidInputError, PolicyValueError
from matcher.rules.policy import load_policy_book
from matcher.rules.stay_clock import SignalKind, StayPlacement, day_count, stay_status, upcoming_deadlines

POLICY = load_policy_book()
START = date(2024, 3, 1)
P = StayPlacement("PL-1", "HH-0001", START)


def test_day_count() -> None:
    assert day_count(P, START) == 0
    assert day_count(P, date(2024, 4, 5)) == 35
    assert day_count(StayPlacement("PL-2", "HH-2", START, end_date=date(2024, 3, 11)), date(2024, 5, 1)) == 10
    with pytest.raises(InvalidInputError) as err:
        day_count(P, date(2024, 2, 29))
    assert err.value.field == "day"


def test_signals_fall_on_day_35_42_56() -> None:
    deadlines = upcoming_deadlines([P], START, POLICY)
    assert [(d.kind, d.date, d.day_number) for d in deadlines] == [
        (SignalKind.PLAN_NEXT_STEP, date(2024, 4, 5), 35),
        (SignalKind.MINIMUM_STAY_REACHED, date(2024, 4, 12), 42),
        (SignalKind.MAXIMUM_STAY, date(2024, 4, 26), 56),
    ]
    assert deadlines[0].label == "Vervolg plannen" and deadlines[0].household_ref == "HH-0001"


def test_status_shows_reached_signals_and_next_deadline() -> None:
    s = stay_status(P, date(2024, 4, 12), POLICY)
    assert s.day_count == 42 and s.latest_end_date == date(2024, 4, 26)
    assert s.reached == (SignalKind.PLAN_NEXT_STEP, SignalKind.MINIMUM_STAY_REACHED)
    assert s.next_deadline is not None and s.next_deadline.kind is SignalKind.MINIMUM_STAY_REACHED


def test_passed_maximum_is_overdue_until_the_household_leaves() -> None:
    late = upcoming_deadlines([P], date(2024, 5, 1), POLICY)
    assert [(d.kind, d.overdue) for d in late] == [(SignalKind.MAXIMUM_STAY, True)]
    assert "verlopen" in late[0].label
    left = StayPlacement("PL-1", "HH-0001", START, end_date=date(2024, 4, 20))
    assert upcoming_deadlines([left], date(2024, 5, 1), POLICY) == []


def test_list_is_sorted_and_bounded_by_horizon() -> None:
    other = StayPlacement("PL-0", "HH-0002", date(2024, 3, 3))
    deadlines = upcoming_deadlines([P, other], date(2024, 3, 10), POLICY, horizon_days=26)  # up to 5 April
    assert [(d.placement_ref, d.kind) for d in deadlines] == [("PL-1", SignalKind.PLAN_NEXT_STEP)]
    all_of_them = upcoming_deadlines([other, P], date(2024, 3, 10), POLICY)
    assert [d.date for d in all_of_them] == sorted(d.date for d in all_of_them)
    assert len(all_of_them) == 6


def test_signals_are_configurable_per_municipality() -> None:
    book = POLICY.with_overrides(
        [
            {"key": "stay_signals", "valid_from": "2024-01-01", "value": {"plan_next_step_day": 28}, "source": "B&W"},
            {"key": "stay_limits", "valid_from": "2024-01-01", "value": {"maximum_days": 63}, "source": "B&W"},
        ]
    )
    assert [d.day_number for d in upcoming_deadlines([P], START, book)] == [28, 42, 63]


def test_inconsistent_signal_configuration_is_refused() -> None:
    book = POLICY.with_overrides(
        [{"key": "stay_signals", "valid_from": "2024-01-01", "value": {"plan_next_step_day": 50}, "source": "B&W"}]
    )
    with pytest.raises(PolicyValueError):
        upcoming_deadlines([P], START, book)


@pytest.mark.parametrize(
    ("placement", "field"),
    [
        (StayPlacement("", "HH", START), "placements[0].ref"),
        (StayPlacement("PL", "", START), "placements[0].household_ref"),
        (StayPlacement("PL", "HH", START, end_date=date(2024, 2, 1)), "placements[0].end_date"),
    ],
)
def test_bad_placements(placement: StayPlacement, field: str) -> None:
    with pytest.raises(InvalidInputError) as err:
        upcoming_deadlines([placement], START, POLICY)
    assert err.value.field == field


def test_negative_horizon() -> None:
    with pytest.raises(InvalidInputError) as err:
        upcoming_deadlines([P], START, POLICY, horizon_days=-1)
    assert err.value.field == "horizon_days"
