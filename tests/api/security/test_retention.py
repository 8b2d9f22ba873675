"""Retention: closed cases and ended hosts are anonymised after their period; the figures survive."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, date, datetime

from sqlalchemy import func, select

from api.core.models import AuditEvent, Municipality
from api.hosts.models import Host, HostMember
from api.households.models import Eviction, Household, HouseholdMember
from api.placements.models import Placement
from api.placements.report import month_report
from api.shell import retention
from tests.conftest import DEMO_DAY


def _maastricht(db) -> int:
    return db.scalar(select(Municipality.id).where(Municipality.code == "GM0935"))


def _close_cases(db, mid: int) -> tuple[list[int], int, int]:
    """Three cases closed in 2024 (due), one closed last month (not due), one host withdrawn in 2024."""
    placements = db.scalars(
        select(Placement).where(Placement.municipality_id == mid, Placement.status == "started").order_by(Placement.id)
    ).all()
    assert len(placements) >= 4
    old = []
    for i, p in enumerate(placements[:4]):
        recent = i == 3
        p.status = "ended"
        p.start_date = date(2026, 9, 1) if recent else date(2024, 3, 1)
        p.end_date = date(2026, 10, 20) if recent else date(2024, 4, 20)
        p.arrived_on = p.start_date
        p.ended_on = date(2026, 10, 15) if recent else date(2024, 4, 15 + i)
        p.outcome = ("back_home_addendum", "shelter", "other_home", "own_network")[i]
        p.end_note = "persoonlijke notitie"
        household = db.get(Household, p.household_id)
        household.status = "closed"
        household.closed_at = datetime(2026, 10, 16, tzinfo=UTC) if recent else datetime(2024, 4, 16, tzinfo=UTC)
        if not recent:
            old.append(household.id)
        recent_id = household.id
    host = db.scalar(select(Host).where(Host.municipality_id == mid, Host.status == "paused").order_by(Host.id))
    host.status = "withdrawn"
    host.withdrawn_at = datetime(2024, 1, 10, tzinfo=UTC)
    db.flush()
    return old, recent_id, host.id


def _reports(db, mid):
    months = ["2024-03", "2024-04", "2026-09", "2026-10"]
    return [month_report(db, municipality_id=mid, month=m) for m in months]


def test_dry_run_plans_but_changes_nothing(db):
    mid = _maastricht(db)
    old, recent, host_id = _close_cases(db, mid)
    plan = retention.purge(db, municipality_id=mid, today=DEMO_DAY)
    assert plan.applied is False
    assert plan.households == sorted(old) and recent not in plan.households
    assert plan.hosts == [host_id]
    assert all(db.get(Household, h).display_name != retention.ANONYMISED for h in old)
    assert "would anonymise 3 closed households" in plan.summary()


def test_purge_anonymises_and_the_figures_survive(db):
    mid = _maastricht(db)
    old, recent, host_id = _close_cases(db, mid)
    stats_before = retention.statistics(db, municipality_id=mid)
    reports_before = _reports(db, mid)

    plan = retention.purge(db, municipality_id=mid, today=DEMO_DAY, apply=True)
    db.expire_all()

    assert plan.applied and plan.households == sorted(old)
    for household_id in old:
        household = db.get(Household, household_id)
        assert household.display_name == retention.ANONYMISED and household.anonymised_at is not None
        assert household.origin_postcode is None and household.case_worker_id is None
        assert round(household.origin_lat, 2) == household.origin_lat
        assert db.scalar(select(func.count()).where(HouseholdMember.household_id == household_id)) == 0
        evictions = db.scalars(select(Eviction).where(Eviction.household_id == household_id)).all()
        assert evictions and all(e.bailiff_reference == retention.ANONYMISED for e in evictions)
        placement = db.scalar(select(Placement).where(Placement.household_id == household_id))
        assert placement.end_note is None and placement.outcome is not None
    assert db.get(Household, recent).display_name != retention.ANONYMISED  # closed last month: kept

    host = db.get(Host, host_id)
    assert host.name == retention.ANONYMISED and host.phone is None and host.street == retention.ANONYMISED
    assert host.email.endswith("@invalid")
    assert db.scalar(select(func.count()).where(HostMember.host_id == host_id)) == 0

    assert retention.statistics(db, municipality_id=mid) == stats_before
    assert _reports(db, mid) == reports_before
    assert sum(r.placed for r in reports_before) >= 4 and reports_before[1].ended == 3

    trail = db.scalars(select(AuditEvent).where(AuditEvent.action == "anonymise")).all()
    assert {e.object_id for e in trail if e.object_type == "household"} >= {str(h) for h in old}

    again = retention.purge(db, municipality_id=mid, today=DEMO_DAY, apply=True)
    assert again.households == [] and again.hosts == []  # idempotent


def test_a_municipality_override_changes_the_period(db):
    from api.core.models import PolicyParameter

    mid = _maastricht(db)
    old, recent, _ = _close_cases(db, mid)
    db.add(
        PolicyParameter(
            municipality_id=mid,
            key="household_data_retention",
            valid_from=date(2026, 1, 1),
            value_json={"months_after_closure": 1},
            source="privacybeleid gemeente (test)",
        )
    )
    db.flush()
    plan = retention.plan(db, municipality_id=mid, today=DEMO_DAY)
    assert recent in plan.households and set(old) <= set(plan.households)


def test_cli_purge_is_a_dry_run_by_default(demo_url):
    env = {"ONDERDAK_DATABASE_URL": demo_url, "ONDERDAK_ENV": "test", "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-m", "api", "purge", "--date", DEMO_DAY.isoformat()],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "GM0935: would anonymise" in result.stdout and "dry run" in result.stdout
    unknown = subprocess.run(
        [sys.executable, "-m", "api", "purge", "--municipality", "GM0000"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert unknown.returncode == 2 and "unknown municipality GM0000" in unknown.stderr


def test_a_host_keeps_the_period_it_was_told_when_consenting(db):
    mid = _maastricht(db)
    _, _, host_id = _close_cases(db, mid)
    host = db.get(Host, host_id)
    host.consent_retention_months = 36  # withdrawn January 2024: due only from January 2027
    db.flush()
    assert host_id not in retention.plan(db, municipality_id=mid, today=DEMO_DAY).hosts
    host.consent_retention_months = 12
    db.flush()
    assert host_id in retention.plan(db, municipality_id=mid, today=DEMO_DAY).hosts
