"""Two people approving the same early disposal (or returning the same goods) at the same moment:
exactly one wins, the other gets a conflict or a refusal, and nothing is taken twice. Real commits,
on the shared demo database; the test removes its lot afterwards."""

from __future__ import annotations

import threading
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from api.core.errors import Conflict, RuleBreach
from api.households.models import Household
from api.storage import service
from api.storage.inventory import item_states
from api.storage.models import StorageLot
from api.storage.schemas import DisposalCreate, ItemCreate, LotCreate, ReturnCreate, ReturnLineIn
from tests.api.storage.conftest import principal_of

DAY = date(2026, 11, 20)


def _committed_lot(engine) -> tuple[int, int]:
    with Session(engine) as db, db.begin():
        team = principal_of(db, "crisis-team@maastricht.demo")
        used = set(db.scalars(select(StorageLot.household_id)))
        household = next(
            h
            for h in db.scalars(
                select(Household).where(Household.municipality_id == team.municipality_id).order_by(Household.id.desc())
            )
            if h.id not in used
        )
        depot = service.list_depots(db, municipality_id=team.municipality_id)[0]
        lot = service.create_lot(
            db,
            principal=team,
            data=LotCreate(
                household_id=household.id,
                depot_id=depot.id,
                stored_on=DAY,
                bailiff_reference="DW-RACE",
                items=[ItemCreate(category="clothing", description="Dozen", quantity=3, volume_m3=Decimal("1"))],
            ),
            today=DAY,
        )
        request = service.request_disposal(
            db,
            principal=team,
            lot=lot,
            data=DisposalCreate(
                category="clothing",
                method="destruction",
                reason="schimmel",
                record_copy_given_on=DAY,
                unsellable_reason="beschimmeld",
            ),
            today=DAY + timedelta(days=14),
        )
        return lot.id, request.id


def _race(engine, action) -> list[object]:
    barrier = threading.Barrier(2)
    results: list[object] = []

    def run() -> None:
        with Session(engine) as db:
            try:
                with db.begin():
                    barrier.wait(timeout=10)
                    results.append(action(db))
            except (Conflict, RuleBreach) as exc:
                results.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def _cleanup(engine, lot_id: int) -> None:
    with Session(engine) as db, db.begin():
        db.execute(delete(StorageLot).where(StorageLot.id == lot_id))  # items, lines, letters: ON DELETE CASCADE


def test_double_approval_takes_the_goods_once(engine):
    lot_id, request_id = _committed_lot(engine)
    try:

        def approve(db):
            worker = principal_of(db, "case-worker@maastricht.demo")
            lot = service.get_lot(db, principal=worker, lot_id=lot_id)
            return service.approve_disposal(
                db, principal=worker, lot=lot, disposal_id=request_id, today=DAY + timedelta(days=14)
            ).status

        results = _race(engine, approve)
        assert sorted(map(str, results)).count("done") == 1
        assert sum(isinstance(r, Conflict) for r in results) == 1
        with Session(engine) as db:
            lot = db.get(StorageLot, lot_id)
            assert [s.disposed for s in item_states(lot).values()] == [3]
    finally:
        _cleanup(engine, lot_id)


def test_two_returns_of_the_last_goods_at_once(engine):
    lot_id, request_id = _committed_lot(engine)
    try:
        with Session(engine) as db, db.begin():
            team = principal_of(db, "crisis-team@maastricht.demo")
            lot = service.get_lot(db, principal=team, lot_id=lot_id)
            service.withdraw_disposal(db, principal=team, lot=lot, disposal_id=request_id)
            item_id = lot.items[0].id

        def give_back(db):
            team = principal_of(db, "crisis-team@maastricht.demo")
            lot = service.get_lot(db, principal=team, lot_id=lot_id)
            data = ReturnCreate(
                returned_on=DAY,
                returned_to="bewoner",
                confirmation="recorded",
                confirmation_note="balie",
                lines=[ReturnLineIn(item_id=item_id, quantity=2)],
            )
            return service.record_return(db, principal=team, lot=lot, data=data, today=DAY).id

        results = _race(engine, give_back)
        assert sum(isinstance(r, int) for r in results) == 1
        assert sum(isinstance(r, RuleBreach) for r in results) == 1
        with Session(engine) as db:
            lot = db.get(StorageLot, lot_id)
            assert [s.returned for s in item_states(lot).values()] == [2]
    finally:
        _cleanup(engine, lot_id)
