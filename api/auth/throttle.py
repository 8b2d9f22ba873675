"""Brake on password guessing: failed log-ins are counted per (client IP, e-mail) and per IP.

Why failures only: a team member who logs in twenty times a day must never be locked
out, while a script that tries passwords is stopped after a handful. Both the web form
and ``POST /api/auth/token`` use the same counters.

The counters live in the database (``login_throttle``), so every worker process shares them. Each attempt
*reserves* a failure first with one atomic upsert (``INSERT ... ON CONFLICT DO UPDATE ... RETURNING``) and
a successful log-in gives it back: twenty simultaneous guesses cannot all slip in under the limit, because
each one sees the count the previous ones left (the row is locked until the request's transaction ends).
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta

from fastapi import Request
from sqlalchemy import Integer, bindparam, text
from sqlalchemy.orm import Session

from api.core import clock
from api.core.clock import AMSTERDAM
from api.core.database import UTCDateTime
from api.core.errors import RateLimited
from api.core.ratelimit import client_ip

WINDOW_S = 15 * 60
FAILURES_PER_ACCOUNT = 5  # per client IP and e-mail address in the window
FAILURES_PER_IP = 30  # any e-mail address, same client IP

# Off in the test suite (ONDERDAK_ENV=test): hundreds of tests log in from the same "testclient" address and
# some fail on purpose; the throttle's own tests switch it on (``throttle.ENABLED = True``).
ENABLED = os.environ.get("ONDERDAK_ENV") != "test"

_RESERVE_SQL = text(
    "INSERT INTO login_throttle (key, window_start, failures) VALUES (:key, :now, 1) "
    "ON CONFLICT (key) DO UPDATE SET "
    "failures = CASE WHEN login_throttle.window_start <= :expired THEN 1 ELSE login_throttle.failures + 1 END, "
    "window_start = CASE WHEN login_throttle.window_start <= :expired THEN :now ELSE login_throttle.window_start END "
    "RETURNING failures, window_start"
).bindparams(bindparam("now", type_=UTCDateTime()), bindparam("expired", type_=UTCDateTime()))
_RESERVE = _RESERVE_SQL.columns(failures=Integer(), window_start=UTCDateTime())
_GIVE_BACK = text("UPDATE login_throttle SET failures = failures - 1 WHERE key = :key AND failures > 0")


def _keys(request: Request, email: str) -> list[tuple[str, int]]:
    ip = client_ip(request)
    return [(f"account|{ip}|{email.strip().lower()}"[:320], FAILURES_PER_ACCOUNT), (f"address|{ip}", FAILURES_PER_IP)]


def check(request: Request, email: str, db: Session) -> None:
    """Reserve this attempt as a failure; refuse (429) before the password is looked at when over the limit.

    A successful log-in calls :func:`succeeded`, which gives the reservation back."""
    if not ENABLED:
        return
    now = clock.now()
    params = {"now": now, "expired": now - timedelta(seconds=WINDOW_S)}
    until: datetime | None = None
    for key, limit in _keys(request, email):
        failures, window_start = db.execute(_RESERVE, {"key": key, **params}).one()
        if failures > limit:
            end = window_start + timedelta(seconds=WINDOW_S)
            until = end if until is None else max(until, end)
    if until is not None:
        minutes = max(1, int((until - now).total_seconds() + 59) // 60)
        at = until.astimezone(AMSTERDAM).strftime("%H:%M")
        raise RateLimited(code="auth.too_many_attempts", loc=("rate_limit", "login"), at=at, minutes=minutes)


def succeeded(request: Request, email: str, db: Session) -> None:
    """A successful log-in never counts: the attempt reserved by :func:`check` is given back."""
    if not ENABLED:
        return
    for key, _ in _keys(request, email):
        db.execute(_GIVE_BACK, {"key": key})


def reset(db: Session | None = None) -> None:
    """For tests: forget every counter (of the given session's database)."""
    if db is not None:
        db.execute(text("DELETE FROM login_throttle"))
