"""A cost-sharing case as plain JSON, for the CLI and scripts (``onderdak rules cost-sharing CASE.json``).

Input::

    {"date": "2026-02-01", "fee": "150.00",
     "host": [{"ref": "h", "birth_date": "1970-11-11", "on_benefit": true, "statuses": []}],
     "guests": [{"ref": "g", "birth_date": "1990-03-03", "statuses": ["spouse_of:g2"]}]}

``statuses``: ``student_with_study_finance``, ``bbl``, ``wtos``, ``commercial_renter``
(art. 22a lid 2), from 1 January 2026 ``informal_carer_elsewhere`` (a beneficiary staying elsewhere
for intensive informal care: no norm) and ``care_need_cohabitant`` (art. 22a lid 4), and
``spouse_of:REF`` (art. 22a lid 1). Every error names the field as a
JSON path (``host[0].birth_date``). Output: :func:`result_json`, amounts as strings with
two decimals (rounded half up to the cent by :mod:`matcher.rules.cost_sharing`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from matcher.rules.cost_sharing import (
    BeneficiaryResult,
    CostSharingResult,
    Household,
    Person,
    Status,
    calculate,
)
from matcher.rules.errors import InvalidInputError, RulesError
from matcher.rules.policy import PolicyBook

__all__ = ["Case", "parse_case", "result_json", "run_case"]

STATUS_NAMES: dict[str, Status] = {
    "student_with_study_finance": Status.STUDENT_WITH_STUDY_FINANCE,
    "bbl": Status.BBL,
    "wtos": Status.WTOS,
    "commercial_renter": Status.COMMERCIAL_ROOM_RENTER,
    "commercial_room_renter": Status.COMMERCIAL_ROOM_RENTER,
    "informal_carer_elsewhere": Status.INFORMAL_CARER_ELSEWHERE,
    "care_need_cohabitant": Status.CARE_NEED_COHABITANT,
}
SPOUSE = "spouse_of:"
PERSON_KEYS = {"ref", "birth_date", "on_benefit", "statuses"}


@dataclass(frozen=True)
class Case:
    day: date
    host: Household
    guests: Household
    fee: Decimal | None = None


def _date(raw: Any, where: str) -> date:
    if not isinstance(raw, str):
        raise InvalidInputError(where, "must be a date string YYYY-MM-DD")
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise InvalidInputError(where, f"not a date (YYYY-MM-DD): {raw!r}") from None


def _statuses(raw: Any, where: str) -> tuple[frozenset[Status], str | None]:
    if not isinstance(raw, list):
        raise InvalidInputError(where, "must be a list")
    found: set[Status] = set()
    spouse = None
    for i, item in enumerate(raw):
        if isinstance(item, str) and item.startswith(SPOUSE) and item[len(SPOUSE) :].strip():
            spouse = item[len(SPOUSE) :].strip()
        elif isinstance(item, str) and item in STATUS_NAMES:
            found.add(STATUS_NAMES[item])
        else:
            known = ", ".join([*STATUS_NAMES, "spouse_of:REF"])
            raise InvalidInputError(f"{where}[{i}]", f"unknown status {item!r}; one of {known}")
    return frozenset(found), spouse


def _person(raw: Any, where: str) -> Person:
    if not isinstance(raw, dict):
        raise InvalidInputError(where, "must be an object")
    unknown = sorted(set(raw) - PERSON_KEYS)
    if unknown:
        raise InvalidInputError(f"{where}.{unknown[0]}", "unknown field")
    ref = raw.get("ref")
    if not isinstance(ref, str) or not ref.strip():
        raise InvalidInputError(f"{where}.ref", "every person needs a reference (a code, not a name)")
    on_benefit = raw.get("on_benefit", False)
    if not isinstance(on_benefit, bool):
        raise InvalidInputError(f"{where}.on_benefit", "must be true or false")
    statuses, spouse = _statuses(raw.get("statuses", []), f"{where}.statuses")
    return Person(ref.strip(), _date(raw.get("birth_date"), f"{where}.birth_date"), on_benefit, statuses, spouse)


def _people(data: dict[str, Any], name: str) -> Household:
    raw = data.get(name)
    if not isinstance(raw, list) or not raw:
        raise InvalidInputError(name, "must be a non-empty list of persons")
    return Household(name, tuple(_person(p, f"{name}[{i}]") for i, p in enumerate(raw)))


def _fee(raw: Any) -> Decimal | None:
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, (str, int)):
        raise InvalidInputError("fee", 'must be an amount as a string, e.g. "150.00"')
    try:
        return Decimal(str(raw))
    except InvalidOperation:
        raise InvalidInputError("fee", f"not an amount: {raw!r}") from None


def parse_case(data: Any) -> Case:
    """A :class:`Case` from parsed JSON; :class:`InvalidInputError` names the JSON path."""
    if not isinstance(data, dict):
        raise InvalidInputError("$", "the case must be a JSON object")
    unknown = sorted(set(data) - {"date", "host", "guests", "fee"})
    if unknown:
        raise InvalidInputError(unknown[0], "unknown field")
    return Case(_date(data.get("date"), "date"), _people(data, "host"), _people(data, "guests"), _fee(data.get("fee")))


def json_path(field: str) -> str:
    """The rules engine's ``host.members[0].birth_date`` as the case's ``host[0].birth_date``."""
    path = field.replace(".members", "")
    return "date" if path == "day" else path


def _money(amount: Decimal | None) -> str | None:
    return None if amount is None else f"{amount:.2f}"


def _beneficiary(b: BeneficiaryResult) -> dict[str, Any]:
    return {
        "ref": b.person_ref,
        "age": b.age,
        "counted_without": list(b.counted_without),
        "counted_with": list(b.counted_with),
        "a_without": b.a_without,
        "a_with": b.a_with,
        "norm_without": _money(b.norm.norm_without) if b.norm else None,
        "norm_with": _money(b.norm.norm_with) if b.norm else None,
        "difference": _money(b.difference),
        "state_pension_age_reached": b.state_pension_date is not None,
        "not_applicable": b.not_applicable.nl if b.not_applicable else None,
    }


def result_json(r: CostSharingResult) -> dict[str, Any]:
    """The calculation as JSON-ready data (amounts as strings with two decimals)."""
    return {
        "date": r.day.isoformat(),
        "norms_from": r.norms_from.isoformat() if r.norms_from else None,
        "provisional": r.provisional,
        "beneficiaries": [_beneficiary(b) for b in r.beneficiaries],
        "monthly_difference": _money(r.monthly_difference),
        "exemption_possible": r.exemption_possible,
        "fee": _money(r.fee),
        "fee_effect": _money(r.fee_effect),
        "amounts_missing": r.amounts_missing,
        "notes": [n.nl for n in r.notes],
        "sources": list(r.sources),
    }


def run_case(data: Any, policy: PolicyBook) -> dict[str, Any]:
    """Parse, calculate, and return :func:`result_json`; errors name the case's JSON path."""
    case = parse_case(data)
    try:
        result = calculate(case.host, case.guests, case.day, policy, fee=case.fee)
    except RulesError as exc:
        raise InvalidInputError(json_path(exc.field), exc.msg) from None
    return result_json(result)
