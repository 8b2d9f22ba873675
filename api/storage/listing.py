"""The storage-lot list: sorts, search (lot, household or bailiff reference, depot), filters and columns.

Lot, household reference and depot name come in one joined statement, and the count in another, so
the page does not grow with the number of lots (the old list read every household's reference).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import case, select
from sqlalchemy.orm import Session

from api.core.export import Column
from api.core.listing import ListQuery, ListSpec, Page, fetch
from api.core.policy import policy_book
from api.households.models import Household
from api.storage import rules
from api.storage.models import LOT_STATUSES, StorageDepot, StorageLot
from api.storage.schemas import LotSummary
from api.storage.service import OPEN_STATUSES, lot_summary

STATUSES = LOT_STATUSES
STATUS_LABELS = {
    "stored": "opgeslagen",
    "partly_returned": "deels teruggegeven",
    "returned": "teruggegeven",
    "disposed": "verkocht of vernietigd",
    "closed": "afgesloten",
}
ENDED_LAST = case((StorageLot.status.in_(OPEN_STATUSES), 0), else_=1)

SPEC = ListSpec(
    sorts={
        "deadline": (ENDED_LAST, StorageLot.deadline, StorageLot.reference),  # the old order: open lots first
        "reference": StorageLot.reference,
        "household": Household.reference,
        "stored_on": StorageLot.stored_on,
        "depot": StorageDepot.name,
        "status": StorageLot.status,
    },
    default_sort="deadline",
    tiebreak=StorageLot.id,
    search=(StorageLot.reference, Household.reference, StorageLot.bailiff_reference, StorageDepot.name),
    status=StorageLot.status,
    day=StorageLot.deadline,
)

COLUMNS = (
    Column("13 weken voorbij op", lambda s: s.deadline, sort="deadline"),
    Column("Nog", lambda s: s.days_left if s.status in OPEN_STATUSES else None),
    Column("verkoop of vernietiging mag vanaf", lambda s: s.disposal_allowed_from),
    Column("Kenmerk", lambda s: s.reference, link=lambda s: f"/opslag/{s.id}", sort="reference"),
    Column("Huishouden", lambda s: s.household_reference, sort="household"),
    Column("Opgeslagen op", lambda s: s.stored_on, sort="stored_on"),
    Column("Opslagplaats", lambda s: s.depot, sort="depot"),
    Column("Status", lambda s: STATUS_LABELS.get(s.status, s.status), sort="status"),
)


def lot_page(db: Session, *, municipality_id: int, query: ListQuery, today: date) -> Page:
    """One window of lots as :class:`LotSummary` rows (deadline flags need the dated letter times)."""
    stmt = (
        select(StorageLot, Household.reference, StorageDepot.name)
        .join(Household, Household.id == StorageLot.household_id)
        .join(StorageDepot, StorageDepot.id == StorageLot.depot_id)
        .where(StorageLot.municipality_id == municipality_id)
    )
    page = fetch(db, stmt, SPEC, query, scalars=False)
    book = policy_book(db, municipality_id=municipality_id)

    def times(lot: StorageLot) -> rules.LetterTimes:
        return rules.letter_times(book, lot.stored_on)

    rows: list[LotSummary] = [
        lot_summary(lot, today=today, household_ref=ref, depot_name=depot, times=times(lot))
        for lot, ref, depot in page.rows
    ]
    return Page(rows=rows, total=page.total, query=page.query)
