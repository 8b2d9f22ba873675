"""Dated vetting items: record one, find hosts held back by an expired required item, and those to remind.

Why here and not in the matcher: expiry is a fact about the records on a day, like the landlord's consent;
the instance builder asks :func:`held_back_hosts` and leaves those hosts' rooms out, and the matching page
and the day board say why.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.core import audit, clock
from api.core.errors import InvalidInput
from api.core.principal import Principal
from api.hosts import reconfirm
from api.hosts.models import Host
from api.hosts.vetting_models import VETTING_KINDS, HostVettingItem

#: Items without which a host is not proposed once they have expired (references are welcome, not required;
#: the landlord's consent is rule E6 of the matcher already and is checked there).
REQUIRED_KINDS = ("identity", "home_visit", "vog")
#: How long before the expiry the host is asked to renew.
REMIND_DAYS_BEFORE = 28

KIND_LABELS: dict[str, tuple[str, str]] = {
    "identity": ("identiteitsbewijs gezien", "identity document seen"),
    "home_visit": ("huisbezoek", "home visit"),
    "vog": ("verklaring omtrent het gedrag (VOG)", "certificate of good conduct (VOG)"),
    "references": ("referenties", "references"),
    "landlord_consent": ("toestemming verhuurder", "landlord consent"),
    # not an item but the same effect: the host did not reconfirm availability in time (api.hosts.reconfirm)
    reconfirm.KIND: ("beschikbaarheid niet op tijd bevestigd", "availability not reconfirmed in time"),
}


def record_item(
    db: Session,
    *,
    principal: Principal,
    host: Host,
    kind: str,
    done_on: date,
    expires_on: date | None,
) -> HostVettingItem:
    """Record (or renew) one dated item; a renewal replaces the earlier date and expiry."""
    if kind not in VETTING_KINDS:
        raise InvalidInput(code="vetting.kind_unknown", loc=("body", "kind"), kind=repr(kind))
    if done_on > clock.today():
        raise InvalidInput(code="vetting.done_in_future", loc=("body", "done_on"))
    if expires_on is not None and expires_on <= done_on:
        raise InvalidInput(code="vetting.expiry_before_done", loc=("body", "expires_on"))
    item = db.scalar(select(HostVettingItem).where(HostVettingItem.host_id == host.id, HostVettingItem.kind == kind))
    if item is None:
        item = HostVettingItem(host_id=host.id, kind=kind, done_on=done_on)
        db.add(item)
    item.done_on, item.expires_on, item.recorded_by, item.reminded_at = done_on, expires_on, principal.user_id, None
    db.flush()
    audit.record(
        db,
        principal=principal,
        action="update",
        object_type="host_vetting_item",
        object_id=item.id,
        detail={"host_id": host.id, "kind": kind, "fields": ["done_on", "expires_on"]},
    )
    return item


def items_of(db: Session, host_id: int) -> list[HostVettingItem]:
    return list(db.scalars(select(HostVettingItem).where(HostVettingItem.host_id == host_id).order_by("kind")))


def held_back_hosts(db: Session, *, municipality_id: int, day: date) -> dict[int, list[str]]:
    """Host id → the required kinds that are no longer valid on ``day`` (expiry day itself included), and
    ``availability`` for a host whose reconfirmation link expired unanswered (:mod:`api.hosts.reconfirm`)."""
    rows = db.execute(
        select(HostVettingItem.host_id, HostVettingItem.kind)
        .join(Host, Host.id == HostVettingItem.host_id)
        .where(
            Host.municipality_id == municipality_id,
            HostVettingItem.kind.in_(REQUIRED_KINDS),
            HostVettingItem.expires_on.is_not(None),
            HostVettingItem.expires_on <= day,
        )
        .order_by(HostVettingItem.host_id, HostVettingItem.kind)
    )
    result: dict[int, list[str]] = {}
    for host_id, kind in rows:
        result.setdefault(host_id, []).append(kind)
    # A lapsed reconfirmation holds a host back from now on, whatever the day planned (a fact of today).
    for host_id in sorted(reconfirm.lapsed_hosts(db, municipality_id=municipality_id)):
        result.setdefault(host_id, []).append(reconfirm.KIND)
    return result


def held_back_descriptions(db: Session, *, municipality_id: int, day: date) -> list[tuple[int, str, str]]:
    """(host id, reference, Dutch reason) for each host the matching leaves out on ``day``: the reason visible."""
    held = held_back_hosts(db, municipality_id=municipality_id, day=day)
    refs = dict(db.execute(select(Host.id, Host.reference).where(Host.id.in_(list(held)))).all()) if held else {}
    return [
        (host_id, refs[host_id], "verlopen: " + ", ".join(KIND_LABELS[k][0] for k in kinds))
        for host_id, kinds in sorted(held.items(), key=lambda kv: refs[kv[0]])
    ]


@dataclass(frozen=True)
class ExpiringItem:
    host_id: int
    host_reference: str
    kind: str
    expires_on: date

    @property
    def expired(self) -> bool:
        return self.expires_on <= clock.today()


def expiring_items(db: Session, *, municipality_id: int, day: date, within_days: int) -> list[ExpiringItem]:
    """Items of live hosts expiring before ``day + within_days`` (expired ones included), soonest first."""
    rows = db.execute(
        select(HostVettingItem.host_id, Host.reference, HostVettingItem.kind, HostVettingItem.expires_on)
        .join(Host, Host.id == HostVettingItem.host_id)
        .where(
            Host.municipality_id == municipality_id,
            Host.status.in_(("vetted", "active", "paused")),
            HostVettingItem.expires_on.is_not(None),
            HostVettingItem.expires_on < day + timedelta(days=within_days),
        )
        .order_by(HostVettingItem.expires_on, Host.reference)
    )
    return [ExpiringItem(h, ref, kind, exp) for h, ref, kind, exp in rows if exp is not None]
