"""Shared helpers of the security tests (fuzzing, concurrency, faults)."""

from __future__ import annotations


def reset_rate_limits() -> None:
    """Log-in throttling and the public forms' limits are in-process: tests must not leave them tripped."""
    from api.auth import throttle

    throttle.reset()
    try:
        from api.shell.main import create_app
        from tests.api.security.test_access_matrix import rate_limiters

        for limiter in _limiters(create_app, rate_limiters):
            limiter.reset()
    except ImportError:  # pragma: no cover
        pass


_CACHE: list = []


def _limiters(create_app, rate_limiters) -> list:  # type: ignore[no-untyped-def]
    if not _CACHE:
        _CACHE.extend(rate_limiters(create_app()))
    return _CACHE
