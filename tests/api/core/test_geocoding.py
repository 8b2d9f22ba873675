"""The geocoder behind one interface: PDOK's answer parsed, every failure falling back to the gazetteer
(approximate), the fake for tests, and the setting that picks one. No network: PDOK is a mock transport."""

from __future__ import annotations

import httpx
import pytest

from api.core import geocoding

MAASTRICHT = (50.8483, 5.6889)


def _pdok(handler) -> geocoding.PdokGeocoder:
    return geocoding.PdokGeocoder(client=httpx.Client(transport=httpx.MockTransport(handler)))


def test_pdok_answer_is_parsed_and_the_query_is_postcode_and_number():
    seen = {}

    def handler(request: httpx.Request) -> httpx.Response:
        seen.update(request.url.params)
        doc = {"centroide_ll": "POINT(5.69091 50.85134)", "weergavenaam": "Markt 1, 6211CK Maastricht"}
        return httpx.Response(200, json={"response": {"numFound": 1, "docs": [doc]}})

    found = _pdok(handler).lookup("6211 ck", "1", near=MAASTRICHT)
    assert found == geocoding.GeoResult(50.85134, 5.69091, False, "pdok", "Markt 1, 6211CK Maastricht")
    assert seen["q"] == "6211CK 1" and seen["fq"] == "type:adres"


@pytest.mark.parametrize(
    "handler",
    [
        lambda _request: httpx.Response(200, json={"response": {"numFound": 0, "docs": []}}),
        lambda _request: httpx.Response(503),
        lambda _request: httpx.Response(200, text="not json"),
        lambda _request: httpx.Response(200, json={"response": {"docs": [{"centroide_ll": "POINT(-70 40)"}]}}),
    ],
    ids=["no-match", "server-error", "not-json", "outside-nl"],
)
def test_pdok_failures_fall_back_to_the_municipality_centre(handler):
    found = _pdok(handler).lookup("6211CK", "1", near=MAASTRICHT)
    assert found is not None and found.approximate and found.source == "gazetteer"
    assert (found.lat, found.lon) == MAASTRICHT


def test_pdok_timeout_falls_back_to_the_town():
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectTimeout("slow", request=request)

    found = _pdok(handler).lookup("6411HV", "2", town="Heerlen", near=MAASTRICHT)
    assert found is not None and found.approximate and found.label == "Heerlen"
    assert abs(found.lat - 50.88) < 0.05


def test_gazetteer_without_town_or_centre_knows_nothing_and_fake_knows_its_table():
    assert geocoding.GazetteerGeocoder().lookup("6211CK", "1") is None
    fake = geocoding.FakeGeocoder({"1234AB": (52.0, 5.0, "Ergens")})
    assert fake.lookup("1234 ab", "5") == geocoding.GeoResult(52.0, 5.0, False, "fake", "Ergens 5")
    assert fake.lookup("9999ZZ", "5", near=MAASTRICHT).approximate


def test_the_setting_picks_the_geocoder_and_use_overrides_it():
    assert isinstance(geocoding.from_setting("pdok"), geocoding.PdokGeocoder)
    assert isinstance(geocoding.from_setting("gazetteer"), geocoding.GazetteerGeocoder)
    fake = geocoding.FakeGeocoder()
    with geocoding.use(fake):
        assert geocoding.current() is fake
    assert geocoding.current() is not fake
