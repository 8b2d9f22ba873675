"""Rules E1–E10 on both sides of their boundaries, and host limits counted with busy stays."""

from __future__ import annotations

import math

import pytest
from matcher_support import day, host_room, household, instance, wachtkamer

import matcher
from matcher.check import great_circle_km
from matcher.eligibility import EARTH_RADIUS_KM, explain_pair


def rules_broken(h: dict, p: dict, **kw) -> list[str]:
    """Rule ids that the single pair breaks (empty: eligible)."""
    inst = instance([h], [p], kw.pop("hosts", None), **kw)
    return [r.split(":")[0] for r in explain_pair(inst, h["id"], p["id"])]


def placed(h: dict | list[dict], p: dict | list[dict], **kw) -> dict[str, tuple[str, str, str]]:
    hs = h if isinstance(h, list) else [h]
    ps = p if isinstance(p, list) else [p]
    data = instance(hs, ps, kw.pop("hosts", None), **kw)
    sol = matcher.solve(data)
    assert sol.status == "optimal"
    assert matcher.check(data, sol) == []
    return {m.household: (m.place, m.start.isoformat(), m.end.isoformat()) for m in sol.placements}


# ---------------------------------------------------------------- E1–E9


def test_e1_capacity_equal_to_persons_is_enough() -> None:
    h = household(adults=[{"age": 30}, {"age": 31}], children=[4])
    assert rules_broken(h, wachtkamer(capacity=3)) == []
    assert rules_broken(h, wachtkamer(capacity=2)) == ["E1"]


def test_e2_pets() -> None:
    assert rules_broken(household(pets=True), wachtkamer(allows_pets=False)) == ["E2"]
    assert rules_broken(household(pets=True), wachtkamer(allows_pets=True)) == []
    assert rules_broken(household(pets=False), wachtkamer(allows_pets=False)) == []


def test_e3_children() -> None:
    assert rules_broken(household(children=[3]), wachtkamer(allows_children=False)) == ["E3"]
    assert rules_broken(household(children=[]), wachtkamer(allows_children=False)) == []


def test_e4_accessible() -> None:
    assert rules_broken(household(needs_accessible=True), wachtkamer(accessible=False)) == ["E4"]
    assert rules_broken(household(needs_accessible=True), wachtkamer(accessible=True)) == []


def test_e5_guest_must_accept_a_host() -> None:
    assert rules_broken(household(accepts_host=False), host_room()) == ["E5"]
    assert rules_broken(household(accepts_host=False), wachtkamer()) == []


@pytest.mark.parametrize(
    ("landlord", "consent", "broken"),
    [("corporation", False, ["E6"]), ("private", False, ["E6"]), ("owner", False, []), ("corporation", True, [])],
)
def test_e6_landlord_consent(landlord: str, consent: bool, broken: list[str]) -> None:
    p = host_room(host={"landlord": landlord, "landlord_consent": consent})
    assert rules_broken(household(), p) == broken


@pytest.mark.parametrize(("age", "exempt", "broken"), [(26, False, []), (27, False, ["E7"]), (27, True, [])])
def test_e7_cost_sharing_norm_at_27(age: int, exempt: bool, broken: list[str]) -> None:
    p = host_room(host={"on_benefit": True, "cost_sharing_exemption": exempt})
    h = household(adults=[{"age": 20}, {"age": age}])
    assert rules_broken(h, p) == broken
    # a host not on benefit never triggers it
    assert rules_broken(h, host_room(host={"on_benefit": False})) == []


def test_e8_earlier_refusal() -> None:
    assert rules_broken(household(excluded_places=["P1"]), wachtkamer("P1")) == ["E8"]
    assert rules_broken(household(excluded_places=["P2"]), wachtkamer("P1")) == []


@pytest.mark.parametrize(("km", "broken"), [(9.99, []), (10.0 - 1e-6, []), (10.0 + 1e-6, ["E9"]), (10.01, ["E9"])])
def test_e9_distance_just_inside_and_outside(km: float, broken: list[str]) -> None:
    lat = 52.0 + math.degrees(km / EARTH_RADIUS_KM)
    p = wachtkamer(location={"lat": lat, "lon": 5.0})
    assert great_circle_km(52.0, 5.0, lat, 5.0) == pytest.approx(km, abs=1e-7)
    assert rules_broken(household(), p, policy={"max_distance_km": 10}) == broken


def test_e9_no_limit() -> None:
    p = wachtkamer(location={"lat": 53.4, "lon": 7.0})
    assert rules_broken(household(), p, policy={"max_distance_km": None}) == []


# ---------------------------------------------------------------- E10 time


@pytest.mark.parametrize(("busy_end", "start"), [(1, 2), (2, 2), (3, 3)])
def test_e10_busy_stay_ending_before_on_and_after_the_start(busy_end: int, start: int) -> None:
    """Household free from day 2; busy [.., end) ends the day before, on, or after day 2."""
    p = wachtkamer(busy=[{"start": day(-20), "end": day(busy_end)}])
    got = placed(household(release_date=day(2)), p)
    assert got["H1"][1] == day(start)


def test_e10_last_day_of_the_horizon() -> None:
    h_last = household("H1", release_date=day(13))
    h_after = household("H2", release_date=day(14))
    p = wachtkamer()
    assert rules_broken(h_last, p) == []
    assert rules_broken(h_after, p) == ["E10"]
    assert placed(h_last, p)["H1"][1] == day(13)


def test_e10_available_until_exactly_min_stay_away() -> None:
    ok = wachtkamer(available_from=day(-5), available_until=day(42))
    short = wachtkamer(available_from=day(-5), available_until=day(41))
    assert rules_broken(household(), ok) == []
    assert placed(household(), ok)["H1"] == ("P1", day(0), day(42))
    assert rules_broken(household(), short) == ["E10"]


def test_e10_stay_runs_to_max_stay_or_to_the_next_busy_stay() -> None:
    assert placed(household(), wachtkamer())["H1"][2] == day(56)
    nxt = wachtkamer(busy=[{"start": day(50), "end": day(60)}])
    assert placed(household(), nxt)["H1"][2] == day(50)
    too_soon = wachtkamer(busy=[{"start": day(41), "end": day(60)}])
    # day 0 does not fit 42 days, nor does any later start within the horizon
    assert rules_broken(household(), too_soon) == ["E10"]


def test_e10_available_from_inside_the_horizon_means_waiting() -> None:
    got = placed(household(priority=2), wachtkamer(available_from=day(5)))
    assert got["H1"][1] == day(5)


# ---------------------------------------------------------------- host limits


def test_host_limit_one_of_two_rooms() -> None:
    hs = [household("H1", priority=1), household("H2", priority=3)]
    ps = [host_room("R1"), host_room("R2")]
    got = placed(hs, ps, hosts=[{"id": "HOST1", "max_households": 1}])
    assert list(got) == ["H2"]
    got = placed(hs, ps, hosts=[{"id": "HOST1", "max_households": 2}])
    assert sorted(got) == ["H1", "H2"]


def test_host_limit_counts_busy_stays() -> None:
    ps = [host_room("R1", busy=[{"start": day(-10), "end": day(30)}]), host_room("R2")]
    hosts = [{"id": "HOST1", "max_households": 1}]
    inst = instance([household()], ps, hosts)
    assert [r.split(":")[0] for r in explain_pair(inst, "H1", "R2")] == ["HOST"]
    assert placed([household()], ps, hosts=hosts) == {}
    # without the limit the room is fine
    assert placed([household()], ps)["H1"][0] == "R2"


def test_host_already_over_its_limit_only_blocks_new_stays() -> None:
    busy = [{"start": day(-10), "end": day(3)}]
    ps = [host_room("R1", busy=busy), host_room("R2", busy=busy), host_room("R3")]
    hosts = [{"id": "HOST1", "max_households": 1}]
    inst = instance([household()], ps, hosts)
    # R3 is free now, but a stay from day 0 would make three households on days 0-2
    assert [r.split(":")[0] for r in explain_pair(inst, "H1", "R3")] == ["HOST"]
    # R1 and R2 start on day 3, when the busy stays have ended: one new household fits
    assert explain_pair(inst, "H1", "R1") == []
    got = placed([household()], ps, hosts=hosts)
    assert got["H1"][0] in ("R1", "R2") and got["H1"][1] == day(3)
    # a second household does not fit any more
    assert len(placed([household("H1"), household("H2")], ps, hosts=hosts)) == 1


def test_host_limit_varies_with_a_leaving_guest() -> None:
    """Limit 2; room R1's guest leaves on day 3. Two households free from day 0.

    Both starting on day 0 (in R2 and R3) would make three on days 0–2, so one of them must
    wait for R1 (day 3): the one with the lower priority waits.
    """
    ps = [host_room("R1", busy=[{"start": day(-10), "end": day(3)}]), host_room("R2"), host_room("R3")]
    hs = [household("H1", priority=1), household("H2", priority=2)]
    data = instance(hs, ps, [{"id": "HOST1", "max_households": 2}])
    sol = matcher.solve(data)
    assert matcher.check(data, sol) == []
    assert sol.status == "optimal"
    assert sol.objective.placed == 2
    assert sol.objective.weighted_wait == 3
    got = {m.household: (m.place, m.start.isoformat()) for m in sol.placements}
    assert got["H1"] == ("R1", day(3))


def test_time_limit_gives_feasible_with_bounds() -> None:
    ps = [host_room("R1", busy=[{"start": day(-10), "end": day(3)}]), host_room("R2"), host_room("R3")]
    hs = [household("H1", priority=1), household("H2", priority=2)]
    data = instance(hs, ps, [{"id": "HOST1", "max_households": 2}])
    sol = matcher.solve(data, time_limit_s=0.0)
    assert matcher.check(data, sol) == []
    if sol.status == "feasible":
        assert sol.bound is not None and sol.bound.placed is not None
        assert sol.bound.placed >= sol.objective.placed
    else:
        assert sol.status == "optimal"
