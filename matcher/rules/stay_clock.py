"""Stay clock: how long a household has stayed, and the deadlines that follow.

Why: a stay in De Wachtkamer or with a host lasts six to eight weeks (42-56
days; Movisie / Eropaf! 2022, De Wachtkamer Maastricht), because arranging
financial administration (bewind) takes that long. The team must plan the next
step in time, knows when the minimum stay is reached and must escalate at the
maximum. The day numbers are dated parameters: ``stay_signals.plan_next_step_day``
(35) and ``stay_limits.minimum_days`` / ``maximum_days`` (42 / 56), read at the
placement's start date so a running stay keeps the rules it started under.

Counting: a stay is the half-open interval ``[start, end)`` (as in the matcher
format). The day count on a date is the number of days since the start (0 on the
start date); the signal for day N falls on ``start + N`` days, so the maximum
stay of 56 days ends on ``start + 56``, the latest end date in the agreement.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import StrEnum

from matcher.rules.errors import InvalidInputError, PolicyValueError
from matcher.rules.policy import PolicyBook

__all__ = [
    "Deadline",
    "SignalKind",
    "SignalRule",
    "StayPlacement",
    "StayStatus",
    "day_count",
    "signal_rules",
    "stay_status",
    "upcoming_deadlines",
]


class SignalKind(StrEnum):
    PLAN_NEXT_STEP = "plan_next_step"
    MINIMUM_STAY_REACHED = "minimum_stay_reached"
    MAXIMUM_STAY = "maximum_stay"


_LABELS: dict[SignalKind, tuple[str, str]] = {
    SignalKind.PLAN_NEXT_STEP: ("Vervolg plannen", "Plan the next step"),
    SignalKind.MINIMUM_STAY_REACHED: ("Minimale verblijfsduur bereikt", "Minimum stay reached"),
    SignalKind.MAXIMUM_STAY: ("Maximale verblijfsduur: escaleren", "Maximum stay: escalate"),
}


@dataclass(frozen=True)
class StayPlacement:
    """A confirmed placement as the clock needs it. ``household_ref`` is a code, never a name."""

    ref: str
    household_ref: str
    start_date: date
    end_date: date | None = None  # the day the household left (exclusive end); None while staying
    place_ref: str | None = None


@dataclass(frozen=True)
class SignalRule:
    kind: SignalKind
    day_number: int
    label_nl: str
    label_en: str


@dataclass(frozen=True)
class Deadline:
    """One signal of one placement on one date. ``overdue`` only for a passed maximum.

    Other domains reuse it for their own deadlines (e.g. storage lots) with their own
    ``StrEnum`` kinds; ``placement_ref`` is then their object's reference code.
    """

    kind: StrEnum
    date: date
    placement_ref: str
    household_ref: str
    day_number: int
    label: str
    label_en: str
    overdue: bool = False


@dataclass(frozen=True)
class StayStatus:
    placement_ref: str
    day_count: int
    latest_end_date: date
    reached: tuple[SignalKind, ...]
    next_deadline: Deadline | None


def signal_rules(policy: PolicyBook, start: date) -> tuple[SignalRule, ...]:
    """The three signals in force for a stay that starts on ``start``, in day order."""
    plan = policy.integer("stay_signals", start, "plan_next_step_day", minimum=1)
    minimum = policy.integer("stay_limits", start, "minimum_days", minimum=1)
    maximum = policy.integer("stay_limits", start, "maximum_days", minimum=1)
    if not plan < minimum <= maximum:
        raise PolicyValueError(
            "stay_signals",
            "plan_next_step_day",
            f"needs plan ({plan}) < minimum ({minimum}) <= maximum ({maximum}) on {start.isoformat()}",
        )
    days = {
        SignalKind.PLAN_NEXT_STEP: plan,
        SignalKind.MINIMUM_STAY_REACHED: minimum,
        SignalKind.MAXIMUM_STAY: maximum,
    }
    return tuple(SignalRule(kind, days[kind], *_LABELS[kind]) for kind in SignalKind)


def _check(placement: StayPlacement, field: str) -> None:
    if not placement.ref:
        raise InvalidInputError(f"{field}.ref", "required")
    if not placement.household_ref:
        raise InvalidInputError(f"{field}.household_ref", "required")
    if placement.end_date is not None and placement.end_date < placement.start_date:
        raise InvalidInputError(f"{field}.end_date", "lies before start_date")


def day_count(placement: StayPlacement, day: date) -> int:
    """Days since the start on ``day`` (0 on the start date); an error before the start."""
    _check(placement, "placement")
    if day < placement.start_date:
        raise InvalidInputError("day", f"the stay starts on {placement.start_date.isoformat()}")
    last = placement.end_date or day
    return (min(day, last) - placement.start_date).days


def _deadlines_of(placement: StayPlacement, rules: tuple[SignalRule, ...]) -> list[Deadline]:
    return [
        Deadline(
            kind=r.kind,
            date=placement.start_date + timedelta(days=r.day_number),
            placement_ref=placement.ref,
            household_ref=placement.household_ref,
            day_number=r.day_number,
            label=r.label_nl,
            label_en=r.label_en,
        )
        for r in rules
    ]


def stay_status(placement: StayPlacement, day: date, policy: PolicyBook) -> StayStatus:
    """Day count, signals reached and the next deadline, for a placement's page."""
    count = day_count(placement, day)
    rules = signal_rules(policy, placement.start_date)
    reached = tuple(r.kind for r in rules if count >= r.day_number)
    maximum = rules[-1].day_number
    upcoming = upcoming_deadlines([placement], day, policy)
    return StayStatus(
        placement_ref=placement.ref,
        day_count=count,
        latest_end_date=placement.start_date + timedelta(days=maximum),
        reached=reached,
        next_deadline=upcoming[0] if upcoming else None,
    )


def upcoming_deadlines(
    placements: Iterable[StayPlacement],
    day: date,
    policy: PolicyBook,
    *,
    horizon_days: int | None = None,
) -> list[Deadline]:
    """Deadlines on or after ``day`` of placements still running, plus passed maxima (overdue).

    A placement that ended (``end_date <= day``) has no more deadlines. Placements
    that start later are included: their deadlines are known from confirmation on.
    ``horizon_days`` limits the list to deadlines up to ``day + horizon_days``.
    Sorted by date, then signal order, then placement reference.
    """
    if horizon_days is not None and horizon_days < 0:
        raise InvalidInputError("horizon_days", "must be zero or more")
    result: list[Deadline] = []
    for i, placement in enumerate(placements):
        _check(placement, f"placements[{i}]")
        if placement.end_date is not None and placement.end_date <= day:
            continue
        for deadline in _deadlines_of(placement, signal_rules(policy, placement.start_date)):
            if deadline.date >= day:
                result.append(deadline)
            elif deadline.kind is SignalKind.MAXIMUM_STAY:
                result.append(_overdue(deadline))
    if horizon_days is not None:
        until = day + timedelta(days=horizon_days)
        result = [d for d in result if d.date <= until]
    order: dict[StrEnum, int] = {kind: i for i, kind in enumerate(SignalKind)}
    result.sort(key=lambda d: (d.date, order.get(d.kind, len(order)), d.placement_ref))
    return result


def _overdue(deadline: Deadline) -> Deadline:
    return replace(
        deadline,
        label=f"{deadline.label} (verlopen)",
        label_en=f"{deadline.label_en} (overdue)",
        overdue=True,
    )
