"""The one clock of Onderdak: now in UTC, today in Europe/Amsterdam.

Business dates (the stay clock, the 13-week storage deadline, link validity, retention) all hang on
"today", so nothing reads the wall clock but :class:`SystemClock`. The clock in force is injected:
the web app installs its clock per request (``app.state.clock``, see ``api.shell.main``), the CLI
per command, tests with :func:`use`. Everything else asks :func:`now` or :func:`today`.

A deadline is a calendar day in the Netherlands, so "today" is taken there, not in UTC.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


class Clock(Protocol):
    """What the application may ask of time."""

    def now(self) -> datetime:
        """The current instant, aware, in UTC."""
        ...

    def today(self) -> date:
        """The current calendar day in the Netherlands."""
        ...


@dataclass(frozen=True)
class SystemClock:
    """The machine's clock: production."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    def today(self) -> date:
        return self.now().astimezone(AMSTERDAM).date()


@dataclass
class FixedClock:
    """A clock standing still at one instant until told to move: exact instants in tests."""

    moment: datetime

    @classmethod
    def on(cls, day: date, hour: int = 10) -> FixedClock:
        """Stopped at ``hour`` o'clock (Amsterdam) on ``day``."""
        return cls(datetime(day.year, day.month, day.day, hour, tzinfo=AMSTERDAM).astimezone(UTC))

    def now(self) -> datetime:
        return self.moment

    def today(self) -> date:
        return self.moment.astimezone(AMSTERDAM).date()

    def advance(self, delta: timedelta) -> None:
        self.moment += delta


@dataclass
class ShiftedClock:
    """A running clock that started at 10:00 (Amsterdam) on a chosen day: demos, training and the
    test suite see the same day whatever the machine's calendar says, while time still passes
    (expiries, throttles and orderings behave as in production)."""

    start_day: date
    _offset: timedelta = field(init=False)

    def __post_init__(self) -> None:
        start = datetime(self.start_day.year, self.start_day.month, self.start_day.day, 10, tzinfo=AMSTERDAM)
        self._offset = start.astimezone(UTC) - datetime.fromtimestamp(time.time(), UTC)

    def now(self) -> datetime:
        return datetime.fromtimestamp(time.time(), UTC) + self._offset

    def today(self) -> date:
        return self.now().astimezone(AMSTERDAM).date()

    def advance(self, delta: timedelta) -> None:
        """Jump ahead (or back, with a negative delta) and keep running: browser tests of stays that
        last months walk a live server through them."""
        self._offset += delta


_current: ContextVar[Clock | None] = ContextVar("onderdak_clock", default=None)
_process_clock: Clock | None = None


def configured() -> Clock:
    """The process's clock from the settings: the machine's, or a shifted one when
    ``ONDERDAK_CLOCK_TODAY`` names a day (demo and test installations)."""
    global _process_clock
    if _process_clock is None:
        from api.core.config import get_settings

        day = get_settings().clock_today
        _process_clock = ShiftedClock(day) if day else SystemClock()
    return _process_clock


def reset_configured() -> None:
    """Forget the clock built from the settings (after the settings changed)."""
    global _process_clock
    _process_clock = None


def current() -> Clock:
    """The clock in force here: the one installed by :func:`use`, else the configured one."""
    return _current.get() or configured()


@contextmanager
def use(clock: Clock) -> Iterator[Clock]:
    """Run a block (a request, a CLI command, a test) under ``clock``."""
    token = _current.set(clock)
    try:
        yield clock
    finally:
        _current.reset(token)


def now() -> datetime:
    """The current instant in UTC, by the clock in force."""
    return current().now()


def today() -> date:
    """Today's date in the Netherlands, by the clock in force."""
    return current().today()


def as_utc(moment: datetime) -> datetime:
    """The same instant as an aware UTC datetime; a naive value is taken to be UTC already (as stored)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
