"""Audit trail: reads of household data and changes are recorded; the admin views and exports them."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import select

from api.core.models import AuditEvent
from api.households.models import Household


def _own_household(db, code="GM0935"):
    from api.core.models import Municipality

    mid = db.scalar(select(Municipality.id).where(Municipality.code == code))
    return db.scalar(select(Household).where(Household.municipality_id == mid).order_by(Household.id))


def test_reading_a_household_is_recorded_with_who_when_and_from_where(client, db, as_role):
    household = _own_household(db)
    headers = as_role("case_worker")
    assert client.get(f"/api/households/{household.id}", headers=headers).status_code == 200
    event = db.scalars(
        select(AuditEvent).where(AuditEvent.object_type == "household", AuditEvent.object_id == str(household.id))
    ).all()[-1]
    assert event.action == "read" and event.user_id is not None and event.at is not None
    assert event.remote_addr == "testclient"
    assert event.municipality_id == household.municipality_id


def test_listing_households_records_the_ids_seen(client, db, as_role):
    assert client.get("/api/households", headers=as_role("crisis_team")).status_code == 200
    event = db.scalars(select(AuditEvent).where(AuditEvent.object_type == "household").order_by(AuditEvent.id)).all()[
        -1
    ]
    assert event.action == "read" and len(event.detail["ids"]) > 10


def test_admin_sees_and_exports_own_trail_only(client, db, as_role):
    household = _own_household(db)
    client.get(f"/api/households/{household.id}", headers=as_role("case_worker"))
    client.get("/api/households", headers=as_role("case_worker", "heerlen"))
    admin = as_role("admin")
    page = client.get("/api/admin/audit", params={"object_type": "household"}, headers=admin)
    assert page.status_code == 200, page.text
    body = page.json()
    assert body["total"] >= 1
    assert all(item["object_type"] == "household" for item in body["items"])
    assert str(household.id) in {item["object_id"] for item in body["items"]}
    assert not any(item["user_email"] and "heerlen" in item["user_email"] for item in body["items"])

    as_csv = client.get("/api/admin/audit.csv", headers=admin)
    assert as_csv.status_code == 200 and as_csv.headers["content-type"].startswith("text/csv")
    assert "attachment" in as_csv.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(as_csv.text)))
    assert rows and {"at", "user_id", "action", "object_type", "object_id", "remote_addr"} <= set(rows[0])
    assert not any("heerlen" in (r["user_email"] or "") for r in rows)

    as_json = client.get("/api/admin/audit.json", headers=admin)
    assert as_json.status_code == 200 and as_json.json()["events"]
    exports = db.scalars(select(AuditEvent).where(AuditEvent.action == "export")).all()
    assert len(exports) >= 2  # the export itself is in the trail


def test_other_roles_cannot_see_the_trail(client, as_role):
    for role in ("coordinator", "crisis_team", "case_worker", "host"):
        assert client.get("/api/admin/audit", headers=as_role(role)).status_code == 403
    assert client.get("/api/admin/audit").status_code == 401


def test_audit_page_renders_for_the_admin(client, as_role):
    response = client.get("/admin/audit", headers={**as_role("admin"), "accept": "text/html"})
    assert response.status_code == 200 and "Audittrail" in response.text
    assert "<script>" not in response.text


def test_csv_export_defuses_formulas():
    from api.admin.service import _csv_cell

    assert _csv_cell("=HYPERLINK()") == "'=HYPERLINK()" and _csv_cell("read") == "read"


@pytest.mark.usefixtures("db")
def test_admin_manages_accounts_of_own_municipality(client, as_role):
    admin = as_role("admin")
    created = client.post(
        "/api/admin/accounts",
        json={"email": "nieuw@maastricht.demo", "role": "case_worker", "password": "lang-genoeg-wachtwoord"},
        headers=admin,
    )
    assert created.status_code == 201, created.text
    assert "password" not in created.text and "hash" not in created.text
    uid = created.json()["id"]
    token = client.post(
        "/api/auth/token", json={"email": "nieuw@maastricht.demo", "password": "lang-genoeg-wachtwoord"}
    )
    bearer = {"Authorization": f"Bearer {token.json()['access_token']}"}
    assert client.get("/api/households", headers=bearer).status_code == 200
    blocked = client.patch(f"/api/admin/accounts/{uid}", json={"active": False}, headers=admin)
    assert blocked.status_code == 200 and blocked.json()["active"] is False
    assert client.get("/api/households", headers=bearer).status_code == 401  # tokens revoked with the account
    heerlen_admin = as_role("admin", "heerlen")
    assert client.patch(f"/api/admin/accounts/{uid}", json={"active": True}, headers=heerlen_admin).status_code == 404
    me = next(
        a for a in client.get("/api/admin/accounts", headers=admin).json() if a["email"] == "admin@maastricht.demo"
    )
    assert client.patch(f"/api/admin/accounts/{me['id']}", json={"active": False}, headers=admin).status_code == 409
    host_role = client.post(
        "/api/admin/accounts",
        json={"email": "x@maastricht.demo", "role": "host", "password": "lang-genoeg-wachtwoord"},
        headers=admin,
    )
    assert host_role.status_code == 422


def test_personal_values_never_reach_the_trail(db):
    from api.core import audit

    event = audit.record(
        db, principal=None, action="update", object_type="household", object_id=1, detail={"email": "a@b.nl", "id": 1}
    )
    assert event.detail == {"id": 1, "redacted": ["email"]}


def test_admin_creates_an_account_in_the_page(client, db):
    from api.auth.models import UserAccount

    page = client.get("/login")
    token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    client.post("/login", data={"email": "admin@maastricht.demo", "password": "onderdak-demo", "csrf_token": token})
    html = {"accept": "text/html"}
    form_page = client.get("/admin/accounts", headers=html)  # the session (and its CSRF token) is new after log-in
    token = form_page.text.split('name="csrf_token" value="')[1].split('"')[0]
    bad = client.post(
        "/admin/accounts",
        data={"email": "kort@maastricht.demo", "role": "case_worker", "password": "kort", "csrf_token": token},
        headers=html,
    )
    assert bad.status_code == 422 and 'value="kort@maastricht.demo"' in bad.text and 'aria-invalid="true"' in bad.text
    good = client.post(
        "/admin/accounts",
        data={
            "email": "nieuw2@maastricht.demo",
            "role": "coordinator",
            "password": "lang-genoeg-1",
            "csrf_token": token,
        },
        headers=html,
        follow_redirects=False,
    )
    assert good.status_code == 303
    user = db.scalar(select(UserAccount).where(UserAccount.email == "nieuw2@maastricht.demo"))
    assert user is not None and user.role == "coordinator" and user.password_hash != "lang-genoeg-1"


def test_audit_filter_accepts_empty_form_fields_and_refuses_bad_dates(client, as_role):
    admin = {**as_role("admin"), "accept": "text/html"}
    empty = client.get("/admin/audit?since=&until=&action=login&object_type=&object_id=", headers=admin)
    assert empty.status_code == 200 and "Audittrail" in empty.text
    assert 'name="action" maxlength="32" value="login"' in empty.text  # the filter is kept, the page not an error
    bad = client.get("/api/admin/audit", params={"since": "2026-13-45"}, headers=as_role("admin"))
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["query", "since"]
    period = client.get(
        "/api/admin/audit", params={"since": "2026-01-01", "until": "2099-12-31"}, headers=as_role("admin")
    )
    assert period.status_code == 200
