"""The monthly report per municipality: placed, days to placement, stay length, outcomes.

Why these figures: they are what the Wachtkamer pilot was judged on (domain.md: outcomes
back home with addendum, other home, own network, shelter, unknown; a stay of 6 to 8
weeks). Only counts and durations leave this module, never names.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, selectinload

from api.core import data_version
from api.core.errors import InvalidInput
from api.core.policy import policy_book
from api.households.models import Eviction, Household
from api.placements.models import OUTCOMES, Placement
from matcher.schema import MAX_DATE, MIN_DATE


@dataclass
class MonthReport:
    month: str
    placed: int = 0
    manual: int = 0
    cancelled: int = 0
    days_to_placement_mean: float | None = None
    days_to_placement_median: float | None = None
    ended: int = 0
    early_ends: int = 0
    stay_days_mean: float | None = None
    stay_days_median: float | None = None
    outcomes: dict[str, int] = field(default_factory=dict)
    waiting_at_month_end: int = 0


def parse_month(value: str) -> tuple[date, date]:
    """'2026-11' → (1 Nov 2026, 1 Dec 2026): the half-open month."""
    try:
        year, month = (int(x) for x in value.split("-"))
        first = date(year, month, 1)
        if not MIN_DATE.year <= year <= MAX_DATE.year:  # also keeps the next month (9999-12) computable
            raise ValueError(value)
    except (ValueError, TypeError):
        raise InvalidInput(code="input.invalid_month", loc=("query", "month"), value=repr(value)) from None
    nxt = date(year + month // 12, month % 12 + 1, 1)
    return first, nxt


def _stats(values: list[int]) -> tuple[float | None, float | None]:
    if not values:
        return None, None
    return round(statistics.fmean(values), 1), float(statistics.median(values))


def month_report(db: Session, *, municipality_id: int, month: str) -> MonthReport:
    """The month's figures, computed once per version of the data (api/core/data_version.py).

    Why cached: the report page and its API are opened by every coordinator several times a day while the
    records change a few times an hour; the figures only change when a record does."""
    first, nxt = parse_month(month)
    return data_version.views.get_or_compute(
        db, ("month_report", municipality_id, first), lambda: _month_report(db, municipality_id, first, nxt)
    )


def _month_report(db: Session, municipality_id: int, first: date, nxt: date) -> MonthReport:
    """Only the placements that began or ended in the month are read: the work is the month's, not the
    municipality's whole history."""
    book = policy_book(db, municipality_id=municipality_id)
    rows = db.scalars(
        select(Placement)
        .where(
            Placement.municipality_id == municipality_id,
            or_(
                and_(Placement.start_date >= first, Placement.start_date < nxt),
                and_(Placement.status == "ended", Placement.ended_on >= first, Placement.ended_on < nxt),
            ),
        )
        .options(selectinload(Placement.household).selectinload(Household.evictions))
    ).all()
    report = MonthReport(month=f"{first:%Y-%m}", outcomes=dict.fromkeys(OUTCOMES, 0))
    waits: list[int] = []
    stays: list[int] = []
    for p in rows:
        if first <= p.start_date < nxt:
            if p.status == "cancelled":
                report.cancelled += 1
                continue
            report.placed += 1
            report.manual += p.manual_reason is not None
            evictions = [e.eviction_date for e in p.household.evictions]
            if evictions:
                waits.append(max(0, (p.start_date - max(evictions)).days))
        if p.status == "ended" and p.ended_on and first <= p.ended_on < nxt:
            report.ended += 1
            report.outcomes[p.outcome or "unknown"] += 1
            began = p.arrived_on or p.start_date
            stays.append((p.ended_on - began).days)
            minimum = book.integer("stay_limits", began, "minimum_days", minimum=1)
            report.early_ends += p.ended_on < began + timedelta(days=minimum)
    report.days_to_placement_mean, report.days_to_placement_median = _stats(waits)
    report.stay_days_mean, report.stay_days_median = _stats(stays)
    report.waiting_at_month_end = _waiting_on(db, municipality_id, nxt - timedelta(days=1))
    return report


def _waiting_on(db: Session, municipality_id: int, day: date) -> int:
    """Households whose status is waiting now and whose (first) eviction was on or before ``day``: counted by
    the database, not by loading every waiting household."""
    first_eviction = (
        select(Eviction.household_id, func.min(Eviction.eviction_date).label("first_day"))
        .group_by(Eviction.household_id)
        .subquery()
    )
    return int(
        db.scalar(
            select(func.count())
            .select_from(Household)
            .join(first_eviction, first_eviction.c.household_id == Household.id)
            .where(
                Household.municipality_id == municipality_id,
                Household.status == "waiting",
                first_eviction.c.first_day <= day,
            )
        )
        or 0
    )
