"""The four-eyes page (/beheer/wijzigingen): a second administrator approves or refuses in the browser, the
requester cannot decide its own request (the service's Dutch error on the page), other roles get 403."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from api.admin.models import AdminChange
from api.auth import service as auth_service
from api.auth.models import UserAccount
from api.core.models import AuditEvent, Municipality

PAGE = "/beheer/wijzigingen"
HTML = {"accept": "text/html"}
PASSWORD = "lang-genoeg-wachtwoord"
NEW_ADMIN = "nieuwe-admin@maastricht.demo"


def _token(text: str) -> str:
    return text.split('name="csrf_token" value="')[1].split('"')[0]


def _log_in(client, email: str, password: str) -> str:
    """A fresh browser session; returns the CSRF token of the page (the session is new after log-in)."""
    client.cookies.clear()
    page = client.get("/login")
    done = client.post("/login", data={"email": email, "password": password, "csrf_token": _token(page.text)})
    assert done.status_code in (200, 303), done.text
    return _token(client.get(PAGE, headers=HTML).text)


@pytest.fixture
def pending_change(client, db, as_role) -> int:
    """The demo admin asks (through the API) for a new administrator; a second admin exists to decide it."""
    mid = db.scalar(select(Municipality.id).where(Municipality.code == "GM0935"))
    auth_service.create_user(db, municipality_id=mid, email="admin2@maastricht.demo", password=PASSWORD, role="admin")
    db.flush()
    asked = client.post(
        "/api/admin/accounts",
        json={"email": NEW_ADMIN, "role": "admin", "password": PASSWORD},
        headers=as_role("admin"),
    )
    assert asked.status_code == 202, asked.text
    return int(asked.json()["id"])


def test_the_requester_cannot_approve_and_sees_why_in_dutch(client, db, pending_change) -> None:
    token = _log_in(client, "admin@maastricht.demo", "onderdak-demo")
    page = client.get(PAGE, headers=HTML)
    assert page.status_code == 200 and f"Nieuwe beheerder: {NEW_ADMIN}" in page.text and "Uw eigen verzoek" in page.text
    own = client.post(f"{PAGE}/{pending_change}/goedkeuren", data={"csrf_token": token}, headers=HTML)
    assert own.status_code == 403
    assert "Een tweede beheerder moet uw eigen verzoek goedkeuren of weigeren." in own.text
    assert db.get(AdminChange, pending_change).status == "pending"
    assert db.scalar(select(UserAccount).where(UserAccount.email == NEW_ADMIN)) is None
    refused_by_self = client.post(f"{PAGE}/{pending_change}/weigeren", data={"csrf_token": token}, headers=HTML)
    assert refused_by_self.status_code == 403 and db.get(AdminChange, pending_change).status == "pending"


def test_a_second_admin_approves_in_the_page_and_the_account_exists(client, db, pending_change) -> None:
    token = _log_in(client, "admin2@maastricht.demo", PASSWORD)
    assert client.post(f"{PAGE}/{pending_change}/goedkeuren", headers=HTML).status_code == 403  # no CSRF token
    approved = client.post(
        f"{PAGE}/{pending_change}/goedkeuren", data={"csrf_token": token}, headers=HTML, follow_redirects=False
    )
    assert approved.status_code == 303 and approved.headers["location"] == f"{PAGE}?besloten=approved"
    assert "De wijziging is goedgekeurd en uitgevoerd." in client.get(approved.headers["location"], headers=HTML).text
    change = db.get(AdminChange, pending_change)
    admin2 = db.scalar(select(UserAccount).where(UserAccount.email == "admin2@maastricht.demo"))
    assert change.status == "approved" and change.decided_by == admin2.id
    created = db.scalar(select(UserAccount).where(UserAccount.email == NEW_ADMIN))
    assert created is not None and created.role == "admin"
    actions = db.scalars(
        select(AuditEvent.action).where(
            AuditEvent.object_type == "admin_change", AuditEvent.object_id == str(pending_change)
        )
    ).all()
    assert list(actions) == ["request", "approve"]
    again = client.post(f"{PAGE}/{pending_change}/weigeren", data={"csrf_token": token}, headers=HTML)
    assert again.status_code == 409 and "Over deze wijziging is al beslist" in again.text


def test_a_second_admin_refuses_and_nothing_changes(client, db, pending_change) -> None:
    token = _log_in(client, "admin2@maastricht.demo", PASSWORD)
    refused = client.post(
        f"{PAGE}/{pending_change}/weigeren", data={"csrf_token": token}, headers=HTML, follow_redirects=False
    )
    assert refused.status_code == 303 and db.get(AdminChange, pending_change).status == "refused"
    assert db.scalar(select(UserAccount).where(UserAccount.email == NEW_ADMIN)) is None
    assert "De wijziging is geweigerd." in client.get(refused.headers["location"], headers=HTML).text


@pytest.mark.parametrize("role", ["coordinator", "crisis_team", "case_worker", "host"])
def test_other_roles_get_403(client, as_role, pending_change, role) -> None:
    assert client.get(PAGE, headers={**as_role(role), **HTML}).status_code == 403
    assert client.post(f"{PAGE}/{pending_change}/goedkeuren", headers={**as_role(role), **HTML}).status_code == 403
