"""art. 5:30 Awb to the letter, around each boundary: day 91 refused and day 92 allowed, an early sale at
copy + 13 days refused and copy + 14 allowed, the net proceeds and the 3-year claim, destruction only with
the reason why sale was not possible, and the invoice to the executant."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy.exc import IntegrityError

from api.core.errors import Conflict, InvalidInput, RuleBreach
from api.storage import service
from api.storage.models import StorageDisposal
from api.storage.schemas import ClaimCreate, ClaimPaid, DisposalCreate, Recovery, SaleResult

STORED = date(2027, 12, 15)
DAY_91 = STORED + timedelta(days=91)  # 15 March 2028, the last day of the 13 weeks
DAY_92 = STORED + timedelta(days=92)  # 16 March 2028
COPY = date(2028, 1, 20)  # the copy of the proces-verbaal was sent


def _early_sale(**extra):
    data = {"category": "furniture", "method": "sale", "reason": "opslag kost meer dan de bank waard is"}
    return DisposalCreate(**(data | extra))


def test_lot_detail_shows_both_dates(db, make_lot):
    lot = make_lot(STORED)
    detail = service.lot_detail(db, lot=lot, today=DAY_91)
    assert (detail.deadline, detail.disposal_allowed_from) == (DAY_91, DAY_92)
    assert detail.period_passed is False
    assert service.lot_detail(db, lot=lot, today=DAY_92).period_passed is True


def test_early_sale_needs_the_date_of_the_copy(db, make_lot, team):
    lot = make_lot(STORED)
    with pytest.raises(RuleBreach, match="afschrift van het proces-verbaal") as refused:
        service.request_disposal(db, principal=team, lot=lot, data=_early_sale(), today=COPY + timedelta(days=30))
    assert refused.value.problems[0].loc == ("body", "record_copy_given_on")
    with pytest.raises(InvalidInput, match="toekomst"):
        service.request_disposal(
            db, principal=team, lot=lot, data=_early_sale(record_copy_given_on=COPY), today=COPY - timedelta(days=1)
        )


def test_early_sale_at_copy_plus_13_days_refused_plus_14_allowed(db, make_lot, team, worker):
    lot = make_lot(STORED)
    data = _early_sale(record_copy_given_on=COPY)
    with pytest.raises(RuleBreach, match="op zijn vroegst op 03-02-2028"):
        service.request_disposal(db, principal=team, lot=lot, data=data, today=COPY + timedelta(days=13))
    assert lot.disposals == []
    request = service.request_disposal(db, principal=team, lot=lot, data=data, today=COPY + timedelta(days=14))
    assert (request.status, request.basis, request.record_copy_given_on) == ("requested", "four_eyes", COPY)
    done = service.approve_disposal(db, principal=worker, lot=lot, disposal_id=request.id, today=COPY + timedelta(14))
    assert (done.status, done.done_on) == ("done", COPY + timedelta(days=14))
    row = next(d for d in service.lot_detail(db, lot=lot, today=COPY + timedelta(14)).disposals if d.id == done.id)
    assert row.early_sale_allowed_from == COPY + timedelta(days=14)


def test_an_early_request_cannot_be_approved_within_the_two_weeks(db, make_lot, team, worker):
    lot = make_lot(STORED)
    copy = STORED  # handed over on the day of storage
    lot.disposals.append(
        StorageDisposal(
            lot_id=lot.id,
            category="furniture",
            method="sale",
            basis="four_eyes",
            reason="r",
            status="requested",
            requested_by=team.user_id,
            record_copy_given_on=copy,
        )
    )
    db.flush()
    request = lot.disposals[-1]
    with pytest.raises(RuleBreach, match="niet binnen twee weken"):
        service.approve_disposal(db, principal=worker, lot=lot, disposal_id=request.id, today=copy + timedelta(13))
    assert request.status == "requested"
    service.approve_disposal(db, principal=worker, lot=lot, disposal_id=request.id, today=copy + timedelta(14))
    assert request.status == "done"


@pytest.mark.parametrize("method", ["destruction", "gift"])
def test_destruction_refused_without_the_reason_why_sale_is_impossible(db, make_lot, team, method):
    lot = make_lot(STORED)
    for day in (DAY_92, DAY_92 + timedelta(days=400)):
        with pytest.raises(RuleBreach, match="verkoop niet mogelijk") as refused:
            service.request_disposal(
                db, principal=team, lot=lot, data=DisposalCreate(category="clothing", method=method), today=day
            )
        assert refused.value.problems[0].loc == ("body", "unsellable_reason")
    assert lot.disposals == []
    with pytest.raises(InvalidInput, match="geen opbrengst"):
        service.request_disposal(
            db,
            principal=team,
            lot=lot,
            data=DisposalCreate(category="clothing", method=method, unsellable_reason="r", proceeds=Decimal("5")),
            today=DAY_92,
        )
    done = service.request_disposal(
        db,
        principal=team,
        lot=lot,
        data=DisposalCreate(category="clothing", method=method, unsellable_reason="nat en beschimmeld"),
        today=DAY_92,
    )
    assert (done.status, done.method, done.unsellable_reason) == ("done", method, "nat en beschimmeld")


@pytest.mark.parametrize("method", ["destruction", "gift"])
def test_the_database_refuses_a_destruction_without_reason(db, make_lot, team, method):
    lot = make_lot(STORED)
    db.add(
        StorageDisposal(
            lot_id=lot.id,
            category="clothing",
            method=method,
            basis="deadline_passed",
            status="requested",
            requested_by=team.user_id,
        )
    )
    with pytest.raises(IntegrityError):
        db.flush()
    db.rollback()


def _sold(db, lot, team, **extra):
    data = DisposalCreate(category="furniture", method="sale", **extra)
    return service.request_disposal(db, principal=team, lot=lot, data=data, today=DAY_92)


def test_net_proceeds_and_claim_deadline(db, make_lot, team):
    lot = make_lot(STORED)
    sale = _sold(db, lot, team, proceeds=Decimal("125.00"), costs=Decimal("40.50"))
    row = service.lot_detail(db, lot=lot, today=DAY_92).disposals[0]
    assert (row.proceeds, row.costs, row.net_proceeds) == (Decimal("125.00"), Decimal("40.50"), Decimal("84.50"))
    assert row.claim_deadline == date(2031, 3, 16)  # the sale on 16 March 2028 + 3 years (art. 5:30 lid 4 Awb)
    service.record_sale_result(
        db, principal=team, lot=lot, disposal_id=sale.id, data=SaleResult(proceeds=Decimal("30"), costs=Decimal("45"))
    )
    assert service.lot_detail(db, lot=lot, today=DAY_92).disposals[0].net_proceeds == Decimal("0.00")


def test_claim_on_the_last_day_allowed_the_day_after_refused(db, make_lot, team):
    lot = make_lot(STORED)
    sale = _sold(db, lot, team, proceeds=Decimal("125.00"), costs=Decimal("40.50"))
    last_day = date(2031, 3, 16)
    late = ClaimCreate(claim_received_on=last_day + timedelta(days=1), claimed_by="mevrouw Jansen")
    with pytest.raises(RuleBreach, match="tot en met 16-03-2031"):
        service.record_claim(db, principal=team, lot=lot, disposal_id=sale.id, data=late, today=last_day + timedelta(9))
    on_time = ClaimCreate(claim_received_on=last_day, claimed_by="mevrouw Jansen")
    service.record_claim(db, principal=team, lot=lot, disposal_id=sale.id, data=on_time, today=last_day)
    with pytest.raises(RuleBreach, match="€ 84,50"):
        service.record_claim_payment(
            db,
            principal=team,
            lot=lot,
            disposal_id=sale.id,
            data=ClaimPaid(paid_on=last_day, amount=Decimal("84.51")),
            today=last_day,
        )
    paid = service.record_claim_payment(
        db, principal=team, lot=lot, disposal_id=sale.id, data=ClaimPaid(paid_on=last_day), today=last_day
    )
    assert (paid.claim_paid_on, paid.claim_paid_cents, paid.claimed_by) == (last_day, 8450, "mevrouw Jansen")
    with pytest.raises(Conflict):
        service.record_claim_payment(
            db, principal=team, lot=lot, disposal_id=sale.id, data=ClaimPaid(paid_on=last_day), today=last_day
        )


def test_a_claim_belongs_to_a_sale(db, make_lot, team):
    lot = make_lot(STORED)
    destroyed = service.request_disposal(
        db,
        principal=team,
        lot=lot,
        data=DisposalCreate(category="clothing", method="destruction", unsellable_reason="kapot"),
        today=DAY_92,
    )
    claim = ClaimCreate(claim_received_on=DAY_92, claimed_by="x")
    with pytest.raises(Conflict, match="geen uitgevoerde verkoop"):
        service.record_claim(db, principal=team, lot=lot, disposal_id=destroyed.id, data=claim, today=DAY_92)


def test_invoice_to_the_executant(db, make_lot, team):
    lot = make_lot(STORED)
    data = Recovery(
        party="Woonpunt", status="claimed", amount=Decimal("300.00"), invoiced_on=STORED, invoice_reference="F-1"
    )
    service.set_recovery(db, principal=team, lot=lot, data=data, today=DAY_92)
    costs = service.lot_detail(db, lot=lot, today=DAY_92).costs
    assert (costs.recovery_invoiced_on, costs.recovery_invoice_reference) == (STORED, "F-1")


def _letter_text(db, lot, kind, today):
    from api.core.models import Municipality
    from api.documents.contact import Contact
    from api.storage import letters
    from api.storage.models import StorageDepot

    municipality = db.get(Municipality, lot.municipality_id)
    doc = letters.letter_document(
        kind=kind,
        lot=lot,
        times=service.letter_times(db, lot=lot),
        household_name="Familie Test",
        municipality_name=municipality.name,
        depot=db.get(StorageDepot, lot.depot_id),
        costs_now=service.costs(lot, today=today),
        today=today,
        contact=Contact.of(municipality),
    )
    parts = [doc.title]
    for block in doc.blocks:
        parts += [getattr(block, "text", "")] + list(getattr(block, "items", []) or [])
    return "\n".join(parts)


def test_every_demo_lot_says_disposal_from_day_92(db):
    from sqlalchemy import select

    from api.storage.letters import nl_date
    from api.storage.models import StorageLot

    lots = db.scalars(select(StorageLot)).all()
    assert lots, "the demo has storage lots"
    for lot in lots:
        detail = service.lot_detail(db, lot=lot, today=lot.stored_on)
        assert detail.disposal_allowed_from == lot.stored_on + timedelta(days=92), lot.reference
        assert detail.deadline == lot.stored_on + timedelta(days=91), lot.reference
        intake = _letter_text(db, lot, "intake", lot.stored_on)
        assert f"tot en met {nl_date(lot.stored_on + timedelta(days=91))}" in intake, lot.reference
        assert f"vanaf {nl_date(lot.stored_on + timedelta(days=92))} verkopen" in intake, lot.reference


def test_letters_carry_the_municipalitys_contact_details(db, make_lot):
    lot = make_lot(STORED)
    for kind in ("intake", "week_4", "two_weeks_before", "deadline"):
        text = _letter_text(db, lot, kind, DAY_91)
        assert "Gemeente Maastricht, Team Wonen en Opslag" in text, kind
        assert "Adres: Stadhuisplein 1, 6211 AA Maastricht" in text, kind
        assert "Telefoon: 043 000 00 00" in text and "E-mail: wonen@maastricht.demo" in text, kind
    deadline = _letter_text(db, lot, "deadline", DAY_91)
    assert "Die tijd is voorbij aan het eind van 15 maart 2028." in deadline
    assert "Vanaf 16 maart 2028 mag de gemeente uw spullen verkopen." in deadline
    assert "tot 3 jaar na de verkoop" in deadline


def test_a_waiver_of_costs_means_no_threat_of_holding_goods(db, make_lot, team):
    from api.storage.schemas import CostDecision

    lot = make_lot(STORED)
    service.decide_costs(db, principal=team, lot=lot, data=CostDecision(decision="waived"))
    for kind in ("intake", "week_4", "two_weeks_before", "deadline"):
        text = _letter_text(db, lot, kind, DAY_91)
        assert "als deze kosten zijn betaald" not in text and "gaan de kosten van de opbrengst af" not in text, kind
    assert "Dan is de opbrengst voor u." in _letter_text(db, lot, "deadline", DAY_91)
