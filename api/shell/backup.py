"""``onderdak backup`` and ``onderdak restore``: a consistent copy of the whole database in one file.

SQLite: the online backup API of sqlite3 (a consistent snapshot while the app keeps running).
PostgreSQL: ``pg_dump --format=custom`` and ``pg_restore --clean --single-transaction`` (the
client tools must be installed; ``apt-get install postgresql-client``). When the URL's
``options=-csearch_path=X`` points at a schema other than ``public``, only that schema is dumped
and restored. The password goes to the tools in ``PGPASSWORD``, never on the command line.

Backups hold all personal data: the file is created readable by its owner only (0600); keep
it encrypted and delete it within the retention period. A restore replaces the database's
contents; stop the app first.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote

from sqlalchemy import create_engine, inspect, make_url, text

from api.core.errors import ConfigurationError, InvalidInput, OnderdakError
from api.shell.progress import NO_BAR, Bar

# SQLite copies this many pages (4 KiB each) per step, so a large database reports progress on the way.
SQLITE_PAGES = 1024


class BackupFailed(OnderdakError):
    status_code = 500
    error_type = "backup_failed"


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    backend: str
    size: int


def _is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def _sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise InvalidInput(code="backup.memory_database", loc=("database_url",))
    return Path(database)


def _pg_target(url: str) -> tuple[str, dict[str, str], str | None]:
    """(libpq connection string without password, environment with PGPASSWORD, schema or None)."""
    parsed = make_url(url)
    user = quote(parsed.username or "", safe="")
    host = parsed.host or "localhost"
    port = f":{parsed.port}" if parsed.port else ""
    auth = f"{user}@" if user else ""
    dsn = f"postgresql://{auth}{host}{port}/{quote(parsed.database or '', safe='')}"
    env = {**os.environ}
    if parsed.password:
        env["PGPASSWORD"] = parsed.password
    schema = None
    raw_options = parsed.query.get("options")
    options = raw_options[0] if isinstance(raw_options, tuple) else raw_options
    if options:
        for part in unquote(options).split():
            if part.startswith("-csearch_path="):
                schema = part.split("=", 1)[1].split(",")[0].strip('"') or None
    if schema == "public":
        schema = None
    return dsn, env, schema


def _pages(progress: Bar) -> Callable[[int, int, int], None]:
    """sqlite3's backup callback (status, pages left, pages in all) as progress of pages copied."""
    return lambda _status, remaining, total: progress.update(total - remaining, total)


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise ConfigurationError(f"{name} not found: install the PostgreSQL client tools (postgresql-client)")
    return path


def _run(args: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(args, env=env, capture_output=True, text=True, timeout=3600, check=False)
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or ["no message"])[-1]
        raise BackupFailed(f"{Path(args[0]).name} failed (exit {result.returncode}): {last}")


def backup(url: str, target: Path, *, progress: Bar = NO_BAR) -> BackupInfo:
    """Write a backup of the database at ``url`` to ``target`` (atomically: a temp file, then renamed)."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".partial")
    tmp.unlink(missing_ok=True)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(fd)
    try:
        if _is_sqlite(url):
            source = sqlite3.connect(f"file:{_sqlite_path(url)}?mode=ro", uri=True)
            destination = sqlite3.connect(tmp)
            try:
                source.backup(destination, pages=SQLITE_PAGES, progress=_pages(progress))
            finally:
                destination.close()
                source.close()
            backend = "sqlite"
        else:
            dsn, env, schema = _pg_target(url)
            args = [_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", f"--file={tmp}", dsn]
            if schema:
                args.insert(-1, f"--schema={schema}")
            _run(args, env)
            backend = "postgresql"
        os.chmod(tmp, 0o600)
        tmp.replace(target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return BackupInfo(path=target, backend=backend, size=target.stat().st_size)


def has_data(url: str) -> bool:
    """True when the database holds any municipality (a restore would overwrite real data)."""
    engine = create_engine(url)
    try:
        if "municipality" not in inspect(engine).get_table_names():
            return False
        with engine.connect() as conn:
            return bool(conn.execute(text("SELECT count(*) FROM municipality")).scalar())
    finally:
        engine.dispose()


def restore(url: str, source: Path, *, overwrite: bool = False, progress: Bar = NO_BAR) -> str:
    """Replace the database at ``url`` with the backup in ``source``; refuses to overwrite data unless told."""
    source = Path(source)
    if not source.is_file():
        raise InvalidInput(code="backup.source_not_found", loc=("source",), source=str(source))
    if not overwrite and has_data(url):
        raise InvalidInput(code="backup.database_not_empty", loc=("database_url",))
    if _is_sqlite(url):
        if source.read_bytes()[:16] != b"SQLite format 3\x00":
            raise InvalidInput(code="backup.not_sqlite", loc=("source",), source=str(source))
        from_file = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        into = sqlite3.connect(_sqlite_path(url))
        try:
            from_file.backup(into, pages=SQLITE_PAGES, progress=_pages(progress))
        finally:
            into.close()
            from_file.close()
        backend = "sqlite"
    else:
        if source.read_bytes()[:5] != b"PGDMP":
            raise InvalidInput(code="backup.not_pg_dump", loc=("source",), source=str(source))
        dsn, env, _schema = _pg_target(url)
        args = [
            _tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={dsn}",
            str(source),
        ]
        _run(args, env)
        backend = "postgresql"
    return backend


def table_counts(url: str) -> dict[str, int]:
    """Rows per table: what a round trip must keep."""
    engine = create_engine(url)
    try:
        names = sorted(inspect(engine).get_table_names())
        with engine.connect() as conn:
            return {name: int(conn.execute(text(f'SELECT count(*) FROM "{name}"')).scalar() or 0) for name in names}
    finally:
        engine.dispose()


__all__ = ["BackupFailed", "BackupInfo", "backup", "restore", "table_counts", "has_data"]
