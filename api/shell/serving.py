"""``onderdak serve``: uvicorn with N worker processes that share one session key and a connection budget.

Each worker is its own process with its own engine, so the connections to PostgreSQL add up: the budget
(``CONNECTION_BUDGET``, well below PostgreSQL's default ``max_connections`` of 100, leaving room for the CLI,
backups and a second instance during a deployment) is divided over the workers. A worker with more requests
than connections queues them at the pool, which on two cores is faster than more parallel queries.
"""

from __future__ import annotations

import gc
import os
import secrets
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fastapi import FastAPI

CONNECTION_BUDGET = 24  # connections of all workers together (pool + overflow)
MIN_POOL = 2
# Young-generation threshold of the garbage collector in a served worker (CPython's default is 700): a page
# at scale allocates tens of thousands of short-lived objects, and every 700 of them started a collection.
GC_GEN0_THRESHOLD = 20_000


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


def create_served_app() -> FastAPI:
    """The app of one served worker, with the garbage collector set for a long-running server.

    Why: the app's own objects (modules, templates, catalogs, mappers: some 300,000 after start-up) were
    traversed by every full collection, which under load took 100–500 ms in the middle of a request. They
    live as long as the process, so they are moved out of the collector's sight (``gc.freeze``) once the app
    is built, and young collections run less often. Only ``onderdak serve`` does this; tests build apps as
    usual."""
    import maps.build  # noqa: F401 (folium and the solver load on first use otherwise; frozen with the rest)
    import matcher  # noqa: F401
    from api.shell.main import create_app

    app = create_app()
    gc.collect()
    gc.freeze()
    _, second, third = gc.get_threshold()
    gc.set_threshold(GC_GEN0_THRESHOLD, second, third)
    return app


def serve(*, host: str, port: int, workers: int, reload: bool) -> None:
    import uvicorn

    os.environ.update(worker_environment(workers, dict(os.environ)))
    uvicorn.run(
        "api.shell.serving:create_served_app",
        factory=True,
        host=host,
        port=port,
        reload=reload,
        workers=None if reload else workers,
        loop="uvloop",  # both pinned dependencies: a third less CPU per request than asyncio and h11
        http="httptools",
        log_level="info",
        access_log=workers == 1,  # with several workers the access log costs more than it tells
    )
