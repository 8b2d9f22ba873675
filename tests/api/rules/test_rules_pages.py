"""Pages of the rules domain: they render, show the rule's reasons, and forms keep input on errors."""

from __future__ import annotations

from datetime import date

from tests.api.rules import helpers
from tests.api.rules.helpers import DAY
from tests.conftest import DEMO_DAY

HTML = {"accept": "text/html"}


def test_deadlines_page(client, as_role) -> None:
    r = client.get(f"/termijnen?day={DEMO_DAY.isoformat()}", headers={**HTML, **as_role("crisis_team")})
    assert r.status_code == 200, r.text
    assert "Termijnen" in r.text and "HH-0935-P01" in r.text and "deadlines.ics" in r.text
    assert "te laat" in r.text  # the stay at day 57
    english = client.get(f"/termijnen?day={DEMO_DAY.isoformat()}&lang=en", headers={**HTML, **as_role("crisis_team")})
    assert "Upcoming deadlines" in english.text and "Maximum stay: escalate" in english.text


def test_deadlines_page_needs_a_login(client) -> None:
    r = client.get("/termijnen", headers=HTML, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login")


def test_host_page_shows_effects_and_details(client, db, as_role) -> None:
    host, hh = helpers.host(db), helpers.household(db, ages=(30,))
    headers = {**HTML, **as_role("coordinator")}
    r = client.get(f"/regels/gastgevers/{host.id}?day={DAY.isoformat()}&household_id={hh.id}", headers=headers)
    assert r.status_code == 200, r.text
    assert "HH-TEST-1" in r.text and "-€ 366,81" in r.text and "telt mee: 30 jaar" in r.text
    assert "Besluit vastleggen" in r.text
    assert "1 → 2" in r.text and "huurtoeslag" in r.text and "briefadres" in r.text and "art. 32 lid 1" in r.text


def test_host_page_after_the_last_half_year_says_which_norms(client, db, as_role) -> None:
    host, hh = helpers.host(db), helpers.household(db, ages=(30,))
    headers = {**HTML, **as_role("coordinator")}
    r = client.get(f"/regels/gastgevers/{host.id}?day=2026-08-01&household_id={hh.id}", headers=headers)
    assert r.status_code == 200, r.text
    assert "berekend met de normen van 1 januari 2026; de normen per 1 juli 2026 zijn nog niet ingevoerd" in r.text
    assert "-€ 400,43" in r.text


def test_consent_form_records_and_errors_keep_input(client, db, as_role) -> None:
    host = helpers.host(db, landlord="corporation")
    host.landlord_consent, host.landlord_consent_date = False, None
    db.flush()
    headers = {**HTML, **as_role("crisis_team")}
    url = f"/regels/gastgevers/{host.id}/toestemming"
    bad = {"given_on": "2999-01-01", "given_by": "Woonpunt, mevrouw K.", "document_reference": "WP-1"}
    r = client.post(url, data=bad, headers=headers, follow_redirects=False)
    assert r.status_code == 422
    assert 'value="Woonpunt, mevrouw K."' in r.text and "future" in r.text
    good = {**bad, "given_on": "2024-02-20"}
    r = client.post(url, data=good, headers=headers, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/regels/gastgevers/{host.id}"
    db.refresh(host)
    assert host.landlord_consent and host.landlord_consent_date == date(2024, 2, 20)


def test_exemption_form_validation(client, db, as_role) -> None:
    host = helpers.host(db)
    headers = {**HTML, **as_role("coordinator")}
    r = client.post(
        f"/regels/gastgevers/{host.id}/besluit",
        data={"granted": "true", "decided_on": "niet-een-datum", "reference": "B-1"},
        headers=headers,
        follow_redirects=False,
    )
    assert r.status_code == 422 and 'value="B-1"' in r.text
    r = client.post(
        f"/regels/gastgevers/{host.id}/besluit",
        data={"granted": "true", "decided_on": "2024-02-01", "reference": "B-1"},
        headers=headers,
        follow_redirects=False,
    )
    assert r.status_code == 303
    db.refresh(host)
    assert host.cost_sharing_exemption and host.exemption_reference == "B-1"


def test_forms_are_for_deciders_only(client, db, as_role) -> None:
    host = helpers.host(db)
    r = client.post(
        f"/regels/gastgevers/{host.id}/besluit",
        data={"granted": "true", "decided_on": "2024-02-01", "reference": "B-1"},
        headers=as_role("case_worker"),
    )
    assert r.status_code == 403


def test_agreement_page_asks_for_the_fee_then_renders(client, db, as_role) -> None:
    placement = helpers.host_placement(db, helpers.host(db), helpers.household(db))
    headers = {**HTML, **as_role("crisis_team")}
    r = client.get(f"/regels/plaatsingen/{placement.id}/logeerafspraak", headers=headers)
    assert r.status_code == 422 and 'name="fee"' in r.text
    r = client.get(f"/regels/plaatsingen/{placement.id}/logeerafspraak?fee=120", headers=headers)
    assert r.status_code == 200 and "Logeerafspraak" in r.text and "geen huurrechten" in r.text
    pdf = client.get(f"/regels/plaatsingen/{placement.id}/logeerafspraak.pdf?fee=120", headers=headers)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")


def test_priority_page(client, db, as_role) -> None:
    hh = helpers.household(db, ages=(40, 3))
    r = client.get(
        f"/regels/huishoudens/{hh.id}/prioriteit?day={DAY.isoformat()}", headers={**HTML, **as_role("case_worker")}
    )
    assert r.status_code == 200, r.text
    assert "Kinderen" in r.text and "1 minderjarige kinderen" in r.text and "Totaal" in r.text


def test_the_household_page_links_to_its_priority(client, db, as_role) -> None:
    hh = helpers.household(db)
    r = client.get(f"/huishoudens/{hh.id}", headers={**HTML, **as_role("crisis_team")})
    assert r.status_code == 200
    assert f'href="/regels/huishoudens/{hh.id}/prioriteit"' in r.text
