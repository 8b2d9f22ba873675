"""Small pure geometry for the map: coarse locations, bounds, an outline for orientation."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

# About 1 km at Dutch latitudes (~51-53°N): 0.01° latitude is 1.11 km, 0.015° longitude 1.00-1.05 km.
# Why: a host's home is shown exactly to the crisis team only; everyone else sees the grid cell
# (domain.md, "never a host's exact address on a map that others than the crisis team can see").
GRID_LAT = 0.01
GRID_LON = 0.015


def coarse_point(lat: float, lon: float) -> tuple[float, float]:
    """Snap a location to the ~1 km grid; the result is the same for every point of one cell."""
    return round(round(lat / GRID_LAT) * GRID_LAT, 4), round(round(lon / GRID_LON) * GRID_LON, 4)


def bounds(points: Iterable[tuple[float, float]], pad: float = 0.0) -> tuple[tuple[float, float], ...] | None:
    """South-west and north-east corners (lat, lon) of the points, padded in degrees; None when empty."""
    lats: list[float] = []
    lons: list[float] = []
    for lat, lon in points:
        lats.append(lat)
        lons.append(lon)
    if not lats:
        return None
    return ((min(lats) - pad, min(lons) - pad), (max(lats) + pad, max(lons) + pad))


def convex_hull(points: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
    """Convex hull (Andrew's monotone chain) of (lat, lon) points, counter-clockwise, not closed."""
    pts = sorted(set(points))
    if len(pts) <= 2:
        return pts

    def cross(o: tuple[float, float], a: tuple[float, float], b: tuple[float, float]) -> float:
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower: list[tuple[float, float]] = []
    for p in pts:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    upper: list[tuple[float, float]] = []
    for p in reversed(pts):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return lower[:-1] + upper[:-1]
