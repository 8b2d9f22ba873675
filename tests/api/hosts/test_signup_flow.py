"""The whole life of a sign-up through the web pages: sign up, confirm, vet, activate, set a password,
self-service, withdraw. Mail goes to the outbox (no SMTP host in tests)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from api.auth.models import UserAccount
from api.core.models import AuditEvent
from api.hosts.models import Host, HostInvite
from api.places.models import Place
from tests.api.hosts.conftest import csrf_of, link_path, outbox_to, valid_form
from tests.conftest import browser_login  # noqa: F401 - documents the browser counterpart

EMAIL = "anna.devries@example.org"


def _sign_up(client, **overrides):
    token = csrf_of(client)
    return client.post("/aanmelden", data={**valid_form(**overrides), "csrf_token": token}, follow_redirects=False)


def _login(client, email: str, password: str = "onderdak-demo") -> None:
    token = csrf_of(client)
    r = client.post("/login", data={"email": email, "password": password, "csrf_token": token}, follow_redirects=False)
    assert r.status_code == 303, r.text


def _host(db, email: str = EMAIL) -> Host:
    return db.scalar(select(Host).where(Host.email == email))


def test_signup_stores_unconfirmed_host_with_pending_rooms_and_a_hashed_token(client, db):
    r = _sign_up(
        client,
        room_count="2",
        room1_capacity="1",
        room1_pets="1",
        busy_count="1",
        busy0_start="2026-12-20",
        busy0_end="2027-01-03",
    )
    assert r.status_code == 303 and r.headers["location"] == "/aanmelden/bedankt"
    host = _host(db)
    assert host.status == "unconfirmed" and host.consent_given_at is not None
    assert host.consent_retention_months == 12
    assert host.postcode == "6211 AB" and host.city == "Maastricht"
    assert (host.lat, host.lon) == (50.84833, 5.68889)  # no pin: the town's centre from the gazetteer
    rooms = db.scalars(select(Place).where(Place.host_id == host.id).order_by(Place.id)).all()
    assert [(p.capacity, p.allows_pets, p.status) for p in rooms] == [(2, False, "pending"), (1, True, "pending")]
    assert [(u.start_date.isoformat(), u.end_date.isoformat()) for u in rooms[0].unavailable] == [
        ("2026-12-20", "2027-01-03")
    ]
    assert host.members[0].first_name == "Anna"
    (message,) = outbox_to(db, EMAIL)
    token = link_path(message.body, "/aanmelden/bevestigen/").rsplit("/", 1)[1]
    assert token not in (host.confirmation_token_hash or "") and len(host.confirmation_token_hash) == 64
    assert message.sent_at is None  # outbox only in tests
    assert db.scalar(select(AuditEvent).where(AuditEvent.object_type == "host", AuditEvent.object_id == str(host.id)))


def test_pin_sets_the_location(client, db):
    assert _sign_up(client, lat="50.85123", lon="5.69876").status_code == 303
    host = _host(db)
    assert (host.lat, host.lon) == (50.85123, 5.69876)


def test_full_life_confirm_vet_activate_account_self_service_withdraw(client, db):
    assert _sign_up(client).status_code == 303
    confirm = link_path(outbox_to(db, EMAIL)[0].body, "/aanmelden/bevestigen/")
    page = client.get(confirm)
    assert page.status_code == 200 and "Bevestigen" in page.text
    host = _host(db)
    assert host.status == "unconfirmed"  # opening the link alone (a mail scanner) confirms nothing
    r = client.post(confirm, data={"csrf_token": csrf_of(client)})
    assert r.status_code == 200 and "bevestigd" in r.text
    db.refresh(host)
    assert host.status == "pending" and host.confirmation_token_hash is None
    assert client.get(confirm).status_code == 404  # used

    _login(client, "coordinator@maastricht.demo")
    queue = client.get("/gastgevers")
    assert queue.status_code == 200 and host.reference in queue.text
    csrf = csrf_of(client)
    # Activation or vetting before the checklist is complete is refused, with the reason on the page.
    r = client.post(f"/gastgevers/{host.id}/status", data={"action": "vet", "csrf_token": csrf})
    assert r.status_code == 422 and "checklist" in r.text
    checklist = {
        "identity_seen": "1",
        "vog_seen": "1",
        "home_visit_done": "1",
        "benefit_checked": "1",
        "landlord_consent_date": "2026-11-20",
        "landlord_consent_by": "Servatius",
        "landlord_consent_document": "brief 2026-118",
        "csrf_token": csrf,
    }
    assert client.post(f"/gastgevers/{host.id}/checklist", data=checklist, follow_redirects=False).status_code == 303
    db.refresh(host)
    assert host.landlord_consent and host.landlord_consent_date.isoformat() == "2026-11-20"
    r = client.post(f"/gastgevers/{host.id}/status", data={"action": "vet", "csrf_token": csrf}, follow_redirects=False)
    assert r.status_code == 303
    r = client.post(
        f"/gastgevers/{host.id}/status", data={"action": "activate", "csrf_token": csrf}, follow_redirects=False
    )
    assert r.status_code == 303
    db.refresh(host)
    assert host.status == "active"
    assert {p.status for p in db.scalars(select(Place).where(Place.host_id == host.id))} == {"active"}
    user = db.scalar(select(UserAccount).where(UserAccount.host_id == host.id))
    assert user.role == "host" and user.email == EMAIL

    # The host sets a password through the mailed link (hashed, one-time) and lands on the own page.
    invite_mail = outbox_to(db, EMAIL)[-1]
    set_pw = link_path(invite_mail.body, "/gastgever/wachtwoord/")
    assert db.scalar(select(HostInvite).where(HostInvite.user_id == user.id)).token_hash != set_pw.rsplit("/", 1)[1]
    client.post("/logout", data={"csrf_token": csrf_of(client)})
    r = client.post(set_pw, data={"password": "kort", "repeat": "kort", "csrf_token": csrf_of(client)})
    assert r.status_code == 422 and "10" in r.text
    r = client.post(
        set_pw,
        data={"password": "een-goed-wachtwoord", "repeat": "een-goed-wachtwoord", "csrf_token": csrf_of(client)},
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"] == "/gastgever"
    assert client.get(set_pw).status_code == 404  # used once
    own = client.get("/gastgever")
    assert own.status_code == 200 and "Mijn kamers" in own.text
    csrf = csrf_of(client)
    paused = client.post("/gastgever/status", data={"action": "pause", "csrf_token": csrf})
    assert paused.status_code == 200 and "Uw kamers staan op pauze" in paused.text
    assert 'class="error"' not in paused.text
    db.refresh(host)
    assert host.status == "paused"
    assert {p.status for p in db.scalars(select(Place).where(Place.host_id == host.id))} == {"paused"}
    client.post("/gastgever/status", data={"action": "resume", "csrf_token": csrf})
    db.refresh(host)
    assert host.status == "active"
    room = db.scalar(select(Place).where(Place.host_id == host.id))
    r = client.post(
        f"/gastgever/kamers/{room.id}/beschikbaarheid",
        data={"available_from": "2026-12-10", "available_until": "2026-12-01", "csrf_token": csrf},
    )
    assert r.status_code == 422 and "na de begindatum" in r.text
    r = client.post(
        f"/gastgever/kamers/{room.id}/beschikbaarheid",
        data={"available_from": "2026-12-10", "available_until": "2027-03-01", "csrf_token": csrf},
        follow_redirects=False,
    )
    assert r.status_code == 303
    r = client.post(
        f"/gastgever/kamers/{room.id}/bezet",
        data={"start_date": "2027-01-01", "end_date": "2027-01-08", "csrf_token": csrf},
        follow_redirects=False,
    )
    assert r.status_code == 303
    db.refresh(room)
    assert room.available_until.isoformat() == "2027-03-01" and len(room.unavailable) == 1
    r = client.post("/gastgever/status", data={"action": "withdraw", "csrf_token": csrf})
    assert r.status_code == 422  # the confirmation box is required
    r = client.post("/gastgever/status", data={"action": "withdraw", "confirm_withdraw": "1", "csrf_token": csrf})
    assert r.status_code == 200 and "afgemeld" in r.text
    db.refresh(host)
    db.refresh(user)
    assert host.status == "withdrawn" and host.withdrawn_at is not None and not user.active
    assert {p.status for p in db.scalars(select(Place).where(Place.host_id == host.id))} == {"inactive"}
    assert client.get("/gastgever", headers={"accept": "text/html"}, follow_redirects=False).status_code == 303


def test_reject_needs_a_reason_and_closes_the_rooms(client, db):
    _sign_up(client)
    client.post(link_path(outbox_to(db, EMAIL)[0].body, "/aanmelden/bevestigen/"), data={"csrf_token": csrf_of(client)})
    host = _host(db)
    _login(client, "crisis-team@maastricht.demo")
    csrf = csrf_of(client)
    r = client.post(f"/gastgevers/{host.id}/status", data={"action": "reject", "reason": " ", "csrf_token": csrf})
    assert r.status_code == 422
    r = client.post(
        f"/gastgevers/{host.id}/status",
        data={"action": "reject", "reason": "Geen VOG", "csrf_token": csrf},
        follow_redirects=False,
    )
    assert r.status_code == 303
    db.refresh(host)
    assert host.status == "rejected" and host.rejection_reason == "Geen VOG"
    assert {p.status for p in db.scalars(select(Place).where(Place.host_id == host.id))} == {"inactive"}


def test_owner_occupier_needs_no_landlord_consent(client, db):
    _sign_up(client, landlord_type="owner")
    client.post(link_path(outbox_to(db, EMAIL)[0].body, "/aanmelden/bevestigen/"), data={"csrf_token": csrf_of(client)})
    host = _host(db)
    _login(client, "coordinator@maastricht.demo")
    csrf = csrf_of(client)
    client.post(
        f"/gastgevers/{host.id}/checklist",
        data={
            "identity_seen": "1",
            "vog_seen": "1",
            "home_visit_done": "1",
            "benefit_checked": "1",
            "csrf_token": csrf,
        },
    )
    for action in ("vet", "activate"):
        r = client.post(
            f"/gastgevers/{host.id}/status", data={"action": action, "csrf_token": csrf}, follow_redirects=False
        )
        assert r.status_code == 303, r.text
    db.refresh(host)
    assert host.status == "active" and not host.landlord_consent


@pytest.mark.usefixtures("db")
def test_vetting_pages_are_for_coordinators_and_crisis_team_only(client):
    for email in ("case-worker@maastricht.demo", "gastgever1@maastricht.demo"):
        _login(client, email)
        assert client.get("/gastgevers").status_code == 403
        client.post("/logout", data={"csrf_token": csrf_of(client)})


def test_another_municipalitys_host_is_not_found(client, db):
    heerlen_host = db.scalar(select(Host).where(Host.reference.like("GG-0917-%")))
    _login(client, "coordinator@maastricht.demo")
    assert client.get(f"/gastgevers/{heerlen_host.id}").status_code == 404


def test_a_host_sees_only_its_own_rooms(client, db):
    other_room = db.scalar(select(Place).where(Place.kind == "host_room", Place.reference == "KM-0935-010"))
    _login(client, "gastgever1@maastricht.demo")
    page = client.get("/gastgever")
    assert page.status_code == 200
    assert other_room.reference not in page.text
    r = client.post(
        f"/gastgever/kamers/{other_room.id}/bezet",
        data={"start_date": "2027-01-01", "end_date": "2027-01-08", "csrf_token": csrf_of(client)},
    )
    assert r.status_code == 404
    assert re.search(r"KM-0935-00\d", page.text)


def test_signing_up_again_before_confirming_mails_a_fresh_link_for_the_first_sign_up(client, db):
    _sign_up(client)
    first = link_path(outbox_to(db, EMAIL)[0].body, "/aanmelden/bevestigen/")
    r = _sign_up(client, name="Someone Else", room0_capacity="5")
    assert r.status_code == 303 and r.headers["location"] == "/aanmelden/bedankt"
    mails = outbox_to(db, EMAIL)
    assert len(mails) == 2
    second = link_path(mails[1].body, "/aanmelden/bevestigen/")
    assert client.get(first).status_code == 404  # replaced
    confirmed = client.post(second, data={"csrf_token": csrf_of(client)})
    assert confirmed.status_code == 200 and "Uw aanmelding is bevestigd" in confirmed.text
    host = _host(db)
    assert host.status == "pending" and host.name == "Anna de Vries"  # the second attempt's data is not used
    assert [p.capacity for p in db.scalars(select(Place).where(Place.host_id == host.id))] == [2]


def test_coordinator_sends_a_new_set_password_link(client, db):
    host = db.scalar(select(Host).where(Host.reference == "GG-0935-001"))  # active, account gastgever1
    _login(client, "coordinator@maastricht.demo")
    csrf = csrf_of(client)
    r = client.post(f"/gastgevers/{host.id}/uitnodiging", data={"csrf_token": csrf})
    assert r.status_code == 200 and "nieuwe link" in r.text
    first = link_path(outbox_to(db, host.email)[-1].body, "/gastgever/wachtwoord/")
    client.post(f"/gastgevers/{host.id}/uitnodiging", data={"csrf_token": csrf})
    second = link_path(outbox_to(db, host.email)[-1].body, "/gastgever/wachtwoord/")
    assert first != second
    assert client.get(first).status_code == 404 and client.get(second).status_code == 200
    pending = db.scalar(select(Host).where(Host.reference.like("GG-0935-%"), Host.status == "pending"))
    assert client.post(f"/gastgevers/{pending.id}/uitnodiging", data={"csrf_token": csrf}).status_code == 409
