"""``onderdak simulate …`` and ``onderdak plan-capacity``: thin commands over ``matcher.simulate``.

``onderdak simulate STREAM.json --policy P -o R.json`` runs one policy (``--hindsight`` the
offline optimum); ``generate``, ``compare`` are subcommands. Bad input: one line per problem
naming the field, exit 2, no output file written.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from functools import wraps
from pathlib import Path
from typing import Annotated, Any

import typer
from typer import _click
from typer.core import TyperGroup

from api.shell.cli_support import EXIT_USER_ERROR, _database_url, friendly
from api.shell.progress import Bar, bar
from matcher.schema import InstanceError
from matcher.simulate import POLICIES, REFERENCES, check_result, hindsight, load_stream, simulate
from matcher.simulate.capacity import plan
from matcher.simulate.generate import Profile, generate, validate_profile
from matcher.simulate.replicate import compare, format_table
from seed_data.simulation import profile_path


class _StreamFirst(TyperGroup):
    """``onderdak simulate STREAM.json …`` means ``onderdak simulate run STREAM.json …``."""

    def parse_args(self, ctx: _click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            args = ["run", *args]
        return super().parse_args(ctx, args)


simulate_app = typer.Typer(
    cls=_StreamFirst,
    help="Een jaar matching simuleren: beleidsregels tegen het optimum achteraf.",
    no_args_is_help=True,
)


def _bad_input(func: Callable[..., Any]) -> Callable[..., Any]:
    """InstanceError (stream, profile, file problems) → one line per problem on stderr, exit 2."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except InstanceError as err:
            for line in err.lines():
                typer.echo(f"onderdak: {line}", err=True)
            raise typer.Exit(EXIT_USER_ERROR) from None

    return wrapper


def _read(path: Path, what: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as err:
        raise InstanceError([("", f"cannot read {what} {path}: {err.strerror or err}")]) from None


def _profile(name: str) -> Profile:
    path = profile_path(name)
    text = _read(path, "profile")
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        raise InstanceError([("", f"profile {path}: malformed JSON: {err}")]) from None
    return validate_profile(data)


def _write(path: Path | None, doc: Any) -> None:
    """All or nothing: a temporary file in the same folder, then a rename."""
    text = json.dumps(doc, indent=1, ensure_ascii=False) + "\n"
    if path is None:
        typer.echo(text, nl=False)
        return
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent or Path("."))
    except OSError as err:
        raise InstanceError([("output", f"cannot write {path}: {err.strerror or err}")]) from None
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.replace(tmp, path)


def _positive(value: float, field: str) -> None:
    if not value > 0:
        raise InstanceError([(field, "must be greater than 0")])


class _CountingExecutor:
    """Runs replications like ``LocalExecutor`` (inline, or a pool of ``jobs`` processes) and advances the
    progress bar as each one finishes: a comparison or a capacity plan takes minutes, and ``matcher`` stays
    free of anything that draws on a terminal."""

    def __init__(self, jobs: int, progress: Bar) -> None:
        self.jobs = max(1, jobs)
        self.progress = progress

    def map(self, fn: Callable[[Any], Any], items: Sequence[Any]) -> list[Any]:
        results = []
        if self.jobs == 1 or len(items) <= 1:
            for item in items:
                results.append(fn(item))
                self.progress.advance()
            return results
        with ProcessPoolExecutor(max_workers=self.jobs) as pool:
            for result in pool.map(fn, items):  # in order; each result advances the bar as it arrives
                results.append(result)
                self.progress.advance()
        return results


@simulate_app.command("run")
@_bad_input
def run(
    stream: Annotated[Path, typer.Argument(help="an onderdak.stream/1 file")],
    policy: Annotated[str, typer.Option(help=f"one of {', '.join(POLICIES + REFERENCES)}")] = "anticipating",
    use_hindsight: Annotated[bool, typer.Option("--hindsight", help="the offline optimum instead")] = False,
    time_limit: Annotated[float, typer.Option(help="seconds for --hindsight")] = 120.0,
    output: Annotated[Path | None, typer.Option("-o", "--output")] = None,
) -> None:
    """Simulate a stream with one policy (or its hindsight optimum); write onderdak.simresult/1."""
    if policy not in POLICIES + REFERENCES:
        raise InstanceError(
            [("--policy", f"unknown policy {policy!r}; choose one of {', '.join(POLICIES + REFERENCES)}")]
        )
    _positive(time_limit, "--time-limit")
    st = load_stream(_read(stream, "stream"))
    result = hindsight(st, time_limit=time_limit) if use_hindsight else simulate(st, policy)
    problems = check_result(st, result)
    if problems:  # a bug, not bad input: say so and write nothing
        typer.echo(f"onderdak: internal error, infeasible result: {problems[0]}", err=True)
        raise typer.Exit(1)
    _write(output, result.model_dump(mode="json", exclude_none=True))
    if output is not None:
        typer.echo(
            f"{result.policy}: value={result.value} placed={result.placed} "
            f"sheltered_on_release_day={result.sheltered_on_release_day} mean_wait={result.mean_wait}"
            + (f" status={result.status} bound={result.bound}" if result.status else "")
        )


@simulate_app.command("generate")
@friendly
@_bad_input
def generate_cmd(
    profile: Annotated[str | None, typer.Option(help="small, medium, large or a profile file")] = None,
    from_db: Annotated[
        str | None,
        typer.Option("--from-db", help="a municipality's CBS code (GMxxxx): its profile from the recorded history"),
    ] = None,
    seed: int = 1,
    load: Annotated[float | None, typer.Option(help="demand as a share of capacity, e.g. 1.0")] = None,
    profile_output: Annotated[
        Path | None, typer.Option("--profile-output", help="also write the profile derived with --from-db")
    ] = None,
    output: Annotated[Path | None, typer.Option("-o", "--output")] = None,
) -> None:
    """Draw a year of arrivals (onderdak.stream/1) from a municipality profile, or from a municipality's
    history (``--from-db GMxxxx``: arrivals, lead times, household mix and stock counted from its records)."""
    if (profile is None) == (from_db is None):
        raise InstanceError([("--profile", "give either --profile or --from-db")])
    if load is not None:
        _positive(load, "--load")
    if from_db is not None:
        prof = _profile_from_db(from_db)
        if profile_output is not None:
            _write(profile_output, prof.model_dump(mode="json"))
    else:
        assert profile is not None
        prof = _profile(profile)
    _write(output, generate(prof, seed, load=load))


def _profile_from_db(code: str) -> Profile:
    """The profile counted from the records of municipality ``code`` up to today (read only)."""
    from api.capacity.history import profile_for_code
    from api.core import clock
    from api.core.database import session_scope

    with session_scope(_database_url()) as db:
        return profile_for_code(db, code, today=clock.today(), loc=("--from-db",))


@simulate_app.command("compare")
@_bad_input
def compare_cmd(
    profile: Annotated[str, typer.Argument(help="small, medium, large or a profile file")],
    seeds: Annotated[int, typer.Option(min=1, max=1000)] = 10,
    jobs: Annotated[int, typer.Option(min=1, max=64)] = 1,
    load: Annotated[float | None, typer.Option(help="demand as a share of capacity")] = None,
    hindsight_seconds: Annotated[float, typer.Option(help="per stream; 0 leaves hindsight out")] = 120.0,
    foresight: Annotated[
        bool, typer.Option(help="add anticipating-foresight: the policy with every household known in advance")
    ] = False,
    notice_days: Annotated[
        list[int] | None,
        typer.Option(min=0, max=365, help="add anticipating with every household announced this many days "
                     "earlier (repeat for more rows): what earlier signals from the bailiff would be worth"),
    ] = None,
) -> None:
    """Every policy and hindsight on the same streams: a table with 95% confidence intervals."""
    if load is not None:
        _positive(load, "--load")
    with bar(f"simulate compare {profile}", total=seeds) as progress:
        rows = compare(
            _profile(profile),
            seeds=seeds,
            load=load,
            hindsight_seconds=hindsight_seconds,
            executor=_CountingExecutor(jobs, progress),
            foresight=foresight,
            notice_days=notice_days or (),
        )
    typer.echo(format_table(rows))


def plan_capacity(
    profile: Annotated[str, typer.Option(help="small, medium, large or a profile file")],
    target: Annotated[float, typer.Option(help="share sheltered on the eviction day, e.g. 0.95")] = 0.95,
    seeds: Annotated[int, typer.Option(min=1, max=1000)] = 5,
    jobs: Annotated[int, typer.Option(min=1, max=64)] = 1,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="the curve as JSON")] = None,
) -> None:
    """Rooms → share sheltered on the eviction day, and the smallest mix that meets the target."""
    try:
        if not 0 < target <= 1:
            raise InstanceError([("--target", "must be a share between 0 and 1")])
        prof = _profile(profile)
        # The search's length is not known in advance (a bisection per host-room count): a spinner with
        # the replications done so far.
        with bar(f"plan-capacity {profile}") as progress:
            result = plan(prof, target=target, seeds=seeds, executor=_CountingExecutor(jobs, progress))
    except InstanceError as err:
        for line in err.lines():
            typer.echo(f"onderdak: {line}", err=True)
        raise typer.Exit(EXIT_USER_ERROR) from None
    typer.echo("| Wachtkamer | gastkamers | kamers | aandeel op de dag van uitzetting (95%-band) |")
    typer.echo("|---|---|---|---|")
    for p in result["curve"]:
        typer.echo(
            f"| {p['wachtkamer']} | {p['host_rooms']} | {p['rooms']} | "
            f"{100 * p['share']:.1f}% ({100 * p['low']:.1f}–{100 * p['high']:.1f}) |"
        )
    best = result["smallest"]
    if best is None:
        typer.echo(f"no mix searched reaches {100 * target:.0f}%")
    else:
        typer.echo(
            f"smallest mix for {100 * target:.0f}%: {best['wachtkamer']} Wachtkamer + "
            f"{best['host_rooms']} host rooms ({100 * best['share']:.1f}%)"
        )
    if output is not None:
        _write(output, result)
