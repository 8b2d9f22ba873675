"""``onderdak mail …``: deliver the outbox (a scheduled job in production) and, outside production, read it.

Registered in api/shell/cli.py as the ``mail`` command group.
"""

from __future__ import annotations

from typing import Annotated

import typer

from api.shell.cli_support import _database_url, fail, friendly

mail_app = typer.Typer(help="Outgoing mail (the outbox).", no_args_is_help=True)


@mail_app.command("send")
@friendly
def send(limit: int = 100) -> None:
    """Deliver pending mail with the configured sender (SMTP when ONDERDAK_SMTP_HOST is set); run every minute."""
    from api.core import mail
    from api.core.database import session_scope

    with session_scope(_database_url()) as db:
        sent = mail.deliver_pending(db, limit=limit)
        purged = mail.purge_sent(db)
    typer.echo(f"sent={sent} purged={purged}")


@mail_app.command("outbox")
@friendly
def outbox(to: Annotated[str | None, typer.Option(help="only mail to this address")] = None, last: int = 5) -> None:
    """Show the newest undelivered mail (demo and development only: bodies hold one-time links)."""
    from sqlalchemy import select

    from api.core.config import get_settings
    from api.core.database import session_scope
    from api.core.models import OutboxMessage

    if get_settings().is_production:
        fail("the outbox is not shown in production")
    with session_scope(_database_url()) as db:
        query = select(OutboxMessage).where(OutboxMessage.sent_at.is_(None)).order_by(OutboxMessage.id.desc())
        if to:
            query = query.where(OutboxMessage.recipient == to.strip().lower())
        for message in reversed(db.scalars(query.limit(last)).all()):
            typer.echo(f"--- #{message.id} to {message.recipient}: {message.subject}\n{message.body}")
