"""From a Dutch address (postcode + house number) to coordinates, behind one interface.

Why: distances in the matching are only as good as the household's and the host's location. Intake used to
store the town centre; now a postcode and house number are looked up in PDOK Locatieserver, the government's
free geocoder (https://api.pdok.nl/bzk/locatieserver/search/v3_1/free). A machine without network (a demo,
a training laptop, CI) falls back to the bundled gazetteer (GeoNames, CC BY 4.0, seed_data/gazetteer): the
town's centre, or the municipality's when no town is known, and the result says it is **approximate**, so
the form can say "locatie bij benadering" and the team knows to correct it.

``ONDERDAK_GEOCODER`` picks the implementation: ``pdok`` (production), ``gazetteer`` (the default: no
network), ``fake`` (tests: a small table of postcodes). Tests may also install one with :func:`use`.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

import httpx

from api.core.config import get_settings
from seed_data.gazetteer import GazetteerPlace, load

log = logging.getLogger(__name__)

PDOK_URL = "https://api.pdok.nl/bzk/locatieserver/search/v3_1/free"
PDOK_TIMEOUT_S = 3.0  # a form waits for this at most; then the fallback answers
_POINT = re.compile(r"POINT\(\s*([-0-9.]+)\s+([-0-9.]+)\s*\)")
_POSTCODE = re.compile(r"^([1-9][0-9]{3})\s?([A-Za-z]{2})$")
# The bounds the database enforces on every stored location (ck_*_in_nl): the European Netherlands.
LAT_MIN, LAT_MAX, LON_MIN, LON_MAX = 50.7, 53.6, 3.3, 7.3


@dataclass(frozen=True)
class GeoResult:
    """A location found for an address; ``approximate`` when it is a town or municipality centre."""

    lat: float
    lon: float
    approximate: bool
    source: str  # "pdok", "gazetteer" or "fake"
    label: str | None = None  # e.g. PDOK's "Markt 1, 6211CK Maastricht"; never logged


class Geocoder(Protocol):
    """What the app asks of a geocoder: one lookup, never an exception for a missing address."""

    def lookup(
        self, postcode: str, house_number: str, *, town: str | None = None, near: tuple[float, float] | None = None
    ) -> GeoResult | None:
        """The location of the address; ``town`` and ``near`` (the municipality's centre) feed the fallback.

        None only when nothing at all is known (no address found, no town, no centre)."""
        ...


def compact_postcode(postcode: str) -> str | None:
    """``"6211 ab"`` → ``"6211AB"``; None when it is not a Dutch postcode."""
    match = _POSTCODE.match(postcode.strip())
    return f"{match.group(1)}{match.group(2).upper()}" if match else None


def _in_nl(lat: float, lon: float) -> bool:
    return LAT_MIN <= lat <= LAT_MAX and LON_MIN <= lon <= LON_MAX


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", name.lower())


class GazetteerGeocoder:
    """The fallback without network: the town's centre from the gazetteer, else the municipality's centre."""

    def __init__(self) -> None:
        self._towns: dict[str, GazetteerPlace] | None = None

    def _town(self, name: str) -> GazetteerPlace | None:
        if self._towns is None:
            towns: dict[str, GazetteerPlace] = {}
            for place in (*load("limburg"), *load("netherlands_15000")):
                key = _key(place.name)
                if key not in towns or place.population > towns[key].population:
                    towns[key] = place
            self._towns = towns
        return self._towns.get(_key(name))

    def lookup(
        self, postcode: str, house_number: str, *, town: str | None = None, near: tuple[float, float] | None = None
    ) -> GeoResult | None:
        del postcode, house_number  # the gazetteer knows towns, not addresses
        found = self._town(town) if town else None
        if found is not None:
            return GeoResult(round(found.lat, 5), round(found.lon, 5), True, "gazetteer", found.name)
        if near is not None:
            return GeoResult(round(near[0], 5), round(near[1], 5), True, "gazetteer", None)
        return None


class FakeGeocoder:
    """For tests and the browser walk: a few known postcodes (with any house number), else the fallback."""

    KNOWN: dict[str, tuple[float, float, str]] = {
        "6211CK": (50.85134, 5.69091, "Markt, 6211CK Maastricht"),
        "6221KV": (50.84620, 5.70490, "Wyck, 6221KV Maastricht"),
        "6411HV": (50.88784, 5.98151, "Bongerd, 6411HV Heerlen"),
        "1012JS": (52.37302, 4.89279, "Dam, 1012JS Amsterdam"),
    }

    def __init__(self, known: dict[str, tuple[float, float, str]] | None = None) -> None:
        self.known = dict(self.KNOWN if known is None else known)
        self.fallback = GazetteerGeocoder()
        self.calls: list[tuple[str, str]] = []

    def lookup(
        self, postcode: str, house_number: str, *, town: str | None = None, near: tuple[float, float] | None = None
    ) -> GeoResult | None:
        self.calls.append((postcode, house_number))
        key = compact_postcode(postcode)
        if key and key in self.known and house_number.strip():
            lat, lon, label = self.known[key]
            return GeoResult(lat, lon, False, "fake", f"{label} {house_number.strip()}")
        return self.fallback.lookup(postcode, house_number, town=town, near=near)


class PdokGeocoder:
    """PDOK Locatieserver (free, no key): the address's centroid; on a timeout or no answer, the gazetteer."""

    def __init__(self, *, url: str = PDOK_URL, timeout: float = PDOK_TIMEOUT_S, client: httpx.Client | None = None):
        self.url = url
        self.timeout = timeout
        self.client = client
        self.fallback = GazetteerGeocoder()

    def _ask(self, postcode: str, house_number: str) -> GeoResult | None:
        params = {"q": f"{postcode} {house_number}", "fq": "type:adres", "rows": "1", "fl": "centroide_ll weergavenaam"}
        try:
            if self.client is not None:
                response = self.client.get(self.url, params=params, timeout=self.timeout)
            else:
                response = httpx.get(self.url, params=params, timeout=self.timeout)
            response.raise_for_status()
            docs = response.json().get("response", {}).get("docs", [])
        except (httpx.HTTPError, ValueError) as exc:
            # No address in the log line: only that the lookup failed and why.
            log.warning("PDOK Locatieserver unavailable (%s); using the gazetteer", type(exc).__name__)
            return None
        if not docs:
            return None
        match = _POINT.match(str(docs[0].get("centroide_ll", "")))
        if not match:
            return None
        lon, lat = float(match.group(1)), float(match.group(2))
        if not _in_nl(lat, lon):
            return None
        return GeoResult(round(lat, 6), round(lon, 6), False, "pdok", docs[0].get("weergavenaam"))

    def lookup(
        self, postcode: str, house_number: str, *, town: str | None = None, near: tuple[float, float] | None = None
    ) -> GeoResult | None:
        compact = compact_postcode(postcode)
        found = self._ask(compact, house_number.strip()) if compact and house_number.strip() else None
        return found or self.fallback.lookup(postcode, house_number, town=town, near=near)


# Installed by tests with :func:`use`: process-wide, because a test client serves requests on another thread.
_installed: list[Geocoder] = []


@lru_cache(maxsize=4)
def from_setting(name: str) -> Geocoder:
    """The geocoder that ``ONDERDAK_GEOCODER`` names."""
    if name == "pdok":
        return PdokGeocoder()
    if name == "fake":
        return FakeGeocoder()
    return GazetteerGeocoder()


def current() -> Geocoder:
    """The geocoder in force: one installed with :func:`use`, else the configured one."""
    if _installed:
        return _installed[-1]
    return from_setting(get_settings().geocoder)


@contextmanager
def use(geocoder: Geocoder) -> Iterator[Geocoder]:
    """Install ``geocoder`` for the duration (tests)."""
    _installed.append(geocoder)
    try:
        yield geocoder
    finally:
        _installed.remove(geocoder)
