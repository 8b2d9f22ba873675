"""Offers: put a proposal to the host or the Wachtkamer manager, answer it by link, expire it, decline it.

The life of an offer (README, "Offers"): ``pending`` → ``accepted`` (a placement, through
:func:`api.matching.decisions.confirm_offered`, the checks of confirm included) | ``declined`` (a reason from
:mod:`api.offers.reasons` with its consequence) | ``expired`` (not answered within ``offer_valid_hours``) |
``void`` (accepted when the place had been taken meanwhile). Only ``pending`` holds a link; every other state
revokes it. While pending, the household is held for the place (the proposal's ``offered_at``).

Why the link carries no account: hosts answer from a phone, once; a random token (only its SHA-256 is stored)
that works for one offer, until it is answered or expires, is what the host's mail client can carry.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import partial

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from api.auth.security import token_digest
from api.core import audit, clock
from api.core.config import get_settings
from api.core.error_codes import status_label
from api.core.errors import Conflict, InvalidInput, NotFound, OnderdakError
from api.core.models import Municipality
from api.core.policy import policy_book
from api.core.principal import Principal
from api.core.tenancy import owned
from api.hosts.models import Host
from api.hosts.rules import exemption_decision_of, guest_household, host_household
from api.households.models import Household
from api.matching import decisions
from api.matching.models import Proposal
from api.offers import reasons
from api.offers.channels import OfferMessage, channels
from api.offers.models import CONSENT_VIA, Offer
from api.placements.models import Refusal
from api.places import service as place_service
from api.places.models import Place, PlaceUnavailability
from matcher.rules import cost_sharing
from matcher.rules.dates import age_on
from matcher.rules.errors import RulesError

MAX_PAUSE_DAYS = 366
#: Why an expired pair is excluded: a place whose recipient did not answer in time is not offered to the same
#: household again, so the next run offers that household another place at once (the place stays open for others).
EXPIRED_REASON = "Aanbod verlopen: niet op tijd beantwoord"


def _valid_for() -> timedelta:
    return timedelta(hours=get_settings().offer_valid_hours)


def _link(token: str) -> str:
    return f"{get_settings().base_url.rstrip('/')}/aanbod/{token}"


def _new_token(offer: Offer) -> str:
    token = secrets.token_urlsafe(32)
    offer.token_hash = token_digest(token)
    return token


# ---------------------------------------------------------------- making offers


def make_offers(db: Session, *, principal: Principal, proposal_ids: Sequence[int]) -> list[Offer]:
    """Offer several proposals at once (all or nothing: one refusal leaves every proposal as it was)."""
    if not proposal_ids:
        raise InvalidInput(code="offer.no_proposals", loc=("body", "proposal_ids"))
    return [make_offer(db, principal=principal, proposal_id=pid) for pid in dict.fromkeys(proposal_ids)]


def make_offer(db: Session, *, principal: Principal, proposal_id: int) -> Offer:
    """Hold the proposal's pair and send the recipient a link (mail, and a short text by phone)."""
    proposal = decisions.hold_for_offer(db, principal=principal, proposal_id=proposal_id)
    place = db.get(Place, proposal.place_id)
    assert place is not None
    offer = Offer(
        municipality_id=principal.municipality_id,
        proposal_id=proposal.id,
        household_id=proposal.household_id,
        place_id=place.id,
        start_date=proposal.start_date,
        end_date=proposal.end_date,
        recipient_kind="host" if place.kind == "host_room" else "wachtkamer",
        status="pending",
        created_by=principal.user_id,
        expires_at=clock.now() + _valid_for(),
    )
    token = _new_token(offer)
    db.add(offer)
    db.flush()
    sent = _send(db, offer, token, reminder=False)
    audit.record(
        db,
        principal=principal,
        action="offer",
        object_type="offer",
        object_id=offer.id,
        detail={
            "proposal_id": proposal.id,
            "household_id": offer.household_id,
            "place_id": place.id,
            "recipient": offer.recipient_kind,
            "channels": sent,
        },
    )
    return offer


def _recipient(db: Session, offer: Offer) -> tuple[str | None, str | None, str]:
    """E-mail, phone and greeting of whoever answers: the host, or the municipality's Wachtkamer contact."""
    place = db.get(Place, offer.place_id)
    assert place is not None
    if place.host is not None:
        first = place.host.members[0].first_name if place.host.members else ""
        return place.host.email, place.host.phone, f"Beste {first}".strip()
    municipality = db.get(Municipality, offer.municipality_id)
    return (municipality.contact_email if municipality else None), None, "Beste beheerder van De Wachtkamer"


def _send(db: Session, offer: Offer, token: str, *, reminder: bool) -> list[str]:
    """Send the link through every channel; returns the names of the channels that took it."""
    email, phone, greeting = _recipient(db, offer)
    household = db.get(Household, offer.household_id)
    persons = len(household.members) if household else 0
    deadline = clock.as_utc(offer.expires_at).astimezone(clock.AMSTERDAM).strftime("%d-%m-%Y %H:%M")
    link = _link(token)
    first = "Herinnering: " if reminder else ""
    body = (
        f"{greeting},\n\n"
        + ("Wij hebben nog geen antwoord van u gekregen.\n\n" if reminder else "")
        + f"Wij zoeken een slaapplek voor een huishouden van {persons} "
        + ("persoon" if persons == 1 else "personen")
        + f", van {offer.start_date:%d-%m-%Y} tot uiterlijk {offer.end_date:%d-%m-%Y}.\n"
        "Op deze pagina leest u wat u moet weten. Daar zegt u ja of nee:\n"
        f"{link}\n\n"
        f"De link werkt tot {deadline}. Daarna vragen wij iemand anders.\n"
        + ("Deze link vervangt de link uit de vorige mail.\n" if reminder else "")
        + "\nMet vriendelijke groet,\nHet crisisteam\n"
    )
    message = OfferMessage(
        offer_id=offer.id,
        municipality_id=offer.municipality_id,
        email=email,
        phone=phone,
        subject=f"{first}Kunt u een huishouden opvangen? Antwoord vóór {deadline}",
        body=body,
        sms=f"Onderdak: er is een vraag voor uw kamer ({persons} pers., vanaf {offer.start_date:%d-%m}). "
        f"Antwoord vóór {deadline}: {link}",
    )
    return [type(c).__name__ for c in channels() if c.send(db, message)]


# ---------------------------------------------------------------- the page behind the link


def pending_for_token(db: Session, token: str) -> Offer | None:
    """The pending, unexpired offer of this token (None for a used, revoked, expired or unknown one)."""
    if not token or len(token) > 100:
        return None
    offer = db.scalar(select(Offer).where(Offer.token_hash == token_digest(token)))
    if offer is None or offer.status != "pending" or clock.as_utc(offer.expires_at) <= clock.now():
        return None
    return offer


def offer_for_token(db: Session, *, token: str) -> Offer:
    offer = pending_for_token(db, token)
    if offer is None:
        raise NotFound(code="offer.link_invalid", loc=("path", "token"))
    return offer


@dataclass(frozen=True)
class BenefitEffect:
    """What the stay does to the host's own benefit (only for a host on social assistance)."""

    norm_without: str | None
    norm_with: str | None
    difference: str | None
    cuts_benefit: bool
    exemption: bool


@dataclass(frozen=True)
class HostView:
    """What the recipient sees: enough to decide, nothing more (no surname, no birth dates, no address)."""

    offer: Offer
    first_name: str
    initials: list[str]
    persons: int
    ages: list[int]
    pets: bool
    place_label: str
    deadline: datetime
    benefit: BenefitEffect | None


def host_view(db: Session, *, offer: Offer) -> HostView:
    household = db.scalar(
        select(Household).where(Household.id == offer.household_id).options(selectinload(Household.members))
    )
    place = db.get(Place, offer.place_id)
    assert household is not None and place is not None
    members = sorted(household.members, key=lambda m: m.birth_date)
    day = offer.start_date
    view = HostView(
        offer=offer,
        first_name=members[0].first_name if members else "",
        initials=[f"{m.first_name[:1].upper()}." for m in members[1:]],
        persons=len(members),
        ages=[age_on(m.birth_date, day) for m in members],
        pets=household.pets,
        place_label=place.label,
        deadline=clock.as_utc(offer.expires_at).astimezone(clock.AMSTERDAM),
        benefit=_benefit(db, place.host, household, day) if place.host is not None else None,
    )
    audit.record(
        db,
        principal=None,
        action="read",
        object_type="offer",
        object_id=offer.id,
        municipality_id=offer.municipality_id,
        detail={"via": "offer_link"},
    )
    return view


def _benefit(db: Session, host: Host, household: Household, day: date) -> BenefitEffect | None:
    """The cost-sharing norm without and with this household, by the rules engine (as on the rules page)."""
    if not host.on_benefit:
        return None
    try:
        result = cost_sharing.calculate(
            host_household(host),
            guest_household(household),
            day,
            policy_book(db, municipality_id=host.municipality_id),
            exemption=exemption_decision_of(host),
            require_amounts=False,
        )
    except (RulesError, OnderdakError, ValueError, KeyError):
        return None  # the page then says the team will explain the benefit by phone
    norm = next((n for n in result.norms if n.person_ref.startswith("H1")), None)
    return BenefitEffect(
        norm_without=cost_sharing.format_euro(norm.norm_without) if norm else None,
        norm_with=cost_sharing.format_euro(norm.norm_with) if norm else None,
        difference=cost_sharing.format_euro(norm.difference) if norm else None,
        cuts_benefit=result.cuts_benefit,
        exemption=exemption_decision_of(host) is not None,
    )


# ---------------------------------------------------------------- answers


def _lock_offer(db: Session, offer_id: int) -> Offer:
    offer = db.scalar(
        select(Offer).where(Offer.id == offer_id).with_for_update().execution_options(populate_existing=True)
    )
    if offer is None:
        raise NotFound(code="offer.not_found", loc=("path", "offer_id"))
    if offer.status != "pending":
        raise Conflict(code="offer.not_pending", loc=("path", "offer_id"), status=status_label(offer.status))
    return offer


def _close(offer: Offer, status: str) -> None:
    offer.status = status
    offer.token_hash = None  # the link is revoked with any answer
    offer.answered_at = clock.now()


@dataclass(frozen=True)
class AcceptResult:
    offer: Offer
    placement_id: int | None
    problem: str | None  # the Dutch (or English) reason the place could not be given any more


def accept(db: Session, *, token: str) -> AcceptResult:
    """The recipient says yes: a placement, or, when the place was taken meanwhile, a void offer and why."""
    offer = _lock_offer(db, offer_for_token(db, token=token).id)
    assert offer.proposal_id is not None
    try:
        with db.begin_nested():  # a refusal rolls back to here; the offer is then made void below
            placement = decisions.confirm_offered(db, proposal_id=offer.proposal_id, principal=None, via="offer_link")
    except OnderdakError as exc:
        why = Conflict(code="offer.place_taken", why=exc.message).message
        _close(offer, "void")
        offer.void_reason = why[:2000]
        decisions.release_offered(db, proposal_id=offer.proposal_id, rejected_for=None, decided_by=None)
        db.flush()
        _audit_answer(db, None, offer, "void", {"code": exc.code})
        return AcceptResult(offer=offer, placement_id=None, problem=why)
    _close(offer, "accepted")
    offer.placement_id = placement.id
    db.flush()
    _audit_answer(db, None, offer, "accept", {"placement_id": placement.id})
    return AcceptResult(offer=offer, placement_id=placement.id, problem=None)


def decline_by_token(db: Session, *, token: str, reason: str, note: str | None, paused_until: date | None) -> Offer:
    offer = _lock_offer(db, offer_for_token(db, token=token).id)
    return _decline(db, offer, principal=None, party="host", reason=reason, note=note, paused_until=paused_until)


def decline_by_team(
    db: Session,
    *,
    principal: Principal,
    offer_id: int,
    reason: str,
    note: str | None,
    paused_until: date | None,
) -> Offer:
    """The team records a decline: its own (safety, withdrawn) or the household's (too far, own place …)."""
    owned(db, Offer, offer_id, principal, code="offer.not_found", loc=("path", "offer_id"))
    offer = _lock_offer(db, offer_id)
    entry = reasons.BY_CODE.get(reason)
    party = entry.party if entry is not None and entry.party in ("household", "team") else "team"
    return _decline(db, offer, principal=principal, party=party, reason=reason, note=note, paused_until=paused_until)


def _decline(
    db: Session,
    offer: Offer,
    *,
    principal: Principal | None,
    party: str,
    reason: str,
    note: str | None,
    paused_until: date | None,
) -> Offer:
    entry = reasons.BY_CODE.get(reason)
    if entry is None:
        choices = ", ".join(r.code for r in reasons.for_party(party))
        raise InvalidInput(code="offer.reason_unknown", loc=("body", "reason"), choices=choices)
    if entry.party != party:
        raise InvalidInput(code="offer.reason_not_for_party", loc=("body", "reason"), party=party)
    today = clock.today()
    if reasons.PAUSE_PLACE in entry.consequences:
        if paused_until is None or not today < paused_until <= today + timedelta(days=MAX_PAUSE_DAYS):
            raise InvalidInput(code="offer.pause_until_required", loc=("body", "paused_until"))
    else:
        paused_until = None
    assert offer.proposal_id is not None
    _close(offer, "declined")
    offer.decline_reason, offer.decline_note, offer.paused_until = (
        entry.code,
        (note or "").strip()[:2000] or None,
        paused_until,
    )
    user_id = principal.user_id if principal else None
    decisions.release_offered(
        db,
        proposal_id=offer.proposal_id,
        rejected_for=f"{entry.nl} ({entry.code})",
        decided_by=user_id,
        consequences=lambda: _apply(db, offer, entry, user_id),
    )
    db.flush()
    _audit_answer(
        db,
        principal,
        offer,
        "decline",
        {"reason": entry.code, "party": party, "consequences": list(entry.consequences)},
    )
    return offer


def _apply(db: Session, offer: Offer, entry: reasons.DeclineReason, user_id: int | None) -> None:
    """The decline's consequences, in the same transaction as the decline."""
    if reasons.PAUSE_PLACE in entry.consequences and offer.paused_until is not None:
        db.add(
            PlaceUnavailability(
                place_id=offer.place_id,
                start_date=clock.today(),
                end_date=offer.paused_until,
                reason=f"Aanbod afgeslagen: {entry.nl}",
            )
        )
    if reasons.EXCLUDE_PAIR in entry.consequences:
        _exclude_pair(db, offer, f"Aanbod afgeslagen: {entry.nl}", user_id)
    if reasons.HOST_ON_HOLD in entry.consequences:
        place = db.get(Place, offer.place_id)
        if place is not None and place.host is not None and place.host.status == "active":
            place.host.status = "paused"
            place_service.set_host_rooms_status(db, host_id=place.host.id, status="paused")
    if reasons.CLOSE_CASE in entry.consequences:
        household = db.get(Household, offer.household_id)
        if household is not None and household.status == "waiting":
            household.status = "closed"
            household.closed_at = clock.now()
    db.flush()


def _exclude_pair(db: Session, offer: Offer, reason: str, user_id: int | None = None) -> None:
    """Later runs leave this pair out (a ``refusal`` row, the matcher's ``excluded_places``), once."""
    exists = db.scalar(
        select(Refusal.id).where(Refusal.household_id == offer.household_id, Refusal.place_id == offer.place_id)
    )
    if exists is None:
        db.add(
            Refusal(
                municipality_id=offer.municipality_id,
                household_id=offer.household_id,
                place_id=offer.place_id,
                reason=reason,
                refused_by=user_id,
            )
        )
        db.flush()


def _audit_answer(db: Session, principal: Principal | None, offer: Offer, action: str, detail: dict) -> None:
    audit.record(
        db,
        principal=principal,
        action=action,
        object_type="offer",
        object_id=offer.id,
        municipality_id=offer.municipality_id,
        detail={"household_id": offer.household_id, "place_id": offer.place_id, **detail},
    )


def record_consent(db: Session, *, principal: Principal, offer_id: int, given: bool, by: str | None, via: str) -> Offer:
    """The household's own say on the offer: who in the household, how, and when (recorded by whom)."""
    offer = owned(db, Offer, offer_id, principal, code="offer.not_found", loc=("path", "offer_id"))
    if via not in CONSENT_VIA:
        raise InvalidInput(code="offer.consent_via_unknown", loc=("body", "via"), choices=", ".join(CONSENT_VIA))
    who = (by or "").strip()
    if not who:
        raise InvalidInput(code="offer.consent_by_required", loc=("body", "by"))
    offer.consent = "given" if given else "refused"
    offer.consent_by, offer.consent_via = who[:60], via
    offer.consent_at, offer.consent_recorded_by = clock.now(), principal.user_id
    db.flush()
    audit.record(
        db,
        principal=principal,
        action="consent",
        object_type="offer",
        object_id=offer.id,
        detail={"consent": offer.consent, "via": via, "fields": ["consent_by"]},
    )
    return offer


# ---------------------------------------------------------------- scheduled: expiry and reminders


def expire_due(db: Session) -> int:
    """Pending offers whose time is up (``expires_at <= now``) expire: the household goes back in the pool and
    the pair is excluded from later runs, so the next run offers the household another place."""
    now = clock.now()
    due = db.scalars(
        select(Offer)
        .where(Offer.status == "pending", Offer.expires_at <= now)
        .order_by(Offer.id)
        .with_for_update(skip_locked=True)
    ).all()
    for offer in due:
        _close(offer, "expired")
        if offer.proposal_id is not None:
            try:
                decisions.release_offered(
                    db,
                    proposal_id=offer.proposal_id,
                    rejected_for=None,
                    decided_by=None,
                    consequences=partial(_exclude_pair, db, offer, EXPIRED_REASON),
                )
            except Conflict:
                pass  # the proposal was decided otherwise meanwhile; the offer still ends here
        db.flush()
        _audit_answer(db, None, offer, "expire", {"consequences": [reasons.POOL, reasons.EXCLUDE_PAIR]})
    return len(due)


def remind_due(db: Session) -> int:
    """One reminder per offer, ``offer_reminder_hours`` before it expires, with a fresh link (the old one stops)."""
    now = clock.now()
    before = timedelta(hours=get_settings().offer_reminder_hours)
    due = db.scalars(
        select(Offer)
        .where(
            Offer.status == "pending",
            Offer.reminded_at.is_(None),
            Offer.expires_at > now,
            Offer.expires_at <= now + before,
        )
        .order_by(Offer.id)
        .with_for_update(skip_locked=True)
    ).all()
    for offer in due:
        token = _new_token(offer)
        offer.reminded_at = now
        db.flush()
        sent = _send(db, offer, token, reminder=True)
        _audit_answer(db, None, offer, "remind", {"channels": sent})
    return len(due)


# ---------------------------------------------------------------- lists and the decline report


def list_offers(db: Session, *, principal: Principal, status: str | None = None) -> list[Offer]:
    query = select(Offer).where(Offer.municipality_id == principal.municipality_id)
    if status:
        query = query.where(Offer.status == status)
    return list(db.scalars(query.order_by(Offer.expires_at, Offer.id)))


def get_offer(db: Session, *, principal: Principal, offer_id: int) -> Offer:
    return owned(db, Offer, offer_id, principal, code="offer.not_found", loc=("path", "offer_id"))


@dataclass(frozen=True)
class ReasonCount:
    code: str
    party: str
    nl: str
    en: str
    consequences: tuple[str, ...]
    count: int


def decline_report(
    db: Session, *, municipality_id: int, since: date | None = None, until: date | None = None
) -> tuple[list[ReasonCount], dict[str, int]]:
    """Declines per reason (every reason of the catalogue, zero included) and offers per status."""
    query = select(Offer.decline_reason, func.count()).where(
        Offer.municipality_id == municipality_id, Offer.status == "declined"
    )
    status_query = select(Offer.status, func.count()).where(Offer.municipality_id == municipality_id)
    if since is not None:
        start = datetime(since.year, since.month, since.day, tzinfo=clock.AMSTERDAM)
        query, status_query = query.where(Offer.created_at >= start), status_query.where(Offer.created_at >= start)
    if until is not None:
        end = datetime(until.year, until.month, until.day, tzinfo=clock.AMSTERDAM) + timedelta(days=1)
        query, status_query = query.where(Offer.created_at < end), status_query.where(Offer.created_at < end)
    counts = dict(db.execute(query.group_by(Offer.decline_reason)).all())
    per_reason = [
        ReasonCount(r.code, r.party, r.nl, r.en, r.consequences, int(counts.get(r.code, 0))) for r in reasons.CATALOGUE
    ]
    statuses = {status: int(n) for status, n in db.execute(status_query.group_by(Offer.status)).all()}
    return per_reason, statuses


def proposal_of(db: Session, offer: Offer) -> Proposal | None:
    return db.get(Proposal, offer.proposal_id) if offer.proposal_id else None
