"""A host account hears only about its own guests: the households proposed to it or staying with it.

Another household of the same municipality answers 404 (as if it did not exist), and a guest's birth date
never reaches a host, not even inside an error message (the host sees ages in years).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from api.auth.models import UserAccount
from api.hosts.models import Host
from tests.api.rules import helpers
from tests.api.rules.helpers import DAY


def _demo_host(db) -> Host:  # type: ignore[no-untyped-def]
    host_id = db.scalar(select(UserAccount.host_id).where(UserAccount.email == "gastgever1@maastricht.demo"))
    return db.get(Host, host_id)


def _url(host: Host, household_id: int, day: date = DAY) -> str:
    return f"/api/rules/hosts/{host.id}/cost-sharing?household_id={household_id}&day={day.isoformat()}"


def test_a_host_gets_404_for_a_household_that_is_not_its_guest(client, db, as_role) -> None:
    host = _demo_host(db)
    stranger = helpers.household(db, ages=(30, 4), reference="HH-TEST-STRANGER")
    assert client.get(_url(host, stranger.id), headers=as_role("host")).status_code == 404
    # the team still calculates for any household of its municipality
    assert client.get(_url(host, stranger.id), headers=as_role("crisis_team")).status_code == 200


def test_a_host_sees_its_guest_with_ages_only(client, db, as_role) -> None:
    host = _demo_host(db)
    guest = helpers.household(db, ages=(30, 4), reference="HH-TEST-GUEST")
    helpers.host_placement(db, host, guest, start=DAY)
    answer = client.get(_url(host, guest.id), headers=as_role("host"))
    assert answer.status_code == 200, answer.text
    ages = sorted(v["age"] for v in answer.json()["verdicts"] if v["role"] != "host")
    assert ages == [4, 30]
    for member in guest.members:
        assert member.birth_date.isoformat() not in answer.text
    assert "birth" not in answer.text


def test_a_host_never_reads_a_guest_birth_date_in_an_error(client, db, as_role) -> None:
    host = _demo_host(db)
    guest = helpers.household(db, ages=(30, 4), reference="HH-TEST-GUEST")
    helpers.host_placement(db, host, guest, start=DAY)
    before_birth = date(DAY.year - 5, 6, 1)  # the four-year-old is not born yet
    answer = client.get(_url(host, guest.id, before_birth), headers=as_role("host"))
    assert answer.status_code == 422, answer.text
    for member in guest.members:
        assert member.birth_date.isoformat() not in answer.text
    team = client.get(_url(host, guest.id, before_birth), headers=as_role("crisis_team"))
    assert team.status_code == 422  # the team may see which date is wrong


def test_the_host_page_lists_only_households_proposed_to_it(client, db, as_role) -> None:
    host = _demo_host(db)
    stranger = helpers.household(db, ages=(30,), reference="HH-TEST-STRANGER")
    page = client.get(f"/regels/gastgevers/{host.id}", headers={**as_role("host"), "Accept": "text/html"})
    assert page.status_code == 200, page.text[:300]
    assert stranger.reference not in page.text
    team = client.get(f"/regels/gastgevers/{host.id}", headers={**as_role("crisis_team"), "Accept": "text/html"})
    assert team.status_code == 200 and stranger.reference in team.text
