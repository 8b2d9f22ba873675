"""Load the generated demo region into the database, once — or N times over (``scale``).

Idempotent by design: a municipality that already exists is left alone, so
running ``onderdak demo-data`` twice gives the same counts. ``reset=True``
deletes the demo municipalities first (their rows cascade) and loads afresh.
Rows go in with one multi-row INSERT … RETURNING per table (in the generator's
order, so ids at scale 1 are the same as row-by-row inserts gave), which is what
makes ten times the demo load in seconds instead of minutes.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import delete, func, insert, select, text
from sqlalchemy.orm import Session

from api.auth import service as auth_service
from api.auth.models import UserAccount
from api.core.models import Municipality
from api.hosts.models import Host, HostMember
from api.households.models import CaseWorker, Eviction, Household, HouseholdMember
from api.placements.models import Placement
from api.places.models import Place
from api.shell.progress import NO_BAR, Bar
from api.storage import service as storage_service
from api.storage.models import StorageDepot, StorageItem, StorageLot
from seed_data import demo, demo_scale

# The tables a scaled load fills with thousands of rows.
ANALYZED = (Household, HouseholdMember, Eviction, Host, HostMember, Place, Placement, StorageLot, StorageItem)

# The parts of a load, for a progress bar: generating the region, then each kind of record _insert adds.
STEPS = 10


def load_demo(
    db: Session, *, today: date, seed: int = 2026, reset: bool = False, scale: int = 1, progress: Bar = NO_BAR
) -> dict[str, int]:
    """Load ``scale`` copies of the demo region (1: the demo every test knows) and return the row counts."""
    data = demo_scale.generate(today=today, seed=seed, scale=scale)
    progress.advance()
    codes = [m["code"] for m in data.municipalities]
    if reset:
        db.execute(
            delete(UserAccount).where(
                UserAccount.municipality_id.in_(select(Municipality.id).where(Municipality.code.in_(codes)))
            )
        )
        db.execute(delete(Municipality).where(Municipality.code.in_(codes)))
        db.flush()
    existing = set(db.scalars(select(Municipality.code).where(Municipality.code.in_(codes))))
    new_codes = [c for c in codes if c not in existing]
    if new_codes:
        _insert(db, data, set(new_codes), progress)
    progress.update(STEPS)
    return counts(db, codes)


def loaded_scale(db: Session) -> int:
    """The highest demo copy in the database (1 when none of copies 2..N is there)."""
    marked = db.scalars(select(Household.reference).where(Household.reference.like("%-S%")))
    copies = [demo_scale.copy_number(reference) for reference in marked]
    return max([1, *copies])


def foreign_rows(db: Session, *, today: date, seed: int = 2026) -> dict[str, int]:
    """Rows the demo generator did not make (real people's data): households, hosts, places, storage lots
    and accounts whose reference or e-mail address is not one of the demo region's (at the scale loaded).
    Empty: demo data only."""
    data = demo_scale.generate(today=today, seed=seed, scale=loaded_scale(db))
    known = {
        "households": (Household.reference, {h["reference"] for h in data.households}),
        "hosts": (Host.reference, {h["reference"] for h in data.hosts}),
        "places": (Place.reference, {p["reference"] for p in data.places}),
        "storage_lots": (StorageLot.reference, {lot["reference"] for lot in data.storage_lots}),
    }
    found: dict[str, int] = {}
    for label, (column, references) in known.items():
        found[label] = int(db.scalar(select(func.count()).where(column.not_in(references or {""}))) or 0)
    found["users"] = int(
        db.scalar(select(func.count()).select_from(UserAccount).where(UserAccount.email.not_like("%.demo"))) or 0
    )
    return {k: v for k, v in found.items() if v}


def counts(db: Session, codes: list[str]) -> dict[str, int]:
    ids = select(Municipality.id).where(Municipality.code.in_(codes))
    result = {
        "municipalities": db.scalar(select(func.count()).select_from(Municipality).where(Municipality.code.in_(codes)))
    }
    for label, model in (
        ("households", Household),
        ("hosts", Host),
        ("places", Place),
        ("placements", Placement),
        ("storage_lots", StorageLot),
        ("users", UserAccount),
    ):
        result[label] = db.scalar(select(func.count()).select_from(model).where(model.municipality_id.in_(ids)))
    return {k: int(v or 0) for k, v in result.items()}


def _insert(db: Session, data: demo.DemoData, codes: set[str], progress: Bar) -> None:
    m_ids = _ids(db, Municipality, [row for row in data.municipalities if row["code"] in codes], "code")
    progress.advance()
    worker_ids = _insert_case_workers(db, data, m_ids)
    progress.advance()
    household_ids, eviction_ids = _insert_households(db, data, m_ids, worker_ids)
    progress.advance()
    host_ids = _insert_hosts(db, data, m_ids)
    progress.advance()
    place_ids = _insert_places(db, data, m_ids, host_ids)
    progress.advance()
    _insert_placements(db, data, m_ids, household_ids, place_ids)
    progress.advance()
    depot_ids = _insert_depots(db, data, m_ids)
    progress.advance()
    _insert_storage_lots(db, data, m_ids, household_ids, eviction_ids, depot_ids)
    progress.advance()
    _insert_users(db, data, m_ids, host_ids)
    progress.advance()
    db.flush()
    if db.get_bind().dialect.name == "postgresql":
        # fresh statistics for the planner: autovacuum would take its time, and until then a query over
        # thousands of new rows is planned as if the tables were empty
        db.execute(text("ANALYZE " + ", ".join(model.__tablename__ for model in ANALYZED)))


def _bulk(db: Session, model: type[Any], rows: Sequence[dict[str, Any]]) -> list[int]:
    """One INSERT … RETURNING id for all rows; the ids come back in the rows' order."""
    if not rows:
        return []
    return list(db.scalars(insert(model).returning(model.id, sort_by_parameter_order=True), list(rows)))


def _ids(db: Session, model: type[Any], rows: list[dict[str, Any]], key: str) -> dict[str, int]:
    return dict(zip([row[key] for row in rows], _bulk(db, model, rows), strict=True))


def _mine(rows: list[dict[str, Any]], m_ids: dict[str, int]) -> list[dict[str, Any]]:
    return [row for row in rows if row["municipality"] in m_ids]


def _insert_case_workers(db: Session, data: demo.DemoData, m_ids: dict[str, int]) -> dict[str, int]:
    rows = [
        {"municipality_id": m_ids[row["municipality"]], "name": row["name"], "email": row["email"]}
        for row in _mine(data.case_workers, m_ids)
    ]
    return _ids(db, CaseWorker, rows, "email")


def _insert_households(
    db: Session, data: demo.DemoData, m_ids: dict[str, int], worker_ids: dict[str, int]
) -> tuple[dict[str, int], dict[str, int]]:
    mine = _mine(data.households, m_ids)
    rows = [
        {
            "municipality_id": m_ids[row["municipality"]],
            "reference": row["reference"],
            "display_name": row["display_name"],
            "case_worker_id": worker_ids.get(row["case_worker"]),
            "origin_lat": row["origin_lat"],
            "origin_lon": row["origin_lon"],
            "pets": row["pets"],
            "needs_accessible": row["needs_accessible"],
            "medical_need": row["medical_need"],
            "accepts_host": row["accepts_host"],
            "status": row.get("status", "waiting"),
            "closed_at": row.get("closed_at"),
        }
        for row in mine
    ]
    household_ids = _ids(db, Household, rows, "reference")
    _bulk(
        db,
        HouseholdMember,
        [{"household_id": household_ids[row["reference"]], **member} for row in mine for member in row["members"]],
    )
    evictions = [{"household_id": household_ids[row["reference"]], **row["eviction"]} for row in mine]
    eviction_ids = dict(zip([row["reference"] for row in mine], _bulk(db, Eviction, evictions), strict=True))
    return household_ids, eviction_ids


def _insert_hosts(db: Session, data: demo.DemoData, m_ids: dict[str, int]) -> dict[str, int]:
    mine = _mine(data.hosts, m_ids)
    rows = []
    for row in mine:
        vetted = row["vetted"]
        rows.append(
            {
                "municipality_id": m_ids[row["municipality"]],
                **{k: v for k, v in row.items() if k not in ("municipality", "members", "vetted")},
                "identity_seen": vetted,
                "vog_seen": vetted,
                "home_visit_done": vetted,
                "landlord_consent_received": vetted and row["landlord_consent"],
                "benefit_checked": vetted,
            }
        )
    host_ids = _ids(db, Host, rows, "reference")
    _bulk(
        db,
        HostMember,
        [{"host_id": host_ids[row["reference"]], **member} for row in mine for member in row["members"]],
    )
    return host_ids


def _insert_places(db: Session, data: demo.DemoData, m_ids: dict[str, int], host_ids: dict[str, int]) -> dict[str, int]:
    rows = [
        {
            "municipality_id": m_ids[row["municipality"]],
            "host_id": host_ids.get(row.get("host", "")),
            "status": "active",
            **{k: v for k, v in row.items() if k not in ("municipality", "host")},
        }
        for row in _mine(data.places, m_ids)
    ]
    return _ids(db, Place, rows, "reference")


def _insert_placements(
    db: Session, data: demo.DemoData, m_ids: dict[str, int], household_ids: dict[str, int], place_ids: dict[str, int]
) -> None:
    rows = [
        {
            "municipality_id": m_ids[row["municipality"]],
            "household_id": household_ids[row["household"]],
            "place_id": place_ids[row["place"]],
            "status": row["status"],
            "start_date": row["start_date"],
            "end_date": row["end_date"],
            "arrived_on": row["arrived_on"],
            "ended_on": row.get("ended_on"),
            "outcome": row.get("outcome"),
        }
        for row in _mine(data.placements, m_ids)
    ]
    _bulk(db, Placement, rows)


def _insert_depots(db: Session, data: demo.DemoData, m_ids: dict[str, int]) -> dict[str, int]:
    rows = [
        {"municipality_id": m_ids[row["municipality"]], **{k: v for k, v in row.items() if k != "municipality"}}
        for row in _mine(data.depots, m_ids)
    ]
    return _ids(db, StorageDepot, rows, "name")


def _insert_storage_lots(
    db: Session,
    data: demo.DemoData,
    m_ids: dict[str, int],
    household_ids: dict[str, int],
    eviction_ids: dict[str, int],
    depot_ids: dict[str, int],
) -> None:
    deadlines: dict[tuple[int, date], date] = {}

    def deadline(municipality_id: int, stored_on: date) -> date:
        # the storage period is a dated policy parameter (storage_period.minimum_days)
        key = (municipality_id, stored_on)
        if key not in deadlines:
            deadlines[key] = storage_service.deadline_for(db, municipality_id=municipality_id, stored_on=stored_on)
        return deadlines[key]

    mine = _mine(data.storage_lots, m_ids)
    rows = [
        {
            "municipality_id": m_ids[row["municipality"]],
            "reference": row["reference"],
            "household_id": household_ids[row["household"]],
            "eviction_id": eviction_ids[row["household"]],
            "depot_id": depot_ids[row["depot"]],
            "stored_on": row["stored_on"],
            "deadline": deadline(m_ids[row["municipality"]], row["stored_on"]),
            "bailiff_reference": row["bailiff_reference"],
            "tariff_kind": row.get("tariff_kind"),
            "tariff_cents": row.get("tariff_cents"),
            "removal_cost_cents": row.get("removal_cost_cents", 0),
        }
        for row in mine
    ]
    lot_ids = _bulk(db, StorageLot, rows)
    _bulk(
        db,
        StorageItem,
        [
            {"lot_id": lot_id, **item}
            for lot_id, row in zip(lot_ids, mine, strict=True)
            for item in row.get("items", [])
        ],
    )


def _insert_users(db: Session, data: demo.DemoData, m_ids: dict[str, int], host_ids: dict[str, int]) -> None:
    for row in _mine(data.users, m_ids):
        auth_service.create_user(
            db,
            municipality_id=m_ids[row["municipality"]],
            email=row["email"],
            password=demo.DEMO_PASSWORD,
            role=row["role"],
            host_id=host_ids.get(row.get("host", "")),
        )
