"""``onderdak stays …``: the reminders job of the stays (check-ins and follow-ups that fell due).

Registered in api/shell/cli.py as the ``stays`` command group. Safe to run every few minutes from
cron or a systemd timer: each reminder is sent once (``stay_reminder``); ``onderdak mail send``
delivers them. A job runner can call :func:`api.stays.reminders.send_reminders` directly.
"""

from __future__ import annotations

from typing import Annotated

import typer

from api.shell.cli_support import _database_url, _parse_day, friendly

stays_app = typer.Typer(help="During and after a stay: reminders.", no_args_is_help=True)


@stays_app.command("remind")
@friendly
def remind(today: Annotated[str | None, typer.Option(help="day to remind for (default: today)")] = None) -> None:
    """Queue a mail to the crisis team for every check-in and follow-up that fell due, once."""
    from api.core.database import session_scope
    from api.stays.reminders import send_reminders

    day = _parse_day(today)
    with session_scope(_database_url()) as db:
        count = send_reminders(db, day)
    typer.echo(f"reminders={count}")
