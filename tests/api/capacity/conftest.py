"""Apps on a committed database of the capacity tests' own, per backend: the plan runs on the worker
thread, which writes the job's row with sessions of its own.

The suite's usual ``client`` keeps each test in a transaction that is rolled back; a job started there is
never committed, so it is never run (it stays queued, which the stale-heartbeat tests use). Plans that
must finish need a database whose writes are committed, like production: ``worker_app`` builds an app on
it, and two of them stand for two worker processes of ``onderdak serve --workers 2``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.conftest import DEMO_DAY, drop_pg_schema, migrated_url, token_headers


@pytest.fixture(scope="session")
def committed_url(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from api.core.database import get_engine, session_scope
    from api.shell.demo_loader import load_demo

    url, schema = migrated_url(backend, tmp_path_factory.mktemp(f"capacity-{backend}"))
    with session_scope(url) as db:
        load_demo(db, today=DEMO_DAY)
    yield url
    get_engine(url).dispose()
    if schema:
        drop_pg_schema(schema)


def worker_app(url: str) -> FastAPI:
    """The app as one worker process serves it: every request its own committed session on ``url``."""
    from api.auth.dependencies import get_db
    from api.core.database import session_scope
    from api.shell.main import create_app

    application = create_app()

    def _db() -> Iterator[Session]:
        with session_scope(url) as session:
            yield session

    application.dependency_overrides[get_db] = _db
    return application


@pytest.fixture
def worker_client(committed_url: str) -> Iterator[TestClient]:
    with TestClient(worker_app(committed_url), raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture
def worker_as_role(worker_client: TestClient) -> Callable[..., dict[str, str]]:
    def headers(role: str, municipality: str = "maastricht") -> dict[str, str]:
        return token_headers(worker_client, f"{role.replace('_', '-')}@{municipality}.demo")

    return headers
