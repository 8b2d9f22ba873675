"""Who may do what with storage lots, and the lot lookup (404 for another municipality's lot)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from api.auth.dependencies import DbSession, require_roles
from api.core.principal import Principal
from api.core.tenancy import RowId
from api.storage import service
from api.storage.models import StorageLot

# Case workers and the crisis team manage lots; the coordinator looks; other roles see nothing.
MANAGE_ROLES = ("case_worker", "crisis_team")
VIEW_ROLES = (*MANAGE_ROLES, "coordinator")

CanView = Annotated[Principal, Depends(require_roles(*VIEW_ROLES))]
CanManage = Annotated[Principal, Depends(require_roles(*MANAGE_ROLES))]


def lot_to_view(lot_id: RowId, db: DbSession, principal: CanView) -> StorageLot:
    return service.get_lot(db, principal=principal, lot_id=lot_id)


def lot_to_manage(lot_id: RowId, db: DbSession, principal: CanManage) -> StorageLot:
    return service.get_lot(db, principal=principal, lot_id=lot_id)


ViewedLot = Annotated[StorageLot, Depends(lot_to_view)]
ManagedLot = Annotated[StorageLot, Depends(lot_to_manage)]
