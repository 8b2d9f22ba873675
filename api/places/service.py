"""Host rooms and their availability. Services flush, never commit.

Why here and not in hosts: a room is a :class:`~api.places.models.Place` (kind ``host_room``), the unit
the matcher places a household in; the hosts domain decides *when* rooms go live (activation, pause,
withdrawal) and calls these functions. Only places with status ``active`` of an ``active`` host go into
the daily matching (api/matching/instance.py).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from api.core import audit, clock, geocoding
from api.core.errors import Conflict, InvalidInput, NotFound
from api.core.models import Municipality
from api.core.principal import Principal
from api.core.tenancy import owned
from api.places.models import Place, PlaceUnavailability
from api.places.schemas import PlaceUpdate, WachtkamerCreate

if TYPE_CHECKING:  # a place may belong to a host; the hosts domain sits above places
    from api.hosts.models import Host

MIN_CAPACITY, MAX_CAPACITY = 1, 12  # ck_place_capacity


def _next_reference(db: Session, prefix: str) -> int:
    refs = db.scalars(select(Place.reference).where(Place.reference.like(f"{prefix}%"))).all()
    numbers = [int(r[len(prefix) :]) for r in refs if r[len(prefix) :].isdigit()]
    return max(numbers, default=0) + 1


def add_host_room(
    db: Session,
    *,
    host: Host,
    municipality_code: str,
    capacity: int,
    accessible: bool,
    allows_pets: bool,
    allows_children: bool,
    available_from: date,
    available_until: date | None,
    busy: list[tuple[date, date]] = (),  # type: ignore[assignment]
) -> Place:
    """A new room of ``host``, status ``pending`` until the host is activated."""
    _check_window(available_from, available_until)
    if not MIN_CAPACITY <= capacity <= MAX_CAPACITY:
        raise InvalidInput(code="place.capacity_range", loc=("body", "capacity"))
    prefix = f"KM-{municipality_code[2:]}-"
    place = Place(
        municipality_id=host.municipality_id,
        reference=f"{prefix}{_next_reference(db, prefix):03d}",
        kind="host_room",
        host_id=host.id,
        label=f"Logeerkamer {host.city}",
        address=None,  # hosts keep their address on the host row (need-to-know)
        lat=host.lat,
        lon=host.lon,
        capacity=capacity,
        accessible=accessible,
        allows_pets=allows_pets,
        allows_children=allows_children,
        available_from=available_from,
        available_until=available_until,
        status="pending",
    )
    place.unavailable = [PlaceUnavailability(start_date=s, end_date=e, reason=None) for s, e in busy]
    db.add(place)
    db.flush()
    return place


def host_rooms(db: Session, *, host_id: int) -> list[Place]:
    return list(
        db.scalars(
            select(Place)
            .where(Place.host_id == host_id, Place.kind == "host_room")
            .options(selectinload(Place.unavailable))
            .order_by(Place.id)
        ).all()
    )


def set_host_rooms_status(db: Session, *, host_id: int, status: str, only_from: tuple[str, ...] | None = None) -> int:
    """Set every room of the host to ``status`` (optionally only rooms now in ``only_from``)."""
    changed = 0
    for place in host_rooms(db, host_id=host_id):
        if only_from is None or place.status in only_from:
            if place.status != status:
                place.status = status
                changed += 1
    db.flush()
    return changed


def room_of_host(db: Session, *, place_id: int, host_id: int) -> Place:
    """A room that belongs to this host; any other id is 'not found' (no probing of others' rooms)."""
    place = db.get(Place, place_id)
    if place is None or place.host_id != host_id or place.kind != "host_room":
        raise NotFound(code="place.room_not_found", loc=("path", "place_id"))
    return place


def _check_window(start: date, until: date | None) -> None:
    if until is not None and until <= start:
        raise InvalidInput(code="place.end_before_start", loc=("body", "available_until"))


def change_availability(
    db: Session, *, principal: Principal, place: Place, available_from: date, available_until: date | None
) -> Place:
    _check_window(available_from, available_until)
    place.available_from, place.available_until = available_from, available_until
    db.flush()
    audit.record(
        db,
        principal=principal,
        action="update",
        object_type="place",
        object_id=place.id,
        detail={"fields": ["available_from", "available_until"]},
    )
    return place


def add_busy_period(db: Session, *, principal: Principal, place: Place, start: date, end: date) -> PlaceUnavailability:
    if end <= start:
        raise InvalidInput(code="place.end_before_start", loc=("body", "end_date"))
    period = PlaceUnavailability(place_id=place.id, start_date=start, end_date=end)
    db.add(period)
    db.flush()
    audit.record(
        db,
        principal=principal,
        action="create",
        object_type="place_unavailability",
        object_id=period.id,
        detail={"place_id": place.id},
    )
    return period


def remove_busy_period(db: Session, *, principal: Principal, place: Place, period_id: int) -> None:
    period = db.get(PlaceUnavailability, period_id)
    if period is None or period.place_id != place.id:
        raise NotFound(code="place.period_not_found", loc=("path", "period_id"))
    db.delete(period)
    db.flush()
    audit.record(
        db,
        principal=principal,
        action="delete",
        object_type="place_unavailability",
        object_id=period_id,
        detail={"place_id": place.id},
    )


def list_places(
    db: Session, *, municipality_id: int, kind: str | None = None, status: str | None = None
) -> list[Place]:
    query = select(Place).where(Place.municipality_id == municipality_id).order_by(Place.reference)
    if kind:
        query = query.where(Place.kind == kind)
    if status:
        query = query.where(Place.status == status)
    return list(db.scalars(query).all())


def count_active_rooms(db: Session, *, municipality_id: int) -> int:
    return int(
        db.scalar(
            select(func.count(Place.id)).where(
                Place.municipality_id == municipality_id, Place.kind == "host_room", Place.status == "active"
            )
        )
        or 0
    )


# ---------------------------------------------------------------- management: add, edit, pause, retire


def get_place(db: Session, *, principal: Principal, place_id: int) -> Place:
    """A place of the caller's municipality; any other id is 'not found'."""
    return owned(db, Place, place_id, principal, code="place.not_found", loc=("path", "place_id"))


def _locate(db: Session, municipality_id: int, postcode: str, house_number: str) -> geocoding.GeoResult:
    municipality = db.get(Municipality, municipality_id)
    near = (municipality.lat, municipality.lon) if municipality else None
    found = geocoding.current().lookup(postcode, house_number, near=near)
    if found is None:  # only without a municipality centre: cannot happen for a tenant
        raise InvalidInput(code="household.location_missing", loc=("body", "postcode"))
    return found


def add_wachtkamer(db: Session, *, principal: Principal, data: WachtkamerCreate) -> Place:
    """A new waiting-room dwelling, active from ``available_from``, located through the geocoder."""
    municipality = db.get(Municipality, principal.municipality_id)
    assert municipality is not None
    prefix = f"WK-{municipality.code[2:]}-"
    found = _locate(db, principal.municipality_id, data.postcode, data.house_number)
    place = Place(
        municipality_id=principal.municipality_id,
        reference=f"{prefix}{_next_reference(db, prefix):02d}",
        kind="wachtkamer",
        label=data.label,
        address=data.address,
        postcode=geocoding.compact_postcode(data.postcode),
        house_number=data.house_number,
        lat=found.lat,
        lon=found.lon,
        location_approximate=found.approximate,
        capacity=data.capacity,
        accessible=data.accessible,
        allows_pets=data.allows_pets,
        allows_children=data.allows_children,
        available_from=data.available_from,
        available_until=data.available_until,
        status="active",
    )
    db.add(place)
    db.flush()
    audit.record(db, principal=principal, action="create", object_type="place", object_id=place.id)
    return place


def update_place(db: Session, *, principal: Principal, place: Place, data: PlaceUpdate) -> list[str]:
    """Apply the fields given; a new postcode or house number of a dwelling moves it (geocoder)."""
    if place.status == "inactive" and place.retired_on is not None:
        raise Conflict(code="place.retired", loc=("path", "place_id"))
    given = data.model_fields_set
    own_location = ("label", "address", "postcode", "house_number")
    if place.kind != "wachtkamer" and given & set(own_location):
        field = sorted(given & set(own_location))[0]
        raise InvalidInput(code="place.kind_not_editable", loc=("body", field))
    changed: list[str] = []
    for field in (*own_location, "capacity", "accessible", "allows_pets", "allows_children"):
        value = getattr(data, field)
        if field == "postcode" and value is not None:
            value = geocoding.compact_postcode(value)
        if field in given and value is not None and getattr(place, field) != value:
            setattr(place, field, value)
            changed.append(field)
    if {"postcode", "house_number"} & set(changed) and place.postcode and place.house_number:
        found = _locate(db, place.municipality_id, place.postcode, place.house_number)
        place.lat, place.lon, place.location_approximate = found.lat, found.lon, found.approximate
        changed.append("location")
    db.flush()
    if changed:
        audit.record(
            db,
            principal=principal,
            action="update",
            object_type="place",
            object_id=place.id,
            detail={"fields": changed},
        )
    return changed


def pause_place(db: Session, *, principal: Principal, place: Place, until: date, reason: str) -> PlaceUnavailability:
    """Block the place from today through ``until`` (a busy period with a reason: the matcher skips it,
    the occupancy calendar shows it, and it ends by itself; no job has to lift it)."""
    if place.status == "inactive" and place.retired_on is not None:
        raise Conflict(code="place.retired", loc=("path", "place_id"))
    today = clock.today()
    if until < today:
        raise InvalidInput(code="place.pause_in_past", loc=("body", "until"))
    period = PlaceUnavailability(place_id=place.id, start_date=today, end_date=until + timedelta(days=1), reason=reason)
    db.add(period)
    db.flush()
    audit.record(
        db,
        principal=principal,
        action="pause",
        object_type="place",
        object_id=place.id,
        detail={"until": until.isoformat(), "period_id": period.id},  # the reason stays on the period
    )
    return period


def retire_place(db: Session, *, principal: Principal, place: Place, reason: str) -> Place:
    """Take the place out of use for good (status ``inactive``). The caller (api.placements.closing)
    first checks that no placement still runs in it."""
    if place.status == "inactive" and place.retired_on is not None:
        raise Conflict(code="place.retired", loc=("path", "place_id"))
    place.status = "inactive"
    place.retired_on = clock.today()
    place.retire_reason = reason
    db.flush()
    audit.record(
        db,
        principal=principal,
        action="retire",
        object_type="place",
        object_id=place.id,
        detail={"fields": ["status", "retired_on", "retire_reason"]},
    )
    return place
