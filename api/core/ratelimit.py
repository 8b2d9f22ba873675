"""A small in-process sliding-window rate limiter, keyed by anything (usually the client IP).

Why in-process: Onderdak runs as one process per municipality; a public form needs a brake against
scripted sign-ups, not a distributed quota. Several worker processes each keep their own window, so the
effective limit is ``limit x workers``: put a proxy limit in front when running many workers.

Use as a FastAPI dependency::

    signup_limit = RateLimit("signup", limit=5, window_s=600)

    @router.post("/aanmelden", dependencies=[Depends(signup_limit)])

Too many requests raise :class:`api.core.errors.RateLimited` (HTTP 429).
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

from fastapi import Request

from api.core.errors import RateLimited


class SlidingWindowLimiter:
    """At most ``limit`` hits per key in any ``window_s`` seconds (timestamps kept per key)."""

    def __init__(self, limit: int, window_s: float, clock: Callable[[], float] = time.monotonic) -> None:
        if limit < 1 or window_s <= 0:
            raise ValueError("limit must be >= 1 and window_s > 0")
        self.limit, self.window_s, self.clock = limit, window_s, clock
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def hit(self, key: str) -> bool:
        """Count one request for ``key``; False when it is over the limit (then it is not counted)."""
        now = self.clock()
        with self._lock:
            hits = self._hits.setdefault(key, deque())
            while hits and hits[0] <= now - self.window_s:
                hits.popleft()
            if len(hits) >= self.limit:
                return False
            hits.append(now)
            if len(self._hits) > 10_000:
                self._forget_idle(now)
            return True

    def retry_after(self, key: str) -> float:
        """Seconds until ``key`` may hit again (0 when it may now)."""
        now = self.clock()
        with self._lock:
            hits = self._hits.get(key)
            if not hits or len(hits) < self.limit:
                return 0.0
            return max(0.0, hits[0] + self.window_s - now)

    def reset(self) -> None:
        with self._lock:
            self._hits.clear()

    def _forget_idle(self, now: float) -> None:
        for key in [k for k, v in self._hits.items() if not v or v[-1] <= now - self.window_s]:
            del self._hits[key]


def client_ip(request: Request) -> str:
    """The peer address. Behind a reverse proxy run uvicorn with --proxy-headers so this is the real client."""
    return request.client.host if request.client else "unknown"


class RateLimit:
    """A FastAPI dependency: ``Depends(RateLimit("name", limit=5, window_s=600))``; only unsafe methods count
    unless ``methods`` says otherwise."""

    def __init__(
        self,
        name: str,
        *,
        limit: int,
        window_s: float,
        key: Callable[[Request], str] = client_ip,
        methods: frozenset[str] = frozenset({"POST", "PUT", "PATCH", "DELETE"}),
    ) -> None:
        self.name, self.key, self.methods = name, key, methods
        self.limiter = SlidingWindowLimiter(limit, window_s)

    def __call__(self, request: Request) -> None:
        if request.method not in self.methods:
            return
        key = self.key(request)
        if not self.limiter.hit(key):
            wait = int(self.limiter.retry_after(key)) + 1
            raise RateLimited(code="rate.too_many_requests", loc=("rate_limit", self.name), seconds=wait)
