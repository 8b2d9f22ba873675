"""Load the generated demo region into the database, once.

Idempotent by design: a municipality that already exists is left alone, so
running ``onderdak demo-data`` twice gives the same counts. ``reset=True``
deletes the demo municipalities first (their rows cascade) and loads afresh.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import delete, func, select
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
from seed_data import demo

# The parts of a load, for a progress bar: generating the region, then each kind of record _insert adds.
STEPS = 10


def load_demo(
    db: Session, *, today: date, seed: int = 2026, reset: bool = False, progress: Bar = NO_BAR
) -> dict[str, int]:
    data = demo.generate(today=today, seed=seed)
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


def foreign_rows(db: Session, *, today: date, seed: int = 2026) -> dict[str, int]:
    """Rows the demo generator did not make (real people's data): households, hosts, places, storage lots
    and accounts whose reference or e-mail address is not one of the demo region's. Empty: demo data only."""
    data = demo.generate(today=today, seed=seed)
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
    m_ids = _insert_municipalities(db, data, codes)
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


def _insert_municipalities(db: Session, data: demo.DemoData, codes: set[str]) -> dict[str, int]:
    m_ids: dict[str, int] = {}
    for row in data.municipalities:
        if row["code"] in codes:
            municipality = Municipality(**row)
            db.add(municipality)
            db.flush()
            m_ids[row["code"]] = municipality.id
    return m_ids


def _insert_case_workers(db: Session, data: demo.DemoData, m_ids: dict[str, int]) -> dict[str, int]:
    worker_ids: dict[str, int] = {}
    for row in data.case_workers:
        if row["municipality"] in m_ids:
            worker = CaseWorker(municipality_id=m_ids[row["municipality"]], name=row["name"], email=row["email"])
            db.add(worker)
            db.flush()
            worker_ids[row["email"]] = worker.id
    return worker_ids


def _insert_households(
    db: Session, data: demo.DemoData, m_ids: dict[str, int], worker_ids: dict[str, int]
) -> tuple[dict[str, int], dict[str, int]]:
    household_ids: dict[str, int] = {}
    eviction_ids: dict[str, int] = {}
    for row in data.households:
        if row["municipality"] not in m_ids:
            continue
        household = Household(
            municipality_id=m_ids[row["municipality"]],
            reference=row["reference"],
            display_name=row["display_name"],
            case_worker_id=worker_ids.get(row["case_worker"]),
            origin_lat=row["origin_lat"],
            origin_lon=row["origin_lon"],
            pets=row["pets"],
            needs_accessible=row["needs_accessible"],
            medical_need=row["medical_need"],
            accepts_host=row["accepts_host"],
            status=row.get("status", "waiting"),
        )
        household.members = [HouseholdMember(**m) for m in row["members"]]
        household.evictions = [Eviction(**row["eviction"])]
        db.add(household)
        db.flush()
        household_ids[row["reference"]] = household.id
        eviction_ids[row["reference"]] = household.evictions[0].id
    return household_ids, eviction_ids


def _insert_hosts(db: Session, data: demo.DemoData, m_ids: dict[str, int]) -> dict[str, int]:
    host_ids: dict[str, int] = {}
    for row in data.hosts:
        if row["municipality"] not in m_ids:
            continue
        fields = {k: v for k, v in row.items() if k not in ("municipality", "members", "vetted")}
        vetted = row["vetted"]
        host = Host(
            municipality_id=m_ids[row["municipality"]],
            **fields,
            identity_seen=vetted,
            vog_seen=vetted,
            home_visit_done=vetted,
            landlord_consent_received=vetted and row["landlord_consent"],
            benefit_checked=vetted,
        )
        host.members = [HostMember(**m) for m in row["members"]]
        db.add(host)
        db.flush()
        host_ids[row["reference"]] = host.id
    return host_ids


def _insert_places(db: Session, data: demo.DemoData, m_ids: dict[str, int], host_ids: dict[str, int]) -> dict[str, int]:
    place_ids: dict[str, int] = {}
    for row in data.places:
        if row["municipality"] not in m_ids:
            continue
        fields = {k: v for k, v in row.items() if k not in ("municipality", "host")}
        place = Place(municipality_id=m_ids[row["municipality"]], host_id=host_ids.get(row.get("host", "")), **fields)
        db.add(place)
        db.flush()
        place_ids[row["reference"]] = place.id
    return place_ids


def _insert_placements(
    db: Session, data: demo.DemoData, m_ids: dict[str, int], household_ids: dict[str, int], place_ids: dict[str, int]
) -> None:
    for row in data.placements:
        if row["municipality"] in m_ids:
            db.add(
                Placement(
                    municipality_id=m_ids[row["municipality"]],
                    household_id=household_ids[row["household"]],
                    place_id=place_ids[row["place"]],
                    status=row["status"],
                    start_date=row["start_date"],
                    end_date=row["end_date"],
                    arrived_on=row["arrived_on"],
                )
            )


def _insert_depots(db: Session, data: demo.DemoData, m_ids: dict[str, int]) -> dict[str, int]:
    depot_ids: dict[str, int] = {}
    for row in data.depots:
        if row["municipality"] in m_ids:
            depot = StorageDepot(
                municipality_id=m_ids[row["municipality"]], **{k: v for k, v in row.items() if k != "municipality"}
            )
            db.add(depot)
            db.flush()
            depot_ids[row["name"]] = depot.id
    return depot_ids


def _insert_storage_lots(
    db: Session,
    data: demo.DemoData,
    m_ids: dict[str, int],
    household_ids: dict[str, int],
    eviction_ids: dict[str, int],
    depot_ids: dict[str, int],
) -> None:
    for row in data.storage_lots:
        if row["municipality"] in m_ids:
            db.add(
                StorageLot(
                    municipality_id=m_ids[row["municipality"]],
                    reference=row["reference"],
                    household_id=household_ids[row["household"]],
                    eviction_id=eviction_ids[row["household"]],
                    depot_id=depot_ids[row["depot"]],
                    stored_on=row["stored_on"],
                    # the storage period is a dated policy parameter (storage_period.minimum_days)
                    deadline=storage_service.deadline_for(
                        db, municipality_id=m_ids[row["municipality"]], stored_on=row["stored_on"]
                    ),
                    bailiff_reference=row["bailiff_reference"],
                    tariff_kind=row.get("tariff_kind"),
                    tariff_cents=row.get("tariff_cents"),
                    removal_cost_cents=row.get("removal_cost_cents", 0),
                    items=[StorageItem(**item) for item in row.get("items", [])],
                )
            )


def _insert_users(db: Session, data: demo.DemoData, m_ids: dict[str, int], host_ids: dict[str, int]) -> None:
    for row in data.users:
        if row["municipality"] in m_ids:
            auth_service.create_user(
                db,
                municipality_id=m_ids[row["municipality"]],
                email=row["email"],
                password=demo.DEMO_PASSWORD,
                role=row["role"],
                host_id=host_ids.get(row.get("host", "")),
            )
