"""Outgoing mail: every message is first written to the ``outbox_message`` table, then a sender delivers it.

Why an outbox: a mail is part of the same transaction as the change that causes it (a sign-up, an
activation), so a rolled-back request never sends a mail and a committed one never loses it. Delivery is a
separate step (``onderdak mail send``, run by a scheduled job, or :func:`deliver_pending`), retried until it
succeeds. The sender is pluggable: SMTP when ``ONDERDAK_SMTP_HOST`` is set (production), otherwise
:class:`OutboxOnlySender`, which delivers nothing and leaves the messages in the table for tests and the demo.

Bodies may contain one-time links; they are kept only until delivery plus :data:`KEEP_SENT_DAYS`.
"""

from __future__ import annotations

import logging
import smtplib
from datetime import timedelta
from email.message import EmailMessage
from typing import Protocol

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from api.core import clock
from api.core.config import Settings, get_settings
from api.core.models import OutboxMessage

log = logging.getLogger("onderdak.mail")
KEEP_SENT_DAYS = 7


class MailSender(Protocol):
    """Delivers one message; raises on failure (the message then stays pending)."""

    def send(self, message: OutboxMessage) -> bool:
        """True when the message left the system; False when this sender keeps it in the outbox."""
        ...


class OutboxOnlySender:
    """Tests and demo: nothing leaves the machine; messages stay readable in the outbox."""

    def send(self, message: OutboxMessage) -> bool:  # noqa: ARG002 - the MailSender signature; nothing is sent
        return False


class SmtpSender:
    """Production: plain SMTP to the municipality's relay (STARTTLS when the relay offers it)."""

    def __init__(self, host: str, port: int, mail_from: str, timeout_s: float = 20.0) -> None:
        self.host, self.port, self.mail_from, self.timeout_s = host, port, mail_from, timeout_s

    def send(self, message: OutboxMessage) -> bool:
        mail = EmailMessage()
        mail["From"] = self.mail_from
        mail["To"] = message.recipient
        mail["Subject"] = message.subject
        mail.set_content(message.body)
        with smtplib.SMTP(self.host, self.port, timeout=self.timeout_s) as smtp:
            smtp.ehlo()
            if smtp.has_extn("starttls"):
                smtp.starttls()
                smtp.ehlo()
            smtp.send_message(mail)
        return True


def sender_from_settings(settings: Settings | None = None) -> MailSender:
    settings = settings or get_settings()
    if settings.smtp_host:
        return SmtpSender(settings.smtp_host, settings.smtp_port, settings.mail_from)
    return OutboxOnlySender()


def queue(db: Session, *, recipient: str, subject: str, body: str, municipality_id: int | None) -> OutboxMessage:
    """Put a message in the outbox (same transaction as the change that causes it)."""
    message = OutboxMessage(municipality_id=municipality_id, recipient=recipient, subject=subject, body=body)
    db.add(message)
    db.flush()
    return message


def deliver_pending(db: Session, *, sender: MailSender | None = None, limit: int = 100) -> int:
    """Hand pending messages to the sender; returns how many left the system. Failures stay pending."""
    sender = sender or sender_from_settings()
    sent = 0
    pending = db.scalars(
        select(OutboxMessage).where(OutboxMessage.sent_at.is_(None)).order_by(OutboxMessage.id).limit(limit)
    ).all()
    for message in pending:
        try:
            delivered = sender.send(message)
        except (OSError, smtplib.SMTPException) as exc:
            log.warning("mail %s not delivered: %s", message.id, type(exc).__name__)  # no address in the log
            continue
        if delivered:
            message.sent_at = clock.now()
            sent += 1
    db.flush()
    return sent


def purge_sent(db: Session, *, keep_days: int = KEEP_SENT_DAYS) -> int:
    """Delete delivered messages older than ``keep_days`` (their bodies may hold one-time links)."""
    cutoff = clock.now() - timedelta(days=keep_days)
    result = db.execute(delete(OutboxMessage).where(OutboxMessage.sent_at.is_not(None), OutboxMessage.sent_at < cutoff))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
