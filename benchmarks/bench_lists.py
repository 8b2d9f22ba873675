"""Lists and the matching page at scale: statements, bytes and time per request at N times the demo.

Builds a database with ``N`` times the demo region (``load_demo(scale=N)``; SQLite in a temporary
directory unless ``--url`` names another, e.g. a PostgreSQL schema), runs the day's matching once,
then asks every list page and API list (a page of 50) ``--repeat`` times through the app in-process
(no network, no server: the time is the app's and the database's). Prints, per route, the SQL
statements of one request, the size of the answer and the median and worst time, and checks the
matching page against the 200 KiB goal of issue 17.

Run: ``python -m benchmarks bench_lists`` (options: ``--scale 10 --repeat 5 --url …``).
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("ONDERDAK_ENV", "test")
os.environ.setdefault("ONDERDAK_CLOCK_TODAY", "2026-11-27")

from sqlalchemy import event  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

DAY = os.environ["ONDERDAK_CLOCK_TODAY"]
PAGE_LIMIT = 200 * 1024
ROUTES = [
    ("crisis_team", f"/matching?date={DAY}"),
    ("crisis_team", "/huishoudens"),
    ("crisis_team", "/huishoudens?status=waiting&sort=-eviction_date"),
    ("crisis_team", "/huishoudens?q=hh-2026-01"),
    ("crisis_team", "/plaatsen"),
    ("crisis_team", "/plaatsingen"),
    ("crisis_team", "/opslag"),
    ("coordinator", "/gastgevers?status=all"),
    ("admin", "/admin/audit"),
    ("crisis_team", "/api/households?limit=50"),
    ("crisis_team", "/api/places?limit=50"),
    ("crisis_team", "/api/placements?limit=50"),
    ("coordinator", "/api/hosts?limit=50"),
    ("crisis_team", "/api/storage/lots?limit=50"),
    ("crisis_team", "/api/matching/runs/{run}/proposals?limit=50"),
    ("crisis_team", "/api/households/export.xlsx?status=waiting"),
]


def _database(scale: int, url: str | None, tmp: Path) -> str:
    from datetime import date

    from api.core.database import session_scope
    from api.shell import migrate
    from api.shell.demo_loader import load_demo

    target = url or f"sqlite:///{tmp / 'bench-lists.db'}"
    migrate.upgrade(target)
    with session_scope(target) as db:
        load_demo(db, today=date.fromisoformat(DAY), scale=scale)
    return target


def run(scale: int, repeat: int, url: str | None) -> None:
    from fastapi.testclient import TestClient

    from api.auth.dependencies import get_db
    from api.core.database import get_engine, session_scope
    from api.shell.main import create_app

    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        target = _database(scale, url, Path(tmp))
        print(f"scale {scale}: database built in {time.perf_counter() - started:.1f} s ({target.split(':')[0]})")
        app = create_app()

        def _db() -> Iterator[Session]:
            with session_scope(target) as session:
                yield session

        app.dependency_overrides[get_db] = _db
        statements: list[str] = []
        engine = get_engine(target)
        with TestClient(app) as client:
            headers = {}
            for role in ("crisis_team", "coordinator", "admin"):
                email = f"{role.replace('_', '-')}@maastricht.demo"
                token = client.post("/api/auth/token", json={"email": email, "password": "onderdak-demo"})
                headers[role] = {"Authorization": f"Bearer {token.json()['access_token']}"}
            t0 = time.perf_counter()
            made = client.post("/api/matching/runs", json={"date": DAY, "force": True}, headers=headers["crisis_team"])
            print(f"forced matching run: {time.perf_counter() - t0:.2f} s, {len(made.json()['proposals'])} proposals")
            run_id = made.json()["id"]

            def count(_c, _cur, statement, *_a) -> None:  # type: ignore[no-untyped-def]
                statements.append(statement)

            print("\n| route | statements | bytes | median ms | worst ms |\n|---|---:|---:|---:|---:|")
            matching_bytes = 0
            for role, path in ROUTES:
                target_path = path.format(run=run_id)
                client.get(target_path, headers=headers[role])  # warm
                times = []
                for i in range(repeat):
                    statements.clear()
                    if i == 0:
                        event.listen(engine, "before_cursor_execute", count)
                    t = time.perf_counter()
                    response = client.get(target_path, headers=headers[role])
                    times.append((time.perf_counter() - t) * 1000)
                    if i == 0:
                        event.remove(engine, "before_cursor_execute", count)
                        n_statements, n_bytes = len(statements), len(response.content)
                    assert response.status_code == 200, (target_path, response.status_code)
                if path.startswith("/matching"):
                    matching_bytes = n_bytes
                median, worst = statistics.median(times), max(times)
                print(f"| `{path}` | {n_statements} | {n_bytes:,} | {median:.0f} | {worst:.0f} |")
            verdict = "within" if matching_bytes <= PAGE_LIMIT else "OVER"
            print(f"\n/matching at scale {scale}: {matching_bytes / 1024:.0f} KiB ({verdict} the 200 KiB goal)")
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--url", default=None, help="a database URL (default: SQLite in a temporary directory)")
    args = parser.parse_args()
    run(args.scale, args.repeat, args.url)


if __name__ == "__main__":
    main()
