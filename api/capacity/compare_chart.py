"""A policy comparison's two charts as inline SVG geometry: the wait distribution per policy (grouped bars)
and the weekly occupancy per policy (lines).

Why the app draws them itself, as for the capacity curve (:mod:`api.capacity.chart`): no chart library and
no CDN, and the CSP allows no inline styles. This module only computes coordinates and picks each policy's
colour and dash pattern (lines differ in dash as well as colour, so they can be told apart without colour);
the template ``capacity/comparison.html`` writes the ``<svg>`` with presentation attributes, a title and a
description, and a table with the same numbers under each chart.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from api.capacity.chart import MIN_TICK_GAP, Tick

WIDTH, HEIGHT = 640, 320
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 16, 44
GROUP_GAP = 0.2  # share of a bucket's width left empty between the groups of bars

# Per policy: colour (each at least 3:1 against white) and dash pattern ("" is solid).
STYLES: dict[str, tuple[str, str]] = {
    "first-come": ("#d55e00", "8 4"),
    "greedy": ("#882255", "2 3"),
    "daily-optimum": ("#117733", "10 3 2 3"),
    "anticipating": ("#0072b2", ""),
    "hindsight": ("#444444", "4 2"),
}
OTHER = ("#555555", "1 2")


@dataclass(frozen=True)
class Series:
    policy: str
    colour: str
    dash: str


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    colour: str
    policy: str
    bucket: int
    value: float


@dataclass(frozen=True)
class Line:
    series: Series
    points: str  # polyline points


@dataclass(frozen=True)
class Frame:
    """The plot area and its axes, shared by both charts."""

    width: int
    height: int
    left: int
    right: float
    top: int
    bottom: float
    x_ticks: list[Tick]
    y_ticks: list[Tick]


@dataclass(frozen=True)
class BarChart:
    frame: Frame
    bars: list[Bar]
    series: list[Series]
    group_centres: list[float]  # x of each bucket's label


@dataclass(frozen=True)
class LineChart:
    frame: Frame
    lines: list[Line]
    series: list[Series]


def series_of(policy: str) -> Series:
    colour, dash = STYLES.get(policy, OTHER)
    return Series(policy, colour, dash)


def count_axis(value: float) -> tuple[float, float]:
    """The top and the step of an axis of counts up to ``value``: a step of 1, 2 or 5 × a power of ten giving
    at most five steps, the top the first multiple of it at or above ``value`` (at least one step)."""
    rough = max(value, 5.0) / 5  # a step of at least one household
    power = 10 ** math.floor(math.log10(rough))
    step = next(float(m * power) for m in (1, 2, 5, 10) if m * power >= rough - 1e-9)
    return max(step, math.ceil(value / step - 1e-9) * step), step


def _count_label(value: float) -> str:
    return f"{value:g}"


def wait_chart(result: dict[str, Any]) -> BarChart | None:
    """Households per wait bucket, a bar per policy in each bucket (``None`` without rows)."""
    rows = result.get("rows") or []
    buckets = len(result.get("wait_buckets") or [])
    if not rows or not buckets:
        return None
    right, bottom = WIDTH - RIGHT, HEIGHT - BOTTOM
    top_value, step = count_axis(max(max(r["wait_distribution"]) for r in rows))

    def y(value: float) -> float:
        return bottom - max(0.0, value) / top_value * (bottom - TOP)

    group = (right - LEFT) / buckets
    bar_width = group * (1 - GROUP_GAP) / len(rows)
    bars, centres = [], []
    for k in range(buckets):
        start = LEFT + k * group + group * GROUP_GAP / 2
        centres.append(LEFT + (k + 0.5) * group)
        for i, row in enumerate(rows):
            value = float(row["wait_distribution"][k])
            s = series_of(row["policy"])
            bars.append(Bar(x=start + i * bar_width, y=y(value), width=bar_width, height=bottom - y(value),
                            colour=s.colour, policy=row["policy"], bucket=k, value=value))
    y_ticks = [Tick(y(k * step), _count_label(k * step)) for k in range(round(top_value / step) + 1)]
    frame = Frame(WIDTH, HEIGHT, LEFT, right, TOP, bottom, x_ticks=[], y_ticks=y_ticks)
    return BarChart(frame=frame, bars=bars, series=[series_of(r["policy"]) for r in rows], group_centres=centres)


def occupancy_chart(result: dict[str, Any]) -> LineChart | None:
    """The share of places occupied per week, a line per policy (``None`` without rows or weeks)."""
    rows = result.get("rows") or []
    weeks = max((len(r["occupancy"]) for r in rows), default=0)
    if not rows or not weeks:
        return None
    right, bottom = WIDTH - RIGHT, HEIGHT - BOTTOM
    span = max(1, weeks - 1)

    def x(week: int) -> float:  # week counts from 1
        return LEFT + (week - 1) / span * (right - LEFT)

    def y(share: float) -> float:
        return bottom - max(0.0, min(1.0, share)) * (bottom - TOP)

    lines = [
        Line(series_of(r["policy"]), " ".join(f"{x(w + 1):.1f},{y(s):.1f}" for w, s in enumerate(r["occupancy"])))
        for r in rows
    ]
    x_ticks: list[Tick] = []
    for week in [1, *range(4, weeks + 1, 4)]:  # every fourth week, labels too close left out
        if not x_ticks or x(week) - x_ticks[-1].pos >= MIN_TICK_GAP:
            x_ticks.append(Tick(x(week), str(week)))
    y_ticks = [Tick(y(s), f"{round(100 * s)}%") for s in (0, 0.25, 0.5, 0.75, 1.0)]
    frame = Frame(WIDTH, HEIGHT, LEFT, right, TOP, bottom, x_ticks=x_ticks, y_ticks=y_ticks)
    return LineChart(frame=frame, lines=lines, series=[line.series for line in lines])
