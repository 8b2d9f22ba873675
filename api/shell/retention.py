"""Retention: personal data of closed cases and ended host sign-ups is anonymised after a period.

Why anonymise rather than delete: the monthly figures (placements, days to placement, stay
lengths, outcomes; api/placements/report.py) must survive, so rows stay and lose everything
that points to a person. What is kept: ids, municipality, status, dates of eviction and
placement, outcome, yes/no flags. What goes: names, members (first names, birth dates),
postcode, exact origin (rounded to about 1 km), free texts, the bailiff's reference, the
host's address, e-mail, phone and household members; a host's login is blocked.

Periods are dated policy parameters (AVG art. 5 lid 1 onder e):
``household_data_retention.months_after_closure`` (seed_data/policy) and the host
domain's ``host_data_retention.months_after_end`` / ``unconfirmed_days``; a municipality
may override both (``policy_parameter``). ``onderdak purge`` shows the plan (dry run) unless
``--apply`` is given; each anonymisation is written to the audit trail.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from api.auth.models import ApiToken, UserAccount
from api.core import audit, clock
from api.core.models import Municipality
from api.hosts.models import Host, HostInvite, HostMember
from api.households.models import Eviction, Household, HouseholdMember
from api.placements.models import Placement, Refusal
from api.storage.models import StorageLot

ANONYMISED = "geanonimiseerd"
HOUSEHOLD_KEY = "household_data_retention"
HOST_KEY = "host_data_retention"
ENDED_HOST_STATUSES = ("withdrawn", "rejected")


@dataclass
class PurgePlan:
    municipality: str
    today: date
    household_cutoff: datetime
    host_cutoff: datetime
    unconfirmed_cutoff: datetime
    households: list[int] = field(default_factory=list)
    hosts: list[int] = field(default_factory=list)
    unconfirmed_hosts: list[int] = field(default_factory=list)
    applied: bool = False

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for key in ("today", "household_cutoff", "host_cutoff", "unconfirmed_cutoff"):
            data[key] = data[key].isoformat()
        return data

    def summary(self) -> str:
        verb = "anonymised" if self.applied else "would anonymise"
        return (
            f"{self.municipality}: {verb} {len(self.households)} closed households (closed before "
            f"{self.household_cutoff.date()}), {len(self.hosts)} ended hosts (ended before {self.host_cutoff.date()}), "
            f"{len(self.unconfirmed_hosts)} unconfirmed sign-ups (before {self.unconfirmed_cutoff.date()})"
        )


def _months_before(day: date, months: int) -> date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    last = (date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)).day
    return date(year, month, min(day.day, last))


def _start_of(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def periods(db: Session, *, municipality_id: int, today: date) -> tuple[int, int, int]:
    """(months after closure, months after a host's end, days for an unconfirmed sign-up) in force today."""
    from api.core.policy import policy_book

    book = policy_book(db, municipality_id=municipality_id)
    return (
        book.integer(HOUSEHOLD_KEY, today, "months_after_closure", minimum=1),
        book.integer(HOST_KEY, today, "months_after_end", minimum=1),
        book.integer(HOST_KEY, today, "unconfirmed_days", minimum=1),
    )


def plan(db: Session, *, municipality_id: int, today: date, months: int | None = None) -> PurgePlan:
    """Which rows are due; ``months`` overrides the household period (for a one-off, never shorter by accident)."""
    municipality = db.get(Municipality, municipality_id)
    assert municipality is not None
    household_months, host_months, unconfirmed_days = periods(db, municipality_id=municipality_id, today=today)
    result = PurgePlan(
        municipality=municipality.code,
        today=today,
        household_cutoff=_start_of(_months_before(today, months or household_months)),
        host_cutoff=_start_of(_months_before(today, host_months)),
        unconfirmed_cutoff=_start_of(today - timedelta(days=unconfirmed_days)),
    )
    result.households = list(
        db.scalars(
            select(Household.id)
            .where(
                Household.municipality_id == municipality_id,
                Household.status == "closed",
                Household.closed_at.is_not(None),
                Household.closed_at < result.household_cutoff,
                Household.anonymised_at.is_(None),
            )
            .order_by(Household.id)
        )
    )
    ended_at = func.coalesce(Host.withdrawn_at, Host.created_at)
    ended = db.execute(
        select(Host.id, ended_at, Host.consent_retention_months)
        .where(
            Host.municipality_id == municipality_id,
            Host.status.in_(ENDED_HOST_STATUSES),
            Host.name != ANONYMISED,
        )
        .order_by(Host.id)
    ).all()
    for host_id, ended_on, consented_months in ended:
        # The period the host was told when consenting (stored on the host) wins over today's policy.
        cutoff = result.host_cutoff if not consented_months else _start_of(_months_before(today, consented_months))
        if ended_on < cutoff:
            result.hosts.append(host_id)
    result.unconfirmed_hosts = list(
        db.scalars(
            select(Host.id)
            .where(
                Host.municipality_id == municipality_id,
                Host.status == "unconfirmed",
                Host.created_at < result.unconfirmed_cutoff,
                Host.name != ANONYMISED,
            )
            .order_by(Host.id)
        )
    )
    return result


def purge(
    db: Session, *, municipality_id: int, today: date, apply: bool = False, months: int | None = None
) -> PurgePlan:
    """Dry run by default: the plan only. With ``apply`` the rows are anonymised and each one audited."""
    result = plan(db, municipality_id=municipality_id, today=today, months=months)
    if not apply:
        return result
    now = clock.now()
    for household_id in result.households:
        _anonymise_household(db, household_id, now)
    for host_id in result.hosts + result.unconfirmed_hosts:
        _anonymise_host(db, host_id)
    db.flush()
    for household_id in result.households:
        audit.record(
            db,
            principal=None,
            action="anonymise",
            object_type="household",
            object_id=household_id,
            municipality_id=municipality_id,
            detail={"reason": HOUSEHOLD_KEY},
        )
    for host_id in result.hosts + result.unconfirmed_hosts:
        audit.record(
            db,
            principal=None,
            action="anonymise",
            object_type="host",
            object_id=host_id,
            municipality_id=municipality_id,
            detail={"reason": HOST_KEY},
        )
    result.applied = True
    return result


def _anonymise_household(db: Session, household_id: int, now: datetime) -> None:
    household = db.get(Household, household_id)
    assert household is not None
    household.display_name = ANONYMISED
    household.origin_postcode = None
    household.origin_house_number = None
    if household.close_reason is not None:
        household.close_reason = ANONYMISED
    household.origin_lat = round(household.origin_lat, 2)
    household.origin_lon = round(household.origin_lon, 2)
    household.case_worker_id = None
    if household.priority_override is not None:
        household.priority_override_reason = ANONYMISED
    household.anonymised_at = now
    db.execute(delete(HouseholdMember).where(HouseholdMember.household_id == household_id))
    db.execute(
        update(Eviction)
        .where(Eviction.household_id == household_id)
        .values(bailiff_reference=ANONYMISED, household_goods=None, eviction_time=None)
    )
    db.execute(
        update(Placement)
        .where(Placement.household_id == household_id)
        .values(end_note=None, manual_reason=_keep_marker(Placement.manual_reason))
    )
    db.execute(update(Refusal).where(Refusal.household_id == household_id).values(reason=ANONYMISED))
    db.execute(update(StorageLot).where(StorageLot.household_id == household_id).values(notes=None))
    db.expire(household, ["members", "evictions"])


def _keep_marker(column):  # type: ignore[no-untyped-def]
    """A free text that counts as 'was given' in the figures keeps only that fact."""
    from sqlalchemy import case

    return case((column.is_(None), None), else_=ANONYMISED)


def _anonymise_host(db: Session, host_id: int) -> None:
    host = db.get(Host, host_id)
    assert host is not None
    host.name = ANONYMISED
    host.email = f"{ANONYMISED}-{host.id}@invalid"
    host.phone = None
    host.street = ANONYMISED
    host.house_number = "-"
    host.postcode = (host.postcode or "")[:4]
    host.lat = round(host.lat, 2)
    host.lon = round(host.lon, 2)
    host.landlord_consent_by = None
    host.landlord_consent_document = None
    host.rejection_reason = None
    host.confirmation_token_hash = None
    db.execute(delete(HostMember).where(HostMember.host_id == host_id))
    for user in db.scalars(select(UserAccount).where(UserAccount.host_id == host_id)):
        db.execute(delete(HostInvite).where(HostInvite.user_id == user.id))
        user.active = False
        user.email = f"{ANONYMISED}-host-{host_id}@invalid"
        db.execute(update(ApiToken).where(ApiToken.user_id == user.id).values(revoked=True))
    db.expire(host, ["members"])


def _pairs(rows) -> dict[Any, int]:  # type: ignore[no-untyped-def]
    return {("none" if key is None else key): int(value) for key, value in rows}


@dataclass(frozen=True)
class RetentionStatistics:
    """Counts per month, outcome and status (``"none"`` for a missing key), sorted by key."""

    evictions_per_month: dict[str, int]
    placement_outcomes: dict[str, int]
    households_by_status: dict[str, int]
    hosts_by_status: dict[str, int]


def statistics(db: Session, *, municipality_id: int) -> RetentionStatistics:
    """Aggregate figures that must be identical before and after a purge (nothing personal in them)."""
    evictions = db.execute(
        select(Eviction.eviction_date)
        .join(Household, Household.id == Eviction.household_id)
        .where(Household.municipality_id == municipality_id)
    ).scalars()
    per_month: dict[str, int] = {}
    for day in evictions:
        per_month[f"{day:%Y-%m}"] = per_month.get(f"{day:%Y-%m}", 0) + 1
    outcomes = _pairs(
        db.execute(
            select(Placement.outcome, func.count())
            .where(Placement.municipality_id == municipality_id)
            .group_by(Placement.outcome)
        )
    )
    statuses = _pairs(
        db.execute(
            select(Household.status, func.count())
            .where(Household.municipality_id == municipality_id)
            .group_by(Household.status)
        )
    )
    hosts = _pairs(
        db.execute(
            select(Host.status, func.count()).where(Host.municipality_id == municipality_id).group_by(Host.status)
        )
    )
    return RetentionStatistics(
        evictions_per_month=dict(sorted(per_month.items())),
        placement_outcomes=dict(sorted(outcomes.items())),
        households_by_status=dict(sorted(statuses.items())),
        hosts_by_status=dict(sorted(hosts.items())),
    )


__all__ = ["ANONYMISED", "PurgePlan", "RetentionStatistics", "plan", "purge", "statistics"]
