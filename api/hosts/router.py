"""Hosts API: the vetting queue and checklist for coordinators, and the host's own record (/api/hosts/me).

The public sign-up is a web form only (api/hosts/pages.py): it needs CSRF, a honeypot and a rate limit,
which an open JSON endpoint would bypass.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from sqlalchemy.orm import Session

from api.auth.dependencies import DbSession, require_roles
from api.core import audit
from api.core.csrf import verify_csrf
from api.core.error_schema import file_response
from api.core.export import XLSX_TYPE, Format, download
from api.core.listing import ListQuery, api_list_query, list_query, set_headers
from api.core.principal import Principal
from api.core.tenancy import RowId
from api.hosts import listing, service, vetting
from api.hosts.models import Host
from api.hosts.schemas import (
    ChecklistUpdateBody,
    HostRead,
    HostSummary,
    OwnTransitionBody,
    TransitionBody,
    VettingItemBody,
    VettingItemRead,
)
from api.places import service as place_service
from api.places.schemas import PlaceRead

router = APIRouter(prefix="/api/hosts", tags=["hosts"])

Coordinator = Annotated[Principal, Depends(require_roles("coordinator", "crisis_team"))]
HostUser = Annotated[Principal, Depends(require_roles("host"))]


def _read(db: Session, host: Host) -> HostRead:
    out = HostRead.model_validate(host)
    out.checklist_missing = service.checklist_missing(host)
    out.rooms = [PlaceRead.model_validate(p) for p in place_service.host_rooms(db, host_id=host.id)]
    return out


def _own(db: Session, principal: Principal) -> Host:
    assert principal.host_id is not None
    return service.get_host(db, principal=principal, host_id=principal.host_id)


Listed = Annotated[ListQuery, Depends(list_query)]
Paged = Annotated[ListQuery, Depends(api_list_query)]  # an API list: 50 rows unless asked otherwise


@router.get("", response_model=list[HostSummary])
def list_hosts(
    request: Request,
    response: Response,
    db: DbSession,
    principal: Coordinator,
    query: Paged,
    status: str | None = None,
) -> list[HostSummary]:
    """The municipality's hosts; ``status=pending`` is the vetting queue (oldest confirmation first).

    The first 50 hosts without ``limit`` (at most 500); ``X-Total-Count`` and ``Link`` headers page."""
    page = listing.host_page(db, municipality_id=principal.municipality_id, query=query.with_status(status))
    detail = {"status": status, "count": len(page.rows)}
    audit.record(db, principal=principal, action="read", object_type="host_list", detail=detail)
    set_headers(response, request, page)
    out = []
    for host in page.rows:
        summary = HostSummary.model_validate(host)
        summary.checklist_missing = service.checklist_missing(host)
        out.append(summary)
    return out


@router.get(
    "/export.{fmt}",
    response_class=Response,
    responses=file_response("text/csv", XLSX_TYPE, description="the filtered list (CSV or XLSX)"),
)
def export_hosts(
    fmt: Format, db: DbSession, principal: Coordinator, query: Listed, status: str | None = None
) -> Response:
    """The list with the page's filter and columns, every matching row."""
    page = listing.host_page(db, municipality_id=principal.municipality_id, query=query.with_status(status))
    detail = {"rows": page.total, "format": fmt}
    audit.record(db, principal=principal, action="export", object_type="host_list", detail=detail)
    return download(fmt, name="gastgevers", columns=listing.COLUMNS, rows=page.rows)


@router.get("/me", response_model=HostRead)
def read_me(db: DbSession, principal: HostUser) -> HostRead:
    return _read(db, _own(db, principal))


@router.post("/me/transitions", response_model=HostRead, dependencies=[Depends(verify_csrf)])
def transition_me(body: OwnTransitionBody, db: DbSession, principal: HostUser) -> HostRead:
    """Pause, resume or withdraw one's own record (other actions are the coordinator's)."""
    host = service.transition(db, principal=principal, host=_own(db, principal), action=body.action)
    return _read(db, host)


@router.get("/{host_id}", response_model=HostRead)
def read_host(host_id: RowId, db: DbSession, principal: Coordinator) -> HostRead:
    return _read(db, service.get_host(db, principal=principal, host_id=host_id))


@router.put("/{host_id}/checklist", response_model=HostRead, dependencies=[Depends(verify_csrf)])
def update_checklist(host_id: RowId, body: ChecklistUpdateBody, db: DbSession, principal: Coordinator) -> HostRead:
    host = service.get_host(db, principal=principal, host_id=host_id, audit_read=False)
    service.update_checklist(db, principal=principal, host=host, update=service.ChecklistUpdate(**body.model_dump()))
    return _read(db, host)


@router.post("/{host_id}/transitions", response_model=HostRead, dependencies=[Depends(verify_csrf)])
def transition(host_id: RowId, body: TransitionBody, db: DbSession, principal: Coordinator) -> HostRead:
    """vet, activate (needs the full checklist), pause, resume, reject (with a reason)."""
    host = service.get_host(db, principal=principal, host_id=host_id, audit_read=False)
    service.transition(db, principal=principal, host=host, action=body.action, reason=body.reason)
    return _read(db, host)


@router.get("/{host_id}/vetting", response_model=list[VettingItemRead])
def list_vetting(host_id: RowId, db: DbSession, principal: Coordinator) -> list[VettingItemRead]:
    """The host's dated vetting items; ``expired`` is true from the expiry day on (then the host is not proposed)."""
    host = service.get_host(db, principal=principal, host_id=host_id, audit_read=False)
    return [VettingItemRead.of(i) for i in vetting.items_of(db, host.id)]


@router.put("/{host_id}/vetting/{kind}", response_model=VettingItemRead, dependencies=[Depends(verify_csrf)])
def record_vetting(
    host_id: RowId, kind: str, body: VettingItemBody, db: DbSession, principal: Coordinator
) -> VettingItemRead:
    """Record or renew one item (identity, home_visit, vog, references, landlord_consent) with its expiry."""
    host = service.get_host(db, principal=principal, host_id=host_id, audit_read=False)
    item = vetting.record_item(
        db, principal=principal, host=host, kind=kind, done_on=body.done_on, expires_on=body.expires_on
    )
    return VettingItemRead.of(item)
