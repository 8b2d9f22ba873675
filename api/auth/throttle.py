"""Brake on password guessing: failed log-ins are counted per (client IP, e-mail) and per IP.

Why failures only: a team member who logs in twenty times a day must never be locked
out, while a script that tries passwords is stopped after a handful. Both the web form
and ``POST /api/auth/token`` use the same counters. In-process, like
:mod:`api.core.ratelimit` (its sliding window is reused), so the effective limit is
multiplied by the number of worker processes.
"""

from __future__ import annotations

import os

from fastapi import Request

from api.core.errors import RateLimited
from api.core.ratelimit import SlidingWindowLimiter, client_ip

WINDOW_S = 15 * 60
FAILURES_PER_ACCOUNT = 5  # per client IP and e-mail address in the window
FAILURES_PER_IP = 30  # any e-mail address, same client IP

# Off in the test suite (ONDERDAK_ENV=test): hundreds of tests log in from the same "testclient" address and
# some fail on purpose; the throttle's own tests switch it on (``throttle.ENABLED = True``).
ENABLED = os.environ.get("ONDERDAK_ENV") != "test"

per_account = SlidingWindowLimiter(FAILURES_PER_ACCOUNT, WINDOW_S)
per_ip = SlidingWindowLimiter(FAILURES_PER_IP, WINDOW_S)


def _keys(request: Request, email: str) -> tuple[str, str]:
    ip = client_ip(request)
    return f"{ip}|{email.strip().lower()}", ip


def check(request: Request, email: str) -> None:
    """Refuse (429) before the password is even looked at when the caller used up its failures."""
    if not ENABLED:
        return
    account_key, ip_key = _keys(request, email)
    wait = max(per_account.retry_after(account_key), per_ip.retry_after(ip_key))
    if wait > 0:
        seconds = int(wait) + 1
        raise RateLimited(code="auth.too_many_attempts", loc=("rate_limit", "login"), seconds=seconds)


def failed(request: Request, email: str) -> None:
    if not ENABLED:
        return
    account_key, ip_key = _keys(request, email)
    per_account.hit(account_key)
    per_ip.hit(ip_key)


def reset() -> None:
    """For tests: forget every counter."""
    per_account.reset()
    per_ip.reset()
