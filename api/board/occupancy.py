"""The occupancy calendar (``/plaatsen/bezetting``, ``GET /api/occupancy``): places × weeks, and in each cell
the stays, pending offers and pauses of that week.

Why on the board: it reads placements, offers and places together, and offers sit high in the domain order.
Why bounded: a page holds at most :data:`PAGE_SIZE` places and :data:`MAX_WEEKS` weeks, and the whole
calendar is five set-based statements whatever the page (count, places, stays, offers, pauses): no
statement per place or per cell.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api.auth.dependencies import DbSession, require_roles
from api.core import audit, clock
from api.core.errors import InvalidInput
from api.core.principal import Principal
from api.core.templating import render
from api.households.models import Household
from api.offers.models import Offer
from api.placements.models import Placement
from api.places.models import Place, PlaceUnavailability

router = APIRouter()
Viewer = Annotated[Principal, Depends(require_roles("crisis_team", "coordinator", "case_worker"))]
PAGE_SIZE = 50
MAX_WEEKS = 26
DEFAULT_WEEKS = 8


@dataclass
class Entry:
    """One thing in a week cell: a stay, an offer or a pause, with its days."""

    kind: str  # "stay", "offer", "pause"
    start: date
    end: date  # exclusive
    text: str
    href: str | None = None


@dataclass
class Row:
    place: Place
    cells: list[list[Entry]] = field(default_factory=list)


@dataclass
class Calendar:
    start: date
    weeks: list[date]
    rows: list[Row]
    total: int
    page: int
    pages: int


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _spread(entries: list[Entry], weeks: list[date]) -> list[list[Entry]]:
    cells: list[list[Entry]] = [[] for _ in weeks]
    for entry in entries:
        for i, week in enumerate(weeks):
            if entry.start < week + timedelta(days=7) and entry.end > week:
                cells[i].append(entry)
    return cells


def build(db: Session, *, municipality_id: int, start: date, weeks: int, page: int) -> Calendar:
    """The calendar from the Monday of ``start`` for ``weeks`` weeks, places ``page`` (1-based) of 50."""
    first = monday(start)
    week_days = [first + timedelta(weeks=i) for i in range(weeks)]
    last = first + timedelta(weeks=weeks)
    scope = Place.municipality_id == municipality_id
    total = int(db.scalar(select(func.count(Place.id)).where(scope)) or 0)
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(page, 1), pages)
    places = list(
        db.scalars(
            select(Place)
            .where(scope)
            .order_by(Place.reference, Place.id)
            .limit(PAGE_SIZE)
            .offset((page - 1) * PAGE_SIZE)
        )
    )
    ids = [p.id for p in places]
    found: dict[int, list[Entry]] = defaultdict(list)
    stays = db.execute(
        select(Placement, Household.reference)
        .join(Household, Household.id == Placement.household_id)
        .where(
            Placement.place_id.in_(ids),
            Placement.status != "cancelled",
            Placement.start_date < last,
            func.coalesce(Placement.ended_on, Placement.end_date) > first,
        )
    ).all()
    for placement, reference in stays:
        end = placement.ended_on or placement.end_date
        found[placement.place_id].append(
            Entry("stay", placement.start_date, end, reference, f"/huishoudens/{placement.household_id}")
        )
    offers = db.execute(
        select(Offer, Household.reference)
        .join(Household, Household.id == Offer.household_id)
        .where(Offer.place_id.in_(ids), Offer.status == "pending", Offer.start_date < last, Offer.end_date > first)
    ).all()
    for offer, reference in offers:
        found[offer.place_id].append(
            Entry("offer", offer.start_date, offer.end_date, reference, f"/huishoudens/{offer.household_id}")
        )
    pauses = db.scalars(
        select(PlaceUnavailability).where(
            PlaceUnavailability.place_id.in_(ids),
            PlaceUnavailability.start_date < last,
            PlaceUnavailability.end_date > first,
        )
    ).all()
    for pause in pauses:
        found[pause.place_id].append(Entry("pause", pause.start_date, pause.end_date, pause.reason or "", None))
    rows = [Row(p, _spread(sorted(found[p.id], key=lambda e: e.start), week_days)) for p in places]
    return Calendar(first, week_days, rows, total, page, pages)


def _parse(van: str | None, weken: int) -> date:
    if not 1 <= weken <= MAX_WEEKS:
        raise InvalidInput(code="calendar.weeks_range", loc=("query", "weken"), limit=MAX_WEEKS)
    if not van:
        return clock.today()
    try:
        return date.fromisoformat(van)
    except ValueError:
        raise InvalidInput(code="input.invalid_date_text", loc=("query", "van"), value=repr(van)) from None


From = Annotated[str | None, Query(description="the first day (its Monday is used); default today")]
Weeks = Annotated[int, Query(description=f"1 to {MAX_WEEKS}")]
PageNo = Annotated[int, Query(ge=1)]


@router.get("/plaatsen/bezetting", response_class=HTMLResponse, include_in_schema=False)
def occupancy_page(
    request: Request,
    db: DbSession,
    principal: Viewer,
    van: From = None,
    weken: Weeks = DEFAULT_WEEKS,
    pagina: PageNo = 1,
) -> Response:
    """The calendar page: 50 places a page, each week a cell with its stays, offers and pauses."""
    calendar = build(db, municipality_id=principal.municipality_id, start=_parse(van, weken), weeks=weken, page=pagina)
    audit.record(
        db, principal=principal, action="read", object_type="occupancy", detail={"from": calendar.start.isoformat()}
    )
    return render(
        request,
        "places/occupancy.html",
        {
            "calendar": calendar,
            "weken": weken,
            "previous": (calendar.start - timedelta(weeks=weken)).isoformat(),
            "next": (calendar.start + timedelta(weeks=weken)).isoformat(),
            "today": clock.today(),
        },
    )


class EntryRead(BaseModel):
    kind: str
    start_date: date
    end_date: date
    household_reference: str | None


class OccupancyRowRead(BaseModel):
    place_id: int
    reference: str
    kind: str
    status: str
    weeks: list[list[EntryRead]]


class OccupancyRead(BaseModel):
    start: date
    weeks: list[date]
    total: int
    page: int
    pages: int
    rows: list[OccupancyRowRead]


@router.get("/api/occupancy", response_model=OccupancyRead, tags=["places"])
def occupancy(
    db: DbSession, principal: Viewer, van: From = None, weken: Weeks = DEFAULT_WEEKS, pagina: PageNo = 1
) -> OccupancyRead:
    """The same calendar as JSON (50 places a page); a pause's reason stays on the page."""
    calendar = build(db, municipality_id=principal.municipality_id, start=_parse(van, weken), weeks=weken, page=pagina)
    return OccupancyRead(
        start=calendar.start,
        weeks=calendar.weeks,
        total=calendar.total,
        page=calendar.page,
        pages=calendar.pages,
        rows=[
            OccupancyRowRead(
                place_id=row.place.id,
                reference=row.place.reference,
                kind=row.place.kind,
                status=row.place.status,
                weeks=[
                    [
                        EntryRead(
                            kind=e.kind,
                            start_date=e.start,
                            end_date=e.end,
                            household_reference=None if e.kind == "pause" else e.text,
                        )
                        for e in cell
                    ]
                    for cell in row.cells
                ],
            )
            for row in calendar.rows
        ],
    )
