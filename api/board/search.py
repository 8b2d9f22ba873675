"""The header search (``/zoeken?q=``, ``GET /api/search?q=``): households, hosts and places by name,
reference or address, inside the caller's municipality, and only what the caller's role may see.

Why these rules: a case worker has no business with hosts (the host list is the coordinator's and the
crisis team's); a host's street and house number, and searching hosts *by* address, are for the crisis
team only, who brings the household there (domain.md, "Law and privacy"; Principal.sees_exact_host_location).
Why bounded: each kind is one statement of at most :data:`LIMIT` rows, filtered first on the municipality
(the composite indexes of migration 0017 start with it); references and postcodes match from their start,
names anywhere in the text (a trigram index on PostgreSQL may serve those later).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from api.auth.dependencies import DbSession, require_roles
from api.core import audit, error_codes
from api.core.errors import InvalidInput
from api.core.principal import Principal
from api.core.templating import render
from api.hosts.models import Host
from api.households.models import Household
from api.places.models import Place

router = APIRouter()
Searcher = Annotated[Principal, Depends(require_roles("crisis_team", "coordinator", "case_worker"))]
LIMIT = 20
MIN_CHARS = 2
HOST_ROLES = ("crisis_team", "coordinator")


class Hit(BaseModel):
    """One result: what it is, its reference, a line to recognise it by, and the page to open."""

    kind: str  # "household", "host", "place"
    id: int
    reference: str
    title: str
    detail: str | None
    href: str


class SearchRead(BaseModel):
    q: str
    households: list[Hit]
    hosts: list[Hit]
    places: list[Hit]


@dataclass(frozen=True)
class _Patterns:
    anywhere: str
    start: str
    postcode: str  # "6211ck" and "6211 ck" both match either spelling


def _escape(text: str) -> str:
    return text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _patterns(q: str) -> _Patterns:
    text = _escape(q.strip())
    compact = text.replace(" ", "")
    return _Patterns(f"%{text}%", f"{text}%", f"{compact}%")


def _like(column, pattern: str):  # type: ignore[no-untyped-def]
    return func.lower(column).like(pattern, escape="\\")


def _postcode_like(column, pattern: str):  # type: ignore[no-untyped-def]
    return func.replace(func.lower(column), " ", "").like(pattern, escape="\\")


def _households(db: Session, principal: Principal, p: _Patterns) -> list[Hit]:
    rows = db.scalars(
        select(Household)
        .where(
            Household.municipality_id == principal.municipality_id,
            or_(
                _like(Household.reference, p.start),
                _like(Household.display_name, p.anywhere),
                _postcode_like(Household.origin_postcode, p.postcode),
            ),
        )
        .order_by(Household.reference)
        .limit(LIMIT)
    ).all()
    return [
        Hit(
            kind="household",
            id=h.id,
            reference=h.reference,
            title=h.display_name,
            detail=" ".join(x for x in (h.origin_postcode, h.origin_house_number) if x) or None,
            href=f"/huishoudens/{h.id}",
        )
        for h in rows
    ]


def _hosts(db: Session, principal: Principal, p: _Patterns) -> list[Hit]:
    if principal.role not in HOST_ROLES:
        return []
    exact = principal.sees_exact_host_location
    matches = [_like(Host.reference, p.start), _like(Host.name, p.anywhere)]
    if exact:  # only who may see a host's address may look a host up by it
        matches += [_postcode_like(Host.postcode, p.postcode), _like(Host.street, p.anywhere)]
    rows = db.scalars(
        select(Host)
        .where(Host.municipality_id == principal.municipality_id, or_(*matches))
        .order_by(Host.reference)
        .limit(LIMIT)
    ).all()
    return [
        Hit(
            kind="host",
            id=h.id,
            reference=h.reference,
            title=h.name,
            detail=f"{h.street} {h.house_number}, {h.postcode} {h.city}" if exact else h.city,
            href=f"/gastgevers/{h.id}",
        )
        for h in rows
    ]


def _places(db: Session, principal: Principal, p: _Patterns) -> list[Hit]:
    rows = db.scalars(
        select(Place)
        .where(
            Place.municipality_id == principal.municipality_id,
            or_(
                _like(Place.reference, p.start),
                _like(Place.label, p.anywhere),
                _like(Place.address, p.anywhere),
                _postcode_like(Place.postcode, p.postcode),
            ),
        )
        .order_by(Place.reference)
        .limit(LIMIT)
    ).all()
    return [
        Hit(
            kind="place",
            id=pl.id,
            reference=pl.reference,
            title=pl.label,
            detail=pl.address if pl.kind == "wachtkamer" else None,  # a host room's address is the host's
            href=f"/plaatsen/{pl.id}",
        )
        for pl in rows
    ]


def search(db: Session, principal: Principal, q: str) -> SearchRead:
    """All three kinds for ``q`` (at least :data:`MIN_CHARS` characters), audited without the text."""
    text = q.strip()
    if len(text) < MIN_CHARS:
        raise InvalidInput(code="search.too_short", loc=("query", "q"), limit=MIN_CHARS)
    p = _patterns(text)
    result = SearchRead(
        q=text,
        households=_households(db, principal, p),
        hosts=_hosts(db, principal, p),
        places=_places(db, principal, p),
    )
    audit.record(
        db,
        principal=principal,
        action="search",
        object_type="search",
        detail={"households": [h.id for h in result.households], "hosts": [h.id for h in result.hosts]},
    )
    return result


Q = Annotated[str, Query(max_length=100, description=f"at least {MIN_CHARS} characters: name, reference or address")]


@router.get("/api/search", response_model=SearchRead, tags=["search"])
def search_api(db: DbSession, principal: Searcher, q: Q) -> SearchRead:
    """Households, hosts and places matching ``q`` (at most 20 of each), as the caller's role may see them."""
    return search(db, principal, q)


@router.get("/zoeken", response_class=HTMLResponse, include_in_schema=False)
def search_page(request: Request, db: DbSession, principal: Searcher, q: str = "") -> Response:
    """The results page of the header search; a too-short text comes back with the message at the field."""
    error = None
    result = None
    if q.strip():
        try:
            result = search(db, principal, q[:100])
        except InvalidInput as exc:
            error = exc.message
    elif "q" in request.query_params:
        error = error_codes.render("search.too_short", {"limit": MIN_CHARS})
    return render(
        request,
        "search.html",
        {"q": q, "result": result, "error": error, "limit": LIMIT},
        status_code=422 if error else 200,
    )
