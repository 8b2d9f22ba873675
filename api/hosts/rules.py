"""The rules that hang on a host, each defined once: the landlord's consent (E6), the temporary-stay
exemption from the cost-sharing norm, and the host's and guests' households as the cost-sharing rule
sees them. The matching instance, placements, the host pages and the rules API all ask here.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from api.core import audit
from api.core.errors import InvalidInput, RuleBreach
from api.core.policy import policy_book, rules_errors
from api.core.principal import Principal
from api.hosts.models import Host
from api.households.models import Household
from matcher.rules import cost_sharing, logeer
from matcher.rules.errors import RulesError

STATUS_FROM_DB: dict[str, frozenset[cost_sharing.Status]] = {
    "none": frozenset(),
    "student_finance": frozenset({cost_sharing.Status.STUDENT_WITH_STUDY_FINANCE}),
    "bbl": frozenset({cost_sharing.Status.BBL}),
    "wtos": frozenset({cost_sharing.Status.WTOS}),
    "commercial_renter": frozenset({cost_sharing.Status.COMMERCIAL_ROOM_RENTER}),
}


def as_cost_sharing_household(ref: str, code: str, people, *, guests: bool) -> cost_sharing.Household:
    """Rows or form entries (``birth_date``, ``status``, ``on_benefit``) as the rule's household.

    People get codes (H1, H2 … for the host's household, L1, L2 … for logés), never names.
    A guest's own benefit is not at stake here, so guests are never beneficiaries.
    """
    return cost_sharing.Household(
        ref,
        tuple(
            cost_sharing.Person(
                f"{code}{i + 1}",
                p.birth_date,
                False if guests else bool(p.on_benefit),
                STATUS_FROM_DB.get(p.status, frozenset()),
            )
            for i, p in enumerate(people)
        ),
    )


def host_household(host: Host) -> cost_sharing.Household:
    return as_cost_sharing_household(host.reference, "H", host.members, guests=False)


def guest_household(household: Household) -> cost_sharing.Household:
    return as_cost_sharing_household(household.reference, "L", household.members, guests=True)


def exemption_decision_of(host: Host) -> cost_sharing.ExemptionDecision | None:
    """The decision recorded on the host (``exemption_*`` columns), if any.

    A granted decision applies from its date on and names no end: stays are bounded
    by ``stay_limits`` anyway. A refusal is returned too (``granted=False``).
    """
    if host.exemption_decided_on is None:
        return None
    return cost_sharing.ExemptionDecision(
        granted=host.cost_sharing_exemption,
        decided_on=host.exemption_decided_on,
        decided_by=None,
        reference=host.exemption_reference or "zonder kenmerk",
        valid_from=host.exemption_decided_on,
    )


def host_cost_sharing_exemption(host: Host, first_day: date, last_day: date | None = None) -> bool:
    """The matcher's ``host.cost_sharing_exemption``: from the recorded decision only."""
    return cost_sharing.room_cost_sharing_exemption(exemption_decision_of(host), first_day, last_day)


def record_landlord_consent(
    db: Session,
    *,
    principal: Principal,
    host: Host,
    given_on: date,
    given_by: str,
    document_reference: str,
    today: date,
) -> Host:
    """Record the landlord's consent (date, who, document) on the host: the one writer of those columns."""
    if not logeer.needs_landlord_consent(host.landlord_type):
        raise RuleBreach(code="host.owner_needs_no_consent", loc=("host", "landlord_type"))
    with rules_errors(("body",), {"landlord_consent": ("body",)}):
        consent = logeer.LandlordConsent(given_on, given_by.strip(), document_reference.strip())
        logeer.ensure_confirmable(host.landlord_type, consent, today)
    host.landlord_consent = True
    host.landlord_consent_date = consent.given_on
    host.landlord_consent_by = consent.given_by
    host.landlord_consent_document = consent.document_reference
    host.landlord_consent_received = True
    db.flush()
    audit.record(
        db,
        principal=principal,
        action="update",
        object_type="host",
        object_id=host.id,
        detail={
            "fields": [
                "landlord_consent",
                "landlord_consent_date",
                "landlord_consent_by",
                "landlord_consent_document",
                "landlord_consent_received",
            ]
        },
    )
    return host


def record_exemption_decision(
    db: Session, *, principal: Principal, host: Host, granted: bool, decided_on: date, reference: str, today: date
) -> Host:
    """Record the municipality's decision that stays with this host are temporary (or its refusal)."""
    if decided_on > today:
        raise InvalidInput(code="host.decision_in_future", loc=("body", "decided_on"))
    if not reference.strip():
        raise InvalidInput(code="host.decision_reference_required", loc=("body", "reference"))
    if not (host.on_benefit or any(m.on_benefit for m in host.members)):
        raise RuleBreach(code="host.nobody_on_benefit", loc=("host", "on_benefit"))
    policy = policy_book(db, municipality_id=host.municipality_id)
    with rules_errors(renames={"day": ("body", "decided_on")}):
        applies = policy.boolean("temporary_stay_exemption", decided_on, "applies")
    if granted and not applies:
        raise RuleBreach(code="host.exemption_not_applied", loc=("body", "granted"))
    host.cost_sharing_exemption = granted
    host.exemption_decided_on = decided_on
    host.exemption_reference = reference.strip()
    db.flush()
    audit.record(
        db,
        principal=principal,
        action="update",
        object_type="host",
        object_id=host.id,
        detail={"fields": ["cost_sharing_exemption", "exemption_decided_on", "exemption_reference"]},
    )
    return host


def landlord_consent_of(host: Host) -> logeer.LandlordConsent | None:
    """The consent recorded on the host (``landlord_consent_*`` columns), if any."""
    if not (host.landlord_consent and host.landlord_consent_date):
        return None
    return logeer.LandlordConsent(
        host.landlord_consent_date,
        host.landlord_consent_by or "onbekend",
        host.landlord_consent_document or "onbekend",
    )


def ensure_host_confirmable(host: Host, day: date) -> None:
    """For the placements domain: a rented address needs the landlord's recorded consent first."""
    try:
        logeer.ensure_confirmable(host.landlord_type, landlord_consent_of(host), day)
    except RulesError as exc:
        raise RuleBreach(code="host.landlord_consent", loc=("host", *exc.loc), detail=exc.msg) from None


def landlord_consent_in_force(host: Host, day: date) -> bool:
    """E6, the one definition on records: an owner-occupier needs no one; a rented address needs the
    landlord's consent recorded with a date not after ``day``. The matching instance's
    ``landlord_consent`` flag, the placement check and the vetting checklist all ask this."""
    if not logeer.needs_landlord_consent(host.landlord_type):
        return True
    consent = landlord_consent_of(host)
    return consent is not None and consent.given_on <= day
