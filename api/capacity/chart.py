"""The capacity curve as inline SVG geometry: share sheltered against rooms, its band and the target.

Why the app draws it itself: no chart library and no CDN (the pages' CSP allows only the app's own
files), and a few polylines are all a curve needs. This module only computes coordinates; the template
``capacity/plan.html`` writes the ``<svg>`` with presentation attributes (no inline styles, which the CSP
forbids) and a text alternative (the table under the chart holds every number).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

WIDTH, HEIGHT = 640, 320
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 16, 44
MIN_TICK_GAP = 28  # px between two labels on the rooms axis


@dataclass(frozen=True)
class Tick:
    pos: float
    label: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    left: int
    right: float  # x of the plot's right edge
    top: int
    bottom: float  # y of the plot's bottom edge
    band: str  # polygon points: the 95% band
    line: str  # polyline points: the mean share
    dots: list[tuple[float, float]]
    target_y: float
    smallest: tuple[float, float] | None
    x_ticks: list[Tick]
    y_ticks: list[Tick]


def _fmt(points: list[tuple[float, float]]) -> str:
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in points)


def capacity_chart(result: dict[str, Any]) -> Chart | None:
    """The chart of a finished plan's result (``None`` without points)."""
    curve = sorted(result.get("curve") or [], key=lambda p: p["rooms"])
    if not curve:
        return None
    smallest = result.get("smallest")
    rooms = [p["rooms"] for p in curve] + ([smallest["rooms"]] if smallest else [])
    lo, hi = min(rooms), max(rooms)
    if hi == lo:
        lo, hi = lo - 1, hi + 1
    right, bottom = WIDTH - RIGHT, HEIGHT - BOTTOM

    def x(r: float) -> float:
        return LEFT + (r - lo) / (hi - lo) * (right - LEFT)

    def y(share: float) -> float:
        return bottom - max(0.0, min(1.0, share)) * (bottom - TOP)

    upper = [(x(p["rooms"]), y(p["high"])) for p in curve]
    lower = [(x(p["rooms"]), y(p["low"])) for p in reversed(curve)]
    line = [(x(p["rooms"]), y(p["share"])) for p in curve]
    x_ticks: list[Tick] = []
    for r in sorted(set(rooms)):  # the curve's points and the smallest mix; labels too close would overlap
        if not x_ticks or x(r) - x_ticks[-1].pos >= MIN_TICK_GAP:
            x_ticks.append(Tick(x(r), str(r)))
    y_ticks = [Tick(y(s), f"{round(100 * s)}%") for s in (0, 0.25, 0.5, 0.75, 1.0)]
    return Chart(
        width=WIDTH, height=HEIGHT, left=LEFT, right=right, top=TOP, bottom=bottom,
        band=_fmt(upper + lower), line=_fmt(line), dots=line, target_y=y(float(result["target"])),
        smallest=(x(smallest["rooms"]), y(smallest["share"])) if smallest else None,
        x_ticks=x_ticks, y_ticks=y_ticks,
    )
