"""The letters to the household: generated on demand or when due by the schedule of the dated policy."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.core import audit, clock
from api.core.errors import Conflict, InvalidInput, NotFound
from api.core.principal import Principal
from api.storage import rules
from api.storage.models import (
    StorageLetter,
    StorageLot,
)
from api.storage.service.lots import OPEN_STATUSES, costs, fmt_day, letter_schedule, letter_times, list_lots

# ------------------------------------------------------------------ letters


def generate_letter(
    db: Session, *, principal: Principal | None, lot: StorageLot, kind: str, today: date
) -> StorageLetter:
    """The letter of this kind for the lot, made once: a second call returns the letter already kept."""
    from api.storage import letters

    existing = db.scalar(select(StorageLetter).where(StorageLetter.lot_id == lot.id, StorageLetter.kind == kind))
    if existing is not None:
        return existing
    due = {d.kind: d.due_on for d in letter_schedule(db, lot=lot)}
    if kind not in due:
        raise InvalidInput(code="storage.unknown_letter_kind", loc=("path", "kind"))
    if due[kind] > today:
        raise Conflict(code="storage.letter_not_due", loc=("path", "kind"), day=fmt_day(due[kind]))
    pdf = letters.render_letter(
        db, lot=lot, kind=kind, today=today, costs_now=costs(lot, today=today), times=letter_times(db, lot=lot)
    )
    letter = StorageLetter(
        lot_id=lot.id,
        kind=kind,
        due_on=due[kind],
        generated_at=clock.now(),
        generated_by=principal.user_id if principal else None,
        pdf=pdf,
    )
    lot.letters.append(letter)
    db.flush()
    audit.record(
        db,
        principal=principal,
        action="create",
        object_type="storage_letter",
        object_id=letter.id,
        municipality_id=lot.municipality_id,
        detail={"lot_id": lot.id, "kind": kind},
    )
    return letter


def due_letters(db: Session, *, lot: StorageLot, today: date) -> list[rules.LetterDue]:
    """Letters due by today and not yet made. Reminders stop once nothing is left to collect."""
    made = {letter.kind for letter in lot.letters}
    return [
        d
        for d in letter_schedule(db, lot=lot)
        if d.kind not in made and d.due_on <= today and (d.kind == "intake" or lot.status in OPEN_STATUSES)
    ]


def generate_due_letters(
    db: Session, *, principal: Principal | None, municipality_id: int, today: date, lot: StorageLot | None = None
) -> list[StorageLetter]:
    """Make every letter that is due (for one lot, or all lots of the municipality). Safe to run daily."""
    lots = [lot] if lot is not None else list(list_lots(db, municipality_id=municipality_id))
    made = []
    for each in lots:
        for due in due_letters(db, lot=each, today=today):
            made.append(generate_letter(db, principal=principal, lot=each, kind=due.kind, today=today))
    return made


def get_letter(db: Session, *, principal: Principal, lot: StorageLot, letter_id: int) -> StorageLetter:
    letter = db.get(StorageLetter, letter_id)
    if letter is None or letter.lot_id != lot.id:
        raise NotFound(code="storage.letter_not_found", loc=("path", "letter_id"))
    audit.record(
        db,
        principal=principal,
        action="read",
        object_type="storage_letter",
        object_id=letter.id,
        detail={"lot_id": lot.id, "kind": letter.kind},
    )
    return letter
