"""Cost-sharing norm calculator (kostendelersnorm, art. 22a Participatiewet).

Why: a host on social assistance who takes in a guest household may see the
benefit cut, because each adult who counts as a cost-sharer lowers the norm. The
software must show the host the amounts and must never propose such a placement
silently (domain.md, "Cost-sharing norm").

The rule (art. 22a lid 1)::

    norm per beneficiary = (40% + A x 30%) / A x B

with ``B`` the married-couple norm (art. 21 sub b) for the beneficiary's age group
and ``A`` the number of people in the dwelling who count as cost-sharers, the
beneficiary included. A = 1 -> 70% of B, 2 -> 50%, 3 -> 43.33%, 4 -> 40%.

Who does not count (art. 22a lid 2; the age is the dated parameter
``cost_sharing_age``: 21 until 2022, 27 since 1 January 2023): people younger than
that age, students with study finance, BBL students, people in education under the
Wtos, and commercial room renters or boarders (not family, commercial price,
written contract). A beneficiary always counts in their own A.

Temporary stay: a guest who would count need not, when the municipality decides
that the stay is temporary (art. 18 lid 1, maatwerk; Verzamelbrief SZW
13 November 2015; confirmed 2025 for imminent homelessness). Whether a
municipality applies this is the dated parameter ``temporary_stay_exemption``; the
decision itself is recorded per case (:class:`ExemptionDecision`).

Money and rounding: amounts are :class:`~decimal.Decimal`. The fraction
``(40 + 30A) / (100A)`` is applied to ``B`` exactly (as a rational number) and the
result is rounded once, half up, to the cent; the monthly difference is taken
between the rounded norms, so the amounts shown always add up. When A = 1 the
beneficiary simply receives the single norm of art. 21 sub a as published (it
equals 70% of B up to a cent of rounding in the published tables: 1,216.62 in
January 2023 against 70% of 1,738.02 = 1,216.61), because that is the amount paid.
The municipality's payment decision prevails over this preview. A guest's own
benefit (if any) is a separate case with the guest's own municipality and is not
calculated here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from fractions import Fraction

from matcher.rules.dates import add_years_months, age_on
from matcher.rules.errors import InvalidInputError, PolicyDateError
from matcher.rules.policy import PolicyBook

__all__ = [
    "Beneficiary",
    "BeneficiaryNorm",
    "Composition",
    "CostSharingResult",
    "ExemptionDecision",
    "Household",
    "Person",
    "Status",
    "Verdict",
    "calculate",
    "determine_cost_sharers",
    "format_euro",
    "norm_fraction",
    "room_cost_sharing_exemption",
]

CENT = Decimal("0.01")


class Status(StrEnum):
    """Statuses that keep a person out of A (art. 22a lid 2)."""

    STUDENT_WITH_STUDY_FINANCE = "student_with_study_finance"
    BBL = "bbl"
    WTOS = "wtos"
    COMMERCIAL_ROOM_RENTER = "commercial_room_renter"


_STATUS_REASON: dict[Status, tuple[str, str]] = {
    Status.STUDENT_WITH_STUDY_FINANCE: (
        "telt niet mee: student met studiefinanciering",
        "does not count: student with study finance",
    ),
    Status.BBL: ("telt niet mee: volgt een BBL-opleiding", "does not count: BBL student"),
    Status.WTOS: (
        "telt niet mee: volgt onderwijs met Wtos-tegemoetkoming",
        "does not count: in education (Wtos)",
    ),
    Status.COMMERCIAL_ROOM_RENTER: (
        "telt niet mee: huurt een kamer tegen een commerciële prijs met een schriftelijk contract",
        "does not count: commercial room renter or boarder with a written contract",
    ),
}


@dataclass(frozen=True)
class Person:
    """A member of a household. ``ref`` is a code, not a name."""

    ref: str
    birth_date: date
    on_benefit: bool = False
    statuses: frozenset[Status] = frozenset()


@dataclass(frozen=True)
class Household:
    ref: str
    members: tuple[Person, ...]


@dataclass(frozen=True)
class Verdict:
    """Whether one person counts as a cost-sharer, and why (Dutch and English)."""

    person_ref: str
    role: str  # "host" or "guest"
    age: int
    counts: bool
    reason_nl: str
    reason_en: str
    temporary_stay_possible: bool = False


@dataclass(frozen=True)
class Composition:
    """Who counts on ``day``: A without and with the guests, and the norm fractions."""

    day: date
    cost_sharing_age: int
    verdicts: tuple[Verdict, ...]
    a_without: int
    a_with: int

    @property
    def fraction_without(self) -> Fraction:
        return norm_fraction(self.a_without)

    @property
    def fraction_with(self) -> Fraction:
        return norm_fraction(self.a_with)

    @property
    def percent_without(self) -> Decimal:
        """Share of B in percent, two decimals (70.00, 50.00, 43.33, 40.00)."""
        return _percent(self.fraction_without)

    @property
    def percent_with(self) -> Decimal:
        return _percent(self.fraction_with)

    @property
    def counting_guests(self) -> tuple[Verdict, ...]:
        return tuple(v for v in self.verdicts if v.role == "guest" and v.counts)


@dataclass(frozen=True)
class Beneficiary:
    ref: str
    age: int


@dataclass(frozen=True)
class BeneficiaryNorm:
    """One beneficiary's monthly norm without and with the guests (euros, to the cent)."""

    person_ref: str
    norm_without: Decimal
    norm_with: Decimal

    @property
    def difference(self) -> Decimal:
        """``norm_with - norm_without``: negative when the guests cut the benefit."""
        return self.norm_with - self.norm_without


@dataclass(frozen=True)
class ExemptionDecision:
    """A recorded municipal decision that a stay is temporary (art. 18 lid 1 Participatiewet).

    ``granted`` False records a refusal. ``valid_until`` None means the decision does
    not name an end (the stay limits still apply).
    """

    granted: bool
    decided_on: date
    decided_by: str | None
    reference: str
    valid_from: date
    valid_until: date | None = None

    def __post_init__(self) -> None:
        if self.decided_by is not None and not self.decided_by.strip():
            raise InvalidInputError("exemption.decided_by", "say who decided")
        if not self.reference.strip():
            raise InvalidInputError("exemption.reference", "name the decision document or case number")
        if self.valid_until is not None and self.valid_until < self.valid_from:
            raise InvalidInputError("exemption.valid_until", "lies before valid_from")

    def covers(self, first_day: date, last_day: date | None = None) -> bool:
        """True when the decision is granted and in force on every day from first to last."""
        last = last_day or first_day
        if not self.granted or first_day < self.valid_from:
            return False
        return self.valid_until is None or last <= self.valid_until


@dataclass(frozen=True)
class DecisionText:
    nl: str
    en: str


@dataclass(frozen=True)
class CostSharingResult:
    """Everything the host, the team and the matcher need to know about one placement.

    ``cuts_benefit`` does not need amounts: the share ``0.3 + 0.4 / A`` falls with every
    extra cost-sharer, so a beneficiary loses as soon as a guest counts. When the norm
    amounts for the day are not known (``amounts_missing`` says why), ``norms`` is empty
    and ``monthly_difference`` is None, but who counts and the percentages still hold.
    """

    composition: Composition
    beneficiary_refs: tuple[str, ...]
    norms: tuple[BeneficiaryNorm, ...]
    exemption_possible: bool
    exemption_in_force: bool
    decision_required: DecisionText | None
    sources: tuple[str, ...] = field(default=())
    amounts_missing: str | None = None

    @property
    def day(self) -> date:
        return self.composition.day

    @property
    def cuts_benefit(self) -> bool:
        """True when placing the guests without an exemption lowers a benefit."""
        return bool(self.beneficiary_refs) and self.composition.a_with > self.composition.a_without

    @property
    def monthly_difference(self) -> Decimal | None:
        """Sum over beneficiaries of ``with - without`` (negative: the benefit goes down)."""
        if self.amounts_missing is not None:
            return None
        return sum((n.difference for n in self.norms), Decimal("0.00"))

    @property
    def effective_monthly_difference(self) -> Decimal | None:
        """The difference after a recorded exemption decision (zero when one is in force)."""
        return Decimal("0.00") if self.exemption_in_force else self.monthly_difference


def norm_fraction(a: int) -> Fraction:
    """(40% + A x 30%) / A as an exact fraction of B (art. 22a lid 1)."""
    if a < 1:
        raise InvalidInputError("A", "the number of cost-sharers is at least 1 (the beneficiary)")
    return Fraction(40 + 30 * a, 100 * a)


def _percent(fr: Fraction) -> Decimal:
    return (Decimal(fr.numerator * 100) / Decimal(fr.denominator)).quantize(CENT, rounding=ROUND_HALF_UP)


def _apply(b: Decimal, fr: Fraction) -> Decimal:
    """B x fraction, rounded once, half up, to the cent."""
    exact = Fraction(b) * fr
    return (Decimal(exact.numerator) / Decimal(exact.denominator)).quantize(CENT, rounding=ROUND_HALF_UP)


def format_euro(amount: Decimal) -> str:
    """Dutch notation: ``€ 1.283,83``; negative as ``-€ 366,81``."""
    sign = "-" if amount < 0 else ""
    whole, cents = f"{abs(amount.quantize(CENT, rounding=ROUND_HALF_UP)):.2f}".split(".")
    groups = f"{int(whole):,}".replace(",", ".")
    return f"{sign}€ {groups},{cents}"


def _check_inputs(host: Household, guests: Household, day: date) -> None:
    """Bad input gets an error naming the field, before any rule runs."""
    if not host.members:
        raise InvalidInputError("host.members", "the host household has no members")
    if not guests.members:
        raise InvalidInputError("guests.members", "the guest household has no members")
    for label, household in (("host", host), ("guests", guests)):
        seen: set[str] = set()
        for i, person in enumerate(household.members):
            where = f"{label}.members[{i}]"
            if not person.ref or not person.ref.strip():
                raise InvalidInputError(f"{where}.ref", "every person needs a reference")
            if person.ref in seen:
                raise InvalidInputError(f"{where}.ref", f"'{person.ref}' appears twice in this household")
            seen.add(person.ref)
            if person.birth_date > day:
                raise InvalidInputError(
                    f"{where}.birth_date",
                    f"{person.birth_date.isoformat()} lies after the calculation date {day.isoformat()}",
                )
    host_refs = {p.ref for p in host.members}
    for i, person in enumerate(guests.members):
        if person.ref in host_refs:
            raise InvalidInputError(
                f"guests.members[{i}].ref", f"'{person.ref}' is already a member of the host household"
            )


def _verdict(person: Person, role: str, day: date, cost_sharing_age: int) -> Verdict:
    age = age_on(person.birth_date, day)
    if role == "host" and person.on_benefit:
        return Verdict(person.ref, role, age, True, "telt mee: ontvangt zelf bijstand", "counts: beneficiary")
    for status in Status:
        if status in person.statuses:
            nl, en = _STATUS_REASON[status]
            return Verdict(person.ref, role, age, False, nl, en)
    if age < cost_sharing_age:
        return Verdict(
            person.ref,
            role,
            age,
            False,
            f"telt niet mee: jonger dan {cost_sharing_age} jaar ({age})",
            f"does not count: younger than {cost_sharing_age} ({age})",
        )
    return Verdict(
        person.ref,
        role,
        age,
        True,
        f"telt mee: {age} jaar, {cost_sharing_age} of ouder",
        f"counts: aged {age}, {cost_sharing_age} or older",
        temporary_stay_possible=role == "guest",
    )


def determine_cost_sharers(host: Household, guests: Household, day: date, policy: PolicyBook) -> Composition:
    """Who counts as a cost-sharer on ``day``, without and with the guests.

    Needs only the dated ``cost_sharing_age`` (so it also works for 2022, before
    Onderdak knows any norm amounts).
    """
    _check_inputs(host, guests, day)
    age_limit = policy.integer("cost_sharing_age", day, "age", minimum=1)
    host_v = tuple(_verdict(p, "host", day, age_limit) for p in host.members)
    guest_v = tuple(_verdict(p, "guest", day, age_limit) for p in guests.members)
    a_without = max(1, sum(v.counts for v in host_v))
    a_with = a_without + sum(v.counts for v in guest_v)
    return Composition(day, age_limit, host_v + guest_v, a_without, a_with)


def _beneficiaries(host: Household, day: date, policy: PolicyBook) -> list[Beneficiary]:
    """Host members on benefit, refused when the shipped norms do not cover their age."""
    minimum = policy.integer("benefit_age_groups", day, "minimum_age", minimum=0)
    result = []
    for i, person in enumerate(host.members):
        if not person.on_benefit:
            continue
        age = age_on(person.birth_date, day)
        if age < minimum:
            raise InvalidInputError(
                f"host.members[{i}].birth_date",
                f"aged {age}: Onderdak ships benefit norms from age {minimum} only",
            )
        pension = add_years_months(
            person.birth_date,
            policy.integer("state_pension_age", day, "years"),
            policy.integer("state_pension_age", day, "months"),
        )
        if day >= pension:
            raise InvalidInputError(
                f"host.members[{i}].birth_date",
                "state-pension age reached: other norms (AIO) apply, which Onderdak does not ship",
            )
        result.append(Beneficiary(person.ref, age))
    return result


def _decision_text(diff: Decimal | None, composition: Composition, exemption_applies: bool) -> DecisionText:
    if diff is None:
        down_nl, down_en = "omlaag", "goes down"
    else:
        down_nl, down_en = f"{format_euro(-diff)} per maand omlaag", f"goes down by {format_euro(-diff)} a month"
    counting = [v.person_ref for v in composition.counting_guests]
    guests = ", ".join(counting)
    telt, counts = ("meetellen", "count") if len(counting) > 1 else ("meetelt", "counts")
    if exemption_applies:
        return DecisionText(
            nl=(
                f"Let op: zonder besluit gaat de bijstand van de gastgever {down_nl}, "
                f"omdat {guests} {telt} als kostendeler (art. 22a Participatiewet). "
                "De gemeente kan besluiten dat het verblijf tijdelijk is. Dan tellen logés niet mee "
                "(art. 18 lid 1 Participatiewet; Verzamelbrief SZW 13 november 2015). "
                "Leg dit besluit vast vóór de plaatsing: datum, wie besloot, kenmerk en looptijd."
            ),
            en=(
                f"Without a decision the host's benefit {down_en}, because "
                f"{guests} {counts} as a cost-sharer (art. 22a Participatiewet). The municipality can "
                "decide that the stay is temporary, so that the guest does not count (art. 18(1) "
                "Participatiewet; SZW Verzamelbrief 13 November 2015). Record that decision before the "
                "placement: date, who decided, reference and period."
            ),
        )
    return DecisionText(
        nl=(
            f"Let op: de bijstand van de gastgever gaat {down_nl}, omdat {guests} "
            f"{telt} als kostendeler (art. 22a Participatiewet). Deze gemeente past de uitzondering "
            "voor tijdelijk verblijf niet toe. Plaats alleen als de gastgever het bedrag kent en "
            "schriftelijk akkoord is, en leg dat vast."
        ),
        en=(
            f"The host's benefit {down_en}, because {guests} {counts} as a "
            "cost-sharer (art. 22a Participatiewet). This municipality does not apply the temporary-stay "
            "exemption. Place only when the host knows the amount and agrees in writing; record that."
        ),
    )


def _norms(
    beneficiaries: list[Beneficiary], composition: Composition, day: date, policy: PolicyBook
) -> list[BeneficiaryNorm]:
    single = policy.decimal("benefit_norms", day, "single")
    couple = policy.decimal("benefit_norms", day, "couple")

    def norm(a: int) -> Decimal:
        return single if a == 1 else _apply(couple, norm_fraction(a))

    return [BeneficiaryNorm(b.ref, norm(composition.a_without), norm(composition.a_with)) for b in beneficiaries]


def calculate(
    host: Household,
    guests: Household,
    day: date,
    policy: PolicyBook,
    *,
    exemption: ExemptionDecision | None = None,
    require_amounts: bool = True,
) -> CostSharingResult:
    """The host's benefit norms on ``day`` without and with the guest household.

    ``exemption`` is a recorded decision, if any; when it is granted and covers
    ``day`` the result says so (``exemption_in_force``) and no decision is required.
    With ``require_amounts=False`` a day without known norm amounts gives a result
    without amounts (``amounts_missing``) instead of a :class:`PolicyDateError`; the
    pages use that, so the team still sees who counts and the percentages.
    """
    composition = determine_cost_sharers(host, guests, day, policy)
    beneficiaries = _beneficiaries(host, day, policy)
    sources = list(policy.sources("cost_sharing_age", day))
    norms: list[BeneficiaryNorm] = []
    missing: str | None = None
    if beneficiaries:
        try:
            norms = _norms(beneficiaries, composition, day, policy)
            sources += policy.sources("benefit_norms", day)
        except PolicyDateError as exc:
            if require_amounts:
                raise
            missing = exc.msg
    cut = bool(beneficiaries) and composition.a_with > composition.a_without
    applies = policy.boolean("temporary_stay_exemption", day, "applies")
    sources += policy.sources("temporary_stay_exemption", day)
    exemption_possible = cut and applies
    in_force = exemption_possible and exemption is not None and exemption.covers(day)
    diff = None if missing else sum((n.difference for n in norms), Decimal("0.00"))
    decision = None if not cut or in_force else _decision_text(diff, composition, exemption_possible)
    return CostSharingResult(
        composition=composition,
        beneficiary_refs=tuple(b.ref for b in beneficiaries),
        norms=tuple(norms),
        exemption_possible=exemption_possible,
        exemption_in_force=in_force,
        decision_required=decision,
        sources=tuple(dict.fromkeys(sources)),
        amounts_missing=missing,
    )


def room_cost_sharing_exemption(
    decision: ExemptionDecision | None, first_day: date, last_day: date | None = None
) -> bool:
    """The matcher's ``host.cost_sharing_exemption`` flag for a host room (rule E7).

    True only when a granted decision is recorded and in force on every day from
    ``first_day`` to ``last_day``. The instance builder passes the planning date and
    the last day a new stay could reach (planning date + horizon + maximum stay - 1),
    so a decision that ends earlier keeps 27+ guests out rather than cutting the
    host's benefit halfway through a stay. No decision, a refusal or an expired
    decision: False, so E7 keeps cost-sharing guests away from a host on benefit.
    """
    return decision is not None and decision.covers(first_day, last_day)
