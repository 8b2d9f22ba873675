"""Hosts: public sign-up, confirmation, vetting by coordinators, self-service, retention. Flush, never commit.

The life of a host (``host.status``)::

    unconfirmed --confirm link--> pending --vet--> vetted --activate--> active <--pause/resume--> paused
         |                           |              |                     |                          |
         +------------- reject (with reason) -------+                     +------- withdraw ---------+

Only ``active`` hosts' rooms (status ``active``) go into the daily matching. Activation needs the whole
checklist (identity, certificate of good conduct (VOG), home visit, benefit situation checked, and the
landlord's consent when the landlord is a corporation or a private landlord: domain.md, "Logeren").

Privacy and abuse: the public sign-up answers the same whatever happens (new address, known address,
honeypot filled), so nobody can find out who is a host; confirmation and set-password links are random
tokens of which only the SHA-256 is stored, valid for the dated ``link_valid_days``. Personal data of
hosts who withdrew or were rejected is erased ``months_after_end`` after ``withdrawn_at`` (set for both), and
unconfirmed sign-ups after ``unconfirmed_days`` (dated policy ``host_data_retention``), by the shared
retention job (api/core/retention.py, ``onderdak purge``).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from api.auth import service as auth_service
from api.auth.dependencies import ensure_same_municipality
from api.auth.models import UserAccount
from api.auth.security import hash_password, token_digest
from api.core import audit, clock, mail
from api.core.config import get_settings
from api.core.error_codes import status_label
from api.core.errors import Conflict, InvalidInput, NotFound, RuleBreach
from api.core.models import Municipality
from api.core.principal import Principal
from api.core.tenancy import municipality_by_code
from api.hosts import rules as host_rules
from api.hosts.benefit import retention
from api.hosts.forms import SignupData
from api.hosts.models import Host, HostInvite, HostMember
from api.hosts.schemas import HOST_ACTIONS
from api.households.models import Household
from api.placements.models import LIVE_STATUSES, Placement
from api.places import service as place_service
from api.places.models import Place
from matcher.rules import logeer

CHECKLIST = ("identity_seen", "vog_seen", "home_visit_done", "landlord_consent_received", "benefit_checked")
LIVE_HOST_STATUSES = ("unconfirmed", "pending", "vetted", "active", "paused")
# action -> (statuses it may start from, resulting status)
TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "vet": (("pending",), "vetted"),
    "activate": (("vetted",), "active"),
    "pause": (("active",), "paused"),
    "resume": (("paused",), "active"),
    "reject": (("unconfirmed", "pending", "vetted"), "rejected"),
    "withdraw": (("unconfirmed", "pending", "vetted", "active", "paused"), "withdrawn"),
}
ROOM_STATUS_AFTER = {"active": "active", "paused": "paused", "rejected": "inactive", "withdrawn": "inactive"}


def municipalities(db: Session) -> list[Municipality]:
    return list(db.scalars(select(Municipality).order_by(Municipality.name)).all())


# ------------------------------------------------------------------ public sign-up and confirmation


def _next_host_reference(db: Session, code: str) -> str:
    prefix = f"GG-{code[2:]}-"
    refs = db.scalars(select(Host.reference).where(Host.reference.like(f"{prefix}%"))).all()
    numbers = [int(r[len(prefix) :]) for r in refs if r[len(prefix) :].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:03d}"


def _live_host_with_email(db: Session, municipality_id: int, email: str) -> Host | None:
    return db.scalar(
        select(Host).where(
            Host.municipality_id == municipality_id,
            func.lower(Host.email) == email.lower(),
            Host.status.in_(LIVE_HOST_STATUSES),
        )
    )


def signup(db: Session, *, data: SignupData, today: date, remote_addr: str | None = None) -> None:
    """Register a sign-up and mail the confirmation link. Returns nothing on purpose (no enumeration).

    A second sign-up with an address that already has a live sign-up creates nothing; the owner of the
    address gets a mail saying so (only they can read it), and the caller sees the usual answer. When that
    earlier sign-up was never confirmed (the link expired or got lost), the mail holds a fresh confirmation
    link for it instead; the data of the new attempt is not used, so nobody can overwrite another's sign-up.
    """
    municipality = municipality_by_code(db, data.municipality_code, loc=("body", "municipality"))
    base_url = get_settings().base_url.rstrip("/")
    existing = _live_host_with_email(db, municipality.id, data.email)
    if existing is not None and existing.status == "unconfirmed":
        kept = retention(db, municipality.id, today)
        token = secrets.token_urlsafe(32)
        existing.confirmation_token_hash = token_digest(token)
        existing.created_at = clock.now()  # the link's validity and the unconfirmed retention restart here
        _queue_confirmation(
            db, municipality=municipality, recipient=existing.email, token=token, days=kept.link_valid_days
        )
        audit.record(
            db,
            principal=None,
            action="signup_new_link",
            object_type="host",
            object_id=existing.id,
            municipality_id=municipality.id,
            remote_addr=remote_addr,
        )
        return
    if existing is not None:
        mail.queue(
            db,
            recipient=existing.email,
            subject="Uw aanmelding als gastgever / Your sign-up as a host",
            body=_already_signed_up_body(municipality.name, base_url),
            municipality_id=municipality.id,
        )
        audit.record(
            db,
            principal=None,
            action="signup_repeat",
            object_type="host",
            object_id=existing.id,
            municipality_id=municipality.id,
            remote_addr=remote_addr,
        )
        return
    kept = retention(db, municipality.id, today)
    token = secrets.token_urlsafe(32)
    host = Host(
        municipality_id=municipality.id,
        reference=_next_host_reference(db, municipality.code),
        name=data.name,
        email=data.email,
        phone=data.phone,
        street=data.street,
        house_number=data.house_number,
        postcode=data.postcode,
        city=data.city,
        lat=data.lat,
        lon=data.lon,
        location_approximate=data.location_approximate,
        on_benefit=data.on_benefit,
        landlord_type=data.landlord_type,
        has_rent_arrears=data.has_rent_arrears,
        max_households=1 if data.one_household_at_a_time else None,
        status="unconfirmed",
        consent_given_at=clock.now(),
        consent_retention_months=kept.months_after_end,
        confirmation_token_hash=token_digest(token),
    )
    first_name = data.name.split()[0][:80] if data.name.split() else data.name[:80]
    host.members = [HostMember(first_name=first_name, birth_date=data.birth_date, on_benefit=data.on_benefit)] + [
        HostMember(first_name=m.first_name, birth_date=m.birth_date, status=m.status, on_benefit=m.on_benefit)
        for m in data.members
    ]
    if not _insert_host(db, host, municipality.code):
        # A sign-up with this address was committed meanwhile (a double click, two tabs): answer as for a repeat.
        audit.record(
            db,
            principal=None,
            action="signup_repeat",
            object_type="host",
            municipality_id=municipality.id,
            remote_addr=remote_addr,
        )
        return
    for room in data.rooms:
        place_service.add_host_room(
            db,
            host=host,
            municipality_code=municipality.code,
            capacity=room.capacity,
            accessible=room.accessible,
            allows_pets=room.allows_pets,
            allows_children=room.allows_children,
            available_from=data.available_from,
            available_until=data.available_until,
            busy=data.busy,
        )
    _queue_confirmation(db, municipality=municipality, recipient=host.email, token=token, days=kept.link_valid_days)
    audit.record(
        db,
        principal=None,
        action="create",
        object_type="host",
        object_id=host.id,
        municipality_id=municipality.id,
        detail={"rooms": len(data.rooms), "source": "public_signup"},
        remote_addr=remote_addr,
    )


def _insert_host(db: Session, host: Host, code: str, attempts: int = 3) -> bool:
    """Insert in a savepoint; a clash on the reference (two sign-ups at once) takes the next number, a clash on
    the live e-mail index (uq_host_live_email) means the address signed up meanwhile: False."""
    for _ in range(attempts):
        savepoint = db.begin_nested()
        try:
            db.add(host)
            db.flush()
        except IntegrityError:
            savepoint.rollback()
            if _live_host_with_email(db, host.municipality_id, host.email) is not None:
                return False
            host.reference = _next_host_reference(db, code)
            continue
        savepoint.commit()
        return True
    raise Conflict(code="host.signup_failed", loc=("body",))


def _host_by_confirmation(db: Session, token: str) -> Host | None:
    if not token or len(token) > 100:
        return None
    host = db.scalar(select(Host).where(Host.confirmation_token_hash == token_digest(token)))
    if host is None or host.status != "unconfirmed":
        return None
    valid_days = retention(db, host.municipality_id, clock.now().date()).link_valid_days
    if host.created_at + timedelta(days=valid_days) < clock.now():
        return None
    return host


def confirmation_is_valid(db: Session, *, token: str) -> bool:
    return _host_by_confirmation(db, token) is not None


def confirm(db: Session, *, token: str, remote_addr: str | None = None) -> Host:
    """The host clicked the link: the sign-up enters the vetting queue (status pending)."""
    host = _host_by_confirmation(db, token)
    if host is None:
        raise NotFound(code="auth.link_invalid", loc=("path", "token"))
    host.status = "pending"
    host.confirmed_at = clock.now()
    host.confirmation_token_hash = None
    db.flush()
    audit.record(
        db,
        principal=None,
        action="confirm",
        object_type="host",
        object_id=host.id,
        municipality_id=host.municipality_id,
        remote_addr=remote_addr,
    )
    return host


# ------------------------------------------------------------------ coordinators: queue, checklist, transitions


def list_hosts(db: Session, *, principal: Principal, status: str | None = None) -> list[Host]:
    query = (
        select(Host)
        .where(Host.municipality_id == principal.municipality_id)
        .options(selectinload(Host.members))
        .order_by(Host.confirmed_at.is_(None), Host.confirmed_at, Host.reference)
    )
    if status:
        query = query.where(Host.status == status)
    hosts = list(db.scalars(query).all())
    audit.record(
        db, principal=principal, action="read", object_type="host_list", detail={"status": status, "count": len(hosts)}
    )
    return hosts


def status_counts(db: Session, *, municipality_id: int) -> dict[str, int]:
    rows = db.execute(
        select(Host.status, func.count(Host.id)).where(Host.municipality_id == municipality_id).group_by(Host.status)
    ).all()
    return {status: int(n) for status, n in rows}


def get_host(db: Session, *, principal: Principal, host_id: int, audit_read: bool = True) -> Host:
    """A host of the caller's municipality (another municipality's id is a 404); the read is audited."""
    host = db.get(Host, host_id)
    if host is None:
        raise NotFound(code="host.not_found", loc=("path", "host_id"))
    ensure_same_municipality(principal, host.municipality_id, "host")
    if principal.role == "host" and principal.host_id != host.id:
        raise NotFound(code="host.not_found", loc=("path", "host_id"))
    if audit_read:
        audit.record(db, principal=principal, action="read", object_type="host", object_id=host.id)
    return host


def needs_landlord_consent(host: Host) -> bool:
    """A corporation or a private landlord must consent; an owner-occupier needs no one's consent."""
    return logeer.needs_landlord_consent(host.landlord_type)


def landlord_consent_recorded(host: Host) -> bool:
    return bool(host.landlord_consent and host.landlord_consent_received and host.landlord_consent_date)


def checklist_missing(host: Host) -> list[str]:
    """The checklist items still open; the landlord's consent only where there is a landlord."""
    missing = []
    for item in CHECKLIST:
        if item == "landlord_consent_received":
            if needs_landlord_consent(host) and not landlord_consent_recorded(host):
                missing.append(item)
        elif not getattr(host, item):
            missing.append(item)
    return missing


@dataclass
class ChecklistUpdate:
    """The coordinator's ticks, plus the landlord's consent when it is recorded now (date, who, document).

    The consent itself is recorded by :func:`api.hosts.rules.record_landlord_consent`
    one writer of those columns, which also ticks ``landlord_consent_received``); the temporary-stay
    decision likewise (page /regels/gastgevers/{id}). This checklist never clears either.
    """

    identity_seen: bool = False
    vog_seen: bool = False
    home_visit_done: bool = False
    benefit_checked: bool = False
    landlord_consent_date: date | None = None
    landlord_consent_by: str | None = None
    landlord_consent_document: str | None = None


def update_checklist(db: Session, *, principal: Principal, host: Host, update: ChecklistUpdate) -> Host:
    if host.status not in ("pending", "vetted", "active", "paused"):
        raise RuleBreach(code="host.checklist_before_confirmation", loc=("body", "status"))
    changed: list[str] = []
    for item in ("identity_seen", "vog_seen", "home_visit_done", "benefit_checked"):
        value = getattr(update, item)
        if getattr(host, item) != value:
            setattr(host, item, value)
            changed.append(item)
    consent_fields = (update.landlord_consent_date, update.landlord_consent_by, update.landlord_consent_document)
    if any(consent_fields):
        if not needs_landlord_consent(host):
            raise RuleBreach(code="host.owner_needs_no_consent", loc=("body",))
        for name, value in zip(
            ("landlord_consent_date", "landlord_consent_by", "landlord_consent_document"), consent_fields, strict=True
        ):
            if not value or (isinstance(value, str) and not value.strip()):
                raise InvalidInput(code="host.consent_incomplete", loc=("body", name))
        assert update.landlord_consent_date is not None
        host_rules.record_landlord_consent(
            db,
            principal=principal,
            host=host,
            given_on=update.landlord_consent_date,
            given_by=(update.landlord_consent_by or "")[:120],
            document_reference=(update.landlord_consent_document or "")[:200],
            today=clock.today(),
        )
        changed.append("landlord_consent_received")
    if host.status in ("vetted", "active", "paused") and checklist_missing(host):
        raise RuleBreach(code="host.checklist_must_stay_complete", loc=("body",))
    db.flush()
    audit.record(
        db, principal=principal, action="update", object_type="host", object_id=host.id, detail={"checklist": changed}
    )
    return host


def transition(
    db: Session,
    *,
    principal: Principal,
    host: Host,
    action: str,
    reason: str | None = None,
    today: date | None = None,  # noqa: ARG001 - not used; kept so callers passing it keep working
) -> Host:
    """Move the host along its life (see the module docstring); the rooms follow."""
    target = _transition_target(principal=principal, host=host, action=action)
    if action == "reject":
        reason = (reason or "").strip()
        if not reason:
            raise InvalidInput(code="host.rejection_reason_required", loc=("body", "reason"))
        host.rejection_reason = reason[:2000]
    if action == "withdraw" and _has_live_guest(db, host.id):
        raise RuleBreach(code="host.guest_present", loc=("body", "action"))
    previous = host.status
    host.status = target
    if target in ("rejected", "withdrawn"):
        host.withdrawn_at = clock.now()  # the retention period runs from here (rejected or withdrawn)
    room_status = ROOM_STATUS_AFTER.get(target)
    if room_status:
        place_service.set_host_rooms_status(db, host_id=host.id, status=room_status)
    db.flush()
    audit.record(
        db,
        principal=principal,
        action=action,
        object_type="host",
        object_id=host.id,
        detail={"from": previous, "to": target},
    )
    if action == "activate":
        _ensure_host_account(db, principal=principal, host=host)
    if target == "withdrawn":
        for user in db.scalars(select(UserAccount).where(UserAccount.host_id == host.id)).all():
            user.active = False
        db.flush()
    return host


def _transition_target(*, principal: Principal, host: Host, action: str) -> str:
    """The status ``action`` leads to, or the reason it may not be taken now."""
    if action not in TRANSITIONS:
        raise InvalidInput(code="host.unknown_action", loc=("body", "action"), action=repr(action))
    if principal.role == "host" and action not in HOST_ACTIONS:
        raise RuleBreach(code="host.coordinator_only", loc=("body", "action"))
    allowed_from, target = TRANSITIONS[action]
    if host.status not in allowed_from:
        raise Conflict(
            code="host.bad_transition",
            loc=("body", "action"),
            status=status_label(host.status),
            target=status_label(target),
        )
    if action in ("vet", "activate") and checklist_missing(host):
        raise RuleBreach(
            code="host.checklist_incomplete", loc=("body", "checklist"), missing=", ".join(checklist_missing(host))
        )
    return target


def _has_live_guest(db: Session, host_id: int) -> bool:
    return (
        db.scalar(
            select(func.count(Placement.id))
            .join(Place, Place.id == Placement.place_id)
            .where(Place.host_id == host_id, Placement.status.in_(LIVE_STATUSES))
        )
        or 0
    ) > 0


def _ensure_host_account(db: Session, *, principal: Principal, host: Host) -> UserAccount:
    """The host's own account (role host), made at the first activation, with a set-password link by mail."""
    user = db.scalar(select(UserAccount).where(UserAccount.host_id == host.id))
    if user is not None:
        user.active = True
        db.flush()
        return user
    clash = db.scalar(select(UserAccount).where(func.lower(UserAccount.email) == host.email.lower()))
    if clash is not None:
        raise Conflict(code="host.email_taken", loc=("body", "email"))
    user = auth_service.create_user(
        db,
        municipality_id=host.municipality_id,
        email=host.email,
        password=secrets.token_urlsafe(32),  # unusable until the host sets one through the link
        role="host",
        host_id=host.id,
    )
    issue_invite(db, principal=principal, user=user, host=host)
    return user


def issue_invite(db: Session, *, principal: Principal | None, user: UserAccount, host: Host) -> None:
    kept = retention(db, host.municipality_id, clock.now().date())
    token = secrets.token_urlsafe(32)
    db.add(
        HostInvite(
            user_id=user.id,
            token_hash=token_digest(token),
            expires_at=clock.now() + timedelta(days=kept.link_valid_days),
        )
    )
    db.flush()
    link = f"{get_settings().base_url.rstrip('/')}/gastgever/wachtwoord/{token}"
    mail.queue(
        db,
        recipient=user.email,
        subject="Uw kamer staat klaar / Your room is active",
        body=_invite_body(link, kept.link_valid_days),
        municipality_id=host.municipality_id,
    )
    audit.record(db, principal=principal, action="invite", object_type="user_account", object_id=user.id)


def resend_invite(db: Session, *, principal: Principal, host: Host) -> None:
    """A new set-password link for an active or paused host (the old unused links stop working)."""
    if host.status not in ("active", "paused"):
        raise Conflict(code="host.no_account_status", loc=("body", "status"))
    user = db.scalar(select(UserAccount).where(UserAccount.host_id == host.id))
    if user is None or not user.active:
        raise Conflict(code="host.no_active_account", loc=("body", "status"))
    for old in db.scalars(select(HostInvite).where(HostInvite.user_id == user.id, HostInvite.used_at.is_(None))):
        old.expires_at = clock.now()
    issue_invite(db, principal=principal, user=user, host=host)


def _invite_by_token(db: Session, token: str) -> HostInvite | None:
    if not token or len(token) > 100:
        return None
    invite = db.scalar(select(HostInvite).where(HostInvite.token_hash == token_digest(token)))
    if invite is None or invite.used_at is not None or invite.expires_at < clock.now():
        return None
    return invite


def invite_is_valid(db: Session, *, token: str) -> bool:
    return _invite_by_token(db, token) is not None


def set_password(db: Session, *, token: str, password: str, repeat: str) -> UserAccount:
    invite = _invite_by_token(db, token)
    if invite is None:
        raise NotFound(code="auth.link_invalid", loc=("path", "token"))
    if len(password) < auth_service.MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            code="auth.password_too_short", loc=("body", "password"), min=auth_service.MIN_PASSWORD_LENGTH
        )
    if password != repeat:
        raise InvalidInput(code="auth.passwords_differ", loc=("body", "repeat"))
    user = db.get(UserAccount, invite.user_id)
    if user is None or not user.active:
        raise NotFound(code="auth.link_invalid", loc=("path", "token"))
    user.password_hash = hash_password(password)
    auth_service.end_web_sessions_of(db, user_id=user.id)  # a new password ends every open session
    invite.used_at = clock.now()
    db.flush()
    audit.record(
        db,
        principal=None,
        action="set_password",
        object_type="user_account",
        object_id=user.id,
        municipality_id=user.municipality_id,
    )
    return user


# ------------------------------------------------------------------ host self-service


@dataclass(frozen=True)
class GuestStay:
    first_names: str
    start_date: date
    end_date: date
    status: str
    room_label: str

    @property
    def current(self) -> bool:
        return self.status in LIVE_STATUSES


def guests_of_host(db: Session, *, principal: Principal, host: Host) -> list[GuestStay]:
    """First names and stay dates of current and past guests: what a host needs, nothing more."""
    rows = db.scalars(
        select(Placement)
        .join(Place, Place.id == Placement.place_id)
        .where(Place.host_id == host.id, Placement.status != "cancelled")
        .options(selectinload(Placement.household).selectinload(Household.members), selectinload(Placement.place))
        .order_by(Placement.start_date.desc())
    ).all()
    stays = [
        GuestStay(
            first_names=", ".join(m.first_name for m in p.household.members),
            start_date=p.arrived_on or p.start_date,
            end_date=p.ended_on or p.end_date,
            status=p.status,
            room_label=p.place.reference,
        )
        for p in rows
    ]
    if stays:
        audit.record(
            db,
            principal=principal,
            action="read",
            object_type="host_guests",
            object_id=host.id,
            detail={"placements": len(stays)},
        )
    return stays


# ------------------------------------------------------------------ retention
# Erasing the personal data of ended hosts (withdrawn or rejected, ``months_after_end`` after
# ``withdrawn_at``) and of unconfirmed sign-ups (after ``unconfirmed_days``) is done for every domain at once
# by api/core/retention.py (``onderdak purge --apply``), reading this domain's dated ``host_data_retention``.


# ------------------------------------------------------------------ mail texts (plain language, Dutch then English)


def _queue_confirmation(db: Session, *, municipality: Municipality, recipient: str, token: str, days: int) -> None:
    """The confirmation mail: on the first sign-up, and with a fresh link on a repeat before confirming."""
    link = f"{get_settings().base_url.rstrip('/')}/aanmelden/bevestigen/{token}"
    mail.queue(
        db,
        recipient=recipient,
        subject="Bevestig uw aanmelding als gastgever / Confirm your sign-up as a host",
        body=_confirm_body(municipality.name, link, days),
        municipality_id=municipality.id,
    )


def _confirm_body(municipality: str, link: str, days: int) -> str:
    return (
        f"Hallo,\n\nBedankt dat u een kamer wilt aanbieden in de gemeente {municipality}.\n"
        f"Klik op deze link om uw aanmelding te bevestigen (de link werkt {days} dagen):\n\n{link}\n\n"
        "Daarna neemt een coördinator contact met u op voor een kennismaking.\n"
        "Heeft u zich niet aangemeld? Dan hoeft u niets te doen. Wij verwijderen de gegevens vanzelf.\n\n"
        f"---\n\nThank you for offering a room in the municipality of {municipality}.\n"
        f"Open this link to confirm your sign-up (valid for {days} days):\n\n{link}\n\n"
        "A coordinator will then contact you. If you did not sign up, do nothing: the data will be deleted.\n"
    )


def _already_signed_up_body(municipality: str, base_url: str) -> str:
    return (
        f"Hallo,\n\nIemand heeft zich opnieuw aangemeld als gastgever in de gemeente {municipality} met dit "
        "e-mailadres. U bent al aangemeld; u hoeft niets te doen.\n"
        f"Wilt u uw gegevens bekijken of wijzigen? Log in op {base_url}/gastgever of neem contact op met de "
        "coördinator.\n\n---\n\n"
        f"Someone signed up again as a host in {municipality} with this address. You are already signed up; "
        f"nothing to do. To see or change your data, log in at {base_url}/gastgever or contact the coordinator.\n"
    )


def _invite_body(link: str, days: int) -> str:
    return (
        "Hallo,\n\nUw kamer is goedgekeurd en staat nu open voor logés. Kies een wachtwoord voor uw eigen "
        f"pagina (de link werkt {days} dagen):\n\n{link}\n\n"
        "Op uw pagina kunt u pauzeren, uw beschikbaarheid wijzigen en zien wie er bij u logeert.\n\n---\n\n"
        f"Your room has been approved and is open for guests. Choose a password for your own page (valid for "
        f"{days} days):\n\n{link}\n\nThere you can pause, change your availability and see your guests.\n"
    )
