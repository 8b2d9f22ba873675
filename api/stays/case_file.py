"""The case file of a household (``/huishoudens/{id}``): everything about one case on one page.

Why in stays: the case file shows the placements (api.placements), the contact log and the stay's
timeline (this package) and the storage lots (api.storage); only a domain above all of them may read
them together. Editing lives with its owner: the household's fields and the priority override in
api.households (``/huishoudens/{id}/bewerken``), closing in api.placements.closing, the placement
lifecycle in api.placements.pages, contacts and check-ins on the stay page (api.stays.pages).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from api.auth.dependencies import DbSession, require_roles
from api.core import audit, clock
from api.core.models import AuditEvent
from api.core.principal import Principal
from api.core.templating import render
from api.households import service as households
from api.households.models import CaseWorker
from api.placements import service as placements
from api.placements.models import OUTCOMES
from api.stays import service
from api.storage.models import StorageLot
from matcher.rules.dates import age_on

router = APIRouter(include_in_schema=False)
Viewer = Annotated[Principal, Depends(require_roles("crisis_team", "case_worker", "coordinator"))]
TIMELINE_ROWS = 200

# What the timeline says for each audited change (the trail stores codes, the page shows Dutch).
EVENT_LABELS = {
    ("household", "create"): "Huishouden ingeschreven",
    ("household", "update"): "Dossier gewijzigd",
    ("household", "close"): "Dossier afgesloten",
    ("household", "priority_override"): "Voorrang gegeven (crisisteam)",
    ("household", "priority_override_withdrawn"): "Voorrang ingetrokken (crisisteam)",
    ("household", "anonymise"): "Gegevens geanonimiseerd",
    ("placement", "create"): "Plaatsing bevestigd",
    ("placement", "confirm"): "Plaatsing bevestigd",
    ("placement", "start"): "Aangekomen",
    ("placement", "end"): "Verblijf beëindigd",
    ("placement", "cancel"): "Plaatsing geannuleerd",
    ("contact_log", "create"): "Contact vastgelegd",
}


def timeline(db: Session, *, municipality_id: int, household_id: int, placement_ids: Sequence[int]) -> list[AuditEvent]:
    """Every change to the household and its placements, newest first (reads left out), one statement."""
    return list(
        db.scalars(
            select(AuditEvent)
            .where(
                AuditEvent.municipality_id == municipality_id,
                AuditEvent.action != "read",
                or_(
                    (AuditEvent.object_type == "household") & (AuditEvent.object_id == str(household_id)),
                    (AuditEvent.object_type == "placement") & AuditEvent.object_id.in_([str(i) for i in placement_ids]),
                    # the offer's steps (offered, accepted, declined, expired) name the household in their detail
                    (AuditEvent.object_type == "offer")
                    & (AuditEvent.detail["household_id"].as_integer() == household_id),
                ),
            )
            .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
            .limit(TIMELINE_ROWS)
        ).all()
    )


@router.get("/huishoudens/{household_id:int}", response_class=HTMLResponse, name="household_page")
def case_file(request: Request, household_id: int, db: DbSession, principal: Viewer) -> Response:
    """The case file: facts, members with ages, needs, priority, placements with their documents,
    storage lots, the contact log (care team only, as on the stay page) and the timeline."""
    household = households.get_household(db, principal=principal, household_id=household_id)
    audit.record(db, principal=principal, action="read", object_type="household", object_id=household.id)
    rows = placements.list_placements(db, municipality_id=principal.municipality_id, household_id=household.id)
    today = clock.today()
    members = [
        {"first_name": m.first_name, "birth_date": m.birth_date, "age": age_on(m.birth_date, today), "status": m.status}
        for m in household.members
    ]
    care_team = principal.role in ("crisis_team", "case_worker")
    lots = db.scalars(
        select(StorageLot)
        .where(StorageLot.household_id == household.id, StorageLot.municipality_id == principal.municipality_id)
        .order_by(StorageLot.stored_on)
    ).all()
    case_worker = db.get(CaseWorker, household.case_worker_id) if household.case_worker_id else None
    return render(
        request,
        "households/detail.html",
        {
            "household": household,
            "members": members,
            "placements": rows,
            "refusals": placements.refusals_of(db, household_id=household.id),
            "outcomes": OUTCOMES,
            "today": today,
            "lots": lots,
            "case_worker": case_worker,
            "contacts": service.contacts_of(db, household_id=household.id) if care_team else [],
            "events": timeline(
                db,
                municipality_id=principal.municipality_id,
                household_id=household.id,
                placement_ids=[p.id for p in rows],
            ),
            "event_labels": EVENT_LABELS,
            "care_team": care_team,
            "can_decide": principal.role == "crisis_team",
            "can_edit": care_team and household.status != "closed",
            "is_new": request.query_params.get("nieuw") == "1",
            "message": request.query_params.get("msg"),
        },
    )
