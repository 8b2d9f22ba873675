"""The offers' scheduled jobs (``onderdak jobs run``): expire unanswered offers, remind before expiry."""

from __future__ import annotations

from sqlalchemy.orm import Session

from api.core.jobs import job
from api.offers import service


@job("offers.expire", "offers not answered in time expire; the household goes back into the matching")
def expire(db: Session) -> int:
    return service.expire_due(db)


@job("offers.remind", "one reminder with a fresh link, offer_reminder_hours before an offer expires")
def remind(db: Session) -> int:
    return service.remind_due(db)
