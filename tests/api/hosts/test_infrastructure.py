"""The generic pieces the hosts domain brought: the sliding-window rate limiter, the mail outbox and its
senders, the gazetteer lookup, and expiring links."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from api.core import clock, mail
from api.core.models import OutboxMessage
from api.core.ratelimit import SlidingWindowLimiter
from api.hosts import geo, service
from api.hosts.models import Host
from tests.api.hosts.conftest import csrf_of, valid_form


def test_sliding_window_allows_the_limit_then_refuses_until_the_window_slides():
    now = [0.0]
    limiter = SlidingWindowLimiter(3, 60, clock=lambda: now[0])
    assert [limiter.hit("a") for _ in range(4)] == [True, True, True, False]
    assert limiter.hit("b")  # keys are separate
    assert limiter.retry_after("a") == pytest.approx(60)
    now[0] = 59.9
    assert not limiter.hit("a")
    now[0] = 60.1
    assert limiter.hit("a")


def test_limiter_rejects_nonsense_settings():
    with pytest.raises(ValueError):
        SlidingWindowLimiter(0, 10)


class _Recorder:
    def __init__(self, fail: bool = False):
        self.sent: list[str] = []
        self.fail = fail

    def send(self, message):
        if self.fail:
            raise OSError("relay down")
        self.sent.append(message.recipient)
        return True


def test_outbox_delivery_marks_sent_and_keeps_failures_pending(db):
    message = mail.queue(db, recipient="x@example.org", subject="s", body="b", municipality_id=None)
    assert mail.deliver_pending(db, sender=_Recorder(fail=True)) == 0 and message.sent_at is None
    recorder = _Recorder()
    assert mail.deliver_pending(db, sender=recorder) >= 1 and "x@example.org" in recorder.sent
    assert message.sent_at is not None
    assert mail.deliver_pending(db, sender=recorder) == 0  # never twice


def test_outbox_only_sender_keeps_messages_and_smtp_is_chosen_by_setting(db):
    from api.core.config import Settings

    assert isinstance(mail.sender_from_settings(Settings(smtp_host=None)), mail.OutboxOnlySender)
    smtp = mail.sender_from_settings(Settings(smtp_host="relay.example", smtp_port=2525))
    assert isinstance(smtp, mail.SmtpSender) and (smtp.host, smtp.port) == ("relay.example", 2525)
    message = mail.queue(db, recipient="y@example.org", subject="s", body="b", municipality_id=None)
    mail.deliver_pending(db, sender=mail.OutboxOnlySender())
    assert message.sent_at is None


def test_purge_sent_removes_old_delivered_messages(db):
    message = mail.queue(db, recipient="z@example.org", subject="s", body="b", municipality_id=None)
    message.sent_at = clock.now() - timedelta(days=30)
    db.flush()
    assert mail.purge_sent(db) >= 1
    assert db.get(OutboxMessage, message.id) is None


def test_gazetteer_and_postcodes():
    assert geo.find_town("MAASTRICHT").name == "Maastricht"
    assert geo.find_town("s-hertogenbosch").name == "'s-Hertogenbosch"
    assert geo.find_town("Aachen") is None
    assert geo.normalise_postcode("6211ab") == "6211 AB"
    assert geo.normalise_postcode("6211 SA") is None  # never issued
    assert geo.normalise_postcode("0123 AB") is None
    assert not geo.in_netherlands(48.85, 2.35)
    assert not geo.in_netherlands(50.7753, 6.0839)  # Aachen lies inside the bounding box, outside the outline
    assert geo.in_netherlands(50.8657, 6.0625)  # Kerkrade, on the border
    assert geo.in_netherlands(53.39, 5.3)  # Terschelling
    assert all(geo.in_netherlands(t.lat, t.lon) for t in geo.towns())


def test_expired_confirmation_link_does_not_confirm(client, db):
    import re

    client.post("/aanmelden", data={**valid_form(), "csrf_token": csrf_of(client)})
    host = db.scalar(select(Host).where(Host.email == "anna.devries@example.org"))
    body = db.scalar(select(OutboxMessage).where(OutboxMessage.recipient == host.email)).body
    path = re.search(r"https?://[^/\s]+(/aanmelden/bevestigen/\S+)", body).group(1)
    host.created_at = clock.now() - timedelta(days=8)
    db.flush()
    assert client.get(path).status_code == 404
    assert client.post(path, data={"csrf_token": csrf_of(client)}).status_code == 404
    db.refresh(host)
    assert host.status == "unconfirmed"


def test_cli_mail_send_and_outbox(demo_url):
    import os
    import subprocess
    import sys

    env = {**os.environ, "ONDERDAK_DATABASE_URL": demo_url, "ONDERDAK_ENV": "test"}
    env.pop("ONDERDAK_SMTP_HOST", None)
    run = subprocess.run([sys.executable, "-m", "api", "mail", "send"], env=env, capture_output=True, text=True)
    assert run.returncode == 0 and run.stdout.startswith("sent=0 ")  # outbox-only: nothing leaves the machine
    run = subprocess.run(
        [sys.executable, "-m", "api", "mail", "outbox", "--to", "nobody@example.org"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0 and run.stdout == ""
    env["ONDERDAK_ENV"], env["ONDERDAK_SECRET_KEY"] = "production", "x" * 40
    env.pop("ONDERDAK_CLOCK_TODAY")  # production runs on the real date
    run = subprocess.run([sys.executable, "-m", "api", "mail", "outbox"], env=env, capture_output=True, text=True)
    assert run.returncode == 2 and "not shown in production" in run.stderr


def _signup_data(**overrides):
    from datetime import date

    from api.hosts import forms

    raw = valid_form(**overrides)
    parsed = forms.parse_signup(raw, today=date(2026, 11, 27), municipality_codes={"GM0935", "GM0917"})
    assert parsed.ok, parsed.errors
    return parsed.data


def test_a_sign_up_racing_another_with_the_same_address_answers_as_a_repeat(db, monkeypatch):
    from datetime import date

    from sqlalchemy import func

    service.signup(db, data=_signup_data(), today=date(2026, 11, 27))
    real = service._live_host_with_email
    calls = []

    def first_misses(*args):  # the first check runs before the other request committed
        calls.append(1)
        return None if len(calls) == 1 else real(*args)

    monkeypatch.setattr(service, "_live_host_with_email", first_misses)
    service.signup(db, data=_signup_data(), today=date(2026, 11, 27))  # no IntegrityError escapes
    count = db.scalar(select(func.count(Host.id)).where(Host.email == "anna.devries@example.org"))
    assert count == 1 and len(calls) == 2


def test_a_reference_taken_meanwhile_takes_the_next_number(db, monkeypatch):
    from datetime import date

    taken = db.scalar(select(Host.reference).where(Host.reference.like("GG-0935-%")).order_by(Host.reference))
    real = service._next_host_reference
    calls = []

    def stale_first(*args):
        calls.append(1)
        return taken if len(calls) == 1 else real(*args)

    monkeypatch.setattr(service, "_next_host_reference", stale_first)
    service.signup(db, data=_signup_data(), today=date(2026, 11, 27))
    host = db.scalar(select(Host).where(Host.email == "anna.devries@example.org"))
    assert host.reference != taken and host.reference.startswith("GG-0935-") and len(host.members) == 1
