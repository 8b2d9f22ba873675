"""The dated policy in force for one municipality on one day, as the matching needs it.

Why here and not in the matcher: the matcher gets plain numbers in its instance; which
numbers apply on a day is the rules engine's :class:`~matcher.rules.policy.PolicyBook`
(national seed sets in ``seed_data/policy``, including the matching's own key ``matching``
with ``horizon_days`` and ``max_distance_km``) plus this municipality's overrides, loaded
once by :func:`api.rules.service.policy_book`. This module only reads the numbers the
instance needs out of that book.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from api.core.errors import InvalidInput
from matcher.rules.errors import RulesError
from matcher.rules.policy import PolicyBook


@dataclass(frozen=True)
class MatchingPolicy:
    """The policy block of the instance, taken from the dated parameters at the planning date."""

    min_stay_days: int
    max_stay_days: int
    cost_sharing_age: int
    max_distance_km: float | None
    horizon_days: int
    exemption_applies: bool = True

    def last_day_reached(self, day: date) -> date:
        """The last day a stay planned on ``day`` could reach (for exemption decisions)."""
        return day + timedelta(days=self.horizon_days + self.max_stay_days - 1)


def matching_policy(book: PolicyBook, day: date) -> MatchingPolicy:
    """Read every number the instance needs at ``day``; a gap in the policy is a clear 422."""
    try:
        distance = book.raw("matching", day, "max_distance_km")
        if distance is not None and (isinstance(distance, bool) or not isinstance(distance, int | float)):
            raise InvalidInput(code="policy.max_distance_not_a_number", value=repr(distance))
        policy = MatchingPolicy(
            min_stay_days=book.integer("stay_limits", day, "minimum_days", minimum=1),
            max_stay_days=book.integer("stay_limits", day, "maximum_days", minimum=1),
            cost_sharing_age=book.integer("cost_sharing_age", day, "age", minimum=0),
            max_distance_km=None if distance is None else float(distance),
            horizon_days=book.integer("matching", day, "horizon_days", minimum=1),
            exemption_applies=book.boolean("temporary_stay_exemption", day, "applies"),
        )
    except RulesError as exc:
        raise InvalidInput(
            code="policy.invalid_at", loc=("policy", *exc.loc), day=day.isoformat(), detail=exc.msg
        ) from None
    if policy.horizon_days > policy.min_stay_days:
        raise InvalidInput(code="policy.horizon_exceeds_minimum_stay", loc=("policy",))
    return policy
