"""Photos and scans attached to a lot: type sniffed from the first bytes, size bounded."""

from __future__ import annotations

from sqlalchemy.orm import Session

from api.core import audit, clock
from api.core.errors import InvalidInput, NotFound
from api.core.principal import Principal
from api.storage.models import (
    StorageAttachment,
    StorageLot,
)

MAX_ATTACHMENT_BYTES = 8 * 1024 * 1024
ATTACHMENT_TYPES = {
    b"\xff\xd8\xff": "image/jpeg",
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"%PDF-": "application/pdf",
}


# ------------------------------------------------------------------ photos and scans


def add_attachment(
    db: Session, *, principal: Principal, lot: StorageLot, data: bytes, kind: str, caption: str | None
) -> StorageAttachment:
    """A photo of the inventory or a scanned receipt: JPEG, PNG or PDF (checked by content), at most 8 MB."""
    if kind not in ("photo", "signature"):
        raise InvalidInput(code="storage.unknown_attachment_kind", loc=("body", "kind"))
    if not data:
        raise InvalidInput(code="storage.file_empty", loc=("body", "file"))
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise InvalidInput(code="storage.file_too_large", loc=("body", "file"))
    content_type = next((ct for magic, ct in ATTACHMENT_TYPES.items() if data.startswith(magic)), None)
    if content_type is None:
        raise InvalidInput(code="storage.file_type", loc=("body", "file"))
    attachment = StorageAttachment(
        lot_id=lot.id,
        kind=kind,
        content_type=content_type,
        size_bytes=len(data),
        data=data,
        caption=(caption or "").strip()[:200] or None,
        uploaded_by=principal.user_id,
        uploaded_at=clock.now(),
    )
    lot.attachments.append(attachment)
    db.flush()
    audit.record(
        db,
        principal=principal,
        action="create",
        object_type="storage_attachment",
        object_id=attachment.id,
        detail={"lot_id": lot.id, "kind": kind, "size_bytes": len(data)},
    )
    return attachment


def get_attachment(db: Session, *, principal: Principal, lot: StorageLot, attachment_id: int) -> StorageAttachment:
    attachment = db.get(StorageAttachment, attachment_id)
    if attachment is None or attachment.lot_id != lot.id:
        raise NotFound(code="storage.attachment_not_found", loc=("path", "attachment_id"))
    audit.record(
        db,
        principal=principal,
        action="read",
        object_type="storage_attachment",
        object_id=attachment.id,
        detail={"lot_id": lot.id},
    )
    return attachment
