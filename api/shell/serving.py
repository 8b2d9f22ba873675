"""``onderdak serve``: uvicorn with N worker processes that share one session key and a connection budget.

Each worker is its own process with its own engine, so the connections to PostgreSQL add up: the budget
(``CONNECTION_BUDGET``, well below PostgreSQL's default ``max_connections`` of 100, leaving room for the CLI,
backups and a second instance during a deployment) is divided over the workers. A worker with more requests
than connections queues them at the pool, which on two cores is faster than more parallel queries.
"""

from __future__ import annotations

import os
import secrets

CONNECTION_BUDGET = 24  # connections of all workers together (pool + overflow)
MIN_POOL = 2


def pool_for_workers(workers: int, budget: int = CONNECTION_BUDGET) -> tuple[int, int]:
    """(pool_size, max_overflow) per worker: two thirds kept open, one third for peaks."""
    per_worker = max(MIN_POOL + 1, budget // max(1, workers))
    pool = max(MIN_POOL, (per_worker * 2) // 3)
    return pool, per_worker - pool


def worker_environment(workers: int, environ: dict[str, str]) -> dict[str, str]:
    """Variables to set before the workers start; what the operator set stays as it is.

    - the pool size and overflow per worker (:func:`pool_for_workers`);
    - outside production, one random session key for all workers: each process would otherwise draw its own
      (api.core.config) and a log-in on one worker would be unknown to the next (production requires
      ONDERDAK_SECRET_KEY anyway).
    """
    pool, overflow = pool_for_workers(workers)
    wanted = {"ONDERDAK_DB_POOL_SIZE": str(pool), "ONDERDAK_DB_MAX_OVERFLOW": str(overflow)}
    if environ.get("ONDERDAK_ENV") != "production":
        wanted["ONDERDAK_SECRET_KEY"] = secrets.token_urlsafe(32)
    return {k: v for k, v in wanted.items() if not environ.get(k)}


def serve(*, host: str, port: int, workers: int, reload: bool) -> None:
    import uvicorn

    os.environ.update(worker_environment(workers, dict(os.environ)))
    uvicorn.run(
        "api.shell.main:create_app",
        factory=True,
        host=host,
        port=port,
        reload=reload,
        workers=None if reload else workers,
        log_level="info",
        access_log=workers == 1,  # with several workers the access log costs more than it tells
    )
