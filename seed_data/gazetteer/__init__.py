"""Dutch places with coordinates (GeoNames, CC BY 4.0; see SOURCE.md)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class GazetteerPlace:
    geonameid: int
    name: str
    lat: float
    lon: float
    population: int


@lru_cache(maxsize=4)
def load(name: str = "limburg") -> tuple[GazetteerPlace, ...]:
    with (HERE / f"{name}.csv").open(newline="", encoding="utf-8") as handle:
        return tuple(
            GazetteerPlace(int(r["geonameid"]), r["name"], float(r["lat"]), float(r["lon"]), int(r["population"]))
            for r in csv.DictReader(handle)
        )
