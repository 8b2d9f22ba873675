"""Tiny random streams for the simulator tests: small enough for a brute-force optimum."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

START = date(2027, 1, 4)


def tiny_stream(seed: int, *, households: int = 4, places: int = 2, days: int = 12) -> dict[str, Any]:
    rng = random.Random(seed)
    ps = []
    hosts = []
    for j in range(places):
        host = rng.random() < 0.5
        doc: dict[str, Any] = {
            "id": f"P{j}", "kind": "host_room" if host else "wachtkamer", "capacity": rng.choice([2, 3, 4]),
            "accessible": rng.random() < 0.5, "allows_pets": rng.random() < 0.5, "allows_children": True,
            "location": {"lat": 50.85 + rng.random() / 50, "lon": 5.69 + rng.random() / 50},
            "available_from": (START + timedelta(days=rng.choice([-5, 0, 2]))).isoformat(), "available_until": None,
            "busy": [],
        }
        if host:
            doc["host_id"] = "G1"
            doc["host"] = {"on_benefit": False, "cost_sharing_exemption": False, "landlord": "owner",
                           "landlord_consent": True}
        if rng.random() < 0.3:
            doc["busy"] = [{"start": (START - timedelta(days=2)).isoformat(),
                            "end": (START + timedelta(days=rng.randint(1, 4))).isoformat()}]
        ps.append(doc)
    if any(p["kind"] == "host_room" for p in ps) and rng.random() < 0.5:
        hosts.append({"id": "G1", "max_households": 1})
    hh = []
    for i in range(households):
        rel = START + timedelta(days=rng.randint(-1, days - 3))
        hh.append({
            "id": f"H{i}", "announced": (rel - timedelta(days=rng.randint(0, 4))).isoformat(),
            "release_date": rel.isoformat(), "adults": [{"age": 30}], "children": [],
            "pets": rng.random() < 0.2, "needs_accessible": rng.random() < 0.2, "accepts_host": rng.random() < 0.8,
            "priority": rng.randint(1, 3), "location": {"lat": 50.86, "lon": 5.70},
        })
    return {
        "format": "onderdak.stream/1", "start": START.isoformat(), "days": days,
        "policy": {"min_stay_days": 4, "max_stay_days": 4, "cost_sharing_age": 27, "max_distance_km": 60,
                   "horizon_days": 2, "stay_days": 4, "grace_days": 5},
        "places": ps, "hosts": hosts, "households": hh,
    }
