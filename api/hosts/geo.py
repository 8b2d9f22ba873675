"""Where a host lives: Dutch postcodes, the Netherlands' bounds and the gazetteer of towns.

Why: the sign-up form accepts a pin on the map *or* postcode, house number and town (the keyboard
alternative). Without a pin, the location is the chosen town's centre from the gazetteer
(GeoNames, CC BY 4.0; seed_data/gazetteer): approximate on purpose, good enough for matching by
distance, and the coordinator corrects it at the home visit. Exact addresses are never shown on
maps to anyone but the crisis team (domain.md, "Law and privacy").
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

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


# The outline of the European Netherlands: Natural Earth 1:10m (public domain) via the world-atlas npm
# package, ~800 points (api/static/vendor/README.md). The sign-up map draws it; the server checks pins with it.
OUTLINE = Path(__file__).resolve().parents[1] / "static" / "vendor" / "natural-earth" / "netherlands.geojson"
# At 1:10m the border is drawn to within about a kilometre; a pin this close to it counts as inside, so a
# house in Vaals or Eijsden is never refused (the Dutch postcode is checked as well).
BORDER_TOLERANCE_KM = 2.0
_KM_PER_DEG_LAT = 111.2


@lru_cache(maxsize=1)
def _rings() -> tuple[tuple[tuple[float, float], ...], ...]:
    """Every ring (outer and holes) as (lon, lat) tuples."""
    data = json.loads(OUTLINE.read_text(encoding="utf-8"))
    rings: list[tuple[tuple[float, float], ...]] = []
    for feature in data["features"]:
        for polygon in feature["geometry"]["coordinates"]:
            rings.extend(tuple((float(x), float(y)) for x, y in ring) for ring in polygon)
    return tuple(rings)


def _inside(lat: float, lon: float) -> bool:
    """Even-odd rule over all rings (holes subtract, islands add)."""
    inside = False
    for ring in _rings():
        for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False):
            if (y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
                inside = not inside
    return inside


def _km_to_border(lat: float, lon: float) -> float:
    kx = _KM_PER_DEG_LAT * math.cos(math.radians(lat))
    best = math.inf
    for ring in _rings():
        for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False):
            ax, ay, bx, by = (
                (x1 - lon) * kx,
                (y1 - lat) * _KM_PER_DEG_LAT,
                (x2 - lon) * kx,
                (y2 - lat) * _KM_PER_DEG_LAT,
            )
            dx, dy = bx - ax, by - ay
            length2 = dx * dx + dy * dy
            t = 0.0 if length2 == 0 else max(0.0, min(1.0, -(ax * dx + ay * dy) / length2))
            best = min(best, math.hypot(ax + t * dx, ay + t * dy))
    return best


def in_netherlands(lat: float, lon: float) -> bool:
    """In the European Netherlands: within the database's bounds and inside (or within
    :data:`BORDER_TOLERANCE_KM` of) the outline."""
    if not (LAT_MIN <= lat <= LAT_MAX and LON_MIN <= lon <= LON_MAX):
        return False
    return _inside(lat, lon) or _km_to_border(lat, lon) <= BORDER_TOLERANCE_KM


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
