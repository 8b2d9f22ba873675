"""What every command group of the CLI shares: one line and exit 2 for a user error, the database URL,
a --date option. Its own module so that command groups (``api.shell.cli``, ``api.shell.mail_cli``)
import it instead of each other."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date
from functools import wraps
from typing import Any

import typer

from api.core import clock, i18n
from api.core.errors import OnderdakError

EXIT_USER_ERROR = 2


def fail(message: str) -> None:
    typer.echo(f"onderdak: {message}", err=True)
    raise typer.Exit(EXIT_USER_ERROR)


def friendly(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn every domain error into one line per problem and exit 2 (no traceback for users).

    A line reads ``onderdak: [code] field: message``; the message is Dutch, or English with
    ``ONDERDAK_LANG=en``.
    """

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except OnderdakError as exc:
            wanted = os.environ.get("ONDERDAK_LANG", "")
            token = i18n.current_language.set(wanted if wanted in i18n.LANGUAGES else i18n.DEFAULT_LANGUAGE)
            try:
                for problem in exc.problems:
                    typer.echo(f"onderdak: [{problem.code}] {problem.as_line()}", err=True)
            finally:
                i18n.current_language.reset(token)
            raise typer.Exit(EXIT_USER_ERROR) from None

    return wrapper


def _database_url() -> str:
    from api.core.config import get_settings
    from api.core.database import ping

    url = get_settings().database_url
    ping(url)
    return url


def _parse_day(value: str | None) -> date:
    if value is None:
        return clock.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        fail(f"--date: {value!r} is not a date (YYYY-MM-DD)")
        raise AssertionError("unreachable") from None
