"""Helpers for the hosts tests: a valid sign-up form, the outbox, and fresh rate limiters per test."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from api.core.models import OutboxMessage
from tests.conftest import DEMO_DAY


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    from api.hosts import pages

    for limit in (pages.signup_limit, pages.preview_limit, pages.confirm_limit):
        limit.limiter.reset()
    yield


def csrf_of(client) -> str:
    page = client.get("/aanmelden")
    return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)


def valid_form(**overrides) -> dict[str, str]:
    form = {
        "municipality": "GM0935",
        "name": "Anna de Vries",
        "email": "anna.devries@example.org",
        "phone": "06 12345678",
        "birth_date": "1975-04-02",
        "postcode": "6211 AB",
        "house_number": "12",
        "street": "Grote Staat",
        "city": "Maastricht",
        "lat": "",
        "lon": "",
        "room_count": "1",
        "room0_capacity": "2",
        "room0_children": "1",
        "available_from": (DEMO_DAY + timedelta(days=3)).isoformat(),
        "available_until": "",
        "busy_count": "0",
        "member_count": "0",
        "on_benefit": "no",
        "landlord_type": "corporation",
        "consent": "1",
        "action": "submit",
    }
    form.update(overrides)
    return {k: v for k, v in form.items() if v is not None}


def outbox_to(db, email: str) -> list[OutboxMessage]:
    return list(db.scalars(select(OutboxMessage).where(OutboxMessage.recipient == email).order_by(OutboxMessage.id)))


def link_path(body: str, prefix: str) -> str:
    return re.search(rf"https?://[^/\s]+({re.escape(prefix)}[A-Za-z0-9_-]+)", body).group(1)
