"""The storage rules, pure (dates, numbers and categories in, answers out): no database here.

Sources (domain.md, "Belongings after an eviction: 13 weeks"):

- art. 556 lid 3 Rv: the municipality stores what the bailiff put on the street;
- art. 5:30 Awb (by analogy): goods not collected may be sold, or destroyed if unsellable,
  only after the storage period: ``storage_period.minimum_days`` (91 = 13 weeks), a dated
  policy parameter read at the day of storage;
- art. 5:29 lid 4-5 Awb: return may be held until the removal and storage costs are paid;
- personal documents, photos and keepsakes are never destroyed or sold: kept for return.

Counting (art. 5:30 lid 1 Awb, "niet binnen dertien weken nadat zij is meegevoerd"): the day of
storage is day 0 and the 13 weeks run from the next day, so they end at the end of day 91, the
``deadline`` (``stored_on + minimum_days``: "13 weken voorbij op"). Sale or destruction is allowed
**from day 92** (:func:`disposal_allowed_from`), refused on day 91 and before, unless a waiver
covers the goods or an early sale is justified (lid 2: costs out of proportion to the value), at
least 14 days after a copy of the proces-verbaal was handed over or sent (lid 3,
:func:`early_sale_allowed_from`) and approved by a second user. Plain ``date`` arithmetic, so leap
days and the switch to and from summer time change nothing: a day is a calendar day in
Europe/Amsterdam.

After a sale the owner may claim the proceeds minus the costs for 3 years (lid 4,
:func:`net_proceeds`, :func:`claim_deadline`); destroying or giving away needs a recorded reason why
sale was not possible (lid 5, enforced by the service and the database).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from matcher.rules.policy import PolicyBook

PROTECTED_CATEGORIES = frozenset({"personal_documents", "photos_keepsakes"})

# The letter schedule and the list's warning window are a dated parameter set, ``storage_letters``
# (seed_data/policy; municipal practice from issue 8, not law), read once per lot at its day of
# storage so the letters, the list and the calendar feed cannot disagree.
LETTERS_KEY = "storage_letters"


@dataclass(frozen=True)
class LetterTimes:
    """Days of the letter schedule and of the list's warning window (``storage_letters``)."""

    week_4_days: int
    before_deadline_days: int
    flag_within_days: int


def letter_times(policy: PolicyBook, stored_on: date) -> LetterTimes:
    """The letter schedule in force on the day of storage."""
    return LetterTimes(
        week_4_days=policy.integer(LETTERS_KEY, stored_on, "week_4_days", minimum=1),
        before_deadline_days=policy.integer(LETTERS_KEY, stored_on, "before_deadline_days", minimum=1),
        flag_within_days=policy.integer(LETTERS_KEY, stored_on, "flag_within_days", minimum=0),
    )


_PERIOD_WORDS = {
    "nl": {"week": ("week", "weken"), "day": ("dag", "dagen")},
    "en": {"week": ("week", "weeks"), "day": ("day", "days")},
}


def period_text(days: int, language: str = "nl") -> str:
    """A number of days in plain words, as the letters, labels and calendar name a period.

    Whole weeks as weeks, anything else as days: 28 → "4 weken", 7 → "1 week", 10 → "10 dagen",
    1 → "1 dag" (English with ``language="en"``: "4 weeks", "1 week", "10 days", "1 day").
    The periods come from the policy in force for the lot (``storage_letters``, ``storage_period``),
    so a municipality's override shows in the text; no text names a number of its own.
    """
    words = _PERIOD_WORDS[language]
    unit, count = ("week", days // 7) if days > 0 and days % 7 == 0 else ("day", days)
    one, many = words[unit]
    return f"{count} {one if count == 1 else many}"


CATEGORY_LABELS: dict[str, tuple[str, str]] = {
    "furniture": ("Meubels", "Furniture"),
    "appliances": ("Apparaten", "Appliances"),
    "clothing": ("Kleding", "Clothing"),
    "personal_documents": ("Persoonlijke papieren", "Personal documents"),
    "photos_keepsakes": ("Foto's en herinneringen", "Photos and keepsakes"),
    "other": ("Overig", "Other"),
}


def storage_days(policy: PolicyBook, stored_on: date) -> int:
    """The minimum storage period in force on the day of storage (91 days since 1 April 2021)."""
    return policy.integer("storage_period", stored_on, "minimum_days", minimum=1)


def deadline_for(policy: PolicyBook, stored_on: date) -> date:
    """The last day of the storage period ("13 weken voorbij op"): day of storage + period (day 91)."""
    return stored_on + timedelta(days=storage_days(policy, stored_on))


def disposal_allowed_from(deadline: date) -> date:
    """First day of sale or destruction (art. 5:30 lid 1 Awb): the day after the period, day 92."""
    return deadline + timedelta(days=1)


def day_number(stored_on: date, day: date) -> int:
    """Days since storage: 0 on the day of storage, 91 on the usual deadline."""
    return (day - stored_on).days


def period_passed(deadline: date, day: date) -> bool:
    """True from day 92 (the day after the deadline), False on day 91 and before (art. 5:30 lid 1 Awb)."""
    return day >= disposal_allowed_from(deadline)


EARLY_SALE_WAIT_DAYS = 14  # art. 5:30 lid 3 Awb: "niet binnen twee weken" after the copy of the proces-verbaal
CLAIM_YEARS = 3  # art. 5:30 lid 4 Awb: the owner may claim the net proceeds for three years after the sale


def early_sale_allowed_from(copy_given_on: date) -> date:
    """First day of an early sale (art. 5:30 lid 3 Awb): 14 days after the copy of the proces-verbaal
    was handed over or sent to the owner; on day 13 it is refused."""
    return copy_given_on + timedelta(days=EARLY_SALE_WAIT_DAYS)


def net_proceeds(proceeds_cents: int, costs_cents: int) -> int:
    """What the owner may claim after a sale (art. 5:30 lid 4 Awb): proceeds minus costs, never below 0."""
    return max(0, proceeds_cents - costs_cents)


def claim_deadline(sold_on: date) -> date:
    """Last day the owner may claim the net proceeds: 3 years after the sale, the same calendar day
    (a sale on 29 February runs to 28 February, the last day of that month)."""
    year = sold_on.year + CLAIM_YEARS
    try:
        return sold_on.replace(year=year)
    except ValueError:  # 29 February in a year without one
        return date(year, 2, 28)


def days_left(deadline: date, day: date) -> int:
    return (deadline - day).days


def flagged(times: LetterTimes, deadline: date, day: date) -> bool:
    """The list warns when the deadline is at most ``times.flag_within_days`` away (or passed)."""
    return days_left(deadline, day) <= times.flag_within_days


def is_protected(category: str) -> bool:
    """Personal documents, photos and keepsakes: never sold, never destroyed."""
    return category in PROTECTED_CATEGORIES


@dataclass(frozen=True)
class LetterDue:
    kind: str
    due_on: date


def letter_schedule(times: LetterTimes, stored_on: date, deadline: date) -> tuple[LetterDue, ...]:
    """The four letters of a lot and the day each is due, in order."""
    return (
        LetterDue("intake", stored_on),
        LetterDue("week_4", stored_on + timedelta(days=times.week_4_days)),
        LetterDue("two_weeks_before", deadline - timedelta(days=times.before_deadline_days)),
        LetterDue("deadline", deadline),
    )


@dataclass(frozen=True)
class Costs:
    """Removal and storage costs of a lot up to a day, in cents."""

    removal_cents: int
    storage_cents: int
    weeks: int
    volume_m3: Decimal

    @property
    def total_cents(self) -> int:
        return self.removal_cents + self.storage_cents


def weeks_started(stored_on: date, until: date) -> int:
    """Started weeks of storage from the day of storage up to ``until`` (at least one)."""
    days = max(0, (until - stored_on).days)
    return max(1, -(-days // 7))


def storage_costs(
    *,
    stored_on: date,
    until: date,
    tariff_kind: str | None,
    tariff_cents: int | None,
    removal_cents: int,
    volume_m3: Decimal,
) -> Costs:
    """Costs per the municipal tariff: per m³ per started week, or one fixed amount.

    Rounded half up to whole cents once, at the end. Without a tariff only the removal counts.
    """
    weeks = weeks_started(stored_on, until)
    if tariff_kind == "per_m3_week" and tariff_cents is not None:
        storage = (Decimal(tariff_cents) * volume_m3 * weeks).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    elif tariff_kind == "fixed" and tariff_cents is not None:
        storage = Decimal(tariff_cents)
    else:
        storage = Decimal(0)
    return Costs(removal_cents=removal_cents, storage_cents=int(storage), weeks=weeks, volume_m3=volume_m3)


def euro(cents: int | None) -> str:
    """'€ 1.234,50' in Dutch notation."""
    if cents is None:
        return "—"
    sign = "-" if cents < 0 else ""
    whole, rest = divmod(abs(cents), 100)
    return f"{sign}€ {whole:,}".replace(",", ".") + f",{rest:02d}"


def to_cents(amount: Decimal) -> int:
    """Euros (at most two decimals) to whole cents."""
    cents = amount * 100
    if cents != cents.to_integral_value():
        raise ValueError("an amount has at most two decimals")
    return int(cents)
