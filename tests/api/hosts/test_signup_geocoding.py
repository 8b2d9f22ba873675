"""Host sign-up without a pin: the address is looked up (geocoder fake), else the town's centre, marked
approximate; a pin still wins."""

from __future__ import annotations

import pytest

from api.core import geocoding
from tests.api.hosts.test_signup_flow import _host, _sign_up

MARKT = geocoding.FakeGeocoder.KNOWN["6211CK"]


@pytest.fixture(autouse=True)
def fake_geocoder():
    with geocoding.use(geocoding.FakeGeocoder()) as fake:
        yield fake


def test_a_known_address_is_found_exactly(client, db, fake_geocoder):
    response = _sign_up(client, postcode="6211 CK", house_number="12")
    assert response.status_code == 303, response.text
    host = _host(db)
    assert (host.lat, host.lon) == MARKT[:2]
    assert host.location_approximate is False
    assert fake_geocoder.calls == [("6211 CK", "12")]


def test_an_unknown_address_is_the_towns_centre_and_approximate(client, db):
    assert _sign_up(client, postcode="6211 AB", house_number="12").status_code == 303
    host = _host(db)
    assert (host.lat, host.lon) == (50.84833, 5.68889)
    assert host.location_approximate is True


def test_a_pin_is_not_looked_up(client, db, fake_geocoder):
    assert _sign_up(client, postcode="6211 CK", house_number="12", lat="50.86", lon="5.70").status_code == 303
    host = _host(db)
    assert (host.lat, host.lon) == (50.86, 5.70) and host.location_approximate is False
    assert fake_geocoder.calls == []
