"""The demo region N times over: a large municipality's year, for load tests and benchmarks.

Copy 1 is exactly ``demo.generate`` (tests depend on it). Copies 2..N are the same
shape drawn with another seed — distinct people, hosts and places spread over the
region's towns — with references and e-mail addresses marked ``-S02`` … so they can
never clash with copy 1 and are still recognisable as demo rows. Each extra copy also
carries history on top: for every third waiting household, a closed case from the past
year (``HH-H…``) that was evicted, placed, left again (an ended placement with an
outcome) and has its goods in storage since the eviction; so lists, reports and the map
show a spread over time while the waiting list — the matching's load — is N times copy 1's.
"""

from __future__ import annotations

import random
import re
from datetime import UTC, date, datetime, time, timedelta

from seed_data import demo

# Outcomes of an ended stay in the history (placements.models.OUTCOMES without "unknown" mostly).
HISTORY_OUTCOMES = ("back_home_addendum", "other_home", "other_home", "own_network", "shelter", "unknown")
_COPY_SUFFIX = re.compile(r"^(?P<base>.+)-S(?P<copy>\d{2,3})$")


def copy_suffix(copy: int) -> str:
    """The mark of copy ``copy`` (2..N) on references and e-mail addresses."""
    return f"-S{copy:02d}"


def generate(*, today: date, seed: int = 2026, scale: int = 1) -> demo.DemoData:
    """``scale`` copies of the demo region in one ``DemoData``; ``scale=1`` is ``demo.generate`` itself."""
    if scale < 1:
        raise ValueError("scale must be at least 1")
    data = demo.generate(today=today, seed=seed)
    for copy in range(2, scale + 1):
        _append_copy(data, demo.generate(today=today, seed=seed + 7919 * copy), copy, today, seed)
    return data


def _append_copy(data: demo.DemoData, extra: demo.DemoData, copy: int, today: date, seed: int) -> None:
    """Rename ``extra``'s rows for copy ``copy``, turn part of them into history, and add them to ``data``."""
    mark = copy_suffix(copy)

    def ref(value: str) -> str:
        return value + mark

    def mail(value: str) -> str:
        local, _, domain = value.partition("@")
        return f"{local}{mark.lower()}@{domain}"

    for worker in extra.case_workers:
        data.case_workers.append({**worker, "email": mail(worker["email"])})
    households = [
        {**h, "reference": ref(h["reference"]), "case_worker": mail(h["case_worker"])} for h in extra.households
    ]
    hosts = [{**h, "reference": ref(h["reference"]), "email": mail(h["email"])} for h in extra.hosts]
    places = [
        {**p, "reference": ref(p["reference"]), **({"host": ref(p["host"])} if p.get("host") else {})}
        for p in extra.places
    ]
    placements = [{**p, "household": ref(p["household"]), "place": ref(p["place"])} for p in extra.placements]
    lots = [
        {**lot, "reference": ref(lot["reference"]), "household": ref(lot["household"])} for lot in extra.storage_lots
    ]
    _make_history(random.Random(seed * 31 + copy), households, places, placements, lots, today, mark)
    data.households.extend(households)
    data.hosts.extend(hosts)
    data.places.extend(places)
    data.placements.extend(placements)
    data.storage_lots.extend(lots)


def _make_history(
    rng: random.Random,
    households: list[dict],
    places: list[dict],
    placements: list[dict],
    lots: list[dict],
    today: date,
    mark: str,
) -> None:
    """Add a closed case from the past year for every third waiting household of a copy."""
    by_municipality: dict[str, list[dict]] = {}
    for place in places:
        if place.get("status", "active") == "active":
            by_municipality.setdefault(place["municipality"], []).append(place)
    for index, current in enumerate(list(households)):
        if current.get("status", "waiting") != "waiting" or index % 3 != 0:
            continue
        evicted = today - timedelta(days=rng.randint(60, 365))
        base = current["reference"].removesuffix(mark).removeprefix("HH-")
        household = {
            **current,
            "reference": f"HH-H{base}{mark}",
            "status": "closed",
            "eviction": {
                **current["eviction"],
                "announced_date": evicted - timedelta(days=rng.randint(3, 28)),
                "eviction_date": evicted,
                "bailiff_reference": f"DW-{rng.randint(10000, 99999)}",
            },
        }
        ended_on = evicted + timedelta(days=rng.randint(7, 56))
        household["closed_at"] = datetime.combine(ended_on, time(16, 0), tzinfo=UTC)
        households.append(household)
        place = rng.choice(by_municipality[household["municipality"]])
        placements.append(
            {
                "municipality": household["municipality"],
                "household": household["reference"],
                "place": place["reference"],
                "status": "ended",
                "start_date": evicted,
                "end_date": evicted + timedelta(days=56),
                "arrived_on": evicted,
                "ended_on": ended_on,
                "outcome": rng.choice(HISTORY_OUTCOMES),
            }
        )
        lots.append(
            {
                "municipality": household["municipality"],
                "reference": f"OP-H{base}{mark}",
                "household": household["reference"],
                "depot": f"Opslag {_municipality_name(household['municipality'])}",
                "stored_on": evicted,
                "bailiff_reference": household["eviction"]["bailiff_reference"],
                **demo.storage_costs(index),
                "items": demo.storage_items(index),
            }
        )


def _municipality_name(code: str) -> str:
    return next(name for c, name, _region, _town in demo.MUNICIPALITIES if c == code)


def copy_number(reference: str) -> int:
    """Which copy a reference belongs to (1 when it carries no copy mark)."""
    found = _COPY_SUFFIX.match(reference)
    return int(found.group("copy")) if found else 1
