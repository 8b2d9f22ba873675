"""Explanations for unplaced households, explain_pair, and the independent check."""

from __future__ import annotations

import pytest
from matcher_support import day, host_room, household, instance, wachtkamer

import matcher
from matcher.eligibility import explain_pair


def reasons(data: dict, hid: str, lang: str = "nl") -> list[str]:
    sol = matcher.solve(data, language=lang)  # type: ignore[arg-type]
    entry = next(u for u in sol.unplaced if u.household == hid)
    return entry.reasons


def test_no_eligible_place_names_the_rules_and_counts() -> None:
    places = [wachtkamer(f"P{k}", capacity=4, allows_pets=False) for k in range(3)] + [
        wachtkamer("P9", capacity=1, allows_pets=True)
    ]
    data = instance([household("H1", pets=True, children=[3, 5])], places)
    nl = reasons(data, "H1")
    assert len(nl) == 1
    assert "3 groot genoeg" in nl[0] and "0 huisdieren toe (E2)" in nl[0]
    en = reasons(data, "H1", "en")
    assert "3 are large enough" in en[0] and "0 allow pets (E2)" in en[0]


def test_release_after_the_horizon_is_said_plainly() -> None:
    data = instance([household("H1", release_date=day(20))], [wachtkamer()])
    nl = reasons(data, "H1")
    assert "na de planningsperiode" in nl[0] and "(E10)" in nl[1]


def test_competition_names_the_winner_and_why() -> None:
    data = instance([household("H1", priority=1), household("H2", priority=3)], [wachtkamer("P1")])
    nl = reasons(data, "H1")
    assert any("P1 ging naar H2" in r and "hogere voorrang heeft (3 tegen 1)" in r for r in nl)
    assert any("enige geschikte plaats" in r for r in nl)
    en = reasons(data, "H1", "en")
    assert any("P1 went to H2" in r and "higher priority" in r for r in en)


def test_competition_tie_broken_by_distance() -> None:
    near = household("H1", location={"lat": 52.0, "lon": 5.0})
    far = household("H2", location={"lat": 52.05, "lon": 5.0})
    data = instance([near, far], [wachtkamer("P1")])
    assert any("dichterbij" in r for r in reasons(data, "H2"))


def test_blocking_set_by_hall() -> None:
    # H1 and H2 can only use P1; H3 could use P1 or P2 but P2 went to H4 (priority).
    hs = [household("H1", priority=5), household("H2", priority=1)]
    data = instance(hs, [wachtkamer("P1")])
    nl = reasons(data, "H2")
    assert any("1 ander huishouden" in r and "1 plaats" in r for r in nl)


def test_host_limit_reason() -> None:
    hs = [household("H1", priority=3), household("H2", priority=1, excluded_places=["R1"])]
    data = instance(hs, [host_room("R1"), host_room("R2")], [{"id": "HOST1", "max_households": 1}])
    nl = reasons(data, "H2")
    assert any("R2 bleef leeg" in r and "HOST1" in r for r in nl)


def test_reasons_en_always_english() -> None:
    data = instance([household("H1", pets=True)], [wachtkamer(allows_pets=False)])
    sol = matcher.solve(data)
    assert sol.unplaced[0].reasons != sol.unplaced[0].reasons_en
    assert "No eligible place" in sol.unplaced[0].reasons_en[0]


def test_explain_pair_names_rules() -> None:
    data = instance([household("H1", pets=True, adults=[{"age": 40}])],
                    [host_room("R1", allows_pets=False, host={"on_benefit": True})])
    got = explain_pair(data, "H1", "R1")
    assert [g.split(":")[0] for g in got] == ["E2", "E7"]
    assert explain_pair(instance([household()], [wachtkamer()]), "H1", "P1") == []
    with pytest.raises(KeyError):
        explain_pair(data, "H9", "R1")


def test_check_finds_breaches() -> None:
    data = instance([household("H1", pets=True), household("H2")], [wachtkamer("P1", allows_pets=False)])
    sol = matcher.solve(data)
    assert matcher.check(data, sol) == []
    bad = sol.model_dump(mode="json")
    bad["placements"] = [{"household": "H1", "place": "P1", "start": day(0), "end": day(56)}]
    bad["unplaced"] = [u for u in bad["unplaced"] if u["household"] != "H1"]
    found = matcher.check(data, bad)
    assert any("E2" in b for b in found)
    assert any("exactly once" in b for b in found)
    with pytest.raises(matcher.SolutionError) as err:
        matcher.assert_valid(data, bad)
    assert err.value.breaches == found


def test_check_finds_host_limit_breach() -> None:
    data = instance([household("H1"), household("H2")], [host_room("R1"), host_room("R2")],
                    [{"id": "HOST1", "max_households": 1}])
    sol = matcher.solve(data).model_dump(mode="json")
    sol["placements"] = [
        {"household": "H1", "place": "R1", "start": day(0), "end": day(56)},
        {"household": "H2", "place": "R2", "start": day(0), "end": day(56)},
    ]
    sol["unplaced"] = []
    assert any("HOST1" in b for b in matcher.check(data, sol))
