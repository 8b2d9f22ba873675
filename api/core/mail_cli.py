"""``onderdak mail …``: deliver the outbox (a scheduled job in production) and, outside production, read it.

Registered in api/cli.py as the ``mail`` command group.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Annotated, Any

import typer

from api.errors import OnderdakError

mail_app = typer.Typer(help="Outgoing mail (the outbox).", no_args_is_help=True)


def _friendly(func: Callable[..., Any]) -> Callable[..., Any]:
    """Like api.cli.friendly (not imported: api.cli imports this module): one line and exit 2."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except OnderdakError as exc:
            for problem in exc.problems:
                typer.echo(f"onderdak: {problem.as_line()}", err=True)
            raise typer.Exit(2) from None

    return wrapper


@mail_app.command("send")
@_friendly
def send(limit: int = 100) -> None:
    """Deliver pending mail with the configured sender (SMTP when ONDERDAK_SMTP_HOST is set); run every minute."""
    from api.cli import _database_url
    from api.core import mail
    from api.database import session_scope

    with session_scope(_database_url()) as db:
        sent = mail.deliver_pending(db, limit=limit)
        purged = mail.purge_sent(db)
    typer.echo(f"sent={sent} purged={purged}")


@mail_app.command("outbox")
@_friendly
def outbox(to: Annotated[str | None, typer.Option(help="only mail to this address")] = None, last: int = 5) -> None:
    """Show the newest undelivered mail (demo and development only: bodies hold one-time links)."""
    from sqlalchemy import select

    from api.cli import _database_url, fail
    from api.config import get_settings
    from api.core.models import OutboxMessage
    from api.database import session_scope

    if get_settings().is_production:
        fail("the outbox is not shown in production")
    with session_scope(_database_url()) as db:
        query = select(OutboxMessage).where(OutboxMessage.sent_at.is_(None)).order_by(OutboxMessage.id.desc())
        if to:
            query = query.where(OutboxMessage.recipient == to.strip().lower())
        for message in reversed(db.scalars(query.limit(last)).all()):
            typer.echo(f"--- #{message.id} to {message.recipient}: {message.subject}\n{message.body}")
