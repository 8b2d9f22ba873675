"""Four eyes for administrators: a new admin and a role change wait for a second admin of the same municipality."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from api.admin.models import AdminChange
from api.auth import service as auth_service
from api.auth.models import UserAccount
from api.core.models import AuditEvent, Municipality
from tests.conftest import token_headers

PASSWORD = "lang-genoeg-wachtwoord"


@pytest.fixture
def second_admin(client, db):
    """A second administrator of Maastricht, made directly in the database (as the demo loader does)."""
    mid = db.scalar(select(Municipality.id).where(Municipality.code == "GM0935"))
    auth_service.create_user(db, municipality_id=mid, email="admin2@maastricht.demo", password=PASSWORD, role="admin")
    db.flush()
    return token_headers(client, "admin2@maastricht.demo", PASSWORD)


def _request_admin(client, headers, email="nieuwe-admin@maastricht.demo"):
    return client.post(
        "/api/admin/accounts", json={"email": email, "role": "admin", "password": PASSWORD}, headers=headers
    )


def _trail(db, change_id):
    return [
        e.action
        for e in db.scalars(
            select(AuditEvent)
            .where(AuditEvent.object_type == "admin_change", AuditEvent.object_id == str(change_id))
            .order_by(AuditEvent.id)
        )
    ]


def test_a_new_admin_waits_for_a_second_admin_and_is_created_on_approval(client, db, as_role, second_admin):
    first = as_role("admin")
    pending = _request_admin(client, first)
    assert pending.status_code == 202, pending.text
    change = pending.json()
    assert change["status"] == "pending" and change["kind"] == "create_admin"
    assert PASSWORD not in pending.text and "password" not in change["payload"]
    assert db.scalar(select(UserAccount).where(UserAccount.email == "nieuwe-admin@maastricht.demo")) is None
    assert (
        client.post("/api/auth/token", json={"email": "nieuwe-admin@maastricht.demo", "password": PASSWORD}).status_code
        == 401
    )

    listed = client.get("/api/admin/changes", params={"status": "pending"}, headers=second_admin)
    assert [c["id"] for c in listed.json()] == [change["id"]]

    approved = client.post(f"/api/admin/changes/{change['id']}/approve", headers=second_admin)
    assert approved.status_code == 200, approved.text
    assert approved.json()["status"] == "approved" and approved.json()["decided_by"] is not None
    user = db.scalar(select(UserAccount).where(UserAccount.email == "nieuwe-admin@maastricht.demo"))
    assert user is not None and user.role == "admin"
    assert db.get(AdminChange, change["id"]).password_hash is None  # the hash is gone once decided
    token_headers(client, "nieuwe-admin@maastricht.demo", PASSWORD)  # the requested password works
    assert _trail(db, change["id"]) == ["request", "approve"]
    created = db.scalars(
        select(AuditEvent).where(AuditEvent.object_type == "user_account", AuditEvent.object_id == str(user.id))
    ).all()
    assert created[0].action == "create" and created[0].detail["change_id"] == change["id"]


def test_the_requester_cannot_approve_or_refuse_their_own_request(client, db, as_role):
    first = as_role("admin")
    change = _request_admin(client, first).json()
    own = client.post(f"/api/admin/changes/{change['id']}/approve", headers=first)
    assert own.status_code == 403 and own.json()["detail"][0]["code"] == "admin.change_own_request"
    assert client.post(f"/api/admin/changes/{change['id']}/refuse", headers=first).status_code == 403
    assert db.get(AdminChange, change["id"]).status == "pending"


def test_an_admin_of_another_municipality_cannot_see_or_decide(client, as_role):
    change = _request_admin(client, as_role("admin")).json()
    heerlen = as_role("admin", "heerlen")
    assert client.get("/api/admin/changes", headers=heerlen).json() == []
    missing = client.post(f"/api/admin/changes/{change['id']}/approve", headers=heerlen)
    assert missing.status_code == 404 and missing.json()["detail"][0]["code"] == "admin.change_not_found"


def test_a_refused_change_creates_nothing_and_cannot_be_decided_again(client, db, as_role, second_admin):
    change = _request_admin(client, as_role("admin")).json()
    refused = client.post(f"/api/admin/changes/{change['id']}/refuse", headers=second_admin)
    assert refused.status_code == 200 and refused.json()["status"] == "refused"
    assert db.scalar(select(UserAccount).where(UserAccount.email == "nieuwe-admin@maastricht.demo")) is None
    again = client.post(f"/api/admin/changes/{change['id']}/approve", headers=second_admin)
    assert again.status_code == 409 and again.json()["detail"][0]["code"] == "admin.change_decided"
    assert _trail(db, change["id"]) == ["request", "refuse"]


def test_a_second_request_for_the_same_address_is_refused(client, as_role):
    first = as_role("admin")
    assert _request_admin(client, first).status_code == 202
    twice = _request_admin(client, first)
    assert twice.status_code == 409 and twice.json()["detail"][0]["code"] == "admin.email_taken"


def test_a_role_change_waits_for_a_second_admin(client, db, as_role, second_admin):
    first = as_role("admin")
    worker = db.scalar(select(UserAccount).where(UserAccount.email == "case-worker@maastricht.demo"))
    pending = client.patch(f"/api/admin/accounts/{worker.id}", json={"role": "coordinator"}, headers=first)
    assert pending.status_code == 202, pending.text
    change = pending.json()
    assert change["payload"] == {"user_id": worker.id, "from_role": "case_worker", "role": "coordinator"}
    db.refresh(worker)
    assert worker.role == "case_worker"
    assert client.post(f"/api/admin/changes/{change['id']}/approve", headers=first).status_code == 403
    assert client.post(f"/api/admin/changes/{change['id']}/approve", headers=second_admin).status_code == 200
    db.refresh(worker)
    assert worker.role == "coordinator"
    assert _trail(db, change["id"]) == ["request", "approve"]


def test_blocking_stays_direct_and_non_admin_accounts_are_created_at_once(client, db, as_role):
    admin = as_role("admin")
    created = client.post(
        "/api/admin/accounts",
        json={"email": "direct@maastricht.demo", "role": "crisis_team", "password": PASSWORD},
        headers=admin,
    )
    assert created.status_code == 201
    blocked = client.patch(f"/api/admin/accounts/{created.json()['id']}", json={"active": False}, headers=admin)
    assert blocked.status_code == 200 and blocked.json()["active"] is False
    assert db.scalar(select(AdminChange.id)) is None


def test_an_admin_cannot_request_a_change_of_their_own_role(client, db, as_role):
    me = db.scalar(select(UserAccount).where(UserAccount.email == "admin@maastricht.demo"))
    own = client.patch(f"/api/admin/accounts/{me.id}", json={"role": "coordinator"}, headers=as_role("admin"))
    assert own.status_code == 409 and own.json()["detail"][0]["code"] == "admin.own_account"


def test_only_admins_see_the_pending_changes(client, as_role):
    assert client.get("/api/admin/changes", headers=as_role("coordinator")).status_code == 403
    assert client.get("/api/admin/changes").status_code == 401
