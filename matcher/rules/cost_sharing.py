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

Participatiewet in balans (art. 22a lid 4, from 1 January 2026, :data:`BALANS_FROM`): a
beneficiary who stays elsewhere to give intensive informal care (``INFORMAL_CARER_ELSEWHERE``)
gets no cost-sharing norm for that stay (the result says so instead of an amount), and people
who live together because of a care need (``CARE_NEED_COHABITANT``) are no joint household and
do not count as each other's cost-sharers. Before that day both statuses have no effect.

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
The municipality's payment decision prevails over this preview.

Per beneficiary (art. 22a lid 1): A is counted for each person on benefit separately:
the beneficiary, a spouse aged ``spouse_age`` (21) or older, and every other person in
the dwelling aged ``cost_sharing_age`` or older who is not an exempt group. A 25-year-old
daughter on her own benefit does not count for her mother, but the mother counts for her.
Past the state-pension (AOW) age, found from the date of birth (AOW art. 7a), the
Participatiewet norms do not apply: the result says so instead of an amount.

Norms change every 1 January and 1 July (art. 38). A day after the newest known
half-year is calculated with the newest norms and marked ``provisional``.

For the host (art. 32 lid 1, art. 33 lid 4): the guest's fee (kostgeld) counts as income;
the result shows its effect next to the cost-sharing effect, and warns that registering
the guests at the host's address affects huurtoeslag and other benefits (briefadres). A guest's own
benefit (if any) is a separate case with the guest's own municipality and is not
calculated here.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
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
    "BeneficiaryResult",
    "NormsInForce",
    "Verdict",
    "calculate",
    "determine_cost_sharers",
    "format_euro",
    "half_year_start",
    "norm_fraction",
    "norms_in_force",
    "room_cost_sharing_exemption",
    "state_pension_date",
    "status_applies",
]

CENT = Decimal("0.01")


class Status(StrEnum):
    """Statuses that keep a person out of A (art. 22a lid 2)."""

    STUDENT_WITH_STUDY_FINANCE = "student_with_study_finance"
    BBL = "bbl"
    WTOS = "wtos"
    COMMERCIAL_ROOM_RENTER = "commercial_room_renter"
    # Participatiewet in balans (art. 22a lid 4, from BALANS_FROM):
    INFORMAL_CARER_ELSEWHERE = "informal_carer_elsewhere"  # a beneficiary staying elsewhere to give intensive care
    CARE_NEED_COHABITANT = "care_need_cohabitant"  # lives in the home because of a care need


# Participatiewet in balans, phase 1 (Staatsblad 2025, 312/313), in force on 1 January 2026.
BALANS_FROM = date(2026, 1, 1)
_DATED_STATUSES = frozenset({Status.INFORMAL_CARER_ELSEWHERE, Status.CARE_NEED_COHABITANT})


def status_applies(status: Status, day: date) -> bool:
    """The 2026 statuses have no effect before :data:`BALANS_FROM`; the others always apply."""
    return status not in _DATED_STATUSES or day >= BALANS_FROM


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
    Status.CARE_NEED_COHABITANT: (
        "telt niet mee: woont hier vanwege een zorgbehoefte, geen gezamenlijke huishouding (art. 22a lid 4, 2026)",
        "does not count: lives here because of a care need, no joint household (art. 22a(4), 2026)",
    ),
}


@dataclass(frozen=True)
class Person:
    """A member of a household. ``ref`` is a code, not a name."""

    ref: str
    birth_date: date
    on_benefit: bool = False
    statuses: frozenset[Status] = frozenset()
    spouse_of: str | None = None  # ref of the spouse (married or living as married), either side


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
    a_without: int = 0
    a_with: int = 0

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
class BeneficiaryResult:
    """One person on benefit: who counts for them (art. 22a lid 1) and their norm.

    ``norm`` is None when the amounts are not known for the day, or when the
    Participatiewet norms do not apply to this person (``not_applicable`` says why:
    state-pension age reached, or the youth norms of art. 20).
    """

    person_ref: str
    age: int
    counted_without: tuple[str, ...]
    counted_with: tuple[str, ...]
    norm: BeneficiaryNorm | None = None
    not_applicable: DecisionText | None = None
    state_pension_date: date | None = None

    @property
    def a_without(self) -> int:
        return len(self.counted_without)

    @property
    def a_with(self) -> int:
        return len(self.counted_with)

    @property
    def difference(self) -> Decimal | None:
        return None if self.norm is None else self.norm.difference


@dataclass(frozen=True)
class NormsInForce:
    """The art. 21 norms used for a day: from which half-year, and whether provisionally."""

    norms_from: date
    single: Decimal
    couple: Decimal
    asked_half_year: date
    sources: tuple[str, ...]

    @property
    def provisional(self) -> bool:
        """True when the day lies in a half-year whose norms are not entered yet."""
        return self.norms_from < self.asked_half_year

    @property
    def note(self) -> DecisionText | None:
        if not self.provisional:
            return None
        used, asked = self.norms_from, self.asked_half_year
        return DecisionText(
            nl=f"berekend met de normen van {_nl_date(used)}; de normen per {_nl_date(asked)} zijn nog niet ingevoerd",
            en=f"calculated with the norms of {_en_date(used)}; the norms from {_en_date(asked)} are not entered yet",
        )


_NL_MONTHS = ("januari februari maart april mei juni juli augustus september oktober november december").split()


def _nl_date(day: date) -> str:
    return f"{day.day} {_NL_MONTHS[day.month - 1]} {day.year}"


_EN_MONTHS = "January February March April May June July August September October November December".split()


def _en_date(day: date) -> str:
    return f"{day.day} {_EN_MONTHS[day.month - 1]} {day.year}"


@dataclass(frozen=True)
class CostSharingResult:
    """Everything the host, the team and the matcher need to know about one placement.

    ``cuts_benefit`` does not need amounts: the share ``0.3 + 0.4 / A`` falls with every
    extra cost-sharer, so a beneficiary loses as soon as a guest counts. When the norm
    amounts for the day are not known (``amounts_missing`` says why), ``norms`` is empty
    and ``monthly_difference`` is None, but who counts and the percentages still hold.
    ``composition`` is seen from the first person on benefit; ``beneficiaries`` has
    every person on benefit with their own A (art. 22a lid 1).
    """

    composition: Composition
    beneficiary_refs: tuple[str, ...]
    norms: tuple[BeneficiaryNorm, ...]
    exemption_possible: bool
    exemption_in_force: bool
    decision_required: DecisionText | None
    sources: tuple[str, ...] = field(default=())
    amounts_missing: str | None = None
    beneficiaries: tuple[BeneficiaryResult, ...] = ()
    norms_from: date | None = None
    provisional: bool = False
    fee: Decimal | None = None
    notes: tuple[DecisionText, ...] = ()

    @property
    def day(self) -> date:
        return self.composition.day

    @property
    def cuts_benefit(self) -> bool:
        """True when placing the guests without an exemption lowers a benefit."""
        return any(b.a_with > b.a_without for b in self.beneficiaries if b.not_applicable is None)

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

    @property
    def fee_effect(self) -> Decimal | None:
        """What the fee does to the host's benefit (art. 32/33): minus the fee, when someone is on benefit."""
        if self.fee is None or not self.norms:
            return None
        return -self.fee.quantize(CENT, rounding=ROUND_HALF_UP)


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
    _check_spouses(host, guests)


def _check_spouses(host: Household, guests: Household) -> None:
    refs = {p.ref for p in host.members + guests.members}
    for label, household in (("host", host), ("guests", guests)):
        for i, person in enumerate(household.members):
            if person.spouse_of is not None and (person.spouse_of == person.ref or person.spouse_of not in refs):
                raise InvalidInputError(
                    f"{label}.members[{i}].spouse_of", f"'{person.spouse_of}' is not another person in the home"
                )


def _spouses(a: Person, b: Person) -> bool:
    return a.spouse_of == b.ref or b.spouse_of == a.ref


@dataclass(frozen=True)
class _Ages:
    """The dated ages of art. 22a: other adults count from ``other``, a spouse from ``spouse``."""

    other: int
    spouse: int


def _verdict(person: Person, role: str, day: date, ages: _Ages, beneficiary: Person | None) -> Verdict:
    """Whether ``person`` counts as a cost-sharer for ``beneficiary`` (art. 22a lid 1 and 2)."""
    age = age_on(person.birth_date, day)
    if beneficiary is not None and person.ref == beneficiary.ref:
        return Verdict(person.ref, role, age, True, "telt mee: ontvangt zelf bijstand", "counts: beneficiary")
    if beneficiary is not None and _spouses(person, beneficiary):
        ok = age >= ages.spouse
        nl = f"{'telt mee' if ok else 'telt niet mee'}: echtgeno(o)t(e) van {beneficiary.ref}, {age} jaar"
        en = f"{'counts' if ok else 'does not count'}: spouse of {beneficiary.ref}, aged {age}"
        return Verdict(person.ref, role, age, ok, nl, en)
    for status in _STATUS_REASON:
        if status in person.statuses and status_applies(status, day):
            nl, en = _STATUS_REASON[status]
            return Verdict(person.ref, role, age, False, nl, en)
    if age < ages.other:
        return Verdict(
            person.ref,
            role,
            age,
            False,
            f"telt niet mee: jonger dan {ages.other} jaar ({age})",
            f"does not count: younger than {ages.other} ({age})",
        )
    return Verdict(
        person.ref,
        role,
        age,
        True,
        f"telt mee: {age} jaar, {ages.other} of ouder",
        f"counts: aged {age}, {ages.other} or older",
        temporary_stay_possible=role == "guest",
    )


def _ages(policy: PolicyBook, day: date) -> _Ages:
    other = policy.integer("cost_sharing_age", day, "age", minimum=1)
    spouse = policy.integer("cost_sharing_age", day, "spouse_age", minimum=1)
    return _Ages(other, spouse)


def _composition(host: Household, guests: Household, day: date, ages: _Ages, beneficiary: Person | None) -> Composition:
    host_v = tuple(_verdict(p, "host", day, ages, beneficiary) for p in host.members)
    guest_v = tuple(_verdict(p, "guest", day, ages, beneficiary) for p in guests.members)
    a_without = max(1, sum(v.counts for v in host_v))
    a_with = a_without + sum(v.counts for v in guest_v)
    return Composition(day, ages.other, host_v + guest_v, a_without, a_with)


def _first_beneficiary(host: Household) -> Person | None:
    return next((p for p in host.members if p.on_benefit), None)


def determine_cost_sharers(host: Household, guests: Household, day: date, policy: PolicyBook) -> Composition:
    """Who counts as a cost-sharer on ``day``, without and with the guests.

    Seen from the first host member on benefit (each beneficiary's own A is in
    :func:`calculate`). Needs only the dated ``cost_sharing_age`` (so it also works
    for 2022, before Onderdak knows any norm amounts).
    """
    _check_inputs(host, guests, day)
    return _composition(host, guests, day, _ages(policy, day), _first_beneficiary(host))


PENSION_KEY = "state_pension_age"


def state_pension_date(birth_date: date, policy: PolicyBook) -> date | None:
    """The day the AOW age is reached (AOW art. 7a), from the date of birth.

    The set of ``state_pension_age`` valid on 1 January of a year holds the age for
    people who reach it in that year; the year is the one where birth date plus that
    age lands. None when that year's age is not set yet: it is then at least the last
    known age (art. 7a only ever raises it), see :func:`_pension_reached`.
    """
    for year in range(birth_date.year + 65, birth_date.year + 70):
        start = date(year, 1, 1)
        try:
            years = policy.integer(PENSION_KEY, start, "years")
            months = policy.integer(PENSION_KEY, start, "months")
        except PolicyDateError:
            if start < min(ps.valid_from for ps in policy.sets if ps.key == PENSION_KEY):
                raise
            return None
        reached = add_years_months(birth_date, years, months)
        if reached.year == year:
            return reached
    return None


def _pension_reached(birth_date: date, day: date, policy: PolicyBook) -> date | None:
    """The AOW date when it is ``day`` or earlier, else None."""
    reached = state_pension_date(birth_date, policy)
    if reached is not None:
        return reached if day >= reached else None
    latest = max((ps for ps in policy.sets if ps.key == PENSION_KEY), key=lambda ps: ps.valid_from)
    lower = add_years_months(birth_date, int(latest.value.get("years", 0)), int(latest.value.get("months", 0)))
    if day < lower:
        return None
    msg = f"the AOW age for someone born on {birth_date.isoformat()} is not set yet; add its year with its source"
    raise PolicyDateError(PENSION_KEY, day, msg)


def _not_applicable(person: Person, day: date, policy: PolicyBook) -> tuple[DecisionText | None, date | None]:
    """Why the Participatiewet norms of art. 21 do not apply to this beneficiary, if so."""
    if Status.INFORMAL_CARER_ELSEWHERE in person.statuses and status_applies(Status.INFORMAL_CARER_ELSEWHERE, day):
        return (
            DecisionText(
                nl=(
                    f"{person.ref} verblijft elders om intensieve mantelzorg te geven: voor dat verblijf geldt geen "
                    "kostendelersnorm (art. 22a lid 4 Participatiewet, vanaf 1 januari 2026). Niet berekend."
                ),
                en=(
                    f"{person.ref} stays elsewhere to give intensive informal care: no cost-sharing norm for that "
                    "stay (art. 22a(4) Participatiewet, from 1 January 2026). Not calculated."
                ),
            ),
            None,
        )
    pension = _pension_reached(person.birth_date, day, policy)
    if pension is not None:
        text = DecisionText(
            nl=(
                f"{person.ref} heeft op {_nl_date(pension)} de AOW-leeftijd bereikt (AOW art. 7a): de normen en de "
                "kostendelersnorm van de Participatiewet gelden niet (AOW of AIO). Niet berekend."
            ),
            en=(
                f"{person.ref} reached the state-pension (AOW) age on {_en_date(pension)} (AOW art. 7a): the "
                "Participatiewet norms and cost-sharing norm do not apply (AOW or AIO). Not calculated."
            ),
        )
        return text, pension
    minimum = policy.integer("benefit_age_groups", day, "minimum_age", minimum=0)
    age = age_on(person.birth_date, day)
    if age < minimum:
        text = DecisionText(
            nl=f"{person.ref} is {age}: jongerennorm (art. 20 Participatiewet), die Onderdak niet berekent.",
            en=f"{person.ref} is {age}: youth norm (art. 20 Participatiewet), which Onderdak does not calculate.",
        )
        return text, None
    return None, None


def _counted(composition: Composition, role: str | None = None) -> tuple[str, ...]:
    return tuple(v.person_ref for v in composition.verdicts if v.counts and (role is None or v.role == role))


def _beneficiary_results(host: Household, guests: Household, day: date, policy: PolicyBook) -> list[BeneficiaryResult]:
    """Every host member on benefit with their own A (art. 22a lid 1); norms are filled in later."""
    ages = _ages(policy, day)
    result = []
    for person in host.members:
        if not person.on_benefit:
            continue
        comp = _composition(host, guests, day, ages, person)
        reason, pension = _not_applicable(person, day, policy)
        result.append(
            BeneficiaryResult(
                person.ref,
                age_on(person.birth_date, day),
                _counted(comp, "host") or (person.ref,),
                _counted(comp, "host") + _counted(comp, "guest"),
                not_applicable=reason,
                state_pension_date=pension,
            )
        )
    return result


def half_year_start(day: date) -> date:
    """1 January or 1 July: the norms change on those days (art. 38 Participatiewet)."""
    return date(day.year, 1 if day.month < 7 else 7, 1)


def norms_in_force(policy: PolicyBook, day: date) -> NormsInForce:
    """The newest ``benefit_norms`` set that started on or before ``day`` (overrides laid over).

    Raises :class:`PolicyDateError` only for a day before the first known set.
    """
    sets = policy.sets_at("benefit_norms", day)
    return NormsInForce(
        norms_from=max(ps.valid_from for ps in sets),
        single=policy.decimal("benefit_norms", day, "single"),
        couple=policy.decimal("benefit_norms", day, "couple"),
        asked_half_year=half_year_start(day),
        sources=tuple(policy.sources("benefit_norms", day)),
    )


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


def _with_norms(results: list[BeneficiaryResult], norms: NormsInForce) -> list[BeneficiaryResult]:
    def norm(a: int) -> Decimal:
        return norms.single if a == 1 else _apply(norms.couple, norm_fraction(a))

    return [
        r
        if r.not_applicable is not None
        else replace(
            r,
            norm=BeneficiaryNorm(r.person_ref, norm(r.a_without), norm(r.a_with), r.a_without, r.a_with),
        )
        for r in results
    ]


FEE_NOTE = DecisionText(
    nl=(
        "Kostgeld dat de logé betaalt telt als inkomen van de gastgever (art. 32 lid 1 en art. 33 lid 4 "
        "Participatiewet), tenzij de gemeente voor deze situatie anders besluit: de bijstand gaat dan met dat "
        "bedrag omlaag. Leg het in de logeerafspraak vast als bijdrage in de kosten."
    ),
    en=(
        "A fee (kostgeld) the guest pays counts as the host's income (art. 32(1) and 33(4) Participatiewet) "
        "unless the municipality decides otherwise for this situation: the benefit then goes down by that amount. "
        "Frame it in the agreement as a contribution to costs."
    ),
)
REGISTRATION_NOTE = DecisionText(
    nl=(
        "Schrijf de logés niet in op het adres van de gastgever (BRP): dan tellen zij mee als medebewoner voor "
        "de huurtoeslag van de gastgever (Awir art. 2 lid 1 sub e) en voor andere uitkeringen en toeslagen "
        "(IOAW, IOAZ, Anw, Toeslagenwet), die de gemeente niet kan aanpassen. Voor een verblijf tot ongeveer "
        "8 weken kan een briefadres worden gebruikt (BRP-circulaire 7 november 2016)."
    ),
    en=(
        "Do not register the guests at the host's address (BRP): they would then count as co-residents for the "
        "host's housing allowance (huurtoeslag; Awir art. 2(1)(e)) and for other benefits and allowances (IOAW, "
        "IOAZ, Anw, Toeslagenwet), which the municipality cannot waive. A stay of up to about 8 weeks can use a "
        "postal address (briefadres) instead (BRP circular of 7 November 2016)."
    ),
)
EXEMPTION_NOTE = DecisionText(
    nl=(
        "De gemeente heeft besloten dat het verblijf tijdelijk is (art. 18 lid 1 Participatiewet): de logés "
        "tellen niet mee als kostendeler en de bijstand verandert daardoor niet."
    ),
    en=(
        "The municipality decided that the stay is temporary (art. 18(1) Participatiewet): the guests do not "
        "count as cost-sharers and the benefit does not change because of them."
    ),
)


def _fee_note(fee: Decimal | None) -> DecisionText:
    if fee is None:
        return FEE_NOTE
    amount = fee.quantize(CENT, rounding=ROUND_HALF_UP)
    return DecisionText(
        nl=f"Kostgeld {format_euro(amount)} per maand: " + FEE_NOTE.nl,
        en=f"Fee {format_euro(amount)} a month: " + FEE_NOTE.en,
    )


def _notes(
    results: list[BeneficiaryResult], norms: NormsInForce | None, fee: Decimal | None, in_force: bool
) -> tuple[DecisionText, ...]:
    """The lines a host on benefit needs to see next to the amounts."""
    notes = [norms.note] if norms is not None and norms.note is not None else []
    notes += [r.not_applicable for r in results if r.not_applicable is not None]
    if any(r.not_applicable is None for r in results):
        notes.append(_fee_note(fee))
        if in_force:
            notes.append(EXEMPTION_NOTE)
    notes.append(REGISTRATION_NOTE)
    return tuple(n for n in notes if n is not None)


@dataclass(frozen=True)
class _Amounts:
    results: list[BeneficiaryResult]
    norms: NormsInForce | None
    missing: str | None


def _amounts(results: list[BeneficiaryResult], day: date, policy: PolicyBook, require: bool) -> _Amounts:
    if not any(r.not_applicable is None for r in results):
        return _Amounts(results, None, None)
    try:
        norms = norms_in_force(policy, day)
    except PolicyDateError as exc:
        if require:
            raise
        return _Amounts(results, None, exc.msg)
    return _Amounts(_with_norms(results, norms), norms, None)


def calculate(
    host: Household,
    guests: Household,
    day: date,
    policy: PolicyBook,
    *,
    exemption: ExemptionDecision | None = None,
    require_amounts: bool = True,
    fee: Decimal | None = None,
) -> CostSharingResult:
    """The host's benefit norms on ``day`` without and with the guest household.

    Every host member on benefit gets their own A and norm (art. 22a lid 1), except
    past the AOW age or under the art. 21 age (said in ``not_applicable``).
    ``exemption`` is a recorded decision, if any; when it is granted and covers
    ``day`` the result says so (``exemption_in_force``) and no decision is required.
    ``fee`` is the guest's monthly fee (kostgeld), income of the host (art. 32/33).
    With ``require_amounts=False`` a day before the first known norms gives a result
    without amounts (``amounts_missing``) instead of a :class:`PolicyDateError`; a day
    after the newest known half-year uses the newest norms (``provisional``).
    """
    if fee is not None and (not fee.is_finite() or fee < 0):
        raise InvalidInputError("fee", "the fee is a non-negative amount")
    composition = determine_cost_sharers(host, guests, day, policy)
    amounts = _amounts(_beneficiary_results(host, guests, day, policy), day, policy, require_amounts)
    results = amounts.results
    sources = list(policy.sources("cost_sharing_age", day)) + list(amounts.norms.sources if amounts.norms else ())
    norms = tuple(r.norm for r in results if r.norm is not None)
    cut = any(r.a_with > r.a_without for r in results if r.not_applicable is None)
    applies = policy.boolean("temporary_stay_exemption", day, "applies")
    sources += policy.sources("temporary_stay_exemption", day)
    in_force = cut and applies and exemption is not None and exemption.covers(day)
    diff = None if amounts.missing else sum((n.difference for n in norms), Decimal("0.00"))
    decision = None if not cut or in_force else _decision_text(diff, composition, cut and applies)
    return CostSharingResult(
        composition=composition,
        beneficiary_refs=tuple(r.person_ref for r in results if r.not_applicable is None),
        norms=norms,
        exemption_possible=cut and applies,
        exemption_in_force=in_force,
        decision_required=decision,
        sources=tuple(dict.fromkeys(sources)),
        amounts_missing=amounts.missing,
        beneficiaries=tuple(results),
        norms_from=amounts.norms.norms_from if amounts.norms else None,
        provisional=amounts.norms.provisional if amounts.norms else False,
        fee=fee,
        notes=_notes(results, amounts.norms, fee, in_force),
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
