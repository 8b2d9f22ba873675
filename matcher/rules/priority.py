"""Priority of a household: transparent points from municipality-configurable factors.

Why: the daily matching places households in order of priority (level 2 and 3 of
the matching objective), so the number must be explainable to every user: which
factor gave how many points, and why. No law fixes these weights; they are the
dated parameter ``priority_weights`` (Onderdak starting values, each municipality
sets its own). The factors come from the domain notes: children, medical or
accessibility needs, time since the eviction, and an explicit crisis-team
override that always carries a reason.

Points are whole numbers because the matcher's ``priority`` is an integer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from matcher.rules.errors import InvalidInputError
from matcher.rules.policy import PolicyBook

__all__ = ["CrisisOverride", "PriorityBreakdown", "PriorityFactor", "PriorityInput", "compute"]

KEY = "priority_weights"


@dataclass(frozen=True)
class CrisisOverride:
    """An explicit decision of the crisis team to raise this household's priority.

    ``points`` None means the municipality's ``crisis_override`` weight; a number is
    what the crisis team chose (it is added to the other factors, so the breakdown
    still shows everything). The reason is always required; who and when are shown
    when known (the audit trail keeps them otherwise).
    """

    reason: str
    decided_by: str | None = None
    decided_on: date | None = None
    points: int | None = None


@dataclass(frozen=True)
class PriorityInput:
    """What priority looks at. ``household_ref`` is a code; no names are needed."""

    household_ref: str
    children: int = 0
    medical_need: bool = False
    accessibility_need: bool = False
    eviction_date: date | None = None
    override: CrisisOverride | None = None


@dataclass(frozen=True)
class PriorityFactor:
    factor: str
    points: int
    explanation: str  # Dutch, plain language, shown to every user


@dataclass(frozen=True)
class PriorityBreakdown:
    household_ref: str
    day: date
    factors: tuple[PriorityFactor, ...]
    sources: tuple[str, ...]

    @property
    def total(self) -> int:
        return sum(f.points for f in self.factors)


def _check(household: PriorityInput, day: date) -> None:
    if not household.household_ref:
        raise InvalidInputError("household_ref", "required")
    if household.children < 0:
        raise InvalidInputError("children", "cannot be negative")
    if household.override is not None:
        if not household.override.reason.strip():
            raise InvalidInputError("override.reason", "a crisis-team override needs a reason")
        if household.override.decided_by is not None and not household.override.decided_by.strip():
            raise InvalidInputError("override.decided_by", "say who decided the override")
        if household.override.decided_on is not None and household.override.decided_on > day:
            raise InvalidInputError("override.decided_on", "lies after the calculation date")
        if household.override.points is not None and household.override.points < 0:
            raise InvalidInputError("override.points", "cannot be negative")


def _waiting_factor(eviction: date | None, day: date, policy: PolicyBook) -> PriorityFactor:
    if eviction is None:
        return PriorityFactor("days_since_eviction", 0, "Geen ontruimingsdatum bekend: 0 punten.")
    if eviction > day:
        return PriorityFactor("days_since_eviction", 0, f"Ontruiming gepland op {eviction.isoformat()}: nog 0 punten.")
    days = (day - eviction).days
    per = policy.integer(KEY, day, "days_per_point", minimum=1)
    cap = policy.integer(KEY, day, "days_since_eviction_max")
    points = min(days // per, cap)
    return PriorityFactor(
        "days_since_eviction",
        points,
        f"{days} dagen sinds de ontruiming: 1 punt per {per} dagen, hoogstens {cap}.",
    )


def compute(household: PriorityInput, day: date, policy: PolicyBook) -> PriorityBreakdown:
    """The priority of ``household`` on ``day`` with a line per factor (also zero lines).

    The instance builder uses ``compute(...).total`` as the household's ``priority``.
    """
    _check(household, day)

    def w(name: str) -> int:
        return policy.integer(KEY, day, name)

    per_child, child_cap = w("per_child"), w("children_max")
    child_points = min(household.children * per_child, child_cap)
    factors = [
        PriorityFactor("base", w("base"), "Ieder huishouden krijgt basispunten."),
        PriorityFactor(
            "children",
            child_points,
            f"{household.children} minderjarige kinderen: {per_child} per kind, hoogstens {child_cap}.",
        ),
        PriorityFactor(
            "medical_need",
            w("medical_need") if household.medical_need else 0,
            "Medische zorg nodig." if household.medical_need else "Geen medische zorg nodig.",
        ),
        PriorityFactor(
            "accessibility_need",
            w("accessibility_need") if household.accessibility_need else 0,
            "Toegankelijke woonruimte nodig." if household.accessibility_need else "Geen aangepaste woonruimte nodig.",
        ),
        _waiting_factor(household.eviction_date, day, policy),
    ]
    if household.override is not None:
        o = household.override
        who = ", ".join(x for x in (o.decided_by, o.decided_on.isoformat() if o.decided_on else None) if x)
        factors.append(
            PriorityFactor(
                "crisis_override",
                w("crisis_override") if o.points is None else o.points,
                f"Crisisteam{f' ({who})' if who else ''}: {o.reason.strip()}",
            )
        )
    return PriorityBreakdown(household.household_ref, day, tuple(factors), tuple(policy.sources(KEY, day)))
