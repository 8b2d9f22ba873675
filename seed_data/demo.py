"""A reproducible demo region (Zuid-Limburg) with obviously fictional people.

Everything comes from one seeded random generator and a reference day, so two
runs with the same seed and day produce the same rows. Places and coordinates
come from the shipped GeoNames gazetteer; names are fruit-and-vegetable
surnames nobody will mistake for real people.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from seed_data.gazetteer import GazetteerPlace, load

FIRST_NAMES = (
    "Anna",
    "Bram",
    "Chantal",
    "Daan",
    "Esra",
    "Fleur",
    "Gijs",
    "Hatice",
    "Ilse",
    "Jamal",
    "Kees",
    "Lotte",
    "Mo",
    "Noor",
    "Otto",
    "Priya",
    "Quinten",
    "Rachid",
    "Sanne",
    "Tim",
    "Umut",
    "Vera",
    "Wim",
    "Yara",
    "Zeynep",
)
SURNAMES = (
    "Appelboom",
    "Bosbes",
    "Courgette",
    "Dadelpit",
    "Erwtensoep",
    "Framboos",
    "Groenkool",
    "Hazelnoot",
    "Ijsbergsla",
    "Jonagold",
    "Knolselderij",
    "Limoentje",
    "Mandarijn",
    "Nectarine",
    "Olijfboom",
    "Pompoen",
    "Radijs",
    "Spruitje",
    "Tuinboon",
    "Vijgenblad",
    "Walnoot",
    "Zuurkool",
)
POSTCODE_LETTERS = "ABCDEFGHJKLMNPRSTVWXZ"
STREETS = ("Voorbeeldstraat", "Proefweg", "Demolaan", "Fictiefplein", "Testpad", "Oefenhof")
# Centre of the demo region's towns: GeoNames coordinates, jittered within ~1.5 km.
REGION_TOWNS = (
    "Maastricht",
    "Heerlen",
    "Sittard",
    "Geleen",
    "Kerkrade",
    "Valkenburg",
    "Meerssen",
    "Eijsden",
    "Gulpen",
    "Brunssum",
    "Nuth",
    "Beek",
    "Stein",
    "Voerendaal",
    "Margraten",
    "Elsloo",
)
MUNICIPALITIES = (
    # CBS code, name, region, main town (for the map centre)
    ("GM0935", "Maastricht", "Zuid-Limburg", "Maastricht"),
    ("GM0917", "Heerlen", "Zuid-Limburg", "Heerlen"),
)
# Contact details printed on every letter and agreement (demo values: no real phone numbers or addresses).
MUNICIPAL_CONTACTS = {
    "GM0935": {
        "contact_name": "Team Wonen en Opslag",
        "contact_address": "Stadhuisplein 1, 6211 AA Maastricht",
        "contact_phone": "043 000 00 00",
        "contact_email": "wonen@maastricht.demo",
    },
    "GM0917": {
        "contact_name": "Team Wonen",
        "contact_address": "Stadhuisplein 1, 6411 AA Heerlen",
        "contact_phone": "045 000 00 00",
        "contact_email": "wonen@heerlen.demo",
    },
}
DEMO_PASSWORD = "onderdak-demo"
ROLES = ("admin", "coordinator", "crisis_team", "case_worker")


@dataclass
class DemoData:
    """Plain rows (dicts) per table, free of any database code."""

    municipalities: list[dict] = field(default_factory=list)
    case_workers: list[dict] = field(default_factory=list)
    households: list[dict] = field(default_factory=list)
    hosts: list[dict] = field(default_factory=list)
    places: list[dict] = field(default_factory=list)
    placements: list[dict] = field(default_factory=list)
    depots: list[dict] = field(default_factory=list)
    storage_lots: list[dict] = field(default_factory=list)
    users: list[dict] = field(default_factory=list)


def _towns() -> dict[str, GazetteerPlace]:
    wanted = set(REGION_TOWNS)
    found: dict[str, GazetteerPlace] = {}
    for place in load("limburg"):
        if place.name in wanted and (place.name not in found or place.population > found[place.name].population):
            found[place.name] = place
    return found


def _jitter(rng: random.Random, town: GazetteerPlace, km: float = 1.5) -> tuple[float, float]:
    return (round(town.lat + rng.uniform(-km, km) / 111.0, 5), round(town.lon + rng.uniform(-km, km) / 70.0, 5))


def _birth_date(rng: random.Random, today: date, age: int) -> date:
    return today - timedelta(days=age * 365 + rng.randint(0, 364))


def _members(rng: random.Random, today: date, kind: str) -> list[dict]:
    def adult(age: int, status: str = "none") -> dict:
        return {"first_name": rng.choice(FIRST_NAMES), "birth_date": _birth_date(rng, today, age), "status": status}

    def child(age: int) -> dict:
        return {"first_name": rng.choice(FIRST_NAMES), "birth_date": _birth_date(rng, today, age), "status": "none"}

    if kind == "single":
        return [adult(rng.randint(28, 66))]
    if kind == "young":
        return [adult(rng.randint(18, 26))]
    if kind == "couple":
        return [adult(rng.randint(27, 60)), adult(rng.randint(27, 60))]
    if kind == "single_parent":
        return [adult(rng.randint(24, 45))] + [child(rng.randint(1, 16)) for _ in range(rng.randint(1, 3))]
    return [adult(rng.randint(28, 50)), adult(rng.randint(28, 50))] + [
        child(rng.randint(0, 17)) for _ in range(rng.randint(1, 3))
    ]


def generate(*, today: date, seed: int = 2026, households_per_municipality: tuple[int, ...] = (40, 12)) -> DemoData:
    rng = random.Random(seed)
    towns = _towns()
    data = DemoData()
    kinds = ["single"] * 10 + ["young"] * 4 + ["couple"] * 3 + ["single_parent"] * 4 + ["family"] * 3
    for m_index, (code, name, region, main_town) in enumerate(MUNICIPALITIES):
        centre = towns[main_town]
        slug = name.lower()
        data.municipalities.append(
            {
                "code": code,
                "name": name,
                "region": region,
                "lat": centre.lat,
                "lon": centre.lon,
                **MUNICIPAL_CONTACTS[code],
            }
        )
        for role in ROLES:
            data.users.append({"municipality": code, "email": f"{role.replace('_', '-')}@{slug}.demo", "role": role})
        for i in range(3):
            data.case_workers.append(
                {
                    "municipality": code,
                    "name": f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)} (consulent)",
                    "email": f"consulent{i + 1}@{slug}.demo",
                }
            )
        n_households = households_per_municipality[m_index]
        for i in range(n_households):
            surname = rng.choice(SURNAMES)
            kind = rng.choice(kinds)
            town = towns[rng.choice(REGION_TOWNS)]
            lat, lon = _jitter(rng, town)
            eviction_day = today + timedelta(days=rng.randint(-10, 12))
            announced = eviction_day - timedelta(days=rng.randint(3, 28))
            members = _members(rng, today, kind)
            data.households.append(
                {
                    "municipality": code,
                    "reference": f"HH-{code[2:]}-{i + 1:03d}",
                    "display_name": f"Huishouden {surname}",
                    "case_worker": f"consulent{rng.randint(1, 3)}@{slug}.demo",
                    "origin_lat": lat,
                    "origin_lon": lon,
                    "pets": rng.random() < 0.2,
                    "needs_accessible": rng.random() < 0.12,
                    "medical_need": rng.random() < 0.15,
                    "accepts_host": rng.random() < 0.8,
                    "members": members,
                    "eviction": {
                        "announced_date": announced,
                        "eviction_date": eviction_day,
                        "bailiff_reference": f"DW-{rng.randint(10000, 99999)}",
                        "household_goods": rng.choice(
                            [
                                "inboedel 2-kamerwoning",
                                "inboedel 3-kamerwoning",
                                "weinig spullen",
                                "volle woning, veel meubels",
                            ]
                        ),
                    },
                }
            )
        n_wachtkamer = 22 if m_index == 0 else 5
        for i in range(n_wachtkamer):
            town = towns[rng.choice(REGION_TOWNS[:8] if m_index == 0 else REGION_TOWNS[8:])]
            lat, lon = _jitter(rng, town, km=2.5)
            data.places.append(
                {
                    "municipality": code,
                    "reference": f"WK-{code[2:]}-{i + 1:02d}",
                    "kind": "wachtkamer",
                    "label": f"Wachtkamerwoning {town.name} {i + 1}",
                    "address": f"{rng.choice(STREETS)} {rng.randint(1, 120)}, {town.name}",
                    "lat": lat,
                    "lon": lon,
                    "capacity": rng.choice([1, 2, 2, 3, 4, 5]),
                    "accessible": rng.random() < 0.3,
                    "allows_pets": rng.random() < 0.35,
                    "allows_children": True,
                    "available_from": today - timedelta(days=rng.randint(0, 60)),
                    "available_until": None,
                }
            )
        n_hosts = 52 if m_index == 0 else 10
        room_no = 0
        for i in range(n_hosts):
            surname = rng.choice(SURNAMES)
            town = towns[rng.choice(REGION_TOWNS)]
            lat, lon = _jitter(rng, town)
            landlord = rng.choice(["corporation", "corporation", "private", "owner", "owner"])
            on_benefit = rng.random() < 0.3
            exemption = on_benefit and rng.random() < 0.5
            consent = landlord == "owner" or rng.random() < 0.85
            status = rng.choice(["active"] * 8 + ["paused", "pending"])
            host_ref = f"GG-{code[2:]}-{i + 1:03d}"
            data.hosts.append(
                {
                    "municipality": code,
                    "reference": host_ref,
                    "name": f"{rng.choice(FIRST_NAMES)} {surname}",
                    "email": f"gastgever{i + 1}@{slug}.demo",
                    "phone": f"06-{rng.randint(10000000, 99999999)}",
                    "street": rng.choice(STREETS),
                    "house_number": str(rng.randint(1, 200)),
                    "postcode": f"62{rng.randint(10, 99)} {''.join(rng.choices(POSTCODE_LETTERS, k=2))}",
                    "city": town.name,
                    "lat": lat,
                    "lon": lon,
                    "on_benefit": on_benefit,
                    "cost_sharing_exemption": exemption,
                    "exemption_decided_on": today - timedelta(days=30) if exemption else None,
                    "exemption_reference": f"BESL-{rng.randint(1000, 9999)}" if exemption else None,
                    "landlord_type": landlord,
                    "landlord_consent": consent and landlord != "owner",
                    "landlord_consent_date": today - timedelta(days=rng.randint(10, 200))
                    if consent and landlord != "owner"
                    else None,
                    "has_rent_arrears": landlord != "owner" and rng.random() < 0.1,
                    "max_households": 1 if rng.random() < 0.5 else None,
                    "status": status,
                    "vetted": status in ("active", "paused"),
                    "members": [
                        {
                            "first_name": rng.choice(FIRST_NAMES),
                            "birth_date": _birth_date(rng, today, rng.randint(30, 70)),
                            "status": "none",
                            "on_benefit": on_benefit,
                        }
                    ],
                }
            )
            for _ in range(2 if rng.random() < 0.3 else 1):
                room_no += 1
                data.places.append(
                    {
                        "municipality": code,
                        "reference": f"KM-{code[2:]}-{room_no:03d}",
                        "kind": "host_room",
                        "host": host_ref,
                        "label": f"Logeerkamer {town.name}",
                        "address": None,
                        "lat": lat,
                        "lon": lon,
                        "capacity": rng.choice([1, 1, 2, 2, 3, 4]),
                        "accessible": rng.random() < 0.15,
                        "allows_pets": rng.random() < 0.3,
                        "allows_children": rng.random() < 0.6,
                        "available_from": today - timedelta(days=rng.randint(0, 90)),
                        "available_until": None if rng.random() < 0.6 else today + timedelta(days=rng.randint(70, 200)),
                        "status": "active" if status == "active" else ("paused" if status == "paused" else "pending"),
                    }
                )
        # A few households already in a place: started stays at different points of the stay clock.
        started_days = (3, 20, 36, 43, 50, 57) if m_index == 0 else (10,)
        wachtkamers = [p for p in data.places if p["municipality"] == code and p["kind"] == "wachtkamer"]
        for j, days_in in enumerate(started_days):
            start = today - timedelta(days=days_in)
            data.households.append(
                {
                    "municipality": code,
                    "reference": f"HH-{code[2:]}-P{j + 1:02d}",
                    "display_name": f"Huishouden {rng.choice(SURNAMES)}",
                    "case_worker": f"consulent1@{slug}.demo",
                    "origin_lat": centre.lat,
                    "origin_lon": centre.lon,
                    "pets": False,
                    "needs_accessible": False,
                    "medical_need": False,
                    "accepts_host": True,
                    "status": "placed",
                    "members": _members(rng, today, "single"),
                    "eviction": {
                        "announced_date": start - timedelta(days=14),
                        "eviction_date": start,
                        "bailiff_reference": f"DW-{rng.randint(10000, 99999)}",
                        "household_goods": "inboedel",
                    },
                }
            )
            place = wachtkamers[-(j + 1)]
            place["capacity"] = max(place["capacity"], 1)
            data.placements.append(
                {
                    "municipality": code,
                    "household": f"HH-{code[2:]}-P{j + 1:02d}",
                    "place": place["reference"],
                    "status": "started",
                    "start_date": start,
                    "end_date": start + timedelta(days=56),
                    "arrived_on": start,
                }
            )
        data.depots.append(
            {
                "municipality": code,
                "name": f"Opslag {name}",
                "address": f"Industrieweg {10 + m_index}, {name}",
                "lat": round(centre.lat + 0.02, 5),
                "lon": round(centre.lon - 0.02, 5),
            }
        )
        for k, h in enumerate(hh for hh in data.households if hh["municipality"] == code):
            if h["eviction"]["eviction_date"] <= today and k % 3 == 0:
                stored = h["eviction"]["eviction_date"]
                data.storage_lots.append(
                    {
                        "municipality": code,
                        "reference": f"OP-{code[2:]}-{k + 1:03d}",
                        "household": h["reference"],
                        "depot": f"Opslag {name}",
                        "stored_on": stored,
                        "bailiff_reference": h["eviction"]["bailiff_reference"],
                        **storage_costs(k),
                        "items": storage_items(k),
                    }
                )
        if m_index == 0:
            data.households.extend(_hard_cases(code, slug, today, towns))
    data.users.append(
        {
            "municipality": "GM0935",
            "email": "gastgever1@maastricht.demo",
            "role": "host",
            "host": data.hosts[0]["reference"],
        }
    )
    return data


def _hard_cases(code: str, slug: str, today: date, towns: dict[str, GazetteerPlace]) -> list[dict]:
    """Households the matching cannot place, so the demo shows its explanations.

    Deterministic (no random draws, so other demo rows do not shift): a family of seven
    (no place is that large, rule E1) and a household from Gennep, further than the
    distance limit from every place in the region (rule E9).
    """
    gennep = next(p for p in load("limburg") if p.name == "Gennep")
    centre = towns["Maastricht"]

    def member(first_name: str, age: int) -> dict:
        return {"first_name": first_name, "birth_date": today - timedelta(days=age * 365 + 100), "status": "none"}

    def case(number: int, surname: str, lat: float, lon: float, members: list[dict], **needs: bool) -> dict:
        evicted = today - timedelta(days=2 + number)
        return {
            "municipality": code,
            "reference": f"HH-{code[2:]}-X{number:02d}",
            "display_name": f"Huishouden {surname}",
            "case_worker": f"consulent2@{slug}.demo",
            "origin_lat": lat,
            "origin_lon": lon,
            "pets": needs.get("pets", False),
            "needs_accessible": needs.get("needs_accessible", False),
            "medical_need": needs.get("medical_need", False),
            "accepts_host": needs.get("accepts_host", True),
            "members": members,
            "eviction": {
                "announced_date": evicted - timedelta(days=10),
                "eviction_date": evicted,
                "bailiff_reference": f"DW-9000{number}",
                "household_goods": "inboedel 4-kamerwoning" if len(members) > 4 else "weinig spullen",
            },
        }

    big_family = [member("Anna", 41), member("Bram", 43)] + [
        member(name, age) for name, age in (("Daan", 16), ("Esra", 13), ("Fleur", 10), ("Gijs", 7), ("Ilse", 3))
    ]
    return [
        case(1, "Walnoot", centre.lat + 0.01, centre.lon + 0.01, big_family),
        case(2, "Zuurkool", gennep.lat, gennep.lon, [member("Kees", 52)], pets=True),
    ]


def storage_costs(k: int) -> dict:
    """Demo tariff of a storage lot: most per m³ per week, some a fixed amount (cents)."""
    if k % 2 == 0:
        return {"tariff_kind": "per_m3_week", "tariff_cents": 450, "removal_cost_cents": 35000}
    return {"tariff_kind": "fixed", "tariff_cents": 25000, "removal_cost_cents": 30000}


def storage_items(k: int) -> list[dict]:
    """The demo proces-verbaal of a lot; deterministic (no random draws, so other demo rows do not shift)."""
    items = [
        {
            "category": "furniture",
            "description": "Bank, tafel en 4 stoelen",
            "condition": "worn",
            "quantity": 6,
            "volume_m3": "4.50",
            "location": f"Hal A, vak {k + 1}",
        },
        {
            "category": "appliances",
            "description": "Koelkast en wasmachine",
            "condition": "good",
            "quantity": 2,
            "volume_m3": "1.80",
            "location": f"Hal A, vak {k + 1}",
        },
        {
            "category": "clothing",
            "description": "Dozen kleding",
            "condition": "good",
            "quantity": 3 + k % 4,
            "volume_m3": "0.60",
            "location": f"Hal B, rek {k + 1}",
        },
        {
            "category": "personal_documents",
            "description": "Map met papieren en diploma's",
            "condition": "good",
            "quantity": 1,
            "volume_m3": "0.05",
            "location": "Kluis",
        },
    ]
    if k % 2 == 0:
        items.append(
            {
                "category": "photos_keepsakes",
                "description": "Doos fotoalbums",
                "condition": "good",
                "quantity": 1,
                "volume_m3": "0.10",
                "location": "Kluis",
            }
        )
    return items
