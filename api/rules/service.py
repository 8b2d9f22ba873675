"""Rules on the app's records: load rows, call :mod:`matcher.rules`, map its errors.

Services take keyword-only arguments, session first; they ``flush()``, never
``commit()``. Every read of a household's or host's personal data and every change
is recorded in the audit trail (ids and field names only).

Public helpers other domains call:

- :func:`policy_book` - the dated policy of a municipality (national seed + overrides);
- :func:`exemption_decision_of` / :func:`host_cost_sharing_exemption` - the host's
  recorded exemption decision and the matcher's ``cost_sharing_exemption`` flag;
- :func:`ensure_host_confirmable` - refuse to confirm a placement at a rented address
  before the landlord's consent is recorded (:func:`landlord_consent_of` reads it);
- :func:`get_host` - a host of the caller's municipality or 404.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from api.core import audit, clock, data_version
from api.core.errors import InvalidInput, NotFound, RuleBreach
from api.core.models import Municipality
from api.core.policy import RULES_INVALID, policy_book, rules_errors, rules_problem
from api.core.principal import Principal
from api.core.tenancy import municipality_by_code, owned
from api.documents.contact import Contact
from api.hosts import rules as host_rules
from api.hosts import service as hosts_service
from api.hosts.models import Host
from api.hosts.rules import (
    as_cost_sharing_household,
    exemption_decision_of,
    guest_household,
    host_household,
    landlord_consent_of,
)
from api.households.models import CaseWorker, Household
from api.matching.models import Proposal
from api.placements.models import LIVE_STATUSES, Placement, placement_ref
from api.places.models import Place
from matcher.rules import cost_sharing, stay_clock
from matcher.rules.dates import add_years_months
from matcher.rules.errors import InvalidInputError, RulesError

# ---------------------------------------------------------------- errors and policy


# ---------------------------------------------------------------- lookups (same municipality or 404)


def get_host(db: Session, principal: Principal, host_id: int) -> Host:
    """A host of the caller's municipality (a host account: only its own), else 404."""
    return hosts_service.get_host(db, principal=principal, host_id=host_id, audit_read=False)


def _household(db: Session, principal: Principal, household_id: int, loc: tuple = ("path", "household_id")):
    return owned(db, Household, household_id, principal, code="household.not_found", loc=loc)


def guest_ids_of_host(db: Session, *, host_id: int) -> set[int]:
    """The households a host may hear about: open proposals for one of its rooms and live stays in them."""
    rooms = select(Place.id).where(Place.host_id == host_id)
    proposed = select(Proposal.household_id).where(Proposal.place_id.in_(rooms), Proposal.status == "open")
    placed = select(Placement.household_id).where(Placement.place_id.in_(rooms), Placement.status.in_(LIVE_STATUSES))
    return set(db.scalars(proposed.union(placed)).all())


BIRTH_DATE_HIDDEN = (
    "Voor deze datum is de berekening niet mogelijk (een gast is dan nog niet geboren). / "
    "No calculation for this day (a guest is not yet born then)."
)


def _household_for(db: Session, principal: Principal, household_id: int, loc: tuple) -> Household:
    """A household of the caller's municipality; a host account sees only its own guests (else 404)."""
    household = _household(db, principal, household_id, loc=loc)
    if principal.role == "host" and (
        principal.host_id is None or household.id not in guest_ids_of_host(db, host_id=principal.host_id)
    ):
        raise NotFound(code="household.not_found", loc=loc)
    return household


def _placement(db: Session, principal: Principal, placement_id: int) -> Placement:
    placement = owned(db, Placement, placement_id, principal, code="placement.not_found", loc=("path", "placement_id"))
    if principal.role == "host" and (placement.place.host_id is None or placement.place.host_id != principal.host_id):
        raise NotFound(code="placement.not_found", loc=("path", "placement_id"))
    return placement


# ---------------------------------------------------------------- cost-sharing norm


def calculate_for_host(
    db: Session, *, principal: Principal, host_id: int, household_id: int, day: date, fee: Decimal | None = None
) -> tuple[Host, Household, cost_sharing.CostSharingResult]:
    """What placing this household with this host does to the host's benefit on ``day``."""
    host = get_host(db, principal, host_id)
    household = _household_for(db, principal, household_id, loc=("query", "household_id"))
    policy = policy_book(db, municipality_id=host.municipality_id)
    renames = {
        "host.members": ("host", "members"),
        "guests.members": ("household", "members"),
        "day": ("query", "day"),
        "fee": ("query", "fee"),
    }
    try:
        with rules_errors(renames=renames):
            result = cost_sharing.calculate(
                host_household(host),
                guest_household(household),
                day,
                policy,
                exemption=exemption_decision_of(host),
                require_amounts=False,
                fee=fee,
            )
    except InvalidInput as exc:
        if principal.role != "host" or not any(p.loc[:2] == ("household", "members") for p in exc.problems):
            raise
        # a guest's birth date is never shown to a host, not even in an error message
        raise InvalidInput(code="cost_sharing.guest_not_born", loc=("query", "day")) from None
    audit.record(
        db,
        principal=principal,
        action="read",
        object_type="host",
        object_id=host.id,
        detail={"view": "cost_sharing", "household_id": household.id},
    )
    return host, household, result


def effects_for_waiting_households(
    db: Session, *, principal: Principal, host_id: int, day: date
) -> tuple[Host, list[tuple[Household, cost_sharing.CostSharingResult | None, str | None]]]:
    """For the host page: each waiting household and what it would do to the host's benefit.

    A household that cannot be calculated on ``day`` (e.g. a child born after that
    day) gets the reason instead of a result, so one odd record does not hide the rest.
    """
    host = get_host(db, principal, host_id)
    policy = policy_book(db, municipality_id=host.municipality_id)
    query = (
        select(Household)
        .where(Household.municipality_id == host.municipality_id, Household.status == "waiting")
        .options(selectinload(Household.members))
        .order_by(Household.reference)
    )
    if principal.role == "host":  # a host hears only about the households proposed to it
        query = query.where(Household.id.in_(guest_ids_of_host(db, host_id=host.id)))
    households = db.scalars(query).all()
    decision = exemption_decision_of(host)
    the_host = host_household(host)
    result: list[tuple[Household, cost_sharing.CostSharingResult | None, str | None]] = []
    for h in households:
        if not h.members:
            continue
        try:
            calc = cost_sharing.calculate(
                the_host, guest_household(h), day, policy, exemption=decision, require_amounts=False
            )
        except InvalidInputError as exc:
            if exc.field.startswith("host"):
                raise InvalidInput(code=RULES_INVALID, problems=[rules_problem(tuple(exc.loc), exc)]) from None
            result.append((h, None, BIRTH_DATE_HIDDEN if principal.role == "host" else str(exc)))
            continue
        except RulesError as exc:
            raise InvalidInput(code=RULES_INVALID, problems=[rules_problem(("query", *exc.loc), exc)]) from None
        result.append((h, calc, None))
    audit.record(
        db,
        principal=principal,
        action="read",
        object_type="host",
        object_id=host.id,
        detail={"view": "cost_sharing_overview"},
    )
    return host, result


PREVIEW_SCENARIOS = (
    ("Eén volwassen logé van {age} jaar", "One adult guest aged {age}", (0,)),
    ("Twee volwassen logés van {age} jaar", "Two adult guests aged {age}", (0, 0)),
    ("Eén logé van {young} jaar", "One guest aged {young}", (-1,)),
)


def preview(db: Session, *, municipality_code: str | None, day: date, host_members, guests) -> list[tuple]:
    """Anonymous preview for the public sign-up form: nothing is stored or logged.

    ``host_members`` / ``guests`` are :class:`api.rules.schemas.PersonIn`. Without
    guests, three typical guest households are shown: one and two adults of exactly the
    cost-sharing age on ``day``, and one adult a year younger.
    """
    municipality_id = None
    if municipality_code:
        municipality_id = municipality_by_code(db, municipality_code, loc=("body", "municipality")).id
    policy = policy_book(db, municipality_id=municipality_id)
    renames = {"host.members": ("body", "host_members"), "guests.members": ("body", "guests"), "day": ("body", "day")}
    with rules_errors(("body",), renames):
        host = as_cost_sharing_household("host", "H", host_members, guests=False)
        if guests:
            given = as_cost_sharing_household("guests", "L", guests, guests=True)
            scenarios = [("Opgegeven logés", "Guests as given", given)]
        else:
            age = policy.integer("cost_sharing_age", day, "age", minimum=1)
            scenarios = [
                (nl.format(age=age, young=age - 1), en.format(age=age, young=age - 1), _typical(day, age, offsets))
                for nl, en, offsets in PREVIEW_SCENARIOS
            ]
        return [
            (nl, en, cost_sharing.calculate(host, g, day, policy, require_amounts=False)) for nl, en, g in scenarios
        ]


def _typical(day: date, age: int, offsets: tuple[int, ...]) -> cost_sharing.Household:
    """Guests who are exactly ``age + offset`` on ``day`` (born on that day of the year)."""
    return cost_sharing.Household(
        "typical",
        tuple(cost_sharing.Person(f"L{i + 1}", add_years_months(day, -(age + off))) for i, off in enumerate(offsets)),
    )


# ---------------------------------------------------------------- landlord consent and exemption decision


def record_landlord_consent(
    db: Session,
    *,
    principal: Principal,
    host_id: int,
    given_on: date,
    given_by: str,
    document_reference: str,
    today: date,
) -> Host:
    """The landlord's consent for the host ``host_id`` of the caller's municipality."""
    return host_rules.record_landlord_consent(
        db,
        principal=principal,
        host=get_host(db, principal, host_id),
        given_on=given_on,
        given_by=given_by,
        document_reference=document_reference,
        today=today,
    )


def record_exemption_decision(
    db: Session, *, principal: Principal, host_id: int, granted: bool, decided_on: date, reference: str, today: date
) -> Host:
    """The temporary-stay decision for the host ``host_id`` of the caller's municipality."""
    return host_rules.record_exemption_decision(
        db,
        principal=principal,
        host=get_host(db, principal, host_id),
        granted=granted,
        decided_on=decided_on,
        reference=reference,
        today=today,
    )


# ---------------------------------------------------------------- logeer agreement


def agreement_for_placement(db: Session, *, principal: Principal, placement_id: int, fee: Decimal | None):
    """The logeer agreement of a placement with a host (Agreement from api.documents.agreement)."""
    from api.documents.agreement import AgreementInput, build_agreement

    placement = _placement(db, principal, placement_id)
    place = placement.place
    if place.kind != "host_room" or place.host is None:
        raise RuleBreach(code="rules.agreement_needs_host", loc=("path", "placement_id"))
    host = place.host
    household = placement.household
    policy = policy_book(db, municipality_id=placement.municipality_id)
    municipality = db.get(Municipality, placement.municipality_id)
    case_worker = db.get(CaseWorker, household.case_worker_id) if household.case_worker_id else None
    contact = None
    if case_worker is not None:
        contact = ", ".join(x for x in (case_worker.name, case_worker.phone) if x)
    landlord = {"corporation": "de woningcorporatie", "private": "de verhuurder"}.get(host.landlord_type)
    with rules_errors(("query",), {"monthly_fee": ("query", "fee")}):
        agreement = build_agreement(
            AgreementInput(
                reference=placement_ref(placement.id),
                municipality=municipality.name if municipality else "",
                host_names=[host.name],
                guest_names=[household.display_name],
                address=f"{host.street} {host.house_number}, {host.postcode} {host.city}",
                start_date=placement.start_date,
                planned_end_date=placement.end_date,
                landlord_kind=host.landlord_type,
                landlord_name=landlord,
                landlord_consent=landlord_consent_of(host),
                host_has_rent_arrears=host.has_rent_arrears,
                monthly_fee=fee,
                contact=contact,
                host_on_benefit=bool(host.on_benefit),
                municipal_contact=Contact.of(municipality) if municipality else None,
            ),
            policy,
        )
    audit.record(
        db,
        principal=principal,
        action="read",
        object_type="placement",
        object_id=placement.id,
        detail={"view": "logeer_agreement"},
    )
    return agreement


def _case_worker_contact(db: Session, household) -> str | None:  # type: ignore[no-untyped-def]
    case_worker = db.get(CaseWorker, household.case_worker_id) if household.case_worker_id else None
    if case_worker is None:
        return None
    return ", ".join(x for x in (case_worker.name, case_worker.phone) if x)


def use_agreement_for_placement(db: Session, *, principal: Principal, placement_id: int):
    """The use agreement (gebruiksovereenkomst) of a stay in a waiting-room dwelling, with its end date."""
    from api.documents.use_agreement import UseAgreement

    placement = _placement(db, principal, placement_id)
    place = placement.place
    if place.kind != "wachtkamer":
        raise RuleBreach(code="rules.use_agreement_needs_waiting_room", loc=("path", "placement_id"))
    municipality = db.get(Municipality, placement.municipality_id)
    with rules_errors(("path",), {}):
        agreement = UseAgreement(
            reference=placement_ref(placement.id),
            municipality=municipality.name if municipality else "",
            resident_names=[placement.household.display_name],
            address=place.address or place.label,
            start_date=placement.start_date,
            end_date=placement.end_date,
            contact=_case_worker_contact(db, placement.household),
            municipal_contact=Contact.of(municipality) if municipality else None,
        )
    audit.record(
        db,
        principal=principal,
        action="read",
        object_type="placement",
        object_id=placement.id,
        detail={"view": "use_agreement"},
    )
    return agreement


# ---------------------------------------------------------------- stay clock


def _stay(placement: Placement) -> stay_clock.StayPlacement:
    return stay_clock.StayPlacement(
        ref=placement_ref(placement.id),
        household_ref=placement.household.reference,
        start_date=placement.arrived_on or placement.start_date,
        end_date=placement.ended_on,
        place_ref=placement.place.reference,
    )


def live_placements(db: Session, *, municipality_id: int) -> Sequence[Placement]:
    return db.scalars(
        select(Placement)
        .where(Placement.municipality_id == municipality_id, Placement.status.in_(LIVE_STATUSES))
        .options(selectinload(Placement.household), selectinload(Placement.place))
        .order_by(Placement.start_date, Placement.id)
    ).all()


def deadlines(
    db: Session, *, principal: Principal, day: date, horizon_days: int | None = None
) -> list[stay_clock.Deadline]:
    """Upcoming stay-clock deadlines of the caller's municipality (and passed maxima).

    Kept per data version (api.core.data_version): the deadlines page, its API and the calendar feed ask for
    them all day, and they change only with the records or the day. Shared: callers never change the list."""
    municipality_id = principal.municipality_id

    def compute() -> list[stay_clock.Deadline]:
        placements = live_placements(db, municipality_id=municipality_id)
        policy = policy_book(db, municipality_id=municipality_id)
        with rules_errors(("query",)):
            return stay_clock.upcoming_deadlines([_stay(p) for p in placements], day, policy, horizon_days=horizon_days)

    return data_version.views.get_or_compute(db, ("rules.deadlines", municipality_id, day, horizon_days), compute)


def stays(db: Session, *, principal: Principal, day: date) -> list[tuple[Placement, stay_clock.StayStatus]]:
    """Every started placement with its day count (for the deadlines page)."""
    policy = policy_book(db, municipality_id=principal.municipality_id)
    result = []
    with rules_errors(("query",)):
        for p in live_placements(db, municipality_id=principal.municipality_id):
            stay = _stay(p)
            if p.status == "started" and stay.start_date <= day:
                result.append((p, stay_clock.stay_status(stay, day, policy)))
    return result


def stay_of(db: Session, *, principal: Principal, placement_id: int, day: date):
    placement = _placement(db, principal, placement_id)
    policy = policy_book(db, municipality_id=placement.municipality_id)
    with rules_errors(("query",)):
        return placement, stay_clock.stay_status(_stay(placement), day, policy)


def calendar_feed(db: Session, *, principal: Principal, day: date) -> bytes:
    """The iCalendar feed of the municipality's deadlines (household codes only, no names)."""
    from api.storage.service import storage_deadlines  # hook: storage lots' 13-week deadlines (issue 8)
    from matcher.rules.calendar import build_feed

    def compute() -> bytes:
        municipality = db.get(Municipality, principal.municipality_id)
        name = f"Onderdak {municipality.name if municipality else ''} - termijnen".replace("  ", " ")
        found = [
            *deadlines(db, principal=principal, day=day),
            *storage_deadlines(db, municipality_id=principal.municipality_id, today=day),
        ]
        return build_feed(found, calendar_name=name, stamp=clock.now(), domain="onderdak")

    # Kept per data version and minute (the feed's time stamp): calendar clients poll it, a team has many.
    minute = int(clock.now().timestamp()) // 60
    return data_version.views.get_or_compute(db, ("rules.feed", principal.municipality_id, day, minute), compute)


# ---------------------------------------------------------------- priority


def household_priority(db: Session, *, principal: Principal, household_id: int, day: date):
    """The priority breakdown the daily matching uses (``api.matching.instance.priority_breakdown``).

    Reused, not rebuilt, so the page shows exactly the number the matcher got.
    """
    from api.matching.instance import priority_breakdown
    from api.stays.rematch import breakdowns_per_household

    household = _household(db, principal, household_id)
    policy = policy_book(db, municipality_id=household.municipality_id)
    breakdowns = breakdowns_per_household(db, municipality_id=household.municipality_id).get(household.id, 0)
    with rules_errors(("household",), {"day": ("query", "day")}):
        breakdown = priority_breakdown(household, day, policy, breakdowns=breakdowns)
    audit.record(
        db,
        principal=principal,
        action="read",
        object_type="household",
        object_id=household.id,
        detail={"view": "priority"},
    )
    return household, breakdown
