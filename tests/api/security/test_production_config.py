"""In production the app refuses to start with a missing, placeholder or short secret key or without an
explicitly set ONDERDAK_BASE_URL, and serves no API docs unless asked to."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.core.clock import FixedClock
from api.core.config import get_settings
from api.core.errors import ConfigurationError
from api.shell.main import create_app
from tests.conftest import DEMO_DAY

GOOD_KEY = "k3Y-" + "0123456789abcdef" * 3
BASE = "https://onderdak.gemeente.example"


@pytest.fixture
def production(monkeypatch):
    monkeypatch.setenv("ONDERDAK_ENV", "production")
    monkeypatch.delenv("ONDERDAK_CLOCK_TODAY", raising=False)
    monkeypatch.setenv("ONDERDAK_SECRET_KEY", GOOD_KEY)
    monkeypatch.setenv("ONDERDAK_BASE_URL", BASE)
    get_settings.cache_clear()
    yield monkeypatch
    get_settings.cache_clear()


@pytest.mark.parametrize(
    ("key", "why"),
    [
        (None, "must be set"),
        ("change-me", "placeholder"),
        ("x" * 40, "placeholder"),
        ("Sh0rt-but-varied-key!", "at least 32"),
    ],
)
def test_production_refuses_a_weak_secret(production, key, why):
    if key is None:
        production.delenv("ONDERDAK_SECRET_KEY")
    else:
        production.setenv("ONDERDAK_SECRET_KEY", key)
    get_settings.cache_clear()
    with pytest.raises(ConfigurationError, match=why):
        create_app(FixedClock.on(DEMO_DAY))


def test_production_refuses_a_base_url_nobody_set(production):
    production.delenv("ONDERDAK_BASE_URL")
    get_settings.cache_clear()
    with pytest.raises(ConfigurationError, match="ONDERDAK_BASE_URL"):
        create_app(FixedClock.on(DEMO_DAY))


def test_production_serves_no_api_docs_by_default(production):
    with TestClient(create_app(FixedClock.on(DEMO_DAY)), raise_server_exceptions=False) as client:
        for path in ("/docs", "/openapi.json", "/redoc"):
            assert client.get(path).status_code == 404, path
    production.setenv("ONDERDAK_API_DOCS", "true")
    get_settings.cache_clear()
    with TestClient(create_app(FixedClock.on(DEMO_DAY)), raise_server_exceptions=False) as client:
        assert client.get("/openapi.json").status_code == 200
