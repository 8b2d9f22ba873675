"""Worked examples of the cost-sharing norm (art. 22a Participatiewet), to the cent.

2024 norms (seed_data/policy/benefit_norms_2024-01-01.toml): single 1,283.83,
married couple B = 1,834.04. A=2: 50% of B = 917.02; A=3: 43.33% -> 794.75
(1,834.04 x 1.3 / 3 = 794.7507); A=4: 40% -> 733.62 (733.616).
"""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from matcher.rules.cost_sharing import (
    ExemptionDecision,
    Household,
    Person,
    Status,
    calculate,
    determine_cost_sharers,
    format_euro,
    norm_fraction,
    room_cost_sharing_exemption,
)
from matcher.rules.errors import InvalidInputError, PolicyDateError, PolicyValueError
from matcher.rules.policy import load_policy_book

POLICY = load_policy_book()
DAY = date(2024, 3, 1)
D = Decimal


def host(*extra: Person) -> Household:
    return Household("HOST-1", (Person("h1", date(1980, 5, 5), on_benefit=True), *extra))


def guests(*people: Person) -> Household:
    return Household("HH-1", people)


def aged(ref: str, years: int, **kw) -> Person:
    """A person who is ``years`` old on DAY (birthday well before DAY)."""
    return Person(ref, date(DAY.year - years, 1, 15), **kw)


def test_single_host_on_benefit_alone_gets_70_percent_of_b() -> None:
    r = calculate(host(), guests(aged("child", 8)), DAY, POLICY)
    assert r.composition.a_without == 1 and r.composition.percent_without == D("70.00")
    assert r.norms[0].norm_without == D("1283.83")  # = 0.7 x 1834.04 = 1283.828, and the published single norm
    assert r.norms[0].norm_with == D("1283.83")
    assert r.monthly_difference == D("0.00") and not r.cuts_benefit
    assert r.decision_required is None


def test_one_guest_aged_30_halves_to_50_percent() -> None:
    r = calculate(host(), guests(aged("g1", 30)), DAY, POLICY)
    assert r.composition.a_with == 2 and r.composition.percent_with == D("50.00")
    assert r.norms[0].norm_with == D("917.02")
    assert r.monthly_difference == D("-366.81")
    assert r.exemption_possible and not r.exemption_in_force
    assert r.decision_required is not None
    assert "€ 366,81" in r.decision_required.nl and "art. 18 lid 1" in r.decision_required.nl
    assert "€ 366,81" in r.decision_required.en


def test_guest_aged_26_changes_nothing() -> None:
    r = calculate(host(), guests(aged("g1", 26)), DAY, POLICY)
    verdict = r.composition.verdicts[-1]
    assert not verdict.counts and "jonger dan 27" in verdict.reason_nl
    assert r.monthly_difference == D("0.00") and r.decision_required is None and not r.exemption_possible


def test_student_guest_with_study_finance_changes_nothing() -> None:
    r = calculate(host(), guests(aged("g1", 30, statuses=frozenset({Status.STUDENT_WITH_STUDY_FINANCE}))), DAY, POLICY)
    assert not r.composition.verdicts[-1].counts
    assert "studiefinanciering" in r.composition.verdicts[-1].reason_nl
    assert r.monthly_difference == D("0.00")


# the 2026 statuses (art. 22a lid 4) are tested on their own dates in test_rules_cost_sharing_2026.py
LID_2 = [s for s in Status if s not in (Status.INFORMAL_CARER_ELSEWHERE, Status.CARE_NEED_COHABITANT)]


@pytest.mark.parametrize("status", LID_2)
def test_every_exempt_status_keeps_a_guest_out(status: Status) -> None:
    r = calculate(host(), guests(aged("g1", 40, statuses=frozenset({status}))), DAY, POLICY)
    assert r.composition.a_with == 1


def test_two_guests_aged_27_plus_give_a_3() -> None:
    r = calculate(host(), guests(aged("g1", 27), aged("g2", 45)), DAY, POLICY)
    assert r.composition.a_with == 3 and r.composition.percent_with == D("43.33")
    assert r.norms[0].norm_with == D("794.75")
    assert r.monthly_difference == D("-489.08")
    assert "g1, g2 meetellen" in r.decision_required.nl


def test_a_4_is_40_percent() -> None:
    r = calculate(host(), guests(aged("g1", 30), aged("g2", 31), aged("g3", 32)), DAY, POLICY)
    assert r.composition.percent_with == D("40.00")
    assert r.norms[0].norm_with == D("733.62")
    assert r.monthly_difference == D("-550.21")


def test_27th_birthday_boundary() -> None:
    guest = guests(Person("g1", date(1997, 3, 2)))
    day_before = calculate(host(), guest, date(2024, 3, 1), POLICY)
    birthday = calculate(host(), guest, date(2024, 3, 2), POLICY)
    assert day_before.composition.verdicts[-1].age == 26 and not day_before.composition.verdicts[-1].counts
    assert day_before.monthly_difference == D("0.00")
    assert birthday.composition.verdicts[-1].age == 27 and birthday.composition.verdicts[-1].counts
    assert birthday.monthly_difference == D("-366.81")


def test_2022_uses_age_21_and_has_no_known_amounts() -> None:
    day = date(2022, 6, 1)
    guest = guests(Person("g1", date(1997, 3, 2)))  # 25 on that day
    comp = determine_cost_sharers(host(), guest, day, POLICY)
    assert comp.cost_sharing_age == 21
    assert comp.verdicts[-1].counts and comp.a_with == 2 and comp.percent_with == D("50.00")
    with pytest.raises(PolicyDateError) as err:
        calculate(host(), guest, day, POLICY)
    assert err.value.key == "benefit_norms" and err.value.day == day
    # Without amounts the result still says who counts, and that the benefit goes down.
    partial = calculate(host(), guest, day, POLICY, require_amounts=False)
    assert partial.norms == () and partial.monthly_difference is None and "benefit_norms" in partial.amounts_missing
    assert partial.cuts_benefit and partial.decision_required is not None
    assert "van de gastgever omlaag" in partial.decision_required.nl
    # The same guest no longer counts once the age is 27 (1 January 2023).
    assert not determine_cost_sharers(host(), guest, date(2023, 1, 1), POLICY).verdicts[-1].counts


def test_after_the_last_known_norms_the_newest_are_used_provisionally() -> None:
    day = date(2026, 11, 27)
    r = calculate(host(), guests(Person("g1", date(1990, 1, 1))), day, POLICY)
    assert r.amounts_missing is None and r.norms_from == date(2026, 1, 1) and r.provisional
    assert r.norms[0].norm_with == D("1001.07") and r.exemption_possible
    assert r.notes[0].nl == (
        "berekend met de normen van 1 januari 2026; de normen per 1 juli 2026 zijn nog niet ingevoerd"
    )


def test_2023_single_norm_is_the_published_amount() -> None:
    r = calculate(host(), guests(aged("g1", 30)), date(2023, 9, 1), POLICY)
    assert r.norms[0].norm_without == D("1216.62")  # published; 70% of 1738.02 would be 1216.61
    assert r.norms[0].norm_with == D("869.01")
    assert r.monthly_difference == D("-347.61")


def test_married_couple_on_benefit_each_gets_a_share() -> None:
    couple = host(Person("h2", date(1982, 7, 7), on_benefit=True))
    r = calculate(couple, guests(aged("g1", 30)), DAY, POLICY)
    assert [n.norm_without for n in r.norms] == [D("917.02"), D("917.02")]  # together B
    assert [n.norm_with for n in r.norms] == [D("794.75"), D("794.75")]
    assert r.monthly_difference == D("-244.54")


def test_adult_child_of_host_already_counts() -> None:
    r = calculate(host(aged("son", 30)), guests(aged("g1", 30)), DAY, POLICY)
    assert (r.composition.a_without, r.composition.a_with) == (2, 3)
    assert r.monthly_difference == D("-122.27")


def test_host_not_on_benefit_has_nothing_to_lose() -> None:
    r = calculate(Household("H", (aged("h1", 50),)), guests(aged("g1", 30)), DAY, POLICY)
    assert r.norms == () and r.monthly_difference == D("0.00") and r.decision_required is None


def test_recorded_exemption_removes_the_cut() -> None:
    decision = ExemptionDecision(True, date(2024, 2, 25), "wethouder", "Z-2024-12", date(2024, 2, 25), date(2024, 5, 1))
    r = calculate(host(), guests(aged("g1", 30)), DAY, POLICY, exemption=decision)
    assert r.exemption_in_force and r.decision_required is None
    assert r.monthly_difference == D("-366.81") and r.effective_monthly_difference == D("0.00")


def test_municipality_without_exemption_says_so() -> None:
    book = POLICY.with_overrides(
        [
            {
                "key": "temporary_stay_exemption",
                "valid_from": "2024-01-01",
                "value": {"applies": False},
                "source": "B&W",
            }
        ]
    )
    r = calculate(host(), guests(aged("g1", 30)), DAY, book)
    assert not r.exemption_possible
    assert "past de uitzondering voor tijdelijk verblijf niet toe" in r.decision_required.nl


def test_sources_are_named() -> None:
    r = calculate(host(), guests(aged("g1", 30)), DAY, POLICY)
    assert any("art. 22a" in s for s in r.sources) and any("art. 21" in s for s in r.sources)


def test_room_flag_follows_the_recorded_decision() -> None:
    granted = ExemptionDecision(True, date(2024, 2, 1), "team", "Z-1", date(2024, 2, 1), date(2024, 4, 30))
    refused = ExemptionDecision(False, date(2024, 2, 1), "team", "Z-2", date(2024, 2, 1))
    assert room_cost_sharing_exemption(None, DAY) is False
    assert room_cost_sharing_exemption(granted, DAY, date(2024, 4, 30)) is True
    assert room_cost_sharing_exemption(granted, DAY, date(2024, 5, 1)) is False  # would end mid-stay
    assert room_cost_sharing_exemption(granted, date(2024, 1, 31)) is False
    assert room_cost_sharing_exemption(refused, DAY) is False


# Bad input: a clear error naming the field.


def test_date_outside_every_parameter_set() -> None:
    with pytest.raises(PolicyDateError) as err:
        calculate(host(), guests(aged("g1", 30)), date(2014, 6, 1), POLICY)
    assert err.value.key == "cost_sharing_age" and err.value.field == "day"
    with pytest.raises(PolicyDateError) as err:
        calculate(host(), guests(aged("g1", 30)), date(2022, 12, 31), POLICY)  # no norms before 2023 shipped
    assert err.value.key == "benefit_norms"


def test_birth_date_in_the_future() -> None:
    with pytest.raises(InvalidInputError) as err:
        calculate(host(), guests(aged("g1", 30), Person("baby", date(2024, 3, 2))), DAY, POLICY)
    assert err.value.field == "guests.members[1].birth_date"
    assert err.value.loc == ["guests", "members", 1, "birth_date"]


def test_guest_who_is_also_a_host_member() -> None:
    with pytest.raises(InvalidInputError) as err:
        calculate(host(), guests(aged("h1", 30)), DAY, POLICY)
    assert err.value.field == "guests.members[0].ref"


def test_negative_amount_in_policy() -> None:
    book = POLICY.with_overrides(
        [
            {
                "key": "benefit_norms",
                "valid_from": "2024-02-01",
                "value": {"couple": "-1834.04"},
                "source": "typo",
            }
        ]
    )
    with pytest.raises(PolicyValueError) as err:
        calculate(host(), guests(aged("g1", 30)), DAY, book)
    assert err.value.field == "policy.benefit_norms.couple"


@pytest.mark.parametrize(
    ("hosts", "gs", "field"),
    [
        (Household("H", ()), guests(aged("g1", 30)), "host.members"),
        (host(), guests(), "guests.members"),
        (host(aged("h1", 40)), guests(aged("g1", 30)), "host.members[1].ref"),
        (
            Household("H", (Person("h1", date(1980, 1, 1), on_benefit=True, spouse_of="nobody"),)),
            guests(aged("g", 30)),
            "host.members[0].spouse_of",
        ),
    ],
)
def test_other_bad_households(hosts: Household, gs: Household, field: str) -> None:
    with pytest.raises(InvalidInputError) as err:
        calculate(hosts, gs, DAY, POLICY)
    assert err.value.field == field


def test_formatting_and_fractions() -> None:
    assert format_euro(D("1283.83")) == "€ 1.283,83"
    assert format_euro(D("-366.81")) == "-€ 366,81"
    assert [float(norm_fraction(a)) for a in (1, 2, 4)] == [0.7, 0.5, 0.4]
    with pytest.raises(InvalidInputError):
        norm_fraction(0)


@given(
    ages=st.lists(st.integers(min_value=0, max_value=60), min_size=1, max_size=5),
    students=st.lists(st.booleans(), min_size=5, max_size=5),
)
def test_guests_never_raise_a_norm_and_only_counting_guests_lower_it(ages: list[int], students: list[bool]) -> None:
    people = tuple(
        aged(f"g{i}", age, statuses=frozenset({Status.BBL}) if students[i] else frozenset())
        for i, age in enumerate(ages)
    )
    r = calculate(host(), guests(*people), DAY, POLICY)
    counting = sum(1 for a, s in zip(ages, students, strict=False) if a >= 27 and not s)
    assert r.composition.a_with == 1 + counting
    assert r.monthly_difference <= 0
    assert (r.monthly_difference < 0) == (counting > 0) == (r.decision_required is not None)
