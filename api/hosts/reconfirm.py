"""Hosts reconfirm their availability every N weeks by a single-purpose link that expires.

Why: a room offered once is not a room on offer for ever. A host who signed up months ago may have a new
lodger, a new job, or a baby; offering a household to that room costs a day the household does not have.
So every ``host_reconfirm_weeks`` weeks (settings) the ``hosts.reconfirm`` job mails an active host a link
(the offers' token machinery: a random token, only its SHA-256 kept, revoked once used) that works
``host_reconfirm_valid_days`` days. On that page, without an account, the host says "still available", or
pauses the rooms until a date. A host whose link expired unanswered is not proposed (the matching leaves the
rooms out with the reason, through :func:`api.hosts.vetting.held_back_hosts`) and shows on the day board,
until they answer the fresh link the job sends next.

The boundaries (tests/api/hosts/test_reconfirm.py): the link is sent at exactly ``confirmed + N weeks``; it
works until ``expires_at`` (exclusive); from ``expires_at`` on the host is held back, job or not.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.auth.security import token_digest
from api.core import audit, clock, mail
from api.core.config import get_settings
from api.core.errors import InvalidInput, NotFound
from api.hosts.models import Host
from api.hosts.vetting_models import HostReconfirmation
from api.places import service as place_service
from api.places.models import PlaceUnavailability

#: The longest pause a host can choose on the page (a year, as for a declined offer).
MAX_PAUSE_DAYS = 366
#: The marker :func:`api.hosts.vetting.held_back_hosts` uses for a host held back by this rule.
KIND = "availability"


def _every() -> timedelta:
    return timedelta(weeks=get_settings().host_reconfirm_weeks)


def _valid_for() -> timedelta:
    return timedelta(days=get_settings().host_reconfirm_valid_days)


def link(token: str) -> str:
    return f"{get_settings().base_url.rstrip('/')}/beschikbaarheid/{token}"


def due_at(host: Host) -> datetime:
    """When the host is next asked: N weeks after the last confirmation (or after becoming a host)."""
    last = host.availability_confirmed_at or host.confirmed_at or host.created_at
    return clock.as_utc(last) + _every()


# ---------------------------------------------------------------- who is held back


def lapsed_hosts(db: Session, *, municipality_id: int, now: datetime | None = None) -> set[int]:
    """Hosts whose reconfirmation link expired unanswered and who have not confirmed since (expiry moment
    itself included): the matching leaves their rooms out."""
    moment = now or clock.now()
    rows = db.execute(
        select(HostReconfirmation.host_id, HostReconfirmation.sent_at, Host.availability_confirmed_at)
        .join(Host, Host.id == HostReconfirmation.host_id)
        .where(
            HostReconfirmation.municipality_id == municipality_id,
            HostReconfirmation.status.in_(("pending", "expired")),
            HostReconfirmation.expires_at <= moment,
        )
    ).all()
    return {
        host_id
        for host_id, sent_at, confirmed in rows
        if confirmed is None or clock.as_utc(confirmed) < clock.as_utc(sent_at)
    }


@dataclass(frozen=True)
class LapsedHost:
    host_id: int
    reference: str
    since: datetime  # when the unanswered link expired


def lapsed_for_board(db: Session, *, municipality_id: int) -> list[LapsedHost]:
    """The day board's lines: each lapsed host once, with the moment its oldest unanswered link expired."""
    held = lapsed_hosts(db, municipality_id=municipality_id)
    if not held:
        return []
    rows = db.execute(
        select(Host.id, Host.reference, HostReconfirmation.expires_at)
        .join(HostReconfirmation, HostReconfirmation.host_id == Host.id)
        .where(Host.id.in_(held), HostReconfirmation.status.in_(("pending", "expired")))
        .order_by(HostReconfirmation.expires_at)
    ).all()
    seen: dict[int, LapsedHost] = {}
    for host_id, reference, expires_at in rows:
        seen.setdefault(host_id, LapsedHost(host_id, reference, clock.as_utc(expires_at)))
    return sorted(seen.values(), key=lambda h: (h.since, h.reference))


# ---------------------------------------------------------------- the job


def expire_due(db: Session) -> int:
    """Unanswered links whose time is up stop working (status ``expired``, token revoked)."""
    now = clock.now()
    due = db.scalars(
        select(HostReconfirmation)
        .where(HostReconfirmation.status == "pending", HostReconfirmation.expires_at <= now)
        .order_by(HostReconfirmation.id)
        .with_for_update(skip_locked=True)
    ).all()
    for request in due:
        request.status, request.token_hash = "expired", None
        _audit(db, request, "expire", {})
    db.flush()
    return len(due)


def send_due(db: Session) -> int:
    """Mail a link to every active host whose confirmation is N weeks old and who holds no live link."""
    now = clock.now()
    open_ = select(HostReconfirmation.host_id).where(HostReconfirmation.status == "pending")
    hosts = db.scalars(select(Host).where(Host.status == "active", Host.id.not_in(open_)).order_by(Host.id)).all()
    sent = 0
    for host in hosts:
        if due_at(host) > now:
            continue
        token = secrets.token_urlsafe(32)
        request = HostReconfirmation(
            municipality_id=host.municipality_id,
            host_id=host.id,
            status="pending",
            token_hash=token_digest(token),
            sent_at=now,
            expires_at=now + _valid_for(),
        )
        db.add(request)
        db.flush()
        deadline = clock.as_utc(request.expires_at).astimezone(clock.AMSTERDAM).strftime("%d-%m-%Y")
        greeting = f"Beste {host.members[0].first_name if host.members else ''}".strip() + ","
        mail.queue(
            db,
            recipient=host.email,
            subject=f"Is uw kamer nog beschikbaar? Graag antwoord vóór {deadline}",
            body=(
                f"{greeting}\n\n"
                "Af en toe vragen wij of u nog logés kunt opvangen, zoals u bij ons heeft opgegeven.\n"
                "Klik op deze link. Daar zegt u 'ja, nog steeds' of kiest u een pauze tot een datum:\n"
                f"{link(token)}\n\n"
                f"De link werkt tot {deadline}. Zonder antwoord vragen wij u daarna geen logés meer, "
                "tot u de nieuwe link beantwoordt.\n\n"
                "Met vriendelijke groet,\nHet crisisteam\n"
            ),
            municipality_id=host.municipality_id,
        )
        _audit(db, request, "remind", {"expires_at": request.expires_at.isoformat()})
        sent += 1
    db.flush()
    return sent


# ---------------------------------------------------------------- the page behind the link


def pending_for_token(db: Session, token: str) -> HostReconfirmation | None:
    """The live request of this token (None for a used, expired or unknown one)."""
    if not token or len(token) > 100:
        return None
    request = db.scalar(select(HostReconfirmation).where(HostReconfirmation.token_hash == token_digest(token)))
    if request is None or request.status != "pending" or clock.as_utc(request.expires_at) <= clock.now():
        return None
    return request


def _locked(db: Session, token: str) -> tuple[HostReconfirmation, Host]:
    found = pending_for_token(db, token)
    if found is None:
        raise NotFound(code="reconfirm.link_invalid", loc=("path", "token"))
    request = db.scalar(
        select(HostReconfirmation)
        .where(HostReconfirmation.id == found.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    host = db.get(Host, found.host_id)
    if request is None or request.status != "pending" or host is None:
        raise NotFound(code="reconfirm.link_invalid", loc=("path", "token"))
    return request, host


def _answer(request: HostReconfirmation, host: Host, status: str) -> None:
    now = clock.now()
    request.status, request.token_hash, request.answered_at = status, None, now
    host.availability_confirmed_at = now


def confirm(db: Session, *, token: str) -> HostReconfirmation:
    """The host says the rooms are still on offer as recorded."""
    request, host = _locked(db, token)
    _answer(request, host, "confirmed")
    db.flush()
    _audit(db, request, "confirm", {})
    return request


def pause(db: Session, *, token: str, until: date | None) -> HostReconfirmation:
    """The host is still a host but cannot take guests until ``until``: every room is unavailable till then."""
    today = clock.today()
    if until is None or not today < until <= today + timedelta(days=MAX_PAUSE_DAYS):
        raise InvalidInput(code="reconfirm.pause_until_required", loc=("body", "paused_until"))
    request, host = _locked(db, token)
    _answer(request, host, "paused")
    request.paused_until = until
    for room in place_service.host_rooms(db, host_id=host.id):
        db.add(
            PlaceUnavailability(
                place_id=room.id, start_date=today, end_date=until, reason="Gastgever pauzeert (beschikbaarheid)"
            )
        )
    db.flush()
    _audit(db, request, "pause", {"paused_until": until.isoformat()})
    return request


def _audit(db: Session, request: HostReconfirmation, action: str, detail: dict) -> None:
    audit.record(
        db,
        principal=None,
        action=action,
        object_type="host_reconfirmation",
        object_id=request.id,
        municipality_id=request.municipality_id,
        detail={"host_id": request.host_id, **detail},
    )


def latest_of(db: Session, host_id: int) -> HostReconfirmation | None:
    """The host's latest request, for the coordinator's host page."""
    return db.scalars(
        select(HostReconfirmation)
        .where(HostReconfirmation.host_id == host_id)
        .order_by(HostReconfirmation.sent_at.desc(), HostReconfirmation.id.desc())
    ).first()
