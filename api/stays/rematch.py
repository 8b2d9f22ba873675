"""The priority rule after a breakdown: a household whose stay broke down goes back into the next
run with its priority raised.

The rule (documented in the README): ``rematch_points`` per earlier breakdown, at most
``rematch_points_max`` (policy ``stay_care``, starting values 5 and 10), added as the factor
``rematch_after_breakdown`` of the priority breakdown the matching uses, and never beyond the
matching spec's range: the total stays at or below the matcher's ``MAX_PRIORITY`` (1000).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api.placements.models import Placement
from api.stays.care import care_policy
from api.stays.models import StayBreakdown
from matcher.rules.policy import PolicyBook
from matcher.rules.priority import PriorityFactor
from matcher.schema import MAX_PRIORITY


def breakdowns_per_household(db: Session, *, municipality_id: int) -> dict[int, int]:
    """Household id → how many of its stays broke down."""
    rows = db.execute(
        select(Placement.household_id, func.count(StayBreakdown.id))
        .join(StayBreakdown, StayBreakdown.placement_id == Placement.id)
        .where(Placement.municipality_id == municipality_id)
        .group_by(Placement.household_id)
    )
    return {int(household_id): int(count) for household_id, count in rows}


def rematch_factor(breakdowns: int, subtotal: int, day: date, book: PolicyBook) -> PriorityFactor | None:
    """The extra points for ``breakdowns`` earlier breakdowns, kept inside ``0..MAX_PRIORITY``."""
    if breakdowns <= 0:
        return None
    care = care_policy(book, day)
    points = min(breakdowns * care.rematch_points, care.rematch_points_max, max(0, MAX_PRIORITY - subtotal))
    return PriorityFactor(
        "rematch_after_breakdown",
        points,
        f"{breakdowns} verblijf afgebroken: {care.rematch_points} punten per keer, hoogstens "
        f"{care.rematch_points_max}.",
    )
