"""The stays' scheduled job (``onderdak jobs run``): remind the crisis team of due check-ins and follow-ups."""

from __future__ import annotations

from sqlalchemy.orm import Session

from api.core import clock
from api.core.jobs import job
from api.stays.reminders import send_reminders


@job("stays.remind", "mail the crisis team once per check-in or follow-up that falls due")
def remind(db: Session) -> int:
    return send_reminders(db, clock.today())
