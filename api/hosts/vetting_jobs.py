"""Scheduled: ask hosts in time to renew a vetting item before it expires (once per item and expiry)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.core import audit, clock, mail
from api.core.jobs import job
from api.hosts import reconfirm
from api.hosts.models import Host
from api.hosts.vetting import KIND_LABELS, REMIND_DAYS_BEFORE
from api.hosts.vetting_models import HostVettingItem


@job("hosts.vetting_renewal", f"mail a host {REMIND_DAYS_BEFORE} days before a vetting item expires (once)")
def remind_renewal(db: Session) -> int:
    horizon = clock.today() + timedelta(days=REMIND_DAYS_BEFORE)
    due = db.execute(
        select(HostVettingItem, Host)
        .join(Host, Host.id == HostVettingItem.host_id)
        .where(
            Host.status.in_(("vetted", "active", "paused")),
            HostVettingItem.expires_on.is_not(None),
            HostVettingItem.expires_on <= horizon,
            HostVettingItem.reminded_at.is_(None),
        )
        .order_by(HostVettingItem.id)
        .with_for_update(of=HostVettingItem, skip_locked=True)
    ).all()
    for item, host in due:
        assert item.expires_on is not None
        label = KIND_LABELS[item.kind][0]
        mail.queue(
            db,
            recipient=host.email,
            subject=f"Graag vernieuwen: {label}",
            body=(
                "Beste gastgever,\n\n"
                f"Uw {label} is geldig tot {item.expires_on:%d-%m-%Y}. "
                "Daarna kunnen wij u geen logés meer vragen, tot het vernieuwd is.\n"
                "Neem contact op met de coördinator van de gemeente om dit te regelen.\n\n"
                "Met vriendelijke groet,\nHet crisisteam\n"
            ),
            municipality_id=host.municipality_id,
        )
        item.reminded_at = clock.now()
        audit.record(
            db,
            principal=None,
            action="remind",
            object_type="host_vetting_item",
            object_id=item.id,
            municipality_id=host.municipality_id,
            detail={"host_id": host.id, "kind": item.kind, "expires_on": item.expires_on.isoformat()},
        )
    db.flush()
    return len(due)


@job("hosts.reconfirm", "unanswered reconfirmation links expire; active hosts due get a link to reconfirm availability")
def reconfirm_availability(db: Session) -> int:
    """Expire first, so a host whose link just expired gets the next one in the same run."""
    return reconfirm.expire_due(db) + reconfirm.send_due(db)
