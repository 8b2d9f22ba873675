"""Map data: one GeoJSON FeatureCollection of a municipality on a date, with privacy by role.

Layers (``properties.layer``) and their statuses (``properties.status``):

- ``wachtkamer`` / ``host_room``: places that are ``active`` or ``paused``; status ``occupied`` when a
  placement covers the date, ``paused`` when the place or its host is paused, blocked that day
  (place_unavailability) or outside its availability window, else ``free``.
- ``waiting``: households with status ``waiting`` at their rounded origin; ``evicted`` once the
  eviction date has come, ``eviction_ahead`` before.
- ``placement``: placements that cover the date (confirmed / started / ended with
  ``start_date <= date < ended_on``), at the place's location, coloured by the stay clock
  (matcher.rules.stay_clock, with the dated policy parameters ``stay_signals`` / ``stay_limits``).
- ``storage``: storage depots with their lots still in store and each lot's deadline.

Privacy (domain.md, "Law and privacy"): a host's home (host rooms and placements there) is exact
only for the crisis team (:attr:`Principal.sees_exact_host_location`); everybody else gets the
~1 km grid cell and no address, rounded *here*, so exact coordinates never reach their browser.
Households appear by reference code only, at a rounded origin, never by name.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from api.core import audit, data_version
from api.core.errors import InvalidInput
from api.core.models import Municipality
from api.core.policy import policy_book
from api.core.principal import Principal
from api.hosts.models import Host
from api.households.models import Eviction, Household, HouseholdMember
from api.placements.models import Placement
from api.places.models import Place, PlaceUnavailability
from api.storage.models import StorageDepot, StorageLot
from maps.geo import bounds, coarse_point, convex_hull
from maps.layers import LAYER_KEYS
from matcher.rules.errors import InvalidInputError, PolicyDateError, PolicyValueError
from matcher.rules.policy import PolicyBook
from matcher.rules.stay_clock import StayPlacement, stay_status
from seed_data import gazetteer

MAP_ROLES = ("crisis_team", "coordinator", "case_worker")  # not admin: accounts, not households
SHOWN_PLACE_STATUSES = ("active", "paused")
COVERING_PLACEMENT_STATUSES = ("confirmed", "started", "ended")
OPEN_LOT_STATUSES = ("stored", "partly_returned")
# Who may follow a popup's link to the record (the pages themselves check again).
_LINK_ROLES = {
    "household": ("crisis_team", "coordinator", "case_worker"),
    "host": ("crisis_team", "coordinator"),
    "storage": ("crisis_team", "coordinator", "case_worker"),
}
TOWN_LIMIT = 60  # orientation labels: the largest towns in view


@dataclass(frozen=True)
class RecordLink:
    """The record a popup links to; the router turns it into a URL (``id`` is None for a list page)."""

    kind: str  # "host", "household" or "storage"
    id: int | None = None


@dataclass(frozen=True)
class MapFeature:
    """One point of the map: its location and its GeoJSON ``properties`` (the GIS contract), without the link."""

    lat: float
    lon: float
    properties: dict[str, Any]
    link: RecordLink | None = None

    @property
    def layer(self) -> str:
        return str(self.properties["layer"])

    @property
    def status(self) -> str:
        return str(self.properties["status"])


@dataclass(frozen=True)
class MapCollection:
    """The features of a municipality on a day and their count per layer."""

    day: date
    municipality_id: int
    counts: dict[str, int]
    features: list[MapFeature]


@dataclass(frozen=True)
class TownLabel:
    name: str
    lat: float
    lon: float


@dataclass(frozen=True)
class Orientation:
    """The outline (``[lat, lon]`` pairs) and the town labels drawn under the features."""

    outline: list[list[float]]
    towns: list[TownLabel]
    centre: list[float] | None = None  # the municipality's own centre: the first view always holds it


def _link(kind: str, principal: Principal, record_id: int | None = None) -> RecordLink | None:
    return RecordLink(kind, record_id) if principal.role in _LINK_ROLES[kind] else None


def _covering_placements(db: Session, municipality_id: int, day: date) -> list[Placement]:
    return list(
        db.scalars(
            select(Placement).where(
                Placement.municipality_id == municipality_id,
                Placement.status.in_(COVERING_PLACEMENT_STATUSES),
                Placement.start_date <= day,
                or_(Placement.ended_on.is_(None), Placement.ended_on > day),
            )
        )
    )


def _host_location(place: Place, principal: Principal) -> tuple[float, float, str]:
    if place.kind != "host_room" or principal.sees_exact_host_location:
        return place.lat, place.lon, "exact"
    lat, lon = coarse_point(place.lat, place.lon)
    return lat, lon, "approx_1km"


def _host_address(host: Host | None, principal: Principal) -> str | None:
    if host is None or not principal.sees_exact_host_location:
        return None
    return f"{host.street} {host.house_number}, {host.postcode} {host.city}"


def place_features(
    db: Session,
    *,
    principal: Principal,
    municipality_id: int,
    day: date,
    occupants: dict[int, str | None],
    neighbour: bool = False,
) -> list[MapFeature]:
    """Waiting-room dwellings and host rooms with free / occupied / paused on ``day``.

    ``neighbour``: a municipality of the caller's region, shown so a coordinator sees free places
    next door; only the status and the rounded location, never an address, occupant or link.
    """
    rows = db.execute(
        select(Place, Host)
        .outerjoin(Host, Host.id == Place.host_id)
        .where(Place.municipality_id == municipality_id, Place.status.in_(SHOWN_PLACE_STATUSES))
        .order_by(Place.id)
    ).all()
    blocked = set(
        db.scalars(
            select(PlaceUnavailability.place_id)
            .join(Place, Place.id == PlaceUnavailability.place_id)
            .where(
                Place.municipality_id == municipality_id,
                PlaceUnavailability.start_date <= day,
                PlaceUnavailability.end_date > day,
            )
        )
    )
    features = []
    for place, host in rows:
        if place.id in occupants:
            status = "occupied"
        elif (
            place.status == "paused"
            or (host is not None and host.status == "paused")
            or place.id in blocked
            or place.available_from > day
            or (place.available_until is not None and place.available_until <= day)
        ):
            status = "paused"
        else:
            status = "free"
        is_room = place.kind == "host_room"
        if neighbour and is_room:
            lat, lon = coarse_point(place.lat, place.lon)
            precision = "approx_1km"
        else:
            lat, lon, precision = _host_location(place, principal)
        properties: dict[str, Any] = {
            "layer": "host_room" if is_room else "wachtkamer",
            "status": status,
            "ref": place.reference,
            "capacity": place.capacity,
            "accessible": place.accessible,
            "allows_pets": place.allows_pets,
            "allows_children": place.allows_children,
            "address": _host_address(host, principal) if is_room else place.address,
            "occupant_ref": occupants.get(place.id),
            "precision": precision,
        }
        link = None
        if neighbour:
            properties.update(address=None, occupant_ref=None, neighbour=True)
        elif is_room and host is not None:
            properties["host_ref"] = host.reference
            link = _link("host", principal, host.id)
        features.append(MapFeature(lat, lon, properties, link))
    return features


def waiting_features(db: Session, *, principal: Principal, municipality_id: int, day: date) -> list[MapFeature]:
    """Households waiting for a place, at their origin rounded to ~1 km, by reference only."""
    persons = (
        select(HouseholdMember.household_id, func.count().label("n")).group_by(HouseholdMember.household_id).subquery()
    )
    last_eviction = (
        select(Eviction.household_id, func.max(Eviction.eviction_date).label("eviction_date"))
        .group_by(Eviction.household_id)
        .subquery()
    )
    rows = db.execute(
        select(
            Household.id,
            Household.reference,
            Household.origin_lat,
            Household.origin_lon,
            persons.c.n,
            last_eviction.c.eviction_date,
        )
        .outerjoin(persons, persons.c.household_id == Household.id)
        .outerjoin(last_eviction, last_eviction.c.household_id == Household.id)
        .where(
            Household.municipality_id == municipality_id,
            Household.status == "waiting",
            Household.anonymised_at.is_(None),
        )
        .order_by(Household.id)
    ).all()
    features = []
    for household_id, reference, lat, lon, n, eviction_date in rows:
        lat, lon = coarse_point(lat, lon)
        status = "eviction_ahead" if eviction_date is not None and eviction_date > day else "evicted"
        features.append(
            MapFeature(
                lat,
                lon,
                {
                    "layer": "waiting",
                    "status": status,
                    "ref": reference,
                    "persons": int(n or 0),
                    "eviction_date": eviction_date.isoformat() if eviction_date else None,
                    "precision": "approx_1km",
                },
                _link("household", principal, household_id),
            )
        )
    return features


def placement_features(
    db: Session, *, principal: Principal, placements: list[Placement], day: date, policy: PolicyBook, language: str
) -> list[MapFeature]:
    """Current stays at the place's location, with day count, days left and the stay-clock signal."""
    if not placements:
        return []
    places = {p.id: p for p in db.scalars(select(Place).where(Place.id.in_({pl.place_id for pl in placements})))}
    refs = dict(
        db.execute(
            select(Household.id, Household.reference).where(Household.id.in_({pl.household_id for pl in placements}))
        ).all()
    )
    features = []
    for placement in sorted(placements, key=lambda p: p.id):
        place = places[placement.place_id]
        stay = stay_status(
            StayPlacement(
                ref=str(placement.id),
                household_ref=refs[placement.household_id],
                start_date=placement.start_date,
                end_date=placement.ended_on,
                place_ref=place.reference,
            ),
            day,
            policy,
        )
        lat, lon, precision = _host_location(place, principal)
        upcoming = stay.next_deadline
        features.append(
            MapFeature(
                lat,
                lon,
                {
                    "layer": "placement",
                    "status": stay.reached[-1].value if stay.reached else "running",
                    "ref": refs[placement.household_id],
                    "place_ref": place.reference,
                    "place_kind": place.kind,
                    "start_date": placement.start_date.isoformat(),
                    "day_count": stay.day_count,
                    "days_left": (stay.latest_end_date - day).days,
                    "latest_end_date": stay.latest_end_date.isoformat(),
                    "next_signal": None
                    if upcoming is None
                    else {
                        "kind": upcoming.kind.value,
                        "date": upcoming.date.isoformat(),
                        "label": upcoming.label_en if language == "en" else upcoming.label,
                    },
                    "precision": precision,
                },
                _link("household", principal, placement.household_id),
            )
        )
    return features


def storage_features(db: Session, *, principal: Principal, municipality_id: int, day: date) -> list[MapFeature]:
    """Depots with the lots in store and their deadlines (art. 5:30 Awb: 13 weeks from storage)."""
    depots = db.scalars(
        select(StorageDepot).where(StorageDepot.municipality_id == municipality_id).order_by(StorageDepot.id)
    ).all()
    lots: dict[int, list[StorageLot]] = defaultdict(list)
    for lot in db.scalars(
        select(StorageLot)
        .where(StorageLot.municipality_id == municipality_id, StorageLot.status.in_(OPEN_LOT_STATUSES))
        .order_by(StorageLot.deadline, StorageLot.reference)
    ):
        lots[lot.depot_id].append(lot)
    features = []
    for depot in depots:
        stored = lots.get(depot.id, [])
        if not stored:
            status = "empty"
        elif any(lot.deadline <= day for lot in stored):
            status = "deadline_passed"
        else:
            status = "stored"
        first = stored[0] if stored else None
        features.append(
            MapFeature(
                depot.lat,
                depot.lon,
                {
                    "layer": "storage",
                    "status": status,
                    "ref": depot.name,
                    "address": depot.address,
                    "lot_count": len(stored),
                    "lots": [
                        {
                            "ref": lot.reference,
                            "deadline": lot.deadline.isoformat(),
                            "days_left": (lot.deadline - day).days,
                        }
                        for lot in stored
                    ],
                    "next_deadline": None
                    if first is None
                    else {"ref": first.reference, "deadline": first.deadline.isoformat()},
                    "precision": "exact",
                },
                _link("storage", principal),
            )
        )
    return features


def parse_layers(raw: str | None) -> tuple[str, ...]:
    """``layer=a,b`` from a query string; all layers when empty; 422 for an unknown one."""
    if not raw:
        return LAYER_KEYS
    wanted = tuple(part.strip() for part in raw.split(",") if part.strip())
    unknown = [w for w in wanted if w not in LAYER_KEYS]
    if unknown:
        raise InvalidInput(
            code="map.unknown_layer", loc=("query", "layer"), layer=repr(unknown[0]), choices=", ".join(LAYER_KEYS)
        )
    return wanted


def map_collection(
    db: Session,
    *,
    principal: Principal,
    day: date,
    layers: tuple[str, ...] = LAYER_KEYS,
    language: str = "nl",
    audit_read: bool = True,
    region: bool = False,
) -> MapCollection:
    """The FeatureCollection of the caller's municipality on ``day``; the read is audited.

    ``region``: add the waiting-room dwellings and host rooms of the other municipalities of the
    caller's region (``Municipality.region``), as status and rounded location only.
    """
    features = data_version.views.get_or_compute(
        db,
        ("maps.features", principal.municipality_id, principal.role, day, layers, language, region),
        lambda: _features(db, principal=principal, day=day, layers=layers, language=language, region=region),
    )
    counts = dict.fromkeys(layers, 0)
    for feature in features:
        counts[feature.layer] += 1
    if audit_read:
        audit.record(
            db,
            principal=principal,
            action="read",
            object_type="map",
            object_id=day.isoformat(),
            detail={
                "region": region,
                "layers": list(layers),
                "counts": counts,
                "exact_host_location": principal.sees_exact_host_location,
            },
        )
    return MapCollection(day=day, municipality_id=principal.municipality_id, counts=counts, features=features)


def _features(
    db: Session, *, principal: Principal, day: date, layers: tuple[str, ...], language: str, region: bool
) -> list[MapFeature]:
    """The features of :func:`map_collection`, kept per data version (what they show depends on the role)."""
    municipality_id = principal.municipality_id
    try:
        policy = policy_book(db, municipality_id=municipality_id)
        placements = _covering_placements(db, municipality_id, day)
        features: list[MapFeature] = []
        if "wachtkamer" in layers or "host_room" in layers:
            occupant_refs = dict(
                db.execute(
                    select(Household.id, Household.reference).where(
                        Household.id.in_({p.household_id for p in placements})
                    )
                ).all()
            )
            occupants: dict[int, str | None] = {p.place_id: occupant_refs[p.household_id] for p in placements}
            features += [
                f
                for f in place_features(
                    db, principal=principal, municipality_id=municipality_id, day=day, occupants=occupants
                )
                if f.layer in layers
            ]
        if "waiting" in layers:
            features += waiting_features(db, principal=principal, municipality_id=municipality_id, day=day)
        if "placement" in layers:
            features += placement_features(
                db, principal=principal, placements=placements, day=day, policy=policy, language=language
            )
        if "storage" in layers:
            features += storage_features(db, principal=principal, municipality_id=municipality_id, day=day)
        if region and ("wachtkamer" in layers or "host_room" in layers):
            for neighbour_id in region_neighbours(db, municipality_id=municipality_id):
                taken: dict[int, str | None] = {p.place_id: None for p in _covering_placements(db, neighbour_id, day)}
                name = db.get(Municipality, neighbour_id).name  # type: ignore[union-attr]
                features += [
                    MapFeature(f.lat, f.lon, {**f.properties, "municipality": name}, f.link)
                    for f in place_features(
                        db,
                        principal=principal,
                        municipality_id=neighbour_id,
                        day=day,
                        occupants=taken,
                        neighbour=True,
                    )
                    if f.layer in layers
                ]
    except (PolicyDateError, PolicyValueError, InvalidInputError) as exc:
        raise InvalidInput(
            code="map.no_policy_for_day", loc=("query", "date"), day=day.isoformat(), detail=str(exc)
        ) from exc
    return features


def region_neighbours(db: Session, *, municipality_id: int) -> list[int]:
    """Ids of the other municipalities that share the caller's ``Municipality.region`` (none without one)."""
    own = db.get(Municipality, municipality_id)
    if own is None or not own.region:
        return []
    return list(
        db.scalars(
            select(Municipality.id)
            .where(Municipality.region == own.region, Municipality.id != municipality_id)
            .order_by(Municipality.id)
        )
    )


def orientation(db: Session, *, municipality_id: int, collection: MapCollection) -> Orientation:
    """A light outline (convex hull of the towns in view) and town names, so the map needs no tiles."""
    municipality = db.get(Municipality, municipality_id)
    points = [(f.lat, f.lon) for f in collection.features]
    if municipality is None:
        return towns_around(points)
    points.append((municipality.lat, municipality.lon))
    return replace(towns_around(points), centre=[municipality.lat, municipality.lon])


def towns_around(points: list[tuple[float, float]], pad: float = 0.04) -> Orientation:
    """Gazetteer towns inside the padded bounds of ``points`` and their convex hull as the outline."""
    box = bounds(points, pad=pad)
    if box is None:
        return Orientation(outline=[], towns=[])
    (south, west), (north, east) = box
    seen: dict[int, gazetteer.GazetteerPlace] = {}
    for name in ("limburg", "netherlands_15000"):
        for town in gazetteer.load(name):
            if south <= town.lat <= north and west <= town.lon <= east:
                seen[town.geonameid] = town
    towns = sorted(seen.values(), key=lambda t: -t.population)[:TOWN_LIMIT]
    hull_points = [(t.lat, t.lon) for t in seen.values()] + list(points)
    hull = convex_hull(hull_points)
    return Orientation(
        outline=[[round(lat, 4), round(lon, 4)] for lat, lon in hull],
        towns=[TownLabel(name=t.name, lat=t.lat, lon=t.lon) for t in towns],
    )


__all__ = [
    "MAP_ROLES",
    "MapCollection",
    "MapFeature",
    "Orientation",
    "RecordLink",
    "TownLabel",
    "map_collection",
    "orientation",
    "parse_layers",
    "policy_book",
    "region_neighbours",
    "towns_around",
]
