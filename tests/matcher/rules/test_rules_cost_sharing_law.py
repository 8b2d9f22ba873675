"""Today's law: the norms table of domain.md as data, A per beneficiary (art. 22a lid 1), the AOW age
from the date of birth, provisional norms after the last known half-year, and the host's notes.

Every amount below is checked to the cent against domain.md ("Cost-sharing norm", norms table and
its worked examples: 2026-01-01 A=2 -> 1,001.07, A=3 -> 867.59, A=4 -> 800.85, A=5 -> 760.81,
A=6 -> 734.11) and the issue's example (mother 55 and daughter 25 on benefit, guest 35).
"""

from datetime import date
from decimal import Decimal

import pytest

from matcher.rules.cost_sharing import (
    ExemptionDecision,
    Household,
    Person,
    Status,
    calculate,
    norms_in_force,
    state_pension_date,
)
from matcher.rules.cost_sharing_case import parse_case, run_case
from matcher.rules.errors import InvalidInputError
from matcher.rules.policy import load_policy_book

POLICY = load_policy_book()
D = Decimal
DAY = date(2026, 2, 1)

TABLE = [  # domain.md, "Norm amounts": from, single, married couple (B)
    (date(2023, 1, 1), "1195.66", "1708.08"),
    (date(2023, 7, 1), "1216.62", "1738.02"),
    (date(2024, 1, 1), "1283.83", "1834.04"),
    (date(2024, 7, 1), "1308.45", "1869.21"),
    (date(2025, 1, 1), "1345.45", "1922.07"),
    (date(2025, 7, 1), "1369.06", "1955.80"),
    (date(2026, 1, 1), "1401.50", "2002.13"),
]


def born(years: int, on: date = DAY) -> date:
    """A birth date making someone ``years`` old on ``on`` (birthday a month earlier)."""
    return date(on.year - years, 1, 1)


def person(ref: str, years: int, **kw) -> Person:
    return Person(ref, born(years), **kw)


def host(*people: Person) -> Household:
    return Household("H", people)


def guests(*people: Person) -> Household:
    return Household("G", people)


def by_ref(result, ref: str):
    return next(b for b in result.beneficiaries if b.person_ref == ref)


@pytest.mark.parametrize(("start", "single", "couple"), TABLE)
def test_every_half_year_of_the_table_with_its_source(start: date, single: str, couple: str) -> None:
    for day in (start, date(start.year, start.month + 5, 28)):
        norms = norms_in_force(POLICY, day)
        assert (norms.norms_from, str(norms.single), str(norms.couple)) == (start, single, couple)
        assert not norms.provisional and norms.sources and "art. 21" in norms.sources[0]


@pytest.mark.parametrize(
    ("adults", "norm"), [(1, "1401.50"), (2, "1001.07"), (3, "867.59"), (4, "800.85"), (5, "760.81"), (6, "734.11")]
)
def test_domain_worked_examples_2026(adults: int, norm: str) -> None:
    """One beneficiary with adults - 1 guests aged 30: A = adults, per domain.md to the cent."""
    company = [person(f"g{i}", 30) for i in range(adults - 1)] or [person("kid", 5)]
    r = calculate(host(person("h", 40, on_benefit=True)), guests(*company), DAY, POLICY)
    b = r.beneficiaries[0]
    assert b.a_with == adults and str(b.norm.norm_with) == norm
    assert b.norm.norm_without == D("1401.50") and b.difference == D(norm) - D("1401.50")


def test_issue_example_mother_and_daughter_on_benefit() -> None:
    h = host(Person("h", date(1970, 11, 11), on_benefit=True), Person("d", date(2000, 6, 1), on_benefit=True))
    r = calculate(h, guests(Person("g", date(1990, 3, 3))), DAY, POLICY)
    mother, daughter = by_ref(r, "h"), by_ref(r, "d")
    assert (mother.age, mother.a_without, mother.a_with) == (55, 1, 2)
    assert (mother.norm.norm_without, mother.norm.norm_with, mother.difference) == (
        D("1401.50"),
        D("1001.07"),
        D("-400.43"),
    )
    assert (daughter.age, daughter.a_without, daughter.a_with) == (25, 2, 3)
    assert daughter.counted_without == ("h", "d") and daughter.counted_with == ("h", "d", "g")
    assert (daughter.norm.norm_without, daughter.norm.norm_with, daughter.difference) == (
        D("1001.07"),
        D("867.59"),  # A = 3, not 1,001.07
        D("-133.48"),
    )
    assert r.monthly_difference == D("-533.91") and r.norms_from == date(2026, 1, 1) and not r.provisional


def test_cli_case_gives_the_documented_output() -> None:
    case = {
        "date": "2026-02-01",
        "host": [{"ref": "h", "birth_date": "1970-11-11", "on_benefit": True, "statuses": []}],
        "guests": [{"ref": "g", "birth_date": "1990-03-03", "statuses": []}],
    }
    out = run_case(case, POLICY)
    assert out["norms_from"] == "2026-01-01" and out["provisional"] is False
    b = out["beneficiaries"][0]
    assert {k: b[k] for k in ("ref", "a_without", "a_with", "norm_without", "norm_with", "difference")} == {
        "ref": "h",
        "a_without": 1,
        "a_with": 2,
        "norm_without": "1401.50",
        "norm_with": "1001.07",
        "difference": "-400.43",
    }


@pytest.mark.parametrize(
    ("case", "path"),
    [
        ({"date": "2026-13-01"}, "date"),
        ({"date": "2026-02-01", "host": []}, "host"),
        (
            {"date": "2026-02-01", "host": [{"ref": "h"}], "guests": [{"ref": "g", "birth_date": "1990-01-01"}]},
            "host[0].birth_date",
        ),
        (
            {
                "date": "2026-02-01",
                "host": [{"ref": "h", "birth_date": "1970-01-01"}],
                "guests": [{"ref": "g", "birth_date": "1990-01-01", "statuses": ["bbl", "student"]}],
            },
            "guests[0].statuses[1]",
        ),
        (
            {
                "date": "2026-02-01",
                "host": [{"ref": "h", "birth_date": "1970-01-01"}],
                "guests": [{"ref": "g", "birth_date": "2027-01-01"}],
            },
            "guests[0].birth_date",
        ),
    ],
)
def test_bad_case_names_the_json_path(case: dict, path: str) -> None:
    with pytest.raises(InvalidInputError) as err:
        run_case(case, POLICY)
    assert err.value.field == path


def test_statuses_and_spouse_parse() -> None:
    case = parse_case(
        {
            "date": "2026-02-01",
            "host": [{"ref": "h", "birth_date": "1970-01-01", "on_benefit": True, "statuses": ["spouse_of:s"]}],
            "guests": [{"ref": "s", "birth_date": "2004-01-01", "statuses": ["commercial_renter", "wtos"]}],
        }
    )
    assert case.host.members[0].spouse_of == "s"
    assert case.guests.members[0].statuses == {Status.COMMERCIAL_ROOM_RENTER, Status.WTOS}


# ---------------------------------------------------------------- boundaries


def test_turning_27_on_the_day_counts() -> None:
    g = Person("g", date(1999, 2, 1))  # 27 on DAY
    h = host(person("h", 40, on_benefit=True))
    assert by_ref(calculate(h, guests(g), DAY, POLICY), "h").a_with == 2
    assert by_ref(calculate(h, guests(g), date(2026, 1, 31), POLICY), "h").a_with == 1


def test_spouse_counts_from_21_and_other_exemptions_do_not_apply_to_a_spouse() -> None:
    def a_without(day: date) -> int:
        h = host(
            Person("h", date(1990, 1, 1), on_benefit=True, spouse_of="s"),
            Person("s", date(2005, 2, 1), statuses=frozenset({Status.STUDENT_WITH_STUDY_FINANCE})),
        )
        return by_ref(calculate(h, guests(person("kid", 3)), day, POLICY), "h").a_without

    assert a_without(date(2026, 1, 31)) == 1  # spouse 20
    assert a_without(DAY) == 2  # spouse turns 21 that day


def test_aow_age_from_the_date_of_birth() -> None:
    # SVB table: 66y7m for births Sep 1955 - May 1956, 66y10m Jun 1956 - Feb 1957, 67 from Mar 1957.
    assert state_pension_date(date(1956, 5, 31), POLICY) == date(2022, 12, 31)
    assert state_pension_date(date(1956, 6, 1), POLICY) == date(2023, 4, 1)
    assert state_pension_date(date(1957, 2, 28), POLICY) == date(2023, 12, 28)
    assert state_pension_date(date(1957, 3, 1), POLICY) == date(2024, 3, 1)
    assert state_pension_date(date(1959, 2, 1), POLICY) == date(2026, 2, 1)


def test_aow_day_says_so_instead_of_computing() -> None:
    h = host(Person("h", date(1959, 2, 1), on_benefit=True), Person("d", date(1990, 1, 1), on_benefit=True))
    day_before = calculate(h, guests(person("g", 30)), date(2026, 1, 31), POLICY)
    assert by_ref(day_before, "h").norm is not None and by_ref(day_before, "h").not_applicable is None
    r = calculate(h, guests(person("g", 30)), DAY, POLICY)
    old = by_ref(r, "h")
    assert old.norm is None and old.state_pension_date == DAY and "AOW-leeftijd" in old.not_applicable.nl
    # the pensioner still counts as a cost-sharer for the other beneficiary
    assert by_ref(r, "d").a_without == 2 and by_ref(r, "d").norm.norm_with == D("867.59")
    assert r.beneficiary_refs == ("d",) and any("AOW-leeftijd" in n.nl for n in r.notes)


def test_date_after_the_last_half_year_is_provisional() -> None:
    h, g = host(person("h", 40, on_benefit=True)), guests(person("g", 30))
    assert not calculate(h, g, date(2026, 6, 30), POLICY).provisional
    r = calculate(h, g, date(2026, 7, 1), POLICY)
    assert r.provisional and r.norms_from == date(2026, 1, 1) and r.norms[0].norm_with == D("1001.07")
    assert (
        r.notes[0].nl == "berekend met de normen van 1 januari 2026; de normen per 1 juli 2026 zijn nog niet ingevoerd"
    )
    later = calculate(h, g, date(2031, 3, 1), POLICY)  # never refused from 2023 on
    assert later.provisional and "1 januari 2031" in later.notes[0].nl


def test_an_added_half_year_ends_the_provisional_answer() -> None:
    book = POLICY.with_overrides(
        [
            {
                "key": "benefit_norms",
                "valid_from": "2026-07-01",
                "value": {"single": "1420.00", "couple": "2028.57"},
                "source": "Normenbrief 1 juli 2026",
                "municipality_id": 1,
            }
        ]
    )
    r = calculate(host(person("h", 40, on_benefit=True)), guests(person("g", 30)), date(2026, 7, 1), book)
    assert not r.provisional and r.norms_from == date(2026, 7, 1) and r.norms[0].norm_with == D("1014.29")


def test_fee_exemption_and_registration_notes() -> None:
    h, g = host(person("h", 40, on_benefit=True)), guests(person("g", 30))
    r = calculate(h, g, DAY, POLICY, fee=D("150"))
    assert r.fee_effect == D("-150.00") and r.monthly_difference == D("-400.43")
    texts = [n.nl for n in r.notes]
    assert any("art. 32 lid 1" in t and "€ 150,00" in t for t in texts)
    assert any("huurtoeslag" in t and "briefadres" in t for t in texts)
    decision = ExemptionDecision(True, date(2026, 1, 10), "team", "BESL-1", date(2026, 1, 10))
    ex = calculate(h, g, DAY, POLICY, exemption=decision, fee=D("150"))
    assert ex.exemption_in_force and ex.effective_monthly_difference == D("0.00")
    assert any("tijdelijk" in n.nl for n in ex.notes)
    with pytest.raises(InvalidInputError) as err:
        calculate(h, g, DAY, POLICY, fee=D("-1"))
    assert err.value.field == "fee"
