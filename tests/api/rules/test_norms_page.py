"""The norms page: an administrator lists the half-years and adds the next one (CSRF, Dutch errors at the field)."""

from __future__ import annotations

from sqlalchemy import select

from api.core.models import AuditEvent, PolicyParameter

PAGE = "/beheer/normen"
HTML = {"accept": "text/html"}


def _token(text: str) -> str:
    return text.split('name="csrf_token" value="')[1].split('"')[0]


def _log_in_as_admin(client) -> str:
    page = client.get("/login")
    client.post(
        "/login", data={"email": "admin@maastricht.demo", "password": "onderdak-demo", "csrf_token": _token(page.text)}
    )
    return _token(client.get(PAGE, headers=HTML).text)  # the session (and its CSRF token) is new after log-in


def test_admin_adds_a_half_year_in_the_page_and_sees_it_listed(client, db) -> None:
    token = _log_in_as_admin(client)
    listed = client.get(PAGE, headers=HTML)
    assert listed.status_code == 200 and "2026-01-01" in listed.text and "2002,13" in listed.text
    form = {
        "valid_from": "2026-07-01",
        "single": "1420,00",
        "couple": "2.028,57",
        "source": "Normenbrief SZW 1 juli 2026",
        "csrf_token": token,
    }
    added = client.post(PAGE, data=form, headers=HTML, follow_redirects=False)
    assert added.status_code == 303 and added.headers["location"] == "/beheer/normen?toegevoegd=2026-07-01"
    page = client.get(added.headers["location"], headers=HTML)
    assert "De normen vanaf 2026-07-01 zijn toegevoegd." in page.text
    assert "2026-07-01" in page.text and "€\xa02.028,57" in page.text and "Normenbrief SZW 1 juli 2026" in page.text
    row = db.scalar(select(PolicyParameter).where(PolicyParameter.key == "benefit_norms"))
    assert row.value_json == {"single": "1420.00", "couple": "2028.57"}
    assert db.scalar(select(AuditEvent).where(AuditEvent.object_type == "policy_parameter")) is not None
    again = client.post(PAGE, data=form, headers=HTML)
    assert again.status_code == 422 and "zijn al ingevoerd" in again.text and 'id="valid_from-error"' in again.text


def test_a_bad_amount_or_day_gets_a_dutch_error_at_its_field(client, db) -> None:
    token = _log_in_as_admin(client)
    form = {
        "valid_from": "2026-07-01",
        "single": "veel",
        "couple": "2028.57",
        "source": "Normenbrief",
        "csrf_token": token,
    }
    bad = client.post(PAGE, data=form, headers=HTML)
    assert bad.status_code == 422
    assert '<p class="field-error" id="single-error">Norm alleenstaande: vul een getal in.</p>' in bad.text
    assert 'aria-invalid="true" aria-describedby="single-error"' in bad.text and 'value="veel"' in bad.text
    assert 'id="couple-error"' not in bad.text
    wrong_day = client.post(PAGE, data={**form, "single": "1420.00", "valid_from": "2026-08-01"}, headers=HTML)
    assert wrong_day.status_code == 422 and "alleen op 1 januari en 1 juli" in wrong_day.text
    assert db.scalar(select(PolicyParameter).where(PolicyParameter.key == "benefit_norms")) is None


def test_the_page_needs_the_csrf_token_and_the_admin_role(client, as_role) -> None:
    token = _log_in_as_admin(client)
    form = {"valid_from": "2026-07-01", "single": "1420.00", "couple": "2028.57", "source": "Normenbrief"}
    assert client.post(PAGE, data=form, headers=HTML).status_code == 403  # no token
    assert (
        client.post(PAGE, data={**form, "csrf_token": token}, headers=HTML, follow_redirects=False).status_code == 303
    )
    assert client.get(PAGE, headers={**as_role("crisis_team"), **HTML}).status_code == 403
