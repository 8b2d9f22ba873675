"""Progress of long commands: a bar on a terminal, nothing elsewhere; demo-data and backup report
every step they take."""

from __future__ import annotations

import io

from rich.console import Console

from api.core.database import session_scope
from api.shell import backup as backups
from api.shell.demo_loader import STEPS, load_demo
from api.shell.progress import NO_BAR, Bar, bar
from tests.conftest import DEMO_DAY, migrated_url


class Recorder(Bar):
    def __init__(self) -> None:
        self.advanced = 0.0
        self.updates: list[tuple[float, float | None]] = []

    def advance(self, steps: float = 1) -> None:
        self.advanced += steps

    def update(self, completed: float, total: float | None = None) -> None:
        self.updates.append((completed, total))


def test_without_a_terminal_nothing_is_drawn():
    out = io.StringIO()
    with bar("demo-data", total=3, console=Console(file=out, force_terminal=False)) as progress:
        progress.advance()
        progress.update(3, 3)
    assert progress is NO_BAR
    assert out.getvalue() == ""


def test_on_a_terminal_the_bar_shows_the_steps():
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=100)
    with bar("backup", total=4, console=console) as progress:
        progress.advance()
        progress.update(2)
        console.print("")  # a refresh while the bar stands
    drawn = out.getvalue()
    assert "backup" in drawn and "2/4" in drawn


def test_demo_data_and_backup_report_every_step(tmp_path):
    url, _ = migrated_url("sqlite", tmp_path)
    loading = Recorder()
    with session_scope(url) as db:
        load_demo(db, today=DEMO_DAY, progress=loading)
    assert loading.advanced == STEPS  # the constant the bar's total uses is the number of steps taken

    copying = Recorder()
    backups.backup(url, tmp_path / "copy.sqlite", progress=copying)
    completed, total = copying.updates[-1]
    assert total and completed == total  # every page copied


def _square(n: int) -> int:
    return n * n


def test_simulations_advance_the_bar_once_per_replication_inline_and_in_a_pool():
    from api.shell.simulate_cli import _CountingExecutor

    for jobs in (1, 2):
        counted = Recorder()
        assert _CountingExecutor(jobs, counted).map(_square, [1, 2, 3]) == [1, 4, 9]  # order kept
        assert counted.advanced == 3, jobs
