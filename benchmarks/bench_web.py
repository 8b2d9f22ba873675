"""The web app under load: ten times the demo data on PostgreSQL, ``onderdak serve --workers 2``, 20 users.

What it does, end to end, with the project's own commands:

1. a fresh PostgreSQL schema (``bench_web_<random>``, dropped afterwards), ``onderdak db upgrade`` and
   ``onderdak demo-data --scale 10`` (timed: the load);
2. ``onderdak serve --workers 2`` on a free port (the demo day as the clock, like the tests);
3. a forced matching run through the API (``POST /api/matching/runs`` with ``force``) as the crisis team,
   timed end to end by the client (three times; the first also fills the matching page);
4. 20 users log in through the log-in form (the demo accounts of both municipalities, all roles) and walk
   their role's pages and API lists in a closed loop (no think time) for 40 seconds, with gzip;
5. prints p50/p95/p99 per route, the errors (any status other than 200, or a time-out), and the goal:
   every route p95 ≤ 300 ms, no errors, a forced run ≤ 2 s.

Opt-in, because it needs PostgreSQL and takes about two minutes: ``ONDERDAK_BENCH_WEB=1 make bench``
(or ``python -m benchmarks.bench_web --run --users 20 --seconds 40 --scale 10``). PostgreSQL is looked for at
``ONDERDAK_TEST_DATABASE_URL`` (default: the test server, 127.0.0.1:5432, database ``test``).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text

DEMO_DAY = "2026-11-27"
PASSWORD = "onderdak-demo"
PG_URL = os.environ.get("ONDERDAK_TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
GOAL_P95_MS = 300.0
GOAL_RUN_S = 2.0
RESULTS_LOCK = threading.Lock()

STAFF_PAGES = [
    "/",
    "/matching",
    "/kaart",
    "/kaart/document",
    "/gastgevers",
    "/opslag",
    "/rapportage",
    "/termijnen",
    "/huishoudens",
    "/huishoudens/{household}",  # a case file: one of the municipality's households, drawn per request
    "/plaatsen",
    "/plaatsen/bezetting",
    "/plaatsingen",
    "/aanbiedingen",
    "/zoeken?q=de",
]
STAFF_LISTS = [
    "/api/board",
    "/api/occupancy",
    "/api/stays/due",
    "/api/offers",
    "/api/search?q=de",
    "/api/rules/deadlines.ics",
    "/api/households",
    "/api/places",
    "/api/hosts",
    "/api/placements",
    "/api/storage/lots",
    "/api/storage/deadlines",
    "/api/matching/runs",
    "/api/matching/runs/latest",
    "/api/map/geojson",
    "/api/rules/deadlines",
    "/api/placements/report",
]
ADMIN_ROUTES = ["/admin/accounts", "/admin/audit", "/beheer/normen", "/api/admin/accounts", "/api/admin/audit"]
HOST_ROUTES = ["/gastgever", "/api/hosts/me"]
# 20 users over the demo accounts: most are the daily users (crisis team, coordinators, case workers).
ACCOUNTS = [
    "crisis-team@maastricht.demo",
    "coordinator@maastricht.demo",
    "case-worker@maastricht.demo",
    "crisis-team@heerlen.demo",
    "coordinator@heerlen.demo",
    "case-worker@heerlen.demo",
    "admin@maastricht.demo",
    "gastgever1@maastricht.demo",
    "admin@heerlen.demo",
]


def routes_for(email: str) -> list[str]:
    if email.startswith("gastgever"):
        return HOST_ROUTES
    if email.startswith("admin"):
        return ADMIN_ROUTES  # an administrator's start page is the accounts page ("/" redirects there)
    return STAFF_PAGES + STAFF_LISTS


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _schema_url(schema: str) -> str:
    sep = "&" if "?" in PG_URL else "?"
    return f"{PG_URL}{sep}options=-csearch_path%3D{schema}"


@contextmanager
def pg_schema() -> Iterator[str]:
    """A schema of its own on the PostgreSQL server, dropped afterwards: the URL whose search_path is it."""
    schema = f"bench_web_{secrets.token_hex(4)}"
    admin = create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield _schema_url(schema)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


def onderdak(*args: str, env: dict[str, str]) -> float:
    """Run an ``onderdak`` command; its wall time in seconds."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "api", *args], env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"onderdak {' '.join(args)} failed: {done.stderr.strip()[-2000:]}")
    return time.perf_counter() - start


@contextmanager
def served(env: dict[str, str], workers: int, log: Path) -> Iterator[str]:
    port = _free_port()
    with log.open("w") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "api", "serve", "--port", str(port), "--workers", str(workers)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"onderdak serve did not start (see {log})")
            time.sleep(0.3)
        yield base
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)


def web_login(http: httpx.Client, email: str) -> None:
    """Log in through the form, as a browser does (session cookie, CSRF token from the form)."""
    form = http.get("/login").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', form)
    if token is None:
        raise RuntimeError("no CSRF token on /login")
    answer = http.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": token[1]})
    if answer.status_code != 303:
        raise RuntimeError(f"log-in of {email} answered {answer.status_code}")


def forced_run(base: str, email: str = ACCOUNTS[0]) -> tuple[float, float | None, int]:
    """One forced matching run as a crisis team (Maastricht's by default): (seconds end to end, solve
    seconds, proposals)."""
    with httpx.Client(base_url=base, timeout=120) as http:
        token = http.post("/api/auth/token", json={"email": email, "password": PASSWORD}).json()["access_token"]
        start = time.perf_counter()
        answer = http.post("/api/matching/runs", json={"force": True}, headers={"Authorization": f"Bearer {token}"})
        seconds = time.perf_counter() - start
    answer.raise_for_status()
    body = answer.json()
    return seconds, body.get("solve_seconds"), len(body.get("proposals", []))


def walk(base: str, email: str, seconds: float, seed: int, out: dict[str, list[float]], errors: dict[str, int]) -> None:
    """One user: log in, then request the role's routes in a shuffled cycle until the time is up."""
    rng = random.Random(seed)
    routes = list(routes_for(email))
    with httpx.Client(base_url=base, timeout=30, headers={"Accept-Encoding": "gzip"}) as http:
        give_up = time.monotonic() + seconds
        while True:  # a log-in that times out under load is an error, and the user tries again
            try:
                web_login(http, email)
                break
            except (httpx.HTTPError, RuntimeError):
                with RESULTS_LOCK:
                    errors["log-in failed"] += 1
                if time.monotonic() >= give_up:
                    return
        allowed = []
        for route in routes:  # a route the role may not open (403) is not part of its walk
            try:
                if http.get(route).status_code != 403:
                    allowed.append(route)
            except httpx.HTTPError:
                allowed.append(route)  # slow, not forbidden: it stays in the walk
        routes = allowed
        households = _household_ids(http) if any("{household}" in r for r in routes) else []
        stop = time.monotonic() + seconds  # the measured walk starts after the log-in and the probe
        while time.monotonic() < stop:
            rng.shuffle(routes)
            for route in routes:
                if time.monotonic() >= stop:
                    break
                path = route.replace("{household}", str(rng.choice(households))) if households else route
                start = time.perf_counter()
                try:
                    status = http.get(path).status_code
                except httpx.HTTPError:
                    status = 0
                elapsed = (time.perf_counter() - start) * 1000
                with RESULTS_LOCK:
                    out[route].append(elapsed)
                    if status != 200:
                        errors[f"{route} {status or 'time-out'}"] += 1


def _household_ids(http: httpx.Client) -> list[int]:
    """Ids of the caller's municipality's households (the first 500), for the case-file route."""
    answer = http.get("/api/households", params={"limit": 500})
    return [row["id"] for row in answer.json()] if answer.status_code == 200 else []


def percentile(values: list[float], q: int) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def report(times: dict[str, list[float]], errors: dict[str, int], seconds: float) -> bool:
    print(f"{'route':<28}{'n':>6}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}")
    worst = 0.0
    for route in sorted(times, key=lambda r: -percentile(times[r], 95)):
        values = times[route]
        p95 = percentile(values, 95)
        worst = max(worst, p95)
        print(
            f"{route:<28}{len(values):>6}{percentile(values, 50):>9.0f}{p95:>9.0f}"
            f"{percentile(values, 99):>9.0f}{max(values):>9.0f}"
        )
    every = [v for values in times.values() for v in values]
    total = len(every)
    print(
        f"{'all routes':<28}{total:>6}{percentile(every, 50):>9.0f}{percentile(every, 95):>9.0f}"
        f"{percentile(every, 99):>9.0f}{max(every):>9.0f}   ({total / seconds:.1f} requests/s)"
    )
    print(f"errors: {sum(errors.values())}" + "".join(f"\n  {k}: {n}" for k, n in sorted(errors.items())))
    return worst <= GOAL_P95_MS and not errors


def main() -> None:
    parser = argparse.ArgumentParser(prog="benchmarks.bench_web", description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=40.0)
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--run", action="store_true", help="run without ONDERDAK_BENCH_WEB=1")
    args = parser.parse_args()
    if os.environ.get("ONDERDAK_BENCH_WEB") != "1" and not args.run:
        print("skipped: needs PostgreSQL and about two minutes; run with ONDERDAK_BENCH_WEB=1")
        return
    with pg_schema() as url, tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "ONDERDAK_DATABASE_URL": url,
            "ONDERDAK_CLOCK_TODAY": DEMO_DAY,
            "ONDERDAK_SECRET_KEY": secrets.token_urlsafe(32),
        }
        onderdak("db", "upgrade", env=env)
        load_s = onderdak("demo-data", "--scale", str(args.scale), "--today", DEMO_DAY, env=env)
        print(f"demo-data --scale {args.scale}: {load_s:.1f} s on PostgreSQL")
        with served(env, args.workers, Path(tmp) / "serve.log") as base:
            forced_run(base, "crisis-team@heerlen.demo")  # both municipalities have a run to show
            runs = [forced_run(base) for _ in range(3)]
            for n, (seconds, solve, proposals) in enumerate(runs, 1):
                print(f"forced run {n}: {seconds:.2f} s end to end (solve {solve} s), {proposals} proposals")
            times: dict[str, list[float]] = defaultdict(list)
            errors: dict[str, int] = defaultdict(int)
            users = [
                threading.Thread(target=walk, args=(base, ACCOUNTS[i % len(ACCOUNTS)], args.seconds, i, times, errors))
                for i in range(args.users)
            ]
            load_before = os.getloadavg()[0]
            for user in users:
                user.start()
            for user in users:
                user.join()
            print(
                f"\n{args.users} users, {args.seconds:.0f} s closed loop, {args.workers} workers, scale {args.scale}"
                f" (load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after; 2 cores shared):"
            )
            pages_ok = report(times, errors, args.seconds)
            try:
                after = forced_run(base)
                print(f"forced run after the load: {after[0]:.2f} s end to end (solve {after[1]} s)")
            except httpx.HTTPError as exc:
                print(f"forced run after the load: no answer ({type(exc).__name__})")
        run_ok = statistics.median(r[0] for r in runs) <= GOAL_RUN_S
        print(
            f"goal (every route p95 ≤ {GOAL_P95_MS:.0f} ms, no errors; forced run ≤ {GOAL_RUN_S:.0f} s): "
            f"pages {'met' if pages_ok else 'NOT met'}, run {'met' if run_ok else 'NOT met'}"
        )


if __name__ == "__main__":
    main()
