"""Streams from a municipality profile: a year of arrivals drawn with a seeded generator.

A profile (``seed_data/simulation/*.json``) describes a municipality in numbers a crisis team
can check: arrivals per week and their seasonality, how long before the eviction a household
becomes known, the household mix and needs, and the stock of Wachtkamer dwellings and host
rooms. ``load`` rescales the arrivals so that demand (households × stay_days) is that share of
the capacity (place-days in the year); ``wachtkamer`` / ``host_rooms`` override the stock, which
is how the capacity planner tries other mixes on the same arrivals.
"""

from __future__ import annotations

import math
from datetime import timedelta
from typing import Annotated, Any

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ..schema import Day, InstanceError, Latitude, Longitude, _problems_from
from .stream import StreamPolicy

Share = Annotated[float, Field(ge=0.0, le=1.0, strict=False, allow_inf_nan=False)]
Weights = Annotated[dict[str, Annotated[float, Field(ge=0.0)]], Field(min_length=1)]


class _M(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Location(_M):
    lat: Latitude
    lon: Longitude


class Seasonality(_M):
    amplitude: Share = 0.0  # arrivals vary by ± this share over the year
    peak_week: Annotated[int, Field(ge=1, le=53)] = 1


class LeadDays(_M):
    """Days between announcement and eviction: uniform between min and max."""

    min: Annotated[int, Field(ge=0, le=365)] = 0
    max: Annotated[int, Field(ge=0, le=365)] = 28

    @model_validator(mode="after")
    def _order(self) -> LeadDays:
        if self.max < self.min:
            raise ValueError("max must be >= min")
        return self


class HouseholdMix(_M):
    size: Weights  # persons → weight
    children_share_of_families: Share = 0.7  # of households with 2+ persons, share with children
    pets_share: Share = 0.15
    accessible_share: Share = 0.08
    accepts_host_share: Share = 0.7
    over_cost_sharing_age_share: Share = 0.7
    priority: Weights  # priority → weight
    excluded_share: Share = 0.0


class Stock(_M):
    wachtkamer: Annotated[int, Field(ge=0, le=5000)]
    host_rooms: Annotated[int, Field(ge=0, le=5000)]
    wachtkamer_capacity: Weights
    host_room_capacity: Weights
    accessible_share: Share = 0.15
    pets_share: Share = 0.3
    children_share: Share = 0.8
    rooms_per_host_two_share: Share = 0.2  # hosts with two rooms (limited to one guest at a time)
    host_on_benefit_share: Share = 0.2
    host_exemption_share: Share = 0.3
    part_year_share: Share = 0.2  # host rooms available only for part of the year
    occupied_at_start_share: Share = 0.5


class Profile(_M):
    """A municipality's profile for the simulator."""

    name: Annotated[str, Field(min_length=1, max_length=100)]
    description: str = ""
    start: Day
    days: Annotated[int, Field(ge=1, le=3660)]
    policy: StreamPolicy
    center: Location
    radius_km: Annotated[float, Field(gt=0, le=200)]
    arrivals_per_week: Annotated[float, Field(ge=0, le=10_000)]
    seasonality: Seasonality = Seasonality()
    lead_days: LeadDays = LeadDays()
    households: HouseholdMix
    stock: Stock


def validate_profile(data: Any) -> Profile:
    """A valid profile or InstanceError with the JSON path of each problem."""
    if not isinstance(data, dict):
        raise InstanceError([("", "a profile must be a JSON object")])
    try:
        return Profile.model_validate(data)
    except ValidationError as err:
        raise InstanceError(_problems_from(err)) from None


def _draw(rng: np.random.Generator, weights: dict[str, float], n: int) -> list[int]:
    keys = sorted(weights, key=int)
    p = np.array([weights[k] for k in keys], dtype=float)
    p = p / p.sum() if p.sum() > 0 else np.full(len(keys), 1 / len(keys))
    return [int(keys[i]) for i in rng.choice(len(keys), size=n, p=p)]


def _points(rng: np.random.Generator, prof: Profile, n: int) -> list[dict[str, float]]:
    """Points spread over a disc of radius_km around the centre."""
    lat0, lon0 = prof.center.lat, prof.center.lon
    r = prof.radius_km * np.sqrt(rng.random(n))
    a = rng.random(n) * 2 * math.pi
    dlat = r * np.cos(a) / 111.2
    dlon = r * np.sin(a) / (111.2 * max(0.05, math.cos(math.radians(lat0))))
    return [{"lat": round(lat0 + y, 5), "lon": round(lon0 + x, 5)} for y, x in zip(dlat, dlon, strict=True)]


def capacity_days(prof: Profile, wachtkamer: int, host_rooms: int) -> float:
    """Expected place-days in the simulated period (part-year rooms count half)."""
    return prof.days * (wachtkamer + host_rooms * (1 - prof.stock.part_year_share / 2))


def generate(
    prof: Profile,
    seed: int,
    *,
    load: float | None = None,
    wachtkamer: int | None = None,
    host_rooms: int | None = None,
    arrivals_seed: int | None = None,
) -> dict[str, Any]:
    """An ``onderdak.stream/1`` document (a dict). Households depend only on the profile, the
    load and ``arrivals_seed`` (default ``seed``), places only on the stock and ``seed``, so a
    planner can vary the rooms under the same arrivals."""
    n_w = prof.stock.wachtkamer if wachtkamer is None else wachtkamer
    n_r = prof.stock.host_rooms if host_rooms is None else host_rooms
    places, hosts = _places(np.random.default_rng([seed, 1]), prof, n_w, n_r)
    rate = prof.arrivals_per_week
    if load is not None:
        base = capacity_days(prof, prof.stock.wachtkamer, prof.stock.host_rooms)
        rate = load * base / prof.policy.stay_days / (prof.days / 7)
    households = _households(np.random.default_rng([seed if arrivals_seed is None else arrivals_seed, 2]), prof, rate)
    return {
        "format": "onderdak.stream/1",
        "start": prof.start.isoformat(),
        "days": prof.days,
        "policy": prof.policy.model_dump(mode="json"),
        "places": places,
        "hosts": hosts,
        "households": households,
    }


def _households(rng: np.random.Generator, prof: Profile, rate_per_week: float) -> list[dict[str, Any]]:
    mix, s = prof.households, prof.seasonality
    out: list[dict[str, Any]] = []
    pol = prof.policy
    for d in range(prof.days):
        week = d / 7.0
        factor = 1 + s.amplitude * math.cos(2 * math.pi * (week - (s.peak_week - 1)) / 52.0)
        n = int(rng.poisson(max(0.0, rate_per_week * factor / 7)))
        if not n:
            continue
        sizes = _draw(rng, mix.size, n)
        prios = _draw(rng, mix.priority, n)
        locs = _points(rng, prof, n)
        for k in range(n):
            release = prof.start + timedelta(days=d)
            lead = int(rng.integers(prof.lead_days.min, prof.lead_days.max + 1))
            persons = sizes[k]
            kids = 0
            if persons >= 2 and rng.random() < mix.children_share_of_families:
                kids = persons - 1 if rng.random() < 0.6 else max(0, persons - 2)
            adults_n = max(1, persons - kids)
            old = rng.random() < mix.over_cost_sharing_age_share
            ages = [
                int(rng.integers(pol.cost_sharing_age, 70)) if old else int(rng.integers(18, pol.cost_sharing_age))
                for _ in range(adults_n)
            ]
            out.append({
                "id": f"H{len(out) + 1:05d}",
                "announced": (release - timedelta(days=lead)).isoformat(),
                "release_date": release.isoformat(),
                "adults": [{"age": a} for a in ages],
                "children": [int(rng.integers(0, 18)) for _ in range(kids)],
                "pets": bool(rng.random() < mix.pets_share),
                "needs_accessible": bool(rng.random() < mix.accessible_share),
                "accepts_host": bool(rng.random() < mix.accepts_host_share),
                "priority": prios[k],
                "location": locs[k],
            })
    return out


def _places(
    rng: np.random.Generator, prof: Profile, n_w: int, n_r: int
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    st, pol = prof.stock, prof.policy
    places: list[dict[str, Any]] = []
    hosts: list[dict[str, Any]] = []
    end = prof.start + timedelta(days=prof.days)
    locs = _points(rng, prof, n_w + n_r)
    caps_w = _draw(rng, st.wachtkamer_capacity, n_w)
    caps_r = _draw(rng, st.host_room_capacity, n_r)

    def busy() -> list[dict[str, str]]:
        if rng.random() >= st.occupied_at_start_share:
            return []
        left = int(rng.integers(1, pol.stay_days))
        return [{"start": (prof.start - timedelta(days=pol.stay_days - left)).isoformat(),
                 "end": (prof.start + timedelta(days=left)).isoformat()}]

    for i in range(n_w):
        places.append({
            "id": f"W{i + 1:04d}", "kind": "wachtkamer", "capacity": caps_w[i],
            "accessible": bool(rng.random() < st.accessible_share), "allows_pets": bool(rng.random() < st.pets_share),
            "allows_children": True, "location": locs[i],
            "available_from": (prof.start - timedelta(days=pol.stay_days)).isoformat(), "available_until": None,
            "busy": busy(),
        })
    i = 0
    host_no = 0
    while i < n_r:
        host_no += 1
        hid = f"G{host_no:04d}"
        two = i + 1 < n_r and rng.random() < st.rooms_per_host_two_share
        info = {
            "on_benefit": bool(rng.random() < st.host_on_benefit_share),
            "cost_sharing_exemption": bool(rng.random() < st.host_exemption_share),
            "landlord": ["owner", "corporation", "private"][int(rng.choice(3, p=[0.6, 0.25, 0.15]))],
            "landlord_consent": True,
        }
        if two:
            hosts.append({"id": hid, "max_households": 1})
        part = rng.random() < st.part_year_share
        frm, until = prof.start - timedelta(days=pol.stay_days), None
        if part:
            a = int(rng.integers(0, max(1, prof.days // 2)))
            frm, until = prof.start + timedelta(days=a), min(end, prof.start + timedelta(days=a + prof.days // 2))
        for _ in range(2 if two else 1):
            places.append({
                "id": f"R{i + 1:04d}", "kind": "host_room", "host_id": hid, "capacity": caps_r[i],
                "accessible": bool(rng.random() < st.accessible_share / 2),
                "allows_pets": bool(rng.random() < st.pets_share),
                "allows_children": bool(rng.random() < st.children_share), "location": locs[n_w + i],
                "available_from": frm.isoformat(), "available_until": None if until is None else until.isoformat(),
                "busy": [] if part else busy(), "host": info,
            })
            i += 1
    return places, hosts
