"""The proposals of a run as a list: paged, sorted, searched and filtered in the database.

The daily page used to draw every proposal with its explanation (2.2 MB at ten times the demo); now it
draws one page of this list. Proposal, household reference and place come in one joined statement.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api.core.export import Column
from api.core.listing import ListQuery, ListSpec, Page, fetch
from api.households.models import Household
from api.matching.models import PROPOSAL_STATUSES, Proposal
from api.matching.schemas import ProposalRead, ReasonRead
from api.places.models import Place

STATUSES = PROPOSAL_STATUSES
STATUS_LABELS = {"open": "open", "confirmed": "bevestigd", "rejected": "afgewezen", "stale": "verouderd"}
KIND_LABELS = {"wachtkamer": "Wachtkamerwoning", "host_room": "Kamer bij gastgever"}

SPEC = ListSpec(
    sorts={
        "id": Proposal.id,
        "household": Household.reference,
        "place": Place.reference,
        "start_date": Proposal.start_date,
        "status": Proposal.status,
    },
    default_sort="id",
    tiebreak=Proposal.id,
    search=(Household.reference, Place.reference, Place.label),
    status=Proposal.status,
    day=Proposal.start_date,
)

COLUMNS = (
    Column(
        "Huishouden", lambda p: p.household_reference, link=lambda p: f"/huishoudens/{p.household_id}", sort="household"
    ),
    Column("Plaats", lambda p: p.place_reference, sort="place"),
    Column("Soort", lambda p: KIND_LABELS.get(p.place_kind, p.place_kind)),
    Column("Begin", lambda p: p.start_date, sort="start_date"),
    Column("Uiterlijk einde", lambda p: p.end_date),
    Column("Status", lambda p: STATUS_LABELS.get(p.status, p.status), sort="status"),
    Column("Waarom", lambda p: " · ".join(r.nl for r in p.reasons)),
    Column("Reden van afwijzen", lambda p: p.rejection_reason),
)


def proposal_read(p: Proposal, household_ref: str, place_ref: str, kind: str) -> ProposalRead:
    """A proposal in the API's item shape: the one builder for the run view and the paged list."""
    return ProposalRead(
        id=p.id,
        run_id=p.run_id,
        household_id=p.household_id,
        household_reference=household_ref,
        place_id=p.place_id,
        place_reference=place_ref,
        place_kind=kind,
        start_date=p.start_date,
        end_date=p.end_date,
        status=p.status,
        reasons=[ReasonRead(**r) for r in (p.reasons or [])],
        rejection_reason=p.rejection_reason,
        decided_at=p.decided_at,
        offered_at=p.offered_at,
    )


def proposal_page(db: Session, *, run_id: int, query: ListQuery) -> Page:
    """One window of a run's proposals as :class:`ProposalRead` (the API's item shape)."""
    stmt = (
        select(Proposal, Household.reference, Place.reference, Place.kind)
        .join(Household, Household.id == Proposal.household_id)
        .join(Place, Place.id == Proposal.place_id)
        .where(Proposal.run_id == run_id)
    )
    page = fetch(db, stmt, SPEC, query, scalars=False)
    rows = [proposal_read(p, household_ref, place_ref, kind) for p, household_ref, place_ref, kind in page.rows]
    return Page(rows=rows, total=page.total, query=page.query)


def status_counts(db: Session, *, run_id: int) -> dict[str, int]:
    """How many proposals of the run are open, confirmed, rejected or stale (the cards on top)."""
    rows = db.execute(
        select(Proposal.status, func.count(Proposal.id)).where(Proposal.run_id == run_id).group_by(Proposal.status)
    ).all()
    return {status: int(n) for status, n in rows}
