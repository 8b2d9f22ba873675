"""Where a host lives: Dutch postcodes, the Netherlands' bounds and the gazetteer of towns.

Why: the sign-up form accepts a pin on the map *or* postcode, house number and town (the keyboard
alternative). Without a pin, the location is the chosen town's centre from the gazetteer
(GeoNames, CC BY 4.0; seed_data/gazetteer): approximate on purpose, good enough for matching by
distance, and the coordinator corrects it at the home visit. Exact addresses are never shown on
maps to anyone but the crisis team (domain.md, "Law and privacy").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from seed_data.gazetteer import GazetteerPlace, load

# The bounds the database enforces on host and place (ck_host_in_nl): the European Netherlands.
LAT_MIN, LAT_MAX, LON_MIN, LON_MAX = 50.7, 53.6, 3.3, 7.3

# Dutch postcode: four digits (no leading zero) and two letters; SA, SD and SS are never issued.
_POSTCODE = re.compile(r"^([1-9][0-9]{3})\s?([A-Z]{2})$")
_NOT_ISSUED = {"SA", "SD", "SS"}


def normalise_postcode(raw: str) -> str | None:
    """``"6211ab"`` → ``"6211 AB"``; None when it is not a Dutch postcode."""
    match = _POSTCODE.match(raw.strip().upper())
    if not match or match.group(2) in _NOT_ISSUED:
        return None
    return f"{match.group(1)} {match.group(2)}"


def in_netherlands(lat: float, lon: float) -> bool:
    """Inside the bounds of the European Netherlands (the same check as the database)."""
    return LAT_MIN <= lat <= LAT_MAX and LON_MIN <= lon <= LON_MAX


@dataclass(frozen=True)
class Town:
    name: str
    lat: float
    lon: float
    population: int


def _key(name: str) -> str:
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "", text)


@lru_cache(maxsize=1)
def towns() -> tuple[Town, ...]:
    """Every town in the shipped gazetteer (Limburg 500+ and the Netherlands 15,000+), largest first per name."""
    best: dict[str, GazetteerPlace] = {}
    for place in (*load("limburg"), *load("netherlands_15000")):
        key = _key(place.name)
        if key not in best or place.population > best[key].population:
            best[key] = place
    ordered = sorted(best.values(), key=lambda p: p.name)
    return tuple(Town(p.name, p.lat, p.lon, p.population) for p in ordered)


@lru_cache(maxsize=1)
def _by_key() -> dict[str, Town]:
    return {_key(t.name): t for t in towns()}


def find_town(name: str) -> Town | None:
    """The town of that name (case, accents and punctuation ignored), or None."""
    return _by_key().get(_key(name)) if name.strip() else None
