"""Vetting items with an expiry (the matching leaves the host out from the expiry day), the renewal mail,
the stay-day flags and the jobs runner (registry, idempotence, CLI)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from typer.testing import CliRunner

from api.board.models import BoardFlag
from api.core.models import OutboxMessage
from api.hosts.models import Host
from api.hosts.vetting_models import HostVettingItem
from api.matching import service as matching
from api.placements.models import Placement
from api.places.models import Place
from tests.api.matching.support import municipality_id
from tests.api.offers.conftest import DEMO_DAY, run_jobs


def _active_host_with_room(db) -> tuple[Host, Place]:
    place = db.scalars(
        select(Place)
        .join(Host, Host.id == Place.host_id)
        .where(Host.status == "active", Place.status == "active", Place.municipality_id == municipality_id(db))
        .order_by(Place.reference)
    ).first()
    return place.host, place


def _places(db, day):
    return {p["id"] for p in matching.instance_for(db, municipality_id=municipality_id(db), day=day)["places"]}


def test_an_expired_vog_keeps_the_host_out_from_the_expiry_day(client, as_role, db, fixed):  # noqa: ARG001
    host, place = _active_host_with_room(db)
    expires = DEMO_DAY + timedelta(days=1)
    response = client.put(
        f"/api/hosts/{host.id}/vetting/vog",
        json={"done_on": "2023-12-01", "expires_on": expires.isoformat()},
        headers=as_role("coordinator"),
    )
    assert response.status_code == 200, response.text
    assert response.json()["expired"] is False
    assert place.reference in _places(db, DEMO_DAY)  # the day before the expiry: still proposed
    assert place.reference not in _places(db, expires)  # on the expiry day: out
    page = client.get(f"/matching?date={expires.isoformat()}", headers=as_role("crisis_team"))
    assert 'id="niet-voorgesteld"' in page.text and host.reference in page.text


def test_vetting_input_is_checked_naming_the_field(client, as_role, db, fixed):  # noqa: ARG001
    host, _ = _active_host_with_room(db)
    headers = as_role("coordinator")
    wrong_kind = client.put(f"/api/hosts/{host.id}/vetting/horoscope", json={"done_on": "2026-01-01"}, headers=headers)
    assert wrong_kind.status_code == 422 and wrong_kind.json()["detail"][0]["loc"] == ["body", "kind"]
    backwards = client.put(
        f"/api/hosts/{host.id}/vetting/vog", json={"done_on": "2026-01-01", "expires_on": "2025-01-01"}, headers=headers
    )
    assert backwards.status_code == 422 and backwards.json()["detail"][0]["loc"] == ["body", "expires_on"]
    other = as_role("coordinator", "heerlen")
    assert (
        client.put(f"/api/hosts/{host.id}/vetting/vog", json={"done_on": "2026-01-01"}, headers=other).status_code
        == 404
    )
    assert db.scalar(select(HostVettingItem.id).where(HostVettingItem.host_id == host.id)) is None


def test_the_renewal_mail_goes_once_28_days_before(client, as_role, db, fixed):  # noqa: ARG001
    host, _ = _active_host_with_room(db)
    client.put(
        f"/api/hosts/{host.id}/vetting/identity",
        json={"done_on": "2020-01-01", "expires_on": (DEMO_DAY + timedelta(days=29)).isoformat()},
        headers=as_role("coordinator"),
    )
    assert run_jobs(db, "hosts.vetting_renewal") == {"hosts.vetting_renewal": 0}  # 29 days ahead: not yet
    fixed.advance(timedelta(days=1))
    assert run_jobs(db, "hosts.vetting_renewal") == {"hosts.vetting_renewal": 1}
    assert run_jobs(db, "hosts.vetting_renewal") == {"hosts.vetting_renewal": 0}
    mail = db.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
    assert mail.recipient == host.email and "Graag vernieuwen" in mail.subject


def test_stays_are_flagged_once_three_days_before_day_42(db, fixed):
    placement = db.scalars(select(Placement).where(Placement.status.in_(("confirmed", "started")))).first()
    placement.arrived_on = None
    placement.start_date = DEMO_DAY - timedelta(days=38)  # the stay clock's day 42 falls on start + 42 = today + 4
    db.flush()
    flags = select(BoardFlag).where(BoardFlag.object_id == placement.id, BoardFlag.mark == "42")
    run_jobs(db, "stays.flag_days")
    assert db.scalar(flags) is None
    fixed.advance(timedelta(days=1))  # three days before the mark
    run_jobs(db, "stays.flag_days")
    assert db.scalar(flags) is not None
    assert run_jobs(db, "stays.flag_days") == {"stays.flag_days": 0}


def test_the_registry_lists_every_job_and_the_cli_refuses_an_unknown_one():
    from api.shell.cli import app

    listed = CliRunner().invoke(app, ["jobs", "list"])
    assert listed.exit_code == 0
    for name in ("offers.expire", "offers.remind", "stays.flag_days", "hosts.vetting_renewal"):
        assert name in listed.output
    unknown = CliRunner().invoke(app, ["jobs", "run", "--only", "nope"])
    assert unknown.exit_code == 2 and "jobs.unknown" in unknown.output


def test_a_job_another_runner_holds_is_skipped_on_postgresql(db, engine, backend, fixed):  # noqa: ARG001
    import zlib

    import pytest
    from sqlalchemy import text

    from api.shell.jobs_cli import JOB_LOCK_CLASS, load_jobs, run_job

    if backend != "postgresql":
        pytest.skip("SQLite serialises every writer already; the advisory lock is PostgreSQL's")
    job = next(j for j in load_jobs() if j.name == "offers.expire")
    key = zlib.crc32(job.name.encode()) & 0x7FFFFFFF
    with engine.connect() as other:
        with other.begin():
            other.execute(text("SELECT pg_advisory_xact_lock(:k, :n)"), {"k": JOB_LOCK_CLASS, "n": key})
            assert run_job(db, job).done is None  # skipped while the other runner holds it
    assert run_job(db, job).done == 0  # released at the other's commit: runs (nothing due)
