"""Where households went: the two lists of outcomes and the quarterly report per municipality.

Why two lists in one column: the placement's ``outcome`` started with the Wachtkamer pilot's five values
(an API value and a database constraint others rely on). Issue 19 asks for own rental, social housing,
family, other shelter, street and unknown; since migration 0016 the placement's ``outcome`` takes those too
(add, don't break: the pilot values stay valid). A stay ended through api.stays records its destination in
``stay_end`` and the same value as the placement's outcome; a stay ended through the older placement route
with a pilot value is counted by mapping it to the issue's list:

=====================  ======================  =============================================
pilot value            issue list              why
=====================  ======================  =============================================
back_home_addendum     own_rental              back in the own rented home (with addendum)
other_home             own_rental              another home of their own
own_network            family                  family and friends
shelter                other_shelter           social shelter (maatschappelijke opvang)
unknown                unknown
=====================  ======================  =============================================

Only counts leave this module, never names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.core.errors import InvalidInput
from api.placements.models import Placement
from api.stays.models import DESTINATIONS, FollowUp, StayBreakdown, StayEnd

# pilot value → issue list, for stays ended without a recorded destination (the values map to themselves)
DESTINATION_OF = {
    "back_home_addendum": "own_rental",
    "other_home": "own_rental",
    "own_network": "family",
    "shelter": "other_shelter",
    **{d: d for d in DESTINATIONS},
}


@dataclass
class QuarterReport:
    quarter: str
    first_day: date
    last_day: date
    ended: int = 0
    breakdowns: int = 0
    destinations: dict[str, int] = field(default_factory=dict)
    follow_ups: dict[str, dict[str, int]] = field(default_factory=dict)  # months → destination → count


def parse_quarter(value: str) -> tuple[str, date, date]:
    """'2026-Q4' or '2026-K4' → ('2026-Q4', 1 Oct 2026, 1 Jan 2027): the half-open quarter."""
    match = re.fullmatch(r"(\d{4})-[QqKk]([1-4])", value.strip())
    if not match:
        raise InvalidInput(code="stay.invalid_quarter", loc=("query", "quarter"), value=repr(value))
    year, q = int(match[1]), int(match[2])
    try:
        first = date(year, 3 * q - 2, 1)
        nxt = date(year + 1, 1, 1) if q == 4 else date(year, 3 * q + 1, 1)
    except ValueError:  # year 0, or the last quarter of 9999
        raise InvalidInput(code="stay.invalid_quarter", loc=("query", "quarter"), value=repr(value)) from None
    return f"{year}-Q{q}", first, nxt


def quarter_of(day: date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def quarter_report(db: Session, *, municipality_id: int, quarter: str) -> QuarterReport:
    """Stays ended in the quarter by destination (breakdowns apart), and follow-ups done in it."""
    label, first, nxt = parse_quarter(quarter)
    report = QuarterReport(
        quarter=label,
        first_day=first,
        last_day=date.fromordinal(nxt.toordinal() - 1),
        destinations=dict.fromkeys(DESTINATIONS, 0),
    )
    rows = db.execute(
        select(Placement, StayEnd.destination, StayBreakdown.id)
        .outerjoin(StayEnd, StayEnd.placement_id == Placement.id)
        .outerjoin(StayBreakdown, StayBreakdown.placement_id == Placement.id)
        .where(
            Placement.municipality_id == municipality_id,
            Placement.status == "ended",
            Placement.ended_on >= first,
            Placement.ended_on < nxt,
        )
    ).all()
    for placement, destination, breakdown in rows:
        if breakdown is not None:
            report.breakdowns += 1
            continue
        report.ended += 1
        report.destinations[destination or DESTINATION_OF.get(placement.outcome or "unknown", "unknown")] += 1
    follow_ups = db.scalars(
        select(FollowUp).where(
            FollowUp.municipality_id == municipality_id, FollowUp.done_on >= first, FollowUp.done_on < nxt
        )
    ).all()
    for f in follow_ups:
        counts = report.follow_ups.setdefault(str(f.months), dict.fromkeys(DESTINATIONS, 0))
        counts[f.outcome] += 1
    return report
