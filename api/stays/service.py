"""Every step during a stay: introduction, signed agreement, arrival, check-ins, contact log,
breakdown (back into the matching), extension and the end with where the household went, and the
follow-ups after it.

Why through the placements service: arrival, end and cancellation already lock the placement,
check its state and audit the change there; this module adds what a stay needs around those steps
and never sets a placement's status itself.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api.core import audit, clock
from api.core.error_codes import status_label
from api.core.errors import Conflict, InvalidInput
from api.core.policy import policy_book
from api.core.principal import Principal
from api.hosts.limit import lock_host_and_check_limit
from api.households.models import Household
from api.households.service import get_household
from api.placements import service as placements
from api.placements.models import LIVE_STATUSES, Placement, Refusal
from api.places.models import Place, PlaceUnavailability
from api.stays.care import CarePolicy, care_policy, check_in_days, follow_up_days
from api.stays.models import (
    BREAKDOWN_REASONS,
    CHECK_IN_RATINGS,
    CONTACT_CHANNELS,
    DESTINATIONS,
    INTRODUCTION_KINDS,
    INTRODUCTION_OUTCOMES,
    ROOM_ACTIONS,
    SPOKE_WITH,
    CheckIn,
    ContactLogEntry,
    FollowUp,
    StayAgreement,
    StayBreakdown,
    StayEnd,
    StayExtension,
    StayIntroduction,
)

MAX_TEXT = 2000


# ---------------------------------------------------------------- small checks


def choice(value: str, choices: Sequence[str], field: str) -> str:
    if value not in choices:
        raise InvalidInput(code="stay.unknown_choice", loc=("body", field), choices=", ".join(choices))
    return value


def past_day(day: date, field: str) -> date:
    if day > clock.today():
        raise InvalidInput(code="stay.day_in_future", loc=("body", field))
    return day


def optional_text(text: str | None, field: str) -> str | None:
    cleaned = (text or "").strip()
    if len(cleaned) > MAX_TEXT:
        raise InvalidInput(code="stay.note_too_long", loc=("body", field))
    return cleaned or None


def required_text(text: str | None, field: str) -> str:
    cleaned = optional_text(text, field)
    if cleaned is None:
        raise InvalidInput(code="stay.note_required", loc=("body", field))
    return cleaned


def care_for(db: Session, municipality_id: int, day: date) -> CarePolicy:
    return care_policy(policy_book(db, municipality_id=municipality_id), day)


def _placement_in(
    db: Session, principal: Principal, placement_id: int, statuses: Collection[str], code: str
) -> Placement:
    """The caller's placement, refused with ``code`` (409, naming its status) unless in ``statuses``."""
    placement = placements.get_placement(db, principal=principal, placement_id=placement_id)
    if placement.status not in statuses:
        raise Conflict(code=code, loc=("path", "placement_id"), status=status_label(placement.status))
    return placement


def _audit(db: Session, principal: Principal, action: str, placement: Placement, **detail: object) -> None:
    audit.record(
        db, principal=principal, action=action, object_type="placement", object_id=placement.id, detail=detail or None
    )


# ---------------------------------------------------------------- before the start (19.3)


def record_introduction(
    db: Session, *, principal: Principal, placement_id: int, kind: str, held_on: date, outcome: str, note: str | None
) -> StayIntroduction:
    """A call, visit or trial stay between household and host before the start, and how it went."""
    choice(kind, INTRODUCTION_KINDS, "kind")
    choice(outcome, INTRODUCTION_OUTCOMES, "outcome")
    past_day(held_on, "held_on")
    text = optional_text(note, "note")
    placement = _placement_in(db, principal, placement_id, ("confirmed",), "stay.not_confirmed")
    row = StayIntroduction(
        municipality_id=placement.municipality_id,
        placement_id=placement.id,
        kind=kind,
        held_on=held_on,
        outcome=outcome,
        note=text,
        recorded_by=principal.user_id,
    )
    db.add(row)
    db.flush()
    _audit(db, principal, "introduce", placement, kind=kind, outcome=outcome)
    return row


def record_agreement(db: Session, *, principal: Principal, placement_id: int, signed_on: date) -> StayAgreement:
    """The day the agreement was signed (the document itself comes from api.documents)."""
    past_day(signed_on, "signed_on")
    placement = _placement_in(db, principal, placement_id, LIVE_STATUSES, "stay.not_confirmed")
    if db.scalar(select(StayAgreement.id).where(StayAgreement.placement_id == placement.id)) is not None:
        raise Conflict(code="stay.agreement_recorded", loc=("path", "placement_id"))
    row = StayAgreement(
        municipality_id=placement.municipality_id,
        placement_id=placement.id,
        signed_on=signed_on,
        recorded_by=principal.user_id,
    )
    db.add(row)
    placements.flush_or_conflict(db)
    _audit(db, principal, "agreement_signed", placement, fields=["signed_on"])
    return row


def confirm_arrival(db: Session, *, principal: Principal, placement_id: int, arrived_on: date) -> Placement:
    """The household arrived: only with the agreement signed by then, and not after an introduction said stop."""
    placement = placements.get_placement(db, principal=principal, placement_id=placement_id)
    signed = db.scalar(select(StayAgreement.signed_on).where(StayAgreement.placement_id == placement.id))
    if signed is None or signed > arrived_on:
        raise Conflict(code="stay.agreement_missing", loc=("body", "arrived_on"))
    last = db.scalar(
        select(StayIntroduction.outcome)
        .where(StayIntroduction.placement_id == placement.id)
        .order_by(StayIntroduction.held_on.desc(), StayIntroduction.id.desc())
        .limit(1)
    )
    if last == "stop":
        raise Conflict(code="stay.introduction_stopped", loc=("path", "placement_id"))
    return placements.start_placement(db, principal=principal, placement_id=placement_id, arrived_on=arrived_on)


# ---------------------------------------------------------------- during the stay (19.4)


def arrival_of(placement: Placement) -> date:
    return placement.arrived_on or placement.start_date


def open_check_in_days(
    db: Session, placement: Placement, care: CarePolicy, answered: set[date | None] | None = None
) -> list[date]:
    """The scheduled check-ins of a running stay that no check-in answered yet (``answered``: the
    scheduled days its check-ins answered, when the caller loaded them for many stays at once)."""
    if answered is None:
        answered = set(db.scalars(select(CheckIn.due_on).where(CheckIn.placement_id == placement.id)))
    return [d for d in check_in_days(arrival_of(placement), placement.end_date, care) if d not in answered]


def record_check_in(
    db: Session,
    *,
    principal: Principal,
    placement_id: int,
    held_on: date,
    spoke_with: str,
    rating: str,
    concerns: str | None,
) -> CheckIn:
    """A check-in answers the earliest open scheduled day on or before it (none open: an extra one)."""
    choice(spoke_with, SPOKE_WITH, "spoke_with")
    choice(rating, CHECK_IN_RATINGS, "rating")
    past_day(held_on, "held_on")
    text = optional_text(concerns, "concerns")
    placement = _placement_in(db, principal, placement_id, ("started",), "stay.not_running")
    if held_on < arrival_of(placement):
        raise InvalidInput(code="stay.before_arrival", loc=("body", "held_on"))
    care = care_for(db, placement.municipality_id, held_on)
    due = next((d for d in open_check_in_days(db, placement, care) if d <= held_on), None)
    row = CheckIn(
        municipality_id=placement.municipality_id,
        placement_id=placement.id,
        due_on=due,
        held_on=held_on,
        spoke_with=spoke_with,
        rating=rating,
        concerns=text,
        recorded_by=principal.user_id,
    )
    db.add(row)
    placements.flush_or_conflict(db)
    _audit(db, principal, "check_in", placement, rating=rating, scheduled=due is not None)
    return row


def check_ins_of(db: Session, *, placement_id: int) -> Sequence[CheckIn]:
    return db.scalars(select(CheckIn).where(CheckIn.placement_id == placement_id).order_by(CheckIn.held_on)).all()


def add_contact(
    db: Session, *, principal: Principal, household_id: int, channel: str, note: str | None
) -> ContactLogEntry:
    """A line in the household's contact log (the team's case notes)."""
    choice(channel, CONTACT_CHANNELS, "channel")
    text = required_text(note, "note")
    household = get_household(db, principal=principal, household_id=household_id)
    row = ContactLogEntry(
        municipality_id=household.municipality_id,
        household_id=household.id,
        channel=channel,
        note=text,
        author_id=principal.user_id,
        contacted_at=clock.now(),
    )
    db.add(row)
    db.flush()
    audit.record(
        db,
        principal=principal,
        action="contact",
        object_type="household",
        object_id=household.id,
        detail={"channel": channel},
    )
    return row


def contacts_of(db: Session, *, household_id: int) -> Sequence[ContactLogEntry]:
    return db.scalars(
        select(ContactLogEntry)
        .where(ContactLogEntry.household_id == household_id)
        .order_by(ContactLogEntry.contacted_at.desc(), ContactLogEntry.id.desc())
    ).all()


# ---------------------------------------------------------------- breakdown and rematch (19.5)


def break_down(
    db: Session,
    *,
    principal: Principal,
    placement_id: int,
    ended_on: date,
    reason: str,
    note: str | None,
    room: str,
    paused_until: date | None,
) -> StayBreakdown:
    """End a stay early: the household waits again (priority raised, see api.stays.rematch), the pair is
    excluded from later runs (a refusal, the matcher's E8), the room is freed or paused until a day."""
    choice(reason, BREAKDOWN_REASONS, "reason")
    choice(room, ROOM_ACTIONS, "room")
    text = optional_text(note, "note")
    if room == "paused" and (paused_until is None or paused_until <= ended_on):
        raise InvalidInput(code="stay.paused_until_required", loc=("body", "paused_until"))
    placement = placements.end_placement(
        db, principal=principal, placement_id=placement_id, ended_on=ended_on, outcome="unknown", note=text
    )
    household = placements.lock_row(db, Household, placement.household_id)
    household.status = "waiting"
    household.closed_at = None
    refused = select(Refusal.id).where(
        Refusal.household_id == placement.household_id, Refusal.place_id == placement.place_id
    )
    if db.scalar(refused) is None:
        db.add(
            Refusal(
                municipality_id=placement.municipality_id,
                household_id=placement.household_id,
                place_id=placement.place_id,
                reason=f"Verblijf {placement.id} afgebroken ({reason})",
                refused_by=principal.user_id,
            )
        )
    if room == "paused":
        assert paused_until is not None
        db.add(
            PlaceUnavailability(
                place_id=placement.place_id, start_date=ended_on, end_date=paused_until, reason="pauze na afbreken"
            )
        )
    row = StayBreakdown(
        municipality_id=placement.municipality_id,
        placement_id=placement.id,
        reason=reason,
        note=text,
        room=room,
        paused_until=paused_until if room == "paused" else None,
        decided_by=principal.user_id,
    )
    db.add(row)
    placements.flush_or_conflict(db)
    _audit(db, principal, "breakdown", placement, reason=reason, room=room)
    return row


# ---------------------------------------------------------------- extension (19.6)


def extend(db: Session, *, principal: Principal, placement_id: int, until: date, reason: str | None) -> StayExtension:
    """Let a stay run longer by a recorded decision, at most ``extension_max_count`` times and
    ``extension_max_days`` each, only while the place is free and the host stays within its limit.

    Locks in the order every decision takes them: household, place, host, then the placement."""
    text = placements.require_reason(reason)
    placement = placements.get_placement(db, principal=principal, placement_id=placement_id)
    placements.lock_row(db, Household, placement.household_id)
    place: Place = placements.lock_row(db, Place, placement.place_id)
    db.refresh(placement, with_for_update=True)
    if placement.status not in LIVE_STATUSES:
        raise Conflict(code="stay.not_running", loc=("path", "placement_id"), status=status_label(placement.status))
    old_end = placement.end_date
    care = care_for(db, placement.municipality_id, clock.today())
    if until <= old_end:
        raise InvalidInput(code="stay.extension_not_later", loc=("body", "until"), end=old_end.isoformat())
    if (until - old_end).days > care.extension_max_days:
        raise InvalidInput(code="stay.extension_too_long", loc=("body", "until"), days=care.extension_max_days)
    done = db.scalar(select(func.count()).where(StayExtension.placement_id == placement.id)) or 0
    if done >= care.extension_max_count:
        raise Conflict(code="stay.extension_limit", loc=("path", "placement_id"), count=done)
    blocked = place.available_until is not None and until > place.available_until
    blocked = blocked or any(u.start_date < until and u.end_date > old_end for u in place.unavailable)
    if blocked:
        raise Conflict(code="stay.place_unavailable", loc=("body", "until"))
    placements.check_no_overlap(db, place_id=place.id, start=old_end, end=until)
    lock_host_and_check_limit(db, place=place, start=old_end, end=until)
    row = StayExtension(
        municipality_id=placement.municipality_id,
        placement_id=placement.id,
        previous_end=old_end,
        new_end=until,
        reason=text,
        decided_by=principal.user_id,
    )
    db.add(row)
    placement.end_date = until
    placements.flush_or_conflict(db)
    _audit(db, principal, "extend", placement, previous_end=old_end.isoformat(), new_end=until.isoformat())
    return row


def extensions_of(db: Session, *, placement_id: int) -> Sequence[StayExtension]:
    return db.scalars(
        select(StayExtension).where(StayExtension.placement_id == placement_id).order_by(StayExtension.id)
    ).all()


# ---------------------------------------------------------------- end and follow-up (19.7)


def end_stay(
    db: Session, *, principal: Principal, placement_id: int, ended_on: date, destination: str, note: str | None
) -> StayEnd:
    """End a stay with where the household went; the placement's own outcome is the same value (migration 0016)."""
    choice(destination, DESTINATIONS, "destination")
    placement = placements.end_placement(
        db,
        principal=principal,
        placement_id=placement_id,
        ended_on=ended_on,
        outcome=destination,
        note=optional_text(note, "note"),
    )
    row = StayEnd(
        municipality_id=placement.municipality_id,
        placement_id=placement.id,
        destination=destination,
        recorded_by=principal.user_id,
    )
    db.add(row)
    placements.flush_or_conflict(db)
    _audit(db, principal, "destination", placement, destination=destination)
    return row


def is_breakdown(db: Session, placement_id: int) -> bool:
    return db.scalar(select(StayBreakdown.id).where(StayBreakdown.placement_id == placement_id)) is not None


def record_follow_up(
    db: Session,
    *,
    principal: Principal,
    placement_id: int,
    months: int,
    done_on: date,
    outcome: str,
    note: str | None,
) -> FollowUp:
    """Where the household is ``months`` after the stay ended; recorded from its due day on."""
    choice(outcome, DESTINATIONS, "outcome")
    past_day(done_on, "done_on")
    text = optional_text(note, "note")
    placement = placements.get_placement(db, principal=principal, placement_id=placement_id)
    if placement.status != "ended" or placement.ended_on is None or is_breakdown(db, placement.id):
        raise Conflict(code="stay.not_ended", loc=("path", "placement_id"))
    care = care_for(db, placement.municipality_id, placement.ended_on)
    schedule = follow_up_days(placement.ended_on, care)
    if months not in schedule:
        raise InvalidInput(
            code="stay.follow_up_unknown",
            loc=("body", "months"),
            months=months,
            choices=", ".join(str(m) for m in schedule),
        )
    if done_on < schedule[months]:
        raise Conflict(code="stay.follow_up_not_due", loc=("body", "done_on"), due=schedule[months].isoformat())
    taken = select(FollowUp.id).where(FollowUp.placement_id == placement.id, FollowUp.months == months)
    if db.scalar(taken) is not None:
        raise Conflict(code="stay.follow_up_recorded", loc=("body", "months"))
    row = FollowUp(
        municipality_id=placement.municipality_id,
        placement_id=placement.id,
        months=months,
        due_on=schedule[months],
        done_on=done_on,
        outcome=outcome,
        note=text,
        recorded_by=principal.user_id,
    )
    db.add(row)
    placements.flush_or_conflict(db)
    _audit(db, principal, "follow_up", placement, months=months, outcome=outcome)
    return row


def follow_ups_of(db: Session, *, placement_id: int) -> Sequence[FollowUp]:
    return db.scalars(select(FollowUp).where(FollowUp.placement_id == placement_id).order_by(FollowUp.months)).all()
