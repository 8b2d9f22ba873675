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


# The first view of a map: a household or room far away (a typo in an address, a stay in another province)
# must not zoom the whole map out to the country. Points farther than OUTLIER_KM from the points' median, and
# farther than OUTLIER_FACTOR times the median distance, are left out of the first view (still drawn), and
# of the rest the 5th to 95th percentile per axis is fitted.
OUTLIER_KM = 15.0
OUTLIER_FACTOR = 4.0
KM_PER_DEG_LAT = 111.2
KM_PER_DEG_LON = 69.0  # at ~52°N


def _median(values: Sequence[float]) -> float:
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def _quantile(ordered: Sequence[float], q: float) -> float:
    """Linear-interpolated quantile of sorted values (q in 0..1)."""
    pos = q * (len(ordered) - 1)
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def core_bounds(
    points: Sequence[tuple[float, float]],
    *,
    pad: float = 0.0,
    anchor: tuple[float, float] | None = None,
    low: float = 0.05,
    high: float = 0.95,
) -> tuple[tuple[float, float], ...] | None:
    """Bounds of where the points are, without outliers: the first view of the map.

    ``anchor`` (the municipality's centre) is always inside. With no points the anchor alone is fitted.
    """
    pts = list(points)
    if not pts:
        return bounds([anchor], pad=max(pad, 0.05)) if anchor else None
    centre = anchor or (_median([p[0] for p in pts]), _median([p[1] for p in pts]))

    def km(p: tuple[float, float]) -> float:
        return (((p[0] - centre[0]) * KM_PER_DEG_LAT) ** 2 + ((p[1] - centre[1]) * KM_PER_DEG_LON) ** 2) ** 0.5

    typical = _median([km(p) for p in pts])
    limit = max(OUTLIER_KM, OUTLIER_FACTOR * typical)
    near = [p for p in pts if km(p) <= limit] or pts
    lats = sorted(p[0] for p in near)
    lons = sorted(p[1] for p in near)
    box = [(_quantile(lats, low), _quantile(lons, low)), (_quantile(lats, high), _quantile(lons, high))]
    if anchor:
        box.append(anchor)
    return bounds(box, pad=pad)


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
