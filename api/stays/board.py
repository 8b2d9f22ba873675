"""The stays' section of the day board: check-ins and follow-ups due today or overdue, each a link to the
stay page where the team records them (the stay-day marks are the board's own
section, computed by :mod:`api.stays.marks`)."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from api.core.board import Line, Section, section
from api.core.principal import Principal
from api.stays.reminders import due_items

KIND_TEXT = {"check_in": "Gesprek tijdens verblijf", "follow_up": "Nazorg na {months} maanden"}


@section("stays", order=45, roles=("crisis_team", "coordinator", "case_worker"))
def check_ins_and_follow_ups(db: Session, principal: Principal, today: date) -> Section:
    """Due or overdue check-ins and follow-ups of this municipality, oldest first."""
    items = [i for i in due_items(db, municipality_id=principal.municipality_id, day=today) if i.kind in KIND_TEXT]
    lines = [
        Line(
            text=f"{KIND_TEXT[i.kind].format(months=i.months)}: {i.household_reference}, "
            f"{'te laat, ' if i.overdue else ''}gepland {i.due_on:%d-%m-%Y}",
            href=f"/huishoudens/{i.household_id}/verblijf",
            urgent=i.overdue,
        )
        for i in items
    ]
    return Section(key="stays", title="Gesprekken en nazorg", lines=lines, empty="Geen gesprekken of nazorg te doen.")
