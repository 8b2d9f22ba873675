"""Progress bars for the long commands (demo data, backup, restore) in the terminal.

A command that runs for a while without a word looks hung; one that prints a line per step floods a
cron mail. So the bar is drawn (on stderr, with rich) only when stderr is a terminal, and disappears when
the command ends; under cron, CI or a test the same calls do nothing, and the command's own one-line
result on stdout is unchanged.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)


class Bar:
    """What a long job reports to: steps done (``advance``) or a position out of a total (``update``).

    The base class shows nothing; it is what a caller gets without a terminal, and the default of every
    function that reports progress."""

    def advance(self, steps: float = 1) -> None:
        """``steps`` more are done."""

    def update(self, completed: float, total: float | None = None) -> None:
        """``completed`` of ``total`` are done (the total may only become known on the way)."""


NO_BAR = Bar()


class _RichBar(Bar):
    def __init__(self, progress: Progress, task: TaskID) -> None:
        self._progress = progress
        self._task = task

    def advance(self, steps: float = 1) -> None:
        self._progress.advance(self._task, steps)

    def update(self, completed: float, total: float | None = None) -> None:
        if total is not None:
            self._progress.update(self._task, total=total)
        self._progress.update(self._task, completed=completed)


@contextmanager
def bar(description: str, total: float | None = None, *, console: Console | None = None) -> Iterator[Bar]:
    """A progress bar for ``description`` (``total`` None: a spinner with the time so far) while the block runs."""
    console = console or Console(stderr=True)
    if not console.is_terminal:
        yield NO_BAR
        return
    columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, TimeElapsedColumn(), console=console, transient=True) as progress:
        yield _RichBar(progress, progress.add_task(description, total=total))
