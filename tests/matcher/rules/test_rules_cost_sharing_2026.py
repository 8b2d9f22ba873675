"""Participatiewet in balans (art. 22a lid 4, from 1 January 2026): care-need cohabitants do not count,
and a beneficiary staying elsewhere to give intensive informal care gets no cost-sharing norm.

Hand-computed on the 2026-01-01 norms (single 1401.50, B 2002.13): A=1 1401.50, A=2 1001.07 (50% of B),
A=3 867.59 (2002.13 x 13/30 = 867.590). Before 2026 (2025-07-01 norms, B 1955.80): A=2 977.90,
A=3 847.51 (1955.80 x 13/30 = 847.513).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from matcher.rules.cost_sharing import Household, Person, Status, calculate
from matcher.rules.cost_sharing_case import run_case
from matcher.rules.policy import load_policy_book

POLICY = load_policy_book()
IN_2026 = date(2026, 2, 1)
IN_2025 = date(2025, 12, 1)
CARE = frozenset({Status.CARE_NEED_COHABITANT})
CARER = frozenset({Status.INFORMAL_CARER_ELSEWHERE})


def _host(statuses: frozenset[Status] = frozenset(), carer: frozenset[Status] = frozenset()) -> Household:
    return Household(
        "host",
        (
            Person("h", date(1970, 11, 11), on_benefit=True, statuses=carer),
            Person("p", date(1980, 5, 5), statuses=statuses),
        ),
    )


GUESTS = Household("guests", (Person("g1", date(1990, 3, 3)), Person("g2", date(1991, 4, 4))))


def test_a_care_need_cohabitant_does_not_count_from_2026() -> None:
    r = calculate(_host(CARE), GUESTS, IN_2026, POLICY)
    (b,) = r.beneficiaries
    assert b.counted_without == ("h",) and b.counted_with == ("h", "g1", "g2")
    assert b.norm is not None and b.norm.norm_without == Decimal("1401.50") and b.norm.norm_with == Decimal("867.59")
    assert r.monthly_difference == Decimal("-533.91")
    verdict = next(v for v in r.composition.verdicts if v.person_ref == "p")
    assert not verdict.counts and "zorgbehoefte" in verdict.reason_nl


def test_a_care_need_cohabitant_still_counts_before_2026() -> None:
    r = calculate(_host(CARE), Household("guests", GUESTS.members[:1]), IN_2025, POLICY)
    (b,) = r.beneficiaries
    assert b.counted_without == ("h", "p") and b.counted_with == ("h", "p", "g1")
    assert b.norm is not None and b.norm.norm_without == Decimal("977.90") and b.norm.norm_with == Decimal("847.51")


def test_without_the_status_the_2026_amounts_hold() -> None:
    r = calculate(_host(), Household("guests", GUESTS.members[:1]), IN_2026, POLICY)
    (b,) = r.beneficiaries
    assert b.norm is not None and b.norm.norm_without == Decimal("1001.07") and b.norm.norm_with == Decimal("867.59")


def test_an_informal_carer_elsewhere_gets_no_norm_from_2026() -> None:
    r = calculate(_host(carer=CARER), GUESTS, IN_2026, POLICY)
    (b,) = r.beneficiaries
    assert b.norm is None and b.not_applicable is not None and "mantelzorg" in b.not_applicable.nl
    assert r.norms == () and r.cuts_benefit is False and r.monthly_difference == Decimal("0.00")
    assert b.not_applicable in r.notes


def test_an_informal_carer_elsewhere_before_2026_gets_the_usual_norm() -> None:
    r = calculate(_host(carer=CARER), Household("guests", GUESTS.members[:1]), IN_2025, POLICY)
    (b,) = r.beneficiaries
    assert b.not_applicable is None and b.norm is not None
    assert b.norm.norm_without == Decimal("977.90") and b.norm.norm_with == Decimal("847.51")


def test_the_cli_knows_both_statuses() -> None:
    case = {
        "date": "2026-02-01",
        "host": [
            {"ref": "h", "birth_date": "1970-11-11", "on_benefit": True},
            {"ref": "p", "birth_date": "1980-05-05", "statuses": ["care_need_cohabitant"]},
        ],
        "guests": [{"ref": "g", "birth_date": "1990-03-03"}],
    }
    (b,) = run_case(case, POLICY)["beneficiaries"]
    assert (b["a_without"], b["norm_without"], b["a_with"], b["norm_with"]) == (1, "1401.50", 2, "1001.07")
    case["host"][0]["statuses"] = ["informal_carer_elsewhere"]
    (b,) = run_case(case, POLICY)["beneficiaries"]
    assert b["norm_without"] is None and "mantelzorg" in b["not_applicable"]
