"""Every list's filter and sort can be served by an index on PostgreSQL (migration 0013).

On the small demo the planner rightly prefers reading the table, so sequential scans are switched off
for the EXPLAIN: what is left must be an index scan on the list's own table, never a ``Seq Scan`` of it.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select, text

from api.admin.service import AuditFilter
from api.admin.service import _query as audit_query
from api.core.listing import ListQuery, filtered, ordered
from api.hosts.listing import SPEC as HOSTS
from api.hosts.models import Host
from api.households.listing import SPEC as HOUSEHOLDS
from api.households.models import Household
from api.matching.listing import SPEC as PROPOSALS
from api.matching.models import Proposal
from api.placements.listing import SPEC as PLACEMENTS
from api.placements.models import Placement
from api.places.listing import SPEC as PLACES
from api.places.models import Place
from api.storage.listing import SPEC as LOTS
from api.storage.models import StorageLot

CASES = [  # table, query, spec, status filter, sort, the index (migration 0013) that should serve it
    (
        "household",
        select(Household).where(Household.municipality_id == 1),
        HOUSEHOLDS,
        "waiting",
        None,
        "ix_household_municipality_status",
    ),
    ("place", select(Place).where(Place.municipality_id == 1), PLACES, "active", None, "ix_place_municipality_status"),
    (
        "place",
        select(Place).where(Place.municipality_id == 1),
        PLACES,
        None,
        "available_from",
        "ix_place_municipality_available",
    ),
    (
        "placement",
        select(Placement).where(Placement.municipality_id == 1),
        PLACEMENTS,
        "started",
        None,
        # a live status: the partial index over live stays (the overlap guard) serves it as well
        "ix_placement_municipality_status|ex_placement_place_live_overlap",
    ),
    (
        "placement",
        select(Placement).where(Placement.municipality_id == 1),
        PLACEMENTS,
        None,
        None,
        "ix_placement_municipality_",  # either list index of the placement (the planner may sort a tiny table)
    ),
    ("host", select(Host).where(Host.municipality_id == 1), HOSTS, "pending", None, "ix_host_municipality_status"),
    (
        "storage_lot",
        select(StorageLot).where(StorageLot.municipality_id == 1),
        LOTS,
        "stored",
        "stored_on",
        "ix_storage_lot_municipality_status",
    ),
    ("proposal", select(Proposal).where(Proposal.run_id == 1), PROPOSALS, "open", None, "ix_proposal_run_status"),
]


@pytest.fixture
def pg(db, backend):
    if backend != "postgresql":
        pytest.skip("EXPLAIN plans are PostgreSQL's")
    db.execute(text("SET LOCAL enable_seqscan = off"))
    return db


def _plan(db, stmt) -> str:
    sql = stmt.compile(dialect=db.get_bind().dialect, compile_kwargs={"literal_binds": True})
    return "\n".join(row[0] for row in db.execute(text(f"EXPLAIN {sql}")))


@pytest.mark.parametrize(
    ("table", "stmt", "spec", "status", "sort", "index"), CASES, ids=[c[5].split("|")[0] for c in CASES]
)
def test_list_query_uses_its_index(pg, table, stmt, spec, status, sort, index):
    query = ListQuery(limit=50, status=status, sort=sort)
    plan = _plan(pg, ordered(filtered(stmt, spec, query), spec, query).limit(50))
    assert f"Seq Scan on {table}" not in plan, plan
    assert any(name in plan for name in index.split("|")), plan


def test_audit_trail_of_a_municipality_uses_its_index(pg):
    stmt = audit_query(1, AuditFilter()).order_by(text("audit_event.at DESC"))
    plan = _plan(pg, stmt.limit(100))
    assert "Seq Scan on audit_event" not in plan and "ix_audit_event_municipality_at" in plan, plan
