"""What the map should show, counted straight from the tables (independently of api.maps.service)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from api.households.models import Household
from api.placements.models import Placement
from api.places.models import Place
from api.storage.models import StorageDepot


def expected_counts(db: Session, municipality_id: int, day: date) -> dict[str, int]:
    def count(model, *where) -> int:
        return int(
            db.scalar(select(func.count()).select_from(model).where(model.municipality_id == municipality_id, *where))
        )

    shown = Place.status.in_(("active", "paused"))
    return {
        "wachtkamer": count(Place, Place.kind == "wachtkamer", shown),
        "host_room": count(Place, Place.kind == "host_room", shown),
        "waiting": count(Household, Household.status == "waiting", Household.anonymised_at.is_(None)),
        "placement": count(
            Placement,
            Placement.status.in_(("confirmed", "started", "ended")),
            Placement.start_date <= day,
            or_(Placement.ended_on.is_(None), Placement.ended_on > day),
        ),
        "storage": count(StorageDepot),
    }
