"""``onderdak jobs run``: every registered scheduled job, each in its own transaction; safe every few minutes.

Cron: ``*/5 * * * * onderdak jobs run`` (or a systemd timer with ``OnCalendar=*:0/5``). Jobs are idempotent
(each marks what it did on its rows); on PostgreSQL a transaction-scoped advisory lock per job makes a
second runner skip a job the first one is still running, and rows are taken with ``SKIP LOCKED``.
A domain adds a job with :func:`api.core.jobs.job` in a module listed in :data:`JOB_MODULES`.
"""

from __future__ import annotations

import importlib
import zlib
from dataclasses import dataclass
from typing import Annotated

import typer
from sqlalchemy import text
from sqlalchemy.orm import Session

from api.core import jobs
from api.core.errors import InvalidInput
from api.shell.cli_support import _database_url, friendly

#: The modules whose import registers jobs (one line per domain that has any).
JOB_MODULES = ("api.offers.jobs", "api.hosts.vetting_jobs", "api.board.jobs", "api.stays.jobs")
JOB_LOCK_CLASS = 0x4A42  # the first key of pg_try_advisory_xact_lock: "jobs"; the second is the job's name

jobs_app = typer.Typer(help="Scheduled jobs (cron or a systemd timer, every few minutes).", no_args_is_help=True)


def load_jobs() -> list[jobs.Job]:
    for module in JOB_MODULES:
        importlib.import_module(module)
    return jobs.registered()


@dataclass(frozen=True)
class JobResult:
    name: str
    done: int | None  # None: skipped (another runner holds the job)


def run_job(db: Session, job: jobs.Job) -> JobResult:
    """One job in the caller's transaction; skipped when another runner holds its lock (PostgreSQL)."""
    if db.get_bind().dialect.name == "postgresql":
        key = zlib.crc32(job.name.encode()) & 0x7FFFFFFF
        got = db.scalar(text("SELECT pg_try_advisory_xact_lock(:k, :n)"), {"k": JOB_LOCK_CLASS, "n": key})
        if not got:
            return JobResult(job.name, None)
    return JobResult(job.name, job.run(db))


def selected(only: list[str] | None) -> list[jobs.Job]:
    known = load_jobs()
    if not only:
        return known
    names = {j.name for j in known}
    for name in only:
        if name not in names:
            raise InvalidInput(code="jobs.unknown", loc=("only",), name=name, known=", ".join(sorted(names)))
    return [j for j in known if j.name in only]


@jobs_app.command("run")
@friendly
def run(
    only: Annotated[list[str] | None, typer.Option("--only", help="run only this job (repeatable)")] = None,
) -> None:
    """Run every job once, each in its own transaction (a failing job is rolled back; the others still run)."""
    from api.core.database import session_scope

    url = _database_url()
    failed = 0
    for job in selected(only):
        try:
            with session_scope(url) as db:
                result = run_job(db, job)
        except Exception as exc:  # noqa: BLE001 - one broken job must not stop the others; reported, exit 1
            failed += 1
            typer.echo(f"{job.name}: failed ({type(exc).__name__})", err=True)
            continue
        typer.echo(f"{job.name}: " + ("skipped (running elsewhere)" if result.done is None else f"done={result.done}"))
    if failed:
        raise typer.Exit(1)


@jobs_app.command("list")
def list_jobs() -> None:
    """The registered jobs and what each does."""
    for job in load_jobs():
        typer.echo(f"{job.name}: {job.description}")
