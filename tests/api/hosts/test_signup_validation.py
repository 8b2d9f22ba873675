"""Bad input on the public form comes back (422) with the message next to the field and the input kept;
abuse: CSRF, honeypot, rate limit, no enumeration."""

from __future__ import annotations

import html
import re

import pytest
from sqlalchemy import func, select

from api.hosts.models import Host
from tests.api.hosts.conftest import csrf_of, outbox_to, valid_form


def _post(client, **overrides):
    return client.post(
        "/aanmelden", data={**valid_form(**overrides), "csrf_token": csrf_of(client)}, follow_redirects=False
    )


def _error(page: str, field: str) -> str:
    match = re.search(rf'<p class="field-error" id="err-{field}">([^<]*)</p>', page)
    assert match, f"no error next to {field}"
    return html.unescape(match.group(1))


def _value(page: str, field: str) -> str:
    match = re.search(rf'id="{field}" name="{field}" type="[a-z]+" value="([^"]*)"', page)
    assert match, f"no input {field}"
    return html.unescape(match.group(1))


def _hosts(db) -> int:
    return db.scalar(select(func.count(Host.id)))


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"postcode": "B-6700"}, "postcode", "Nederlandse postcode"),
        ({"postcode": "52062"}, "postcode", "buiten Nederland"),
        ({"lat": "50.7706", "lon": "6.0186", "postcode": "6291 AA"}, None, None),  # Vaals, on the border: accepted
        ({"lat": "48.8566", "lon": "2.3522"}, "location", "buiten Nederland"),  # a pin in Paris
        ({"lat": "50.7753", "lon": "6.0839"}, "location", "buiten Nederland"),  # Aachen: in the bounds, not in NL
        ({"lat": "50.6326", "lon": "5.5797"}, "location", "buiten Nederland"),  # Liège
        ({"lat": "abc", "lon": "5.7"}, "location", "klopt niet"),
        ({"city": "Aachen"}, "city", "plaats in Nederland"),
        ({"room0_capacity": "0"}, "room0_capacity", "1 tot en met 12"),
        ({"room0_capacity": "50"}, "room0_capacity", "1 tot en met 12"),
        ({"room0_capacity": ""}, "room0_capacity", "aantal personen"),
        ({"available_from": "2026-12-10", "available_until": "2026-12-01"}, "available_until", "na de begindatum"),
        ({"available_from": "2020-01-01"}, "available_from", "verleden"),
        ({"busy_count": "1", "busy0_start": "2027-01-10", "busy0_end": "2027-01-01"}, "busy0_end", "na de begindatum"),
        ({"consent": None}, "consent", "toestemming"),
        ({"email": "not-an-address"}, "email", "e-mailadres"),
        ({"birth_date": "2015-01-01"}, "birth_date", "18 jaar"),
        ({"municipality": "GM9999"}, "municipality", "gemeente"),
        ({"landlord_type": "castle"}, "landlord_type", "eigenaar"),
        ({"on_benefit": None}, "on_benefit", "ja of nee"),
        ({"name": ""}, "name", "Vul dit veld in"),
        (
            {"member_count": "1", "member0_first_name": "Piet", "member0_birth_date": ""},
            "member0_birth_date",
            "geboorte",
        ),
    ],
)
def test_bad_input_is_refused_next_to_the_field_with_the_input_kept(client, db, overrides, field, message):
    before = _hosts(db)
    r = _post(client, **overrides)
    if field is None:
        assert r.status_code == 303
        return
    assert r.status_code == 422
    assert message in _error(r.text, field)
    assert 'id="error-summary"' in r.text
    if field != "location":  # the map's message is tied to it by aria-describedby instead
        assert 'aria-invalid="true"' in r.text
    assert _value(r.text, "email") == overrides.get("email", "anna.devries@example.org")
    if "room0_capacity" in overrides:
        assert _value(r.text, "room0_capacity") == overrides["room0_capacity"]
    assert _hosts(db) == before


@pytest.mark.usefixtures("db")
def test_errors_in_english_when_asked(client):
    token = csrf_of(client)
    r = client.post("/aanmelden?lang=en", data={**valid_form(room0_capacity="50"), "csrf_token": token})
    assert r.status_code == 422 and "A room is for 1 to 12 people." in r.text


@pytest.mark.usefixtures("db")
def test_adding_a_room_row_keeps_input_and_shows_no_errors(client):
    r = client.post("/aanmelden", data={**valid_form(action="add_room", name=""), "csrf_token": csrf_of(client)})
    assert r.status_code == 200
    assert 'name="room1_capacity"' in r.text and "field-error" not in r.text
    assert _value(r.text, "room0_capacity") == "2"


def test_without_csrf_token_nothing_is_stored(client, db):
    before = _hosts(db)
    r = client.post("/aanmelden", data=valid_form(), follow_redirects=False)
    assert r.status_code == 403 and _hosts(db) == before


def test_honeypot_gets_the_same_answer_and_stores_nothing(client, db):
    before = _hosts(db)
    r = _post(client, website="http://spam.example")
    assert r.status_code == 303 and r.headers["location"] == "/aanmelden/bedankt"
    assert _hosts(db) == before and outbox_to(db, "anna.devries@example.org") == []


def test_signing_up_twice_gives_the_same_answer_and_no_second_host(client, db):
    first = _post(client)
    second = _post(client, name="Someone Else", email="ANNA.DEVRIES@example.org")
    assert (first.status_code, first.headers["location"]) == (second.status_code, second.headers["location"])
    assert db.scalar(select(func.count(Host.id)).where(func.lower(Host.email) == "anna.devries@example.org")) == 1
    mails = outbox_to(db, "anna.devries@example.org")
    assert len(mails) == 2 and "/aanmelden/bevestigen/" in mails[1].body  # not confirmed yet: a fresh link


def test_an_existing_demo_hosts_address_is_not_revealed(client, db):
    r = _post(client, email="gastgever2@maastricht.demo")
    assert r.status_code == 303 and r.headers["location"] == "/aanmelden/bedankt"
    (message,) = outbox_to(db, "gastgever2@maastricht.demo")
    assert "al aangemeld" in message.body  # only the owner of the address learns it


@pytest.mark.usefixtures("db")
def test_rate_limit_answers_429(client):
    from api.hosts import pages

    token = csrf_of(client)
    statuses = [
        client.post("/aanmelden", data={**valid_form(action="add_room"), "csrf_token": token}).status_code
        for _ in range(pages.signup_limit.limiter.limit + 1)
    ]
    assert statuses[:-1] == [200] * pages.signup_limit.limiter.limit and statuses[-1] == 429


def test_benefit_preview_is_shown_before_submitting(client, db):
    before = _hosts(db)
    r = _post(client, on_benefit="yes")
    assert r.status_code == 200 and _hosts(db) == before  # not stored yet: first the preview
    assert "Wat betekent een logé voor uw bijstand?" in r.text and "70,00%" in r.text and "50,00%" in r.text
    assert "tijdelijk" in r.text and 'id="preview_seen" value="1"' in r.text
    r = _post(client, on_benefit="yes", preview_seen="1")
    assert r.status_code == 303 and _hosts(db) == before + 1


@pytest.mark.usefixtures("db")
def test_benefit_preview_fragment_for_the_script(client):
    token = csrf_of(client)
    r = client.post("/aanmelden/voorbeeld", data={**valid_form(on_benefit="yes"), "csrf_token": token})
    assert r.status_code == 200 and "kostendeler" in r.text and "<html" not in r.text
    # A student housemate with study finance does not count (art. 22a lid 2): still 1 → 2.
    r = client.post(
        "/aanmelden/voorbeeld",
        data={
            **valid_form(
                on_benefit="yes",
                member_count="1",
                member0_first_name="Tim",
                member0_birth_date="2004-02-01",
                member0_status="student_finance",
            ),
            "csrf_token": token,
        },
    )
    assert "1 → 2" in r.text
    r = client.post(
        "/aanmelden/voorbeeld",
        data={
            **valid_form(on_benefit="yes", member_count="1", member0_first_name="Jan", member0_birth_date="1970-02-01"),
            "csrf_token": token,
        },
    )
    assert "2 → 3" in r.text


@pytest.mark.usefixtures("db")
def test_the_form_states_the_retention_period_and_serves_leaflet_locally(client):
    page = client.get("/aanmelden")
    assert "Bewaartermijn" in page.text and " 12 " in page.text and " 14 " in page.text
    assert "/static/vendor/leaflet/leaflet.js" in page.text and "unpkg" not in page.text and "cdn" not in page.text
    assert client.get("/static/vendor/leaflet/leaflet.js").status_code == 200
    assert client.get("/static/vendor/leaflet/images/marker-icon.png").status_code == 200
    assert "<script>" not in page.text  # CSP script-src 'self': no inline scripts
    towns = client.get("/aanmelden/plaatsen.json").json()
    assert {"n": "Maastricht", "lat": 50.84833, "lon": 5.68889, "p": 122378} in towns


@pytest.mark.usefixtures("db")
def test_municipality_is_chosen_from_a_select_default_the_demo_one(client):
    page = client.get("/aanmelden").text
    assert re.search(r'<option value="GM0935" data-lat="[0-9.]+" data-lon="[0-9.]+" selected>Maastricht</option>', page)
    assert re.search(r'<option value="GM0917" data-lat="[0-9.]+" data-lon="[0-9.]+">Heerlen</option>', page)
    assert re.search(r'<option value="GM0917"[^>]* selected>', client.get("/aanmelden?gemeente=GM0917").text)


def test_bereken_without_javascript_shows_the_preview_and_no_errors(client, db):
    before = _hosts(db)
    token = csrf_of(client)
    r = client.post(
        "/aanmelden", data={**valid_form(on_benefit="yes", consent=None, action="preview"), "csrf_token": token}
    )
    assert r.status_code == 200 and "field-error" not in r.text and _hosts(db) == before
    assert "Wat betekent een logé voor uw bijstand?" in r.text and 'id="preview-button"' in r.text
