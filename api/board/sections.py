"""The day board's own sections: evictions without a place, offers, arrivals and departures, stay days,
storage lots reaching day 92, vetting items expiring. Each line links to where the team acts on it."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from api.core import clock
from api.core.board import Line, Section, section
from api.core.config import get_settings
from api.core.principal import Principal
from api.hosts import reconfirm, vetting
from api.households.models import Eviction, Household
from api.offers.models import Offer
from api.placements.models import LIVE_STATUSES, Placement
from api.stays import marks as stay_marks
from api.storage.models import StorageLot
from matcher.rules.stay_clock import SignalKind

EVICTION_DAYS_AHEAD = 7
STORAGE_DAYS_AHEAD = 7
VETTING_DAYS_AHEAD = vetting.REMIND_DAYS_BEFORE


def _d(day: date) -> str:
    return f"{day:%d-%m-%Y}"


@section("evictions", order=10)
def evictions_without_place(db: Session, principal: Principal, today: date) -> Section:
    """Waiting households whose eviction is today or in the coming days (or already past: most urgent)."""
    rows = db.execute(
        select(Household.id, Household.reference, Eviction.eviction_date)
        .join(Eviction, Eviction.household_id == Household.id)
        .where(
            Household.municipality_id == principal.municipality_id,
            Household.status == "waiting",
            Eviction.eviction_date <= today + timedelta(days=EVICTION_DAYS_AHEAD),
        )
        .order_by(Eviction.eviction_date, Household.reference)
    ).all()
    seen: set[int] = set()
    lines = []
    for household_id, reference, day in rows:
        if household_id in seen:
            continue
        seen.add(household_id)
        when = "vandaag" if day == today else (f"sinds {_d(day)}" if day < today else f"op {_d(day)}")
        lines.append(
            Line(f"{reference}: uitzetting {when}, nog geen plek", f"/huishoudens/{household_id}", day <= today)
        )
    return Section("evictions", "Uitzettingen zonder plek", lines, "Geen uitzettingen zonder plek.")


@section("offers", order=20)
def offers_waiting(db: Session, principal: Principal, today: date) -> Section:  # noqa: ARG001
    """Pending offers (expiring first) and offers that expired in the last day."""
    now = clock.now()
    soon = timedelta(hours=get_settings().offer_reminder_hours)
    rows = db.scalars(
        select(Offer)
        .where(
            Offer.municipality_id == principal.municipality_id,
            (Offer.status == "pending")
            | ((Offer.status == "expired") & (Offer.answered_at >= now - timedelta(days=1))),
        )
        .order_by(Offer.expires_at)
    ).all()
    lines = []
    for o in rows:
        expires = clock.as_utc(o.expires_at).astimezone(clock.AMSTERDAM)
        if o.status == "expired":
            lines.append(
                Line(f"Aanbod #{o.id} verlopen: huishouden terug in de matching", f"/aanbiedingen#aanbod-{o.id}", True)
            )
        else:
            urgent = clock.as_utc(o.expires_at) - now <= soon
            lines.append(
                Line(
                    f"Aanbod #{o.id} wacht op antwoord, verloopt {expires:%d-%m %H:%M}",
                    f"/aanbiedingen#aanbod-{o.id}",
                    urgent,
                )
            )
    return Section("offers", "Aanbiedingen", lines, "Geen aanbiedingen open.")


def _live(db: Session, principal: Principal) -> list[Placement]:
    return list(
        db.scalars(
            select(Placement)
            .where(Placement.municipality_id == principal.municipality_id, Placement.status.in_(LIVE_STATUSES))
            .options(selectinload(Placement.household), selectinload(Placement.place))
            .order_by(Placement.start_date, Placement.id)
        )
    )


@section("moves", order=30)
def arrivals_and_departures(db: Session, principal: Principal, today: date) -> Section:
    lines = []
    for p in _live(db, principal):
        link = f"/huishoudens/{p.household_id}#plaatsingen"
        if p.start_date == today and p.arrived_on is None:
            lines.append(Line(f"Aankomst vandaag: {p.household.reference} in {p.place.reference}", link, True))
        if p.end_date == today:
            lines.append(Line(f"Vertrek vandaag: {p.household.reference} uit {p.place.reference}", link, True))
    return Section("moves", "Aankomst en vertrek vandaag", lines, "Vandaag komt niemand aan en vertrekt niemand.")


@section("stay_days", order=40)
def stays_passing_marks(db: Session, principal: Principal, today: date) -> Section:
    """Stays within three days of a stay-day mark (plan the way out, the minimum, the maximum; day 35, 42 and 56
    by today's policy) and stays past their maximum, as :mod:`api.stays.marks` computes them."""
    live = _live(db, principal)
    refs = {p.id: p.household.reference for p in live}
    lines = [
        Line(
            f"{m.placement.household.reference}: {m.deadline.label} "
            + (f"sinds {_d(m.on)}" if m.overdue else f"op {_d(m.on)}")
            + f" (dag {m.day_number})",
            f"/huishoudens/{m.placement.household_id}#plaatsingen",
            m.overdue or m.deadline.kind is SignalKind.MAXIMUM_STAY,
        )
        for m in stay_marks.marks_for(db, principal.municipality_id, live, refs, today)
    ]
    return Section("stay_days", "Verblijven rond dag 35, 42 en 56", lines, "Geen verblijven rond dag 35, 42 of 56.")


@section("storage", order=50)
def storage_reaching_day_92(db: Session, principal: Principal, today: date) -> Section:
    """Lots still stored whose day 92 (the first day of sale or destruction) is near or passed."""
    lots = db.scalars(
        select(StorageLot)
        .where(
            StorageLot.municipality_id == principal.municipality_id,
            StorageLot.status.in_(("stored", "partly_returned")),
            StorageLot.deadline < today + timedelta(days=STORAGE_DAYS_AHEAD),
        )
        .order_by(StorageLot.deadline)
    ).all()
    lines = [
        Line(
            f"{lot.reference}: dag 92 op {_d(lot.deadline + timedelta(days=1))}",
            f"/opslag/{lot.id}",
            lot.deadline < today,
        )
        for lot in lots
    ]
    return Section("storage", "Opslag rond dag 92", lines, "Geen inboedels rond dag 92.")


@section("vetting", order=60, roles=("crisis_team", "coordinator"))
def vetting_expiring(db: Session, principal: Principal, today: date) -> Section:
    items = vetting.expiring_items(
        db, municipality_id=principal.municipality_id, day=today, within_days=VETTING_DAYS_AHEAD
    )
    lines = [
        Line(
            f"{i.host_reference}: {vetting.KIND_LABELS[i.kind][0]} "
            + (
                f"verlopen op {_d(i.expires_on)}; niet voorgesteld"
                if i.expires_on <= today
                else f"verloopt {_d(i.expires_on)}"
            ),
            f"/gastgevers/{i.host_id}#screening",
            i.expires_on <= today,
        )
        for i in items
    ]
    return Section("vetting", "Screening die verloopt", lines, "Geen screening die binnenkort verloopt.")


@section("reconfirm", order=62, roles=("crisis_team", "coordinator"))
def hosts_not_reconfirmed(db: Session, principal: Principal, today: date) -> Section:  # noqa: ARG001 - a moment
    """Hosts whose reconfirmation link expired unanswered: their rooms are not proposed until they answer."""
    lines = [
        Line(
            f"{h.reference}: beschikbaarheid niet bevestigd (link verlopen op "
            f"{_d(h.since.astimezone(clock.AMSTERDAM).date())}); niet voorgesteld",
            f"/gastgevers/{h.host_id}#beschikbaarheid",
            True,
        )
        for h in reconfirm.lapsed_for_board(db, municipality_id=principal.municipality_id)
    ]
    return Section(
        "reconfirm", "Beschikbaarheid niet bevestigd", lines, "Alle gastgevers hebben hun beschikbaarheid bevestigd."
    )
