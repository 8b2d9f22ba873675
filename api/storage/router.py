"""Storage API under /api/storage (JSON), plus the pages under /opslag in one router.

Routes are thin: they pick "today" in Europe/Amsterdam and call :mod:`api.storage.service`.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Path, Request, UploadFile
from fastapi.responses import Response

from api.auth.dependencies import DbSession
from api.core import audit, clock
from api.core.csrf import verify_csrf
from api.core.error_schema import file_response
from api.core.errors import InvalidInput
from api.core.export import XLSX_TYPE, Format, download
from api.core.listing import ListQuery, api_list_query, list_query, set_headers
from api.core.tenancy import RowId
from api.storage import listing, pages, service
from api.storage.dependencies import CanManage, CanView, ManagedLot, ViewedLot
from api.storage.models import LETTER_KINDS
from api.storage.schemas import (
    AttachmentRead,
    ClaimCreate,
    ClaimPaid,
    CostDecision,
    CostsPaid,
    DepotRead,
    DisposalCreate,
    LotCreate,
    LotRead,
    LotSummary,
    Recovery,
    ReturnCreate,
    SaleResult,
    WaiverCreate,
)

api = APIRouter(prefix="/api/storage", tags=["storage"])
LetterKind = Annotated[str, Path(json_schema_extra={"enum": list(LETTER_KINDS)})]  # checked with its code below
CSRF = [Depends(verify_csrf)]


def _detail(db, lot) -> LotRead:  # type: ignore[no-untyped-def]
    return pages.with_links(service.lot_detail(db, lot=lot, today=clock.today()), api.url_path_for)


@api.get("/depots", response_model=list[DepotRead])
def list_depots(db: DbSession, principal: CanView) -> list[DepotRead]:
    return [DepotRead.model_validate(d) for d in service.list_depots(db, municipality_id=principal.municipality_id)]


Listed = Annotated[ListQuery, Depends(list_query)]
Paged = Annotated[ListQuery, Depends(api_list_query)]  # an API list: 50 rows unless asked otherwise


@api.get("/lots", response_model=list[LotSummary])
def list_lots(
    request: Request, response: Response, db: DbSession, principal: CanView, query: Paged, status: str | None = None
) -> list[LotSummary]:
    """Lots sorted by deadline (open ones first); ``flagged`` when the deadline is at most 14 days away.

    The first 50 lots without ``limit`` (at most 500); ``X-Total-Count`` and ``Link`` headers page."""
    page = listing.lot_page(
        db, municipality_id=principal.municipality_id, query=query.with_status(status), today=clock.today()
    )
    set_headers(response, request, page)
    return page.rows


@api.get(
    "/lots/export.{fmt}",
    response_class=Response,
    responses=file_response("text/csv", XLSX_TYPE, description="the filtered list (CSV or XLSX)"),
)
def export_lots(fmt: Format, db: DbSession, principal: CanView, query: Listed, status: str | None = None) -> Response:
    """The list with the page's filter and columns, every matching row."""
    page = listing.lot_page(
        db, municipality_id=principal.municipality_id, query=query.with_status(status), today=clock.today()
    )
    detail = {"rows": page.total, "format": fmt}
    audit.record(db, principal=principal, action="export", object_type="storage_lot", detail=detail)
    return download(fmt, name="opslag", columns=listing.COLUMNS, rows=page.rows)


@api.post("/lots", response_model=LotRead, status_code=201, dependencies=CSRF)
def create_lot(body: LotCreate, db: DbSession, principal: CanManage) -> LotRead:
    lot = service.create_lot(db, principal=principal, data=body, today=clock.today())
    return _detail(db, lot)


@api.get("/lots/{lot_id}", response_model=LotRead)
def read_lot(lot_id: RowId, db: DbSession, principal: CanView) -> LotRead:
    return _detail(db, service.read_lot(db, principal=principal, lot_id=lot_id))


@api.post("/lots/{lot_id}/returns", response_model=LotRead, status_code=201, dependencies=CSRF)
def record_return(body: ReturnCreate, lot: ManagedLot, db: DbSession, principal: CanManage) -> LotRead:
    service.record_return(db, principal=principal, lot=lot, data=body, today=clock.today())
    return _detail(db, lot)


@api.post("/lots/{lot_id}/waivers", response_model=LotRead, status_code=201, dependencies=CSRF)
def record_waiver(body: WaiverCreate, lot: ManagedLot, db: DbSession, principal: CanManage) -> LotRead:
    service.record_waiver(db, principal=principal, lot=lot, data=body, today=clock.today())
    return _detail(db, lot)


@api.post("/lots/{lot_id}/disposals", response_model=LotRead, status_code=201, dependencies=CSRF)
def request_disposal(body: DisposalCreate, lot: ManagedLot, db: DbSession, principal: CanManage) -> LotRead:
    """After the deadline: done at once. Before it: a request with a reason, waiting for a second user."""
    service.request_disposal(db, principal=principal, lot=lot, data=body, today=clock.today())
    return _detail(db, lot)


@api.post("/lots/{lot_id}/disposals/{disposal_id}/approve", response_model=LotRead, dependencies=CSRF)
def approve_disposal(disposal_id: RowId, lot: ManagedLot, db: DbSession, principal: CanManage) -> LotRead:
    service.approve_disposal(db, principal=principal, lot=lot, disposal_id=disposal_id, today=clock.today())
    return _detail(db, lot)


@api.post("/lots/{lot_id}/disposals/{disposal_id}/withdraw", response_model=LotRead, dependencies=CSRF)
def withdraw_disposal(disposal_id: RowId, lot: ManagedLot, db: DbSession, principal: CanManage) -> LotRead:
    service.withdraw_disposal(db, principal=principal, lot=lot, disposal_id=disposal_id)
    return _detail(db, lot)


@api.put("/lots/{lot_id}/disposals/{disposal_id}/sale", response_model=LotRead, dependencies=CSRF)
def record_sale_result(
    disposal_id: RowId, body: SaleResult, lot: ManagedLot, db: DbSession, principal: CanManage
) -> LotRead:
    """The proceeds of a sale and the costs deducted: the net amount and the claim deadline follow."""
    service.record_sale_result(db, principal=principal, lot=lot, disposal_id=disposal_id, data=body)
    return _detail(db, lot)


@api.post("/lots/{lot_id}/disposals/{disposal_id}/claim", response_model=LotRead, dependencies=CSRF)
def record_claim(
    disposal_id: RowId, body: ClaimCreate, lot: ManagedLot, db: DbSession, principal: CanManage
) -> LotRead:
    """The former owner claims the net proceeds (within 3 years after the sale, art. 5:30 lid 4 Awb)."""
    service.record_claim(db, principal=principal, lot=lot, disposal_id=disposal_id, data=body, today=clock.today())
    return _detail(db, lot)


@api.put("/lots/{lot_id}/disposals/{disposal_id}/claim/paid", response_model=LotRead, dependencies=CSRF)
def record_claim_payment(
    disposal_id: RowId, body: ClaimPaid, lot: ManagedLot, db: DbSession, principal: CanManage
) -> LotRead:
    service.record_claim_payment(
        db, principal=principal, lot=lot, disposal_id=disposal_id, data=body, today=clock.today()
    )
    return _detail(db, lot)


@api.put("/lots/{lot_id}/costs/decision", response_model=LotRead, dependencies=CSRF)
def decide_costs(body: CostDecision, lot: ManagedLot, db: DbSession, principal: CanManage) -> LotRead:
    service.decide_costs(db, principal=principal, lot=lot, data=body)
    return _detail(db, lot)


@api.put("/lots/{lot_id}/costs/paid", response_model=LotRead, dependencies=CSRF)
def costs_paid(body: CostsPaid, lot: ManagedLot, db: DbSession, principal: CanManage) -> LotRead:
    service.mark_costs_paid(db, principal=principal, lot=lot, paid_on=body.paid_on, today=clock.today())
    return _detail(db, lot)


@api.put("/lots/{lot_id}/costs/recovery", response_model=LotRead, dependencies=CSRF)
def recovery(body: Recovery, lot: ManagedLot, db: DbSession, principal: CanManage) -> LotRead:
    service.set_recovery(db, principal=principal, lot=lot, data=body, today=clock.today())
    return _detail(db, lot)


@api.post("/lots/{lot_id}/attachments", response_model=AttachmentRead, status_code=201, dependencies=CSRF)
async def upload_attachment(
    lot: ManagedLot,
    db: DbSession,
    principal: CanManage,
    file: Annotated[UploadFile, File()],
    kind: Annotated[str, Form()] = "photo",
    caption: Annotated[str | None, Form()] = None,
) -> AttachmentRead:
    data = await file.read()
    attachment = service.add_attachment(db, principal=principal, lot=lot, data=data, kind=kind, caption=caption)
    read = AttachmentRead.model_validate(attachment)
    read.url = str(api.url_path_for("download_attachment", lot_id=str(lot.id), attachment_id=str(attachment.id)))
    return read


@api.get(
    "/lots/{lot_id}/attachments/{attachment_id}",
    response_class=Response,
    responses=file_response("image/jpeg", "image/png", "application/pdf", description="the photo or scan"),
)
def download_attachment(attachment_id: RowId, lot: ViewedLot, db: DbSession, principal: CanView) -> Response:
    """Photos and scans only through here: role and municipality checked, the read audited, never cached."""
    attachment = service.get_attachment(db, principal=principal, lot=lot, attachment_id=attachment_id)
    return Response(
        attachment.data,
        media_type=attachment.content_type,
        headers={"Cache-Control": "private, no-store", "Content-Disposition": "inline"},
    )


@api.post("/lots/{lot_id}/letters/{kind}", response_model=LotRead, status_code=201, dependencies=CSRF)
def generate_letter(kind: LetterKind, lot: ManagedLot, db: DbSession, principal: CanManage) -> LotRead:
    """Make the letter of this kind (once: a second call keeps the first)."""
    if kind not in LETTER_KINDS:
        raise InvalidInput(code="storage.letter_kind", loc=("path", "kind"), choices=", ".join(LETTER_KINDS))
    service.generate_letter(db, principal=principal, lot=lot, kind=kind, today=clock.today())
    return _detail(db, lot)


@api.post("/letters/due", dependencies=CSRF)
def generate_due_letters(db: DbSession, principal: CanManage) -> dict[str, list[dict[str, object]]]:
    """Make every letter that is due today for all lots of the municipality (safe to run daily)."""
    made = service.generate_due_letters(
        db, principal=principal, municipality_id=principal.municipality_id, today=clock.today()
    )
    return {"made": [{"lot_id": m.lot_id, "kind": m.kind, "letter_id": m.id} for m in made]}


@api.get(
    "/lots/{lot_id}/letters/{letter_id}.pdf",
    response_class=Response,
    responses=file_response("application/pdf", description="the letter (PDF)"),
)
def download_letter(letter_id: RowId, lot: ViewedLot, db: DbSession, principal: CanView) -> Response:
    letter = service.get_letter(db, principal=principal, lot=lot, letter_id=letter_id)
    filename = f"{lot.reference}-{letter.kind}.pdf"
    return Response(
        letter.pdf,
        media_type="application/pdf",
        headers={"Cache-Control": "private, no-store", "Content-Disposition": f'inline; filename="{filename}"'},
    )


@api.get("/deadlines")
def deadlines(db: DbSession, principal: CanView) -> list[dict[str, object]]:
    """The storage deadlines that go into the team's calendar feed (as JSON, for checking)."""
    rows = service.storage_deadlines(db, municipality_id=principal.municipality_id, today=clock.today())
    return [
        {
            "kind": str(d.kind),
            "date": d.date.isoformat(),
            "lot": d.placement_ref,
            "household": d.household_ref,
            "day_number": d.day_number,
            "label": d.label,
            "overdue": d.overdue,
        }
        for d in rows
    ]


router = APIRouter()
router.include_router(api)
router.include_router(pages.router)
