"""The host limit (``max_households``) and the lock that guards it, shared by every path that creates or
lengthens a stay: decisions on proposals and manual placements (api.matching.decisions) and extensions
(api.stays). It lives with the hosts so that both, in different layers, take one and the same lock."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.core.errors import Conflict
from api.hosts.models import Host
from api.placements.models import LIVE_STATUSES, Placement
from api.places.models import Place


def lock_host_and_check_limit(db: Session, *, place: Place, start: date, end: date) -> None:
    """The host row is locked (``SELECT ... FOR UPDATE``; on SQLite the write transaction is already
    serialised) and its ``max_households`` re-checked against the live placements in any of its rooms
    that overlap ``[start, end)``: two decisions for two rooms of one host queue up on the host row,
    and the second one sees the first one's placement. Every path into a placement calls this."""
    if place.host_id is None:
        return
    host = db.scalar(
        select(Host).where(Host.id == place.host_id).with_for_update().execution_options(populate_existing=True)
    )
    if host is None or host.max_households is None:
        return
    stays = db.execute(
        select(Placement.start_date, Placement.end_date)
        .join(Place, Place.id == Placement.place_id)
        .where(
            Place.host_id == host.id,
            Placement.status.in_(LIVE_STATUSES),
            Placement.start_date < end,
            Placement.end_date > start,
        )
    ).all()
    # the most stays on one day of the new stay: count at each start that lies inside the new stay
    days = {start} | {s for s, _ in stays if s > start}
    busiest = max((sum(1 for s, e in stays if s <= day < e) for day in days), default=0)
    if busiest + 1 > host.max_households:
        raise Conflict(code="placement.host_limit", loc=("body", "place_id"), limit=host.max_households)
