"""What is due on a day (check-ins, follow-ups, the stay clock's signals at day 35/42/56) and the
reminders job that mails the team about it.

``due_items`` is what the day board shows; ``send_reminders(session, today) -> count`` is the job
a scheduler runs (``onderdak jobs run``, job ``stays.remind``, safe every few minutes: each reminder is sent once,
``stay_reminder`` remembers it). A reminder names the household's reference and the placement's
code, never a name: mail leaves the system.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from babel.dates import format_date
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.auth.models import UserAccount
from api.core import mail
from api.core.models import Municipality
from api.core.policy import policy_book, rules_errors
from api.households.models import Household
from api.placements.models import Placement, placement_ref
from api.stays.care import care_policy, follow_up_days
from api.stays.models import CheckIn, FollowUp, StayBreakdown, StayReminder
from api.stays.service import care_for, open_check_in_days
from matcher.rules.policy import PolicyBook
from matcher.rules.stay_clock import StayPlacement, upcoming_deadlines

SIGNAL_TEXT = {
    "plan_next_step": "Vervolg plannen",
    "minimum_stay_reached": "Minimale verblijfsduur bereikt",
    "maximum_stay": "Maximale verblijfsduur: escaleren",
}


@dataclass(frozen=True)
class DueItem:
    """One check-in or follow-up due on or before the day asked about."""

    kind: str  # check_in | follow_up | stay_signal
    placement_id: int
    household_id: int
    household_reference: str
    due_on: date
    overdue: bool
    months: int | None = None
    signal: str | None = None  # stay_signal: plan_next_step | minimum_stay_reached | maximum_stay


def due_items(db: Session, *, municipality_id: int, day: date, lead_days: int = 0) -> list[DueItem]:
    """Check-ins of running stays and follow-ups of ended ones, due by ``day + lead_days``, and the stay
    clock's signals (plan the next step, minimum stay reached, maximum stay; matcher.rules.stay_clock)
    falling in ``[day, day + lead_days]`` or a passed maximum; oldest first.

    Overdue means the due day lies before ``day``."""
    book = policy_book(db, municipality_id=municipality_id)  # once: the check-ins and the stay clock share it
    care = care_policy(book, day)
    horizon = day + timedelta(days=lead_days)
    items: list[DueItem] = []
    # the household's reference comes in the same statement (one statement however many stays there are)
    refs: dict[int, str] = {}
    running: list[Placement] = []
    for placement, reference in db.execute(
        select(Placement, Household.reference)
        .join(Household, Household.id == Placement.household_id)
        .where(Placement.municipality_id == municipality_id, Placement.status == "started")
    ):
        running.append(placement)
        refs[placement.id] = reference
    answered: dict[int, set[date | None]] = {}
    for placement_id, due_on in db.execute(
        select(CheckIn.placement_id, CheckIn.due_on).where(CheckIn.placement_id.in_([p.id for p in running]))
    ):
        answered.setdefault(placement_id, set()).add(due_on)
    for p in running:
        for due in open_check_in_days(db, p, care, answered.get(p.id, set())):
            if due <= horizon:
                items.append(DueItem("check_in", p.id, p.household_id, refs[p.id], due, due < day))
    items += _stay_signals(running, refs, book, day, lead_days)
    broken = select(StayBreakdown.placement_id)
    ended = db.execute(
        select(Placement.id, Placement.household_id, Placement.ended_on, Household.reference)
        .join(Household, Household.id == Placement.household_id)
        .where(
            Placement.municipality_id == municipality_id,
            Placement.status == "ended",
            Placement.id.not_in(broken),
        )
    ).all()
    recorded: dict[int, set[int]] = {}
    for placement_id, months in db.execute(
        select(FollowUp.placement_id, FollowUp.months).where(FollowUp.municipality_id == municipality_id)
    ):
        recorded.setdefault(placement_id, set()).add(months)
    for placement_id, household_id, ended_on, reference in ended:
        if ended_on is None:  # the "ended" check constraint forbids it; mypy cannot know
            continue
        done = recorded.get(placement_id, set())
        for months, due in follow_up_days(ended_on, care).items():
            if months not in done and due <= horizon:
                items.append(DueItem("follow_up", placement_id, household_id, reference, due, due < day, months))
    return sorted(items, key=lambda i: (i.due_on, i.kind, i.placement_id))


def _stay_signals(
    running: Sequence[Placement], refs: dict[int, str], book: PolicyBook, day: date, lead_days: int
) -> list[DueItem]:
    """The stay clock's deadlines of running stays, the same ones the map shows."""
    if not running:
        return []
    by_ref = {str(p.id): p for p in running}
    stays = [
        StayPlacement(ref=str(p.id), household_ref=refs[p.id], start_date=p.start_date) for p in running
    ]
    with rules_errors(("policy",)):
        deadlines = upcoming_deadlines(
            stays, day, book, horizon_days=lead_days
        )
    return [
        DueItem(
            "stay_signal",
            by_ref[d.placement_ref].id,
            by_ref[d.placement_ref].household_id,
            d.household_ref,
            d.date,
            d.overdue,
            signal=str(d.kind),
        )
        for d in deadlines
    ]


def _text(item: DueItem) -> tuple[str, str]:
    day = format_date(item.due_on, "d MMMM y", locale="nl_NL")
    code = placement_ref(item.placement_id)
    if item.kind == "check_in":
        subject = f"Onderdak: gesprek met huishouden {item.household_reference} ({code}) op {day}"
        what = f"Het is tijd voor een gesprek (check-in) over het verblijf {code} van huishouden"
    elif item.kind == "stay_signal":
        label = SIGNAL_TEXT.get(item.signal or "", "Verblijfsduur")
        subject = f"Onderdak: {label.lower()} voor verblijf {code} ({item.household_reference})"
        what = f"{label}: verblijf {code} van huishouden"
    else:
        subject = f"Onderdak: nazorg na {item.months} maanden voor huishouden {item.household_reference}"
        what = f"Het is tijd voor de nazorg na {item.months} maanden van verblijf {code} van huishouden"
    body = (
        f"{what} {item.household_reference}.\n"
        f"Dit staat gepland op {day}.\n\n"
        f"Leg het gesprek vast op /huishoudens/{item.household_id}/verblijf\n"
    )
    return subject, body


def send_reminders(db: Session, today: date) -> int:
    """Queue one mail per due item to the municipality's crisis team, once; the number of items reminded."""
    count = 0
    for municipality in db.scalars(select(Municipality).order_by(Municipality.id)).all():
        care = care_for(db, municipality.id, today)
        items = due_items(db, municipality_id=municipality.id, day=today, lead_days=care.reminder_days_before)
        if not items:
            continue
        team = db.scalars(
            select(UserAccount.email).where(
                UserAccount.municipality_id == municipality.id,
                UserAccount.role == "crisis_team",
                UserAccount.active.is_(True),
            )
        ).all()
        for item in items:
            sent = select(StayReminder.id).where(
                StayReminder.kind == item.kind,
                StayReminder.placement_id == item.placement_id,
                StayReminder.due_on == item.due_on,
            )
            if db.scalar(sent) is not None:
                continue
            db.add(
                StayReminder(
                    municipality_id=municipality.id, kind=item.kind, placement_id=item.placement_id, due_on=item.due_on
                )
            )
            subject, body = _text(item)
            for recipient in team:
                mail.queue(db, recipient=recipient, subject=subject, body=body, municipality_id=municipality.id)
            count += 1
        db.flush()
    return count
