"""The wait histogram and the weekly occupancy of a result, on a hand-made stream whose figures are
counted by hand; and their averages in a comparison's rows."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from matcher.simulate import POLICIES, simulate, validate_stream
from matcher.simulate.distribution import mean_series, wait_bucket_labels, wait_histogram, weekly_occupancy
from matcher.simulate.replicate import compare
from matcher.simulate.stream import SimPlacement, SimResult

from .test_generate_compare import short_profile
from .tiny import START, tiny_stream


def _day(offset: int) -> str:
    return (START + timedelta(days=offset)).isoformat()


def _place(pid: str, *, available_from: int, available_until: int | None = None,
           busy: tuple[tuple[int, int], ...] = ()) -> dict[str, Any]:
    return {
        "id": pid, "kind": "wachtkamer", "capacity": 4, "accessible": True, "allows_pets": True,
        "allows_children": True, "location": {"lat": 50.85, "lon": 5.69},
        "available_from": _day(available_from),
        "available_until": None if available_until is None else _day(available_until),
        "busy": [{"start": _day(s), "end": _day(e)} for s, e in busy],
    }


def _household(hid: str, release: int) -> dict[str, Any]:
    return {
        "id": hid, "announced": _day(release - 1), "release_date": _day(release), "adults": [{"age": 30}],
        "children": [], "pets": False, "needs_accessible": False, "accepts_host": True, "priority": 1,
        "location": {"lat": 50.86, "lon": 5.70},
    }


def _stream() -> Any:
    """Fourteen days (two weeks). P0 is there throughout and busy on days 0–1 with an earlier stay; P1
    comes on day 7 and leaves on day 12. Eight households, released on days 0..7."""
    return validate_stream({
        "format": "onderdak.stream/1", "start": START.isoformat(), "days": 14,
        "policy": {"min_stay_days": 3, "max_stay_days": 3, "cost_sharing_age": 27, "max_distance_km": None,
                   "horizon_days": 2, "stay_days": 3, "grace_days": 40},
        "places": [_place("P0", available_from=-3, busy=[(-2, 2)]), _place("P1", available_from=7, available_until=12)],
        "hosts": [],
        "households": [_household(f"H{i}", release) for i, release in enumerate([0, 0, 0, 0, 0, 0, 7, 3])],
    })


def _stay(household: str, place: str, start: int) -> SimPlacement:
    return SimPlacement(household=household, place=place, start=START + timedelta(days=start),
                        end=START + timedelta(days=start + 3), decided_on=START + timedelta(days=start))


def _result(placements: list[SimPlacement]) -> SimResult:
    return SimResult(policy="by-hand", value=0, placed=len(placements), sheltered_on_release_day=0, mean_wait=0.0,
                     placements=placements, seconds=0.0)


# Waits: H6 0 days (released day 7, starts day 7 at P1), H0 2 (day 2 at P0), H7 2 (released day 3,
# starts day 5 at P0), H1 8 (day 8 at P0), H2 11 (day 11 at P0). H3, H4, H5 are never placed.
RESULT = _result([_stay("H0", "P0", 2), _stay("H7", "P0", 5), _stay("H6", "P1", 7), _stay("H1", "P0", 8),
                  _stay("H2", "P0", 11)])


def test_the_wait_histogram_counts_households_per_bucket_and_those_not_placed() -> None:
    assert wait_bucket_labels() == ["0", "1-2", "3-7", "8-14", "15-28", ">28", "not placed"]
    #                      0  1-2 3-7 8-14 15-28 >28 not placed
    assert wait_histogram(_stream(), RESULT) == [1, 2, 0, 2, 0, 0, 3]


def test_a_long_wait_falls_in_the_open_bucket() -> None:
    stream = _stream().model_copy(update={"days": 60})
    assert wait_histogram(stream, _result([_stay("H0", "P0", 29), _stay("H1", "P0", 28)])) == [0, 0, 0, 0, 1, 1, 6]


def test_weekly_occupancy_counts_place_days_that_are_available_and_taken() -> None:
    # Week 1 (days 0–6): only P0 is available, 7 place-days; taken on 0–1 (busy), 2–4 (H0), 5–6 (H7): 7/7.
    # Week 2 (days 7–13): P0 7 place-days, taken on 7 (H7), 8–10 (H1) and 11–13 (H2): 7; P1 available on
    # 7–11, 5 place-days, taken on 7–9 (H6): 3. (7 + 3) / (7 + 5).
    assert weekly_occupancy(_stream(), RESULT) == pytest.approx([1.0, 10 / 12])
    # Nothing simulated: only the earlier stay on days 0–1 of P0.
    assert weekly_occupancy(_stream(), _result([])) == pytest.approx([2 / 7, 0.0])


def test_a_short_last_week_and_a_week_without_places() -> None:
    stream = _stream().model_copy(update={"days": 9})
    # Week 2 is days 7–8: P0 (H7 on 7, H1 on 8) and P1 (H6 on 7–8): 4 of 4 place-days.
    assert weekly_occupancy(stream, RESULT) == pytest.approx([1.0, 1.0])
    gone = validate_stream({**_stream().model_dump(mode="json"), "places": [
        _place("P0", available_from=-3, available_until=5, busy=((-2, 2),))]})
    assert weekly_occupancy(gone, _result([])) == pytest.approx([2 / 5, 0.0])


def test_a_simulated_year_is_counted_consistently() -> None:
    stream = validate_stream(tiny_stream(3, households=6, places=3, days=21))
    result = simulate(stream, "greedy")
    counts = wait_histogram(stream, result)
    assert sum(counts) == len(stream.households) and counts[-1] == len(stream.households) - result.placed
    assert counts[0] == result.sheltered_on_release_day
    shares = weekly_occupancy(stream, result)
    assert len(shares) == 3 and all(0.0 <= s <= 1.0 for s in shares)


def test_mean_series_is_element_wise() -> None:
    assert mean_series([[1, 2, 3], [3, 2, 0]]) == [2.0, 2.0, 1.5]
    assert mean_series([]) == []


def test_compare_rows_carry_the_averaged_series() -> None:
    profile = short_profile()
    rows = compare(profile, seeds=2, hindsight_seconds=0, policies=("first-come", "anticipating"))
    assert [r["policy"] for r in rows] == ["first-come", "anticipating"]
    for row in rows:
        assert len(row["wait_distribution"]) == len(wait_bucket_labels())
        assert len(row["occupancy"]) == 10  # 70 days
        assert all(0.0 <= s <= 1.0 for s in row["occupancy"])
        # the placed households of the histogram are the row's mean placed
        assert sum(row["wait_distribution"][:-1]) == pytest.approx(row["placed"][0])
    assert {"first-come", "anticipating"} <= set(POLICIES)
