"""How an offer reaches its recipient: an e-mail (through the outbox, same transaction) and a short text.

Pluggable: a channel is anything with ``send(db, message)``. Mail goes through :mod:`api.core.mail` (queued
in the outbox, delivered by ``onderdak mail send``). The SMS channel is a log channel until a gateway is
chosen: it logs that a text of N characters went to offer #id, never the number, a name or the link.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy.orm import Session

from api.core import mail
from api.core.config import get_settings

log = logging.getLogger("onderdak.offers")


@dataclass(frozen=True)
class OfferMessage:
    offer_id: int
    municipality_id: int
    email: str | None
    phone: str | None
    subject: str
    body: str
    sms: str


class Channel(Protocol):
    def send(self, db: Session, message: OfferMessage) -> bool:
        """True when this channel took the message (False: nothing to send it to)."""
        ...


class MailChannel:
    def send(self, db: Session, message: OfferMessage) -> bool:
        if not message.email:
            return False
        mail.queue(
            db,
            recipient=message.email,
            subject=message.subject,
            body=message.body,
            municipality_id=message.municipality_id,
        )
        return True


class LogSmsChannel:
    """Development: no text leaves the machine; one log line without personal data says one would have."""

    def send(self, db: Session, message: OfferMessage) -> bool:  # noqa: ARG002 - the Channel signature
        if not message.phone:
            return False
        log.info("sms for offer %s: %d characters (log channel, not sent)", message.offer_id, len(message.sms))
        return True


def channels() -> list[Channel]:
    """The channels in force: mail always, the SMS channel named by ``ONDERDAK_SMS_CHANNEL``."""
    sms: dict[str, Channel] = {"log": LogSmsChannel()}
    return [MailChannel(), sms[get_settings().sms_channel]]
