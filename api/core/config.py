"""Settings, read once from the environment (prefix ``ONDERDAK_``).

Secrets have no usable default in production: ``ONDERDAK_SECRET_KEY`` must be set
when ``ONDERDAK_ENV=production``; elsewhere a random per-process key is used so a
developer never ships a known key by accident.
"""

from __future__ import annotations

import secrets
from datetime import date
from functools import lru_cache
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from api.core.errors import ConfigurationError

SUPPORTED_URL_PREFIXES = ("sqlite://", "postgresql+psycopg://", "postgresql://")
MIN_SECRET_LENGTH = 32
# Placeholders from examples and tutorials: a key anyone can read signs anyone's session cookie.
KNOWN_DEFAULT_SECRETS = {"change-me", "changeme", "change_me", "secret", "secret-key", "your-secret-key", "onderdak"}


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ONDERDAK_", extra="ignore")

    env: Literal["development", "test", "production"] = "development"
    database_url: str = "sqlite:///./onderdak.db"
    # Connections each process keeps open to PostgreSQL (and how many more it may open at a peak);
    # ``onderdak serve --workers N`` divides a budget over the workers (api.shell.serving).
    db_pool_size: int = Field(default=5, ge=1, le=100)
    db_max_overflow: int = Field(default=10, ge=0, le=100)
    secret_key: str | None = Field(default=None, repr=False)
    demo_municipality: str = "GM0935"
    base_url: str = "http://127.0.0.1:8000"
    api_docs: bool | None = None  # None: on, except in production
    session_max_age_s: int = 8 * 3600  # absolute: a web session ends 8 hours after log-in
    session_idle_s: int = 2 * 3600  # idle: and 2 hours after its last request
    smtp_host: str | None = None
    smtp_port: int = 25
    mail_from: str = "onderdak@gemeente.example"
    # Offers (api/offers): hours a host has to answer the link, and how long before expiry a reminder goes out.
    offer_valid_hours: int = Field(default=48, ge=1, le=24 * 14)
    offer_reminder_hours: int = Field(default=12, ge=1, le=24 * 7)
    # Hosts reconfirm their availability every N weeks by a link (api/hosts/reconfirm); the link works this many
    # days, after which a host who did not answer is not proposed until they do.
    host_reconfirm_weeks: int = Field(default=8, ge=1, le=52)
    host_reconfirm_valid_days: int = Field(default=14, ge=1, le=60)
    # How the short text for a phone leaves the system: "log" (development: a log line without the number or
    # names; the text stays in the outbox mail) until an SMS gateway is chosen.
    sms_channel: Literal["log"] = "log"
    # Address lookup (api.core.geocoding): "pdok" asks PDOK Locatieserver (network), "gazetteer" uses the
    # bundled town list (approximate, no network: the default), "fake" a small table (tests).
    geocoder: Literal["pdok", "gazetteer", "fake"] = "gazetteer"
    # A demo, training or test installation may live on a chosen day (see api.core.clock); never in production.
    clock_today: date | None = None

    @field_validator("database_url")
    @classmethod
    def _known_driver(cls, value: str) -> str:
        if not value.startswith(SUPPORTED_URL_PREFIXES):
            raise ValueError(
                "ONDERDAK_DATABASE_URL must start with sqlite:// or postgresql+psycopg:// "
                f"(got {value.split(':', 1)[0]!r})"
            )
        if value.startswith("postgresql://"):
            value = "postgresql+psycopg://" + value.removeprefix("postgresql://")
        return value

    @field_validator("clock_today")
    @classmethod
    def _no_fake_day_in_production(cls, value: date | None, info) -> date | None:  # type: ignore[no-untyped-def]
        if value is not None and info.data.get("env") == "production":
            raise ValueError("a production installation runs on the real date")
        return value

    @property
    def effective_secret_key(self) -> str:
        if self.secret_key:
            return self.secret_key
        if self.env == "production":
            raise ConfigurationError("ONDERDAK_SECRET_KEY must be set when ONDERDAK_ENV=production")
        return _process_secret()

    @property
    def is_production(self) -> bool:
        return self.env == "production"

    @property
    def docs_enabled(self) -> bool:
        """API docs (/docs, /redoc, /openapi.json) are off in production unless ONDERDAK_API_DOCS=true."""
        return self.api_docs if self.api_docs is not None else not self.is_production

    def check_production_ready(self) -> None:
        """The app refuses to start in production with a weak secret or a base URL nobody chose."""
        if not self.is_production:
            return
        key = self.secret_key or ""
        if not key:
            raise ConfigurationError("ONDERDAK_SECRET_KEY must be set when ONDERDAK_ENV=production")
        if key.strip().lower() in KNOWN_DEFAULT_SECRETS or len(set(key)) < 8:
            raise ConfigurationError("ONDERDAK_SECRET_KEY is a placeholder; generate one (e.g. openssl rand -hex 32)")
        if len(key) < MIN_SECRET_LENGTH:
            raise ConfigurationError(f"ONDERDAK_SECRET_KEY must be at least {MIN_SECRET_LENGTH} characters long")
        if "base_url" not in self.model_fields_set:
            raise ConfigurationError(
                "ONDERDAK_BASE_URL must be set when ONDERDAK_ENV=production (links in e-mails and letters use it)"
            )


@lru_cache(maxsize=1)
def _process_secret() -> str:
    return secrets.token_urlsafe(32)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """One Settings object per process; a bad variable becomes a ConfigurationError."""
    from pydantic import ValidationError

    try:
        return Settings()
    except ValidationError as exc:
        first = exc.errors()[0]
        raise ConfigurationError(f"ONDERDAK_{str(first['loc'][0]).upper()}: {first['msg']}") from None
