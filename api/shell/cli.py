"""The ``onderdak`` command line (Typer). Every user error: one line on stderr, exit 2."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

import api.shell.models  # noqa: F401  (every mapper registered before the first query)
from api.core import clock
from api.shell.cli_support import _database_url, _parse_day, fail, friendly
from api.shell.jobs_cli import jobs_app
from api.shell.mail_cli import mail_app
from api.shell.rules_cli import rules_app
from api.shell.simulate_cli import plan_capacity, simulate_app

app = typer.Typer(
    help="Onderdak: opvang na een huisuitzetting.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,  # never dump locals (personal data) to a terminal
)
db_app = typer.Typer(help="Database schema (Alembic).", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(mail_app, name="mail")
app.add_typer(jobs_app, name="jobs")
app.add_typer(rules_app, name="rules")
app.add_typer(simulate_app, name="simulate")
app.command("plan-capacity")(plan_capacity)


@db_app.command("upgrade")
@friendly
def db_upgrade(revision: str = "head") -> None:
    """Migrate the database to the newest schema."""
    from api.shell import migrate

    migrate.upgrade(_database_url(), revision)
    typer.echo(f"database at {revision}")


@db_app.command("downgrade")
@friendly
def db_downgrade(revision: Annotated[str, typer.Argument(help="target revision, e.g. base")]) -> None:
    """Migrate the database back to an older schema."""
    from api.shell import migrate

    migrate.downgrade(_database_url(), revision)
    typer.echo(f"database at {revision}")


@app.command("demo-data")
@friendly
def demo_data(
    reset: Annotated[bool, typer.Option(help="delete the demo municipalities first")] = False,
    seed: int = 2026,
    today: Annotated[str | None, typer.Option(help="reference day (default: today)")] = None,
    scale: Annotated[
        int, typer.Option(min=1, max=100, help="load N times the demo region (load tests); 1 is the usual demo")
    ] = 1,
    i_know_this_wipes_data: Annotated[
        bool, typer.Option("--i-know-this-wipes-data", help="load even into a database with non-demo data")
    ] = False,
) -> None:
    """Load the demo region (idempotent: twice gives the same counts).

    Refuses (exit 2, nothing changed) a database that holds anything but demo data: demo rows mixed into a
    real installation, or a --reset there, would put invented people next to real ones or delete real ones.
    Loaded municipalities are left alone: to change the scale of a loaded demo, add --reset."""
    from api.core.database import session_scope
    from api.shell.demo_loader import STEPS, foreign_rows, load_demo
    from api.shell.progress import bar

    url = _database_url()
    day = _parse_day(today)
    with session_scope(url) as db:
        foreign = foreign_rows(db, today=day, seed=seed)
        if foreign and not i_know_this_wipes_data:
            found = ", ".join(f"{n} {label}" for label, n in foreign.items())
            fail(
                f"this database holds data that is not demo data ({found}); nothing changed. "
                "Use an empty database, or add --i-know-this-wipes-data."
            )
        with bar("demo-data", total=STEPS) as progress:
            counts = load_demo(db, today=day, seed=seed, reset=reset, scale=scale, progress=progress)
    typer.echo(" ".join(f"{k}={v}" for k, v in counts.items()))


@app.command("export-instance")
@friendly
def export_instance(
    municipality: Annotated[str, typer.Option(help="CBS code, e.g. GM0935")],
    day: Annotated[str | None, typer.Option("--date", help="planning date (default: today)")] = None,
    output: Annotated[Path | None, typer.Option("-o", "--output")] = None,
) -> None:
    """Write the onderdak.instance/1 the matcher would get (no names inside)."""
    from api.core import tenancy
    from api.core.database import session_scope
    from api.matching import service
    from api.shell.progress import bar

    url = _database_url()
    planning_day = _parse_day(day)
    # A spinner on stderr (only on a terminal): stdout may be the instance itself.
    with bar(f"export-instance {municipality}"), session_scope(url) as db:
        m = tenancy.municipality_by_code(db, municipality)
        instance = service.instance_for(db, municipality_id=m.id, day=planning_day)
    text = json.dumps(instance, indent=1, ensure_ascii=False)
    if output is None:
        sys.stdout.write(text + "\n")
    else:
        tmp = output.with_suffix(output.suffix + ".tmp")
        tmp.write_text(text + "\n", encoding="utf-8")
        tmp.replace(output)
        typer.echo(f"wrote {output} ({len(instance['households'])} households, {len(instance['places'])} places)")


@app.command("match")
@friendly
def match(
    municipality: Annotated[str, typer.Option(help="CBS code, e.g. GM0935")],
    day: Annotated[str | None, typer.Option("--date", help="planning date (default: today)")] = None,
) -> None:
    """Run the daily matching, as the button on the daily page does (for a scheduled job)."""
    from api.core import tenancy
    from api.core.database import session_scope
    from api.matching import service

    url = _database_url()
    planning_day = _parse_day(day)
    with session_scope(url) as db:
        m = tenancy.municipality_by_code(db, municipality)
        run = service.run_daily_matching(db, municipality_id=m.id, day=planning_day, run_by_label="cli")
        placed = len(run.solution_json["placements"])
        unplaced = len(run.solution_json["unplaced"])
        typer.echo(f"run {run.id} {m.code} {planning_day}: status={run.status} proposals={placed} unplaced={unplaced}")


@app.command("create-user")
@friendly
def create_user(
    municipality: Annotated[str, typer.Option()],
    email: Annotated[str, typer.Option()],
    role: Annotated[str, typer.Option()],
    password: Annotated[str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True)],
) -> None:
    """Create an account (admin, coordinator, crisis_team, case_worker)."""
    from api.auth import service as auth_service
    from api.core import tenancy
    from api.core.database import session_scope

    url = _database_url()
    with session_scope(url) as db:
        m = tenancy.municipality_by_code(db, municipality)
        user = auth_service.create_user(db, municipality_id=m.id, email=email, password=password, role=role)
        typer.echo(f"user {user.id} {user.email} ({user.role})")


@app.command("serve")
@friendly
def serve(
    host: str = "127.0.0.1",
    port: int = 8000,
    reload: bool = False,
    workers: Annotated[
        int, typer.Option(min=1, max=32, help="worker processes (production: about one per CPU core)")
    ] = 1,
) -> None:
    """Serve the web app and the API (gzip, cached static files; --workers N for production)."""
    from api.shell import serving

    if reload and workers > 1:
        fail("--reload and --workers cannot be combined: reload runs one process")
    _database_url()
    typer.echo(f"Onderdak on http://{host}:{port}/  (API docs: http://{host}:{port}/docs), {workers} worker(s)")
    serving.serve(host=host, port=port, workers=workers, reload=reload)


@app.command("demo")
@friendly
def demo(
    host: str = "127.0.0.1",
    port: int = 8000,
    municipality: Annotated[str, typer.Option(help="CBS code of the municipality to match")] = "GM0935",
) -> None:
    """Migrate, load the demo region, run one matching and serve it: what `make demo` runs.

    The same as `db upgrade`, `demo-data`, `match` and `serve` one after the other, but in one process: four
    commands would import the app four times, the larger part of "fresh clone → demo serving" once the
    install is done (benchmarks/fresh_clone.py)."""
    db_upgrade()
    demo_data()
    match(municipality=municipality)
    serve(host=host, port=port)


# ---------------------------------------------------------------- security: retention, backup, restore


@app.command("purge")
@friendly
def purge(
    municipality: Annotated[list[str] | None, typer.Option(help="CBS code; repeat for several (default: all)")] = None,
    apply: Annotated[bool, typer.Option("--apply", help="anonymise for real (default: dry run)")] = False,
    day: Annotated[str | None, typer.Option("--date", help="reference day (default: today)")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the plan as JSON")] = False,
) -> None:
    """Anonymise personal data past its retention period (closed cases, ended hosts). Dry run unless --apply."""
    from sqlalchemy import select

    from api.core.database import session_scope
    from api.core.models import Municipality
    from api.shell import retention

    url = _database_url()
    today = _parse_day(day)
    plans = []
    with session_scope(url) as db:
        query = select(Municipality).order_by(Municipality.code)
        if municipality:
            query = query.where(Municipality.code.in_(municipality))
        found = db.scalars(query).all()
        missing = sorted(set(municipality or ()) - {m.code for m in found})
        if missing:
            fail(f"unknown municipality {', '.join(missing)}")
        for m in found:
            plans.append(retention.purge(db, municipality_id=m.id, today=today, apply=apply))
    if as_json:
        typer.echo(json.dumps([p.as_dict() for p in plans], indent=1))
    else:
        for p in plans:
            typer.echo(p.summary())
        if not apply:
            typer.echo("dry run: nothing changed; run again with --apply to anonymise")


@app.command("backup")
@friendly
def backup(
    output: Annotated[Path | None, typer.Option("-o", "--output", help="file to write (default: timestamped)")] = None,
) -> None:
    """Write a backup of the whole database (SQLite backup API or pg_dump)."""

    from api.shell import backup as backups
    from api.shell.progress import bar

    url = _database_url()
    if output is None:
        suffix = "sqlite" if url.startswith("sqlite") else "pgdump"
        output = Path(f"onderdak-backup-{clock.now():%Y%m%d-%H%M%S}.{suffix}")
    with bar(f"backup → {output}") as progress:
        info = backups.backup(url, output, progress=progress)
    typer.echo(f"wrote {info.path} ({info.backend}, {info.size} bytes; holds personal data: keep it safe)")


@app.command("restore")
@friendly
def restore(
    source: Annotated[Path, typer.Argument(help="a file written by onderdak backup")],
    yes: Annotated[bool, typer.Option("--yes", help="replace a database that holds data")] = False,
) -> None:
    """Replace the database with a backup (stop the app first)."""
    from api.shell import backup as backups
    from api.shell.progress import bar

    url = _database_url()
    with bar(f"restore ← {source}") as progress:
        backend = backups.restore(url, source, overwrite=yes, progress=progress)
    counts = backups.table_counts(url)
    typer.echo(f"restored {source} ({backend}): " + " ".join(f"{k}={v}" for k, v in counts.items() if v))


def main() -> None:
    app()
