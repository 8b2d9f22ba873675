"""Storage service on SQLite and PostgreSQL: intake, returns, waivers, four eyes, personal documents, letters."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from api.core.errors import Conflict, InvalidInput, RuleBreach
from api.core.models import AuditEvent
from api.storage import service
from api.storage.inventory import item_states
from api.storage.models import StorageDisposal, StorageLetter
from api.storage.schemas import (
    CostDecision,
    DisposalCreate,
    LotCreate,
    Recovery,
    ReturnCreate,
    ReturnLineIn,
    WaiverCreate,
)

STORED = date(2027, 12, 15)  # the 13 weeks cross 29 February 2028
DAY_90 = STORED + timedelta(days=90)  # 14 March 2028
DAY_91 = STORED + timedelta(days=91)  # 15 March 2028: the last day of the 13 weeks
DAY_92 = STORED + timedelta(days=92)  # 16 March 2028: sale or destruction allowed (art. 5:30 lid 1 Awb)
COPY = STORED + timedelta(days=1)  # a copy of the proces-verbaal handed over (art. 5:30 lid 3 Awb)


def _item(lot, category):
    return next(i for i in lot.items if i.category == category)


def _snapshot(db, lot):
    db.expire_all()
    states = item_states(lot)
    return (
        lot.status,
        {k: (v.returned, v.disposed, v.remaining) for k, v in states.items()},
        db.scalar(select(func.count()).select_from(StorageDisposal).where(StorageDisposal.lot_id == lot.id)),
    )


def test_intake_sets_deadline_from_policy_and_makes_the_intake_letter(db, make_lot):
    lot = make_lot(STORED)
    assert lot.deadline == date(2028, 3, 15)
    assert lot.status == "stored" and len(lot.items) == 4
    assert lot.reference.startswith("OP-0935-2027-")
    assert [letter.kind for letter in lot.letters] == ["intake"]
    assert lot.letters[0].pdf.startswith(b"%PDF")
    assert db.scalar(
        select(func.count())
        .select_from(AuditEvent)
        .where(
            AuditEvent.object_type == "storage_lot", AuditEvent.object_id == str(lot.id), AuditEvent.action == "create"
        )
    )


@pytest.mark.usefixtures("db")
def test_storage_date_in_the_future_is_refused(make_lot):
    with pytest.raises(InvalidInput, match="toekomst") as err:
        make_lot(date(2026, 11, 28), today=date(2026, 11, 27))
    assert err.value.problems[0].loc == ("body", "stored_on")


@pytest.mark.usefixtures("db")
def test_storage_date_before_the_law_is_refused(make_lot):
    with pytest.raises(InvalidInput, match="2021-04-01"):
        make_lot(date(2021, 3, 1))


def test_lot_of_another_municipality_is_not_found(db, make_lot):
    from tests.api.storage.conftest import principal_of

    lot = make_lot(STORED)
    heerlen = principal_of(db, "crisis-team@heerlen.demo")
    from api.core.errors import NotFound

    with pytest.raises(NotFound):
        service.get_lot(db, principal=heerlen, lot_id=lot.id)


def test_intake_needs_own_household_and_depot(db, team):
    from tests.api.storage.conftest import ITEMS, principal_of

    heerlen = principal_of(db, "crisis-team@heerlen.demo")
    depot = service.list_depots(db, municipality_id=heerlen.municipality_id)[0]
    household = service.households_for_intake(db, municipality_id=team.municipality_id)[0]
    data = LotCreate(household_id=household.id, depot_id=depot.id, stored_on=STORED, bailiff_reference="x", items=ITEMS)
    with pytest.raises(InvalidInput):
        service.create_lot(db, principal=heerlen, data=data, today=STORED)


# ---------------------------------------------------------------- sale and destruction: the deadline


@pytest.mark.parametrize("day", [DAY_90, DAY_91])
def test_disposal_on_day_91_is_refused_and_changes_nothing(db, make_lot, team, day):
    lot = make_lot(STORED)
    before = _snapshot(db, lot)
    with pytest.raises(RuleBreach, match=f"pas vanaf 16-03-2028 \\(dag 92; vandaag is dag {(day - STORED).days}\\)"):
        service.request_disposal(
            db, principal=team, lot=lot, data=DisposalCreate(category="furniture", method="sale"), today=day
        )
    assert _snapshot(db, lot) == before


def test_disposal_on_day_92_is_done_at_once(db, make_lot, team):
    lot = make_lot(STORED)
    disposal = service.request_disposal(
        db,
        principal=team,
        lot=lot,
        data=DisposalCreate(category="furniture", method="sale", proceeds=Decimal("40.00")),
        today=DAY_92,
    )
    assert (disposal.status, disposal.basis, disposal.done_on) == ("done", "deadline_passed", DAY_92)
    assert disposal.requested_by == team.user_id and disposal.proceeds_cents == 4000
    assert item_states(lot)[_item(lot, "furniture").id].remaining == 0
    assert lot.status == "partly_returned"


@pytest.mark.parametrize("category", ["personal_documents", "photos_keepsakes"])
@pytest.mark.parametrize("method", ["sale", "destruction"])
@pytest.mark.usefixtures("worker")
def test_personal_documents_photos_keepsakes_never_sold_or_destroyed(db, make_lot, team, category, method):
    lot = make_lot(STORED)
    before = _snapshot(db, lot)
    for day in (DAY_91, DAY_92, DAY_92 + timedelta(days=365)):
        with pytest.raises(RuleBreach, match="nooit"):
            service.request_disposal(
                db,
                principal=team,
                lot=lot,
                data=DisposalCreate(
                    category=category,
                    method=method,
                    reason="kosten te hoog",
                    record_copy_given_on=COPY,
                    unsellable_reason="niemand wil het",
                ),
                today=day,
            )
    assert _snapshot(db, lot) == before


def test_the_database_refuses_a_disposal_of_personal_documents(db, make_lot, team):
    lot = make_lot(STORED)
    db.add(
        StorageDisposal(
            lot_id=lot.id,
            category="personal_documents",
            method="destruction",
            basis="deadline_passed",
            status="requested",
            requested_by=team.user_id,
        )
    )
    with pytest.raises(IntegrityError):
        db.flush()
    db.rollback()


# ---------------------------------------------------------------- four eyes


def test_early_disposal_without_reason_is_refused(db, make_lot, team):
    lot = make_lot(STORED)
    before = _snapshot(db, lot)
    data = DisposalCreate(category="clothing", method="destruction", unsellable_reason="niemand wil het")
    with pytest.raises(RuleBreach, match="tweede gebruiker"):
        service.request_disposal(db, principal=team, lot=lot, data=data, today=STORED + timedelta(days=20))
    assert _snapshot(db, lot) == before


def test_early_disposal_needs_a_second_different_user(db, make_lot, team, worker):
    lot = make_lot(STORED)
    request = service.request_disposal(
        db,
        principal=team,
        lot=lot,
        data=DisposalCreate(
            category="clothing",
            method="destruction",
            reason="schimmel; opslag kost meer dan de waarde",
            record_copy_given_on=COPY,
            unsellable_reason="beschimmeld: niet te verkopen",
        ),
        today=COPY + timedelta(days=14),
    )
    assert (request.status, request.basis) == ("requested", "four_eyes")
    assert item_states(lot)[_item(lot, "clothing").id].remaining == 4  # nothing gone yet

    with pytest.raises(RuleBreach, match="vier-ogen"):
        service.approve_disposal(db, principal=team, lot=lot, disposal_id=request.id, today=STORED + timedelta(days=16))
    assert request.status == "requested" and request.approved_by is None

    done = service.approve_disposal(
        db, principal=worker, lot=lot, disposal_id=request.id, today=STORED + timedelta(days=16)
    )
    assert (done.status, done.approved_by, done.done_on) == ("done", worker.user_id, STORED + timedelta(days=16))
    assert item_states(lot)[_item(lot, "clothing").id].disposed == 4
    with pytest.raises(Conflict):
        service.approve_disposal(db, principal=worker, lot=lot, disposal_id=request.id, today=STORED)


def test_the_database_refuses_self_approval(db, make_lot, team):
    lot = make_lot(STORED)
    db.add(
        StorageDisposal(
            lot_id=lot.id,
            category="clothing",
            method="destruction",
            basis="four_eyes",
            reason="r",
            unsellable_reason="r",
            status="requested",
            requested_by=team.user_id,
            approved_by=team.user_id,
        )
    )
    with pytest.raises(IntegrityError):
        db.flush()
    db.rollback()


def test_second_request_for_same_category_waits(db, make_lot, team):
    lot = make_lot(STORED)
    data = DisposalCreate(
        category="clothing", method="destruction", reason="kosten", record_copy_given_on=COPY, unsellable_reason="r"
    )
    service.request_disposal(db, principal=team, lot=lot, data=data, today=COPY + timedelta(days=14))
    with pytest.raises(Conflict):
        service.request_disposal(db, principal=team, lot=lot, data=data, today=COPY + timedelta(days=14))


def test_withdrawn_request_cannot_be_approved(db, make_lot, team, worker):
    lot = make_lot(STORED)
    data = DisposalCreate(category="clothing", method="sale", reason="r", record_copy_given_on=COPY)
    req = service.request_disposal(db, principal=team, lot=lot, data=data, today=COPY + timedelta(days=14))
    service.withdraw_disposal(db, principal=team, lot=lot, disposal_id=req.id)
    with pytest.raises(Conflict):
        service.approve_disposal(db, principal=worker, lot=lot, disposal_id=req.id, today=COPY + timedelta(days=14))


# ---------------------------------------------------------------- waiver


def test_waiver_ends_the_period_early_for_what_it_covers(db, make_lot, team):
    lot = make_lot(STORED)
    furniture = _item(lot, "furniture")
    service.record_waiver(
        db,
        principal=team,
        lot=lot,
        data=WaiverCreate(signed_on=STORED, signed_by="bewoner", item_ids=[furniture.id]),
        today=STORED,
    )
    destroy = {"method": "destruction", "unsellable_reason": "kapot"}
    done = service.request_disposal(
        db, principal=team, lot=lot, data=DisposalCreate(category="furniture", **destroy), today=STORED
    )
    assert (done.status, done.basis) == ("done", "waiver")
    with pytest.raises(RuleBreach):  # clothing is not covered
        service.request_disposal(
            db, principal=team, lot=lot, data=DisposalCreate(category="clothing", **destroy), today=STORED
        )


def test_waiver_cannot_cover_personal_documents(db, make_lot, team):
    lot = make_lot(STORED)
    with pytest.raises(RuleBreach, match="altijd bewaard"):
        service.record_waiver(
            db,
            principal=team,
            lot=lot,
            data=WaiverCreate(signed_on=STORED, signed_by="bewoner", item_ids=[_item(lot, "personal_documents").id]),
            today=STORED,
        )
    assert lot.waivers == []


# ---------------------------------------------------------------- returns


def _return(_lot, lines, day, **kw):
    return ReturnCreate(
        returned_on=day,
        returned_to=kw.pop("to", "bewoner zelf"),
        confirmation="recorded",
        confirmation_note=kw.pop("note", "ontvangst bevestigd aan de balie, legitimatie gezien"),
        lines=[ReturnLineIn(item_id=i, quantity=q) for i, q in lines],
    )


def test_partial_then_full_return(db, make_lot, team):
    lot = make_lot(STORED)
    clothing = _item(lot, "clothing")
    service.record_return(db, principal=team, lot=lot, data=_return(lot, [(clothing.id, 1)], STORED), today=STORED)
    assert lot.status == "partly_returned"
    assert item_states(lot)[clothing.id].remaining == 3
    later = STORED + timedelta(days=20)
    service.record_return(db, principal=team, lot=lot, data=_return(lot, [], later), today=later)
    assert lot.status == "returned" and lot.ended_on == later
    assert all(s.remaining == 0 for s in item_states(lot).values())
    assert service.due_letters(db, lot=lot, today=DAY_91) == []  # no reminders after a full return


def test_returning_more_than_stored_is_refused(db, make_lot, team):
    lot = make_lot(STORED)
    clothing = _item(lot, "clothing")
    before = _snapshot(db, lot)
    with pytest.raises(RuleBreach, match="5 terug te geven, maar er is nog 4 van 4"):
        service.record_return(db, principal=team, lot=lot, data=_return(lot, [(clothing.id, 5)], STORED), today=STORED)
    assert _snapshot(db, lot) == before


def test_returning_more_than_remains_after_a_partial_return_is_refused(db, make_lot, team):
    lot = make_lot(STORED)
    clothing = _item(lot, "clothing")
    service.record_return(db, principal=team, lot=lot, data=_return(lot, [(clothing.id, 3)], STORED), today=STORED)
    with pytest.raises(RuleBreach, match="nog 1 van 4"):
        service.record_return(db, principal=team, lot=lot, data=_return(lot, [(clothing.id, 2)], STORED), today=STORED)


def test_return_in_the_future_or_without_confirmation_is_refused(db, make_lot, team):
    lot = make_lot(STORED)
    with pytest.raises(InvalidInput, match="toekomst"):
        service.record_return(
            db, principal=team, lot=lot, data=_return(lot, [], STORED + timedelta(days=1)), today=STORED
        )
    with pytest.raises(InvalidInput, match="bevestigd"):
        service.record_return(db, principal=team, lot=lot, data=_return(lot, [], STORED, note="  "), today=STORED)
    signature = ReturnCreate(returned_on=STORED, returned_to="x", confirmation="signature", lines=[])
    with pytest.raises(InvalidInput, match="scan"):
        service.record_return(db, principal=team, lot=lot, data=signature, today=STORED)
    assert lot.returns == []


def test_return_with_a_signature_scan(db, make_lot, team):
    lot = make_lot(STORED)
    scan = service.add_attachment(
        db, principal=team, lot=lot, data=b"%PDF-1.4 signed receipt", kind="signature", caption="ontvangstbewijs"
    )
    data = ReturnCreate(returned_on=STORED, returned_to="bewoner", confirmation="signature", signature_id=scan.id)
    ret = service.record_return(db, principal=team, lot=lot, data=data, today=STORED)
    assert ret.signature_id == scan.id and lot.status == "returned"


def test_hold_until_paid_keeps_goods_but_never_personal_documents(db, make_lot, team):
    lot = make_lot(STORED)
    service.decide_costs(
        db,
        principal=team,
        lot=lot,
        data=CostDecision(decision="hold_until_paid", reason="besluit B&W, geen schuldhulp"),
    )
    with pytest.raises(RuleBreach, match="betaald"):
        service.record_return(
            db, principal=team, lot=lot, data=_return(lot, [(_item(lot, "furniture").id, 1)], STORED), today=STORED
        )
    docs = _item(lot, "personal_documents")
    service.record_return(db, principal=team, lot=lot, data=_return(lot, [(docs.id, 1)], STORED), today=STORED)
    service.mark_costs_paid(db, principal=team, lot=lot, paid_on=STORED, today=STORED)
    service.record_return(
        db, principal=team, lot=lot, data=_return(lot, [(_item(lot, "furniture").id, 1)], STORED), today=STORED
    )


def test_hold_needs_a_reason(db, make_lot, team):
    lot = make_lot(STORED)
    with pytest.raises(InvalidInput):
        service.decide_costs(db, principal=team, lot=lot, data=CostDecision(decision="hold_until_paid"))


# ---------------------------------------------------------------- costs


def test_running_costs_and_recovery(db, make_lot, team):
    lot = make_lot(STORED)  # 4.50 per m³ per week; 3.00 + 1.00 + 0.05 + 0.10 = 4.15 m³; removal 350.00
    c = service.costs(lot, today=STORED + timedelta(days=15))
    assert (c.weeks, c.volume_m3) == (3, Decimal("4.15"))
    assert c.storage_cents == 5603  # 4.50 × 4.15 × 3 = 56.025 → 56.03 (half up)
    assert c.total_cents == 40603
    service.set_recovery(
        db,
        principal=team,
        lot=lot,
        data=Recovery(party="Woonstichting Maasvallei", status="claimed", amount=Decimal("406.03")),
    )
    assert (lot.recovery_status, lot.recovery_amount_cents) == ("claimed", 40603)


# ---------------------------------------------------------------- letters


def test_each_letter_on_its_day_and_only_once(db, make_lot, team):
    lot = make_lot(STORED)
    expected = {
        "week_4": STORED + timedelta(days=28),
        "two_weeks_before": DAY_91 - timedelta(days=14),
        "deadline": DAY_91,
    }
    for kind, due in expected.items():
        day_before = due - timedelta(days=1)
        assert kind not in [d.kind for d in service.due_letters(db, lot=lot, today=day_before)]
        with pytest.raises(Conflict):
            service.generate_letter(db, principal=team, lot=lot, kind=kind, today=day_before)
        made = service.generate_due_letters(db, principal=None, municipality_id=lot.municipality_id, today=due, lot=lot)
        assert [m.kind for m in made] == [kind]
        assert made[0].due_on == due and made[0].pdf.startswith(b"%PDF")
        again = service.generate_letter(db, principal=team, lot=lot, kind=kind, today=due)
        assert again.id == made[0].id  # idempotent
    count = db.scalar(select(func.count()).select_from(StorageLetter).where(StorageLetter.lot_id == lot.id))
    assert count == 4


def _text(letter_kind, lot, db, paragraphs_only=False):
    from api.core.models import Municipality
    from api.storage import letters
    from api.storage.models import StorageDepot

    doc = letters.letter_document(
        kind=letter_kind,
        lot=lot,
        times=service.letter_times(db, lot=lot),
        household_name="Familie Test",
        municipality_name=db.get(Municipality, lot.municipality_id).name,
        depot=db.get(StorageDepot, lot.depot_id),
        costs_now=service.costs(lot, today=STORED),
        today=STORED,
    )
    parts = []
    for block in doc.blocks:
        if paragraphs_only and not isinstance(block, letters.Paragraph):
            continue
        for attr in ("text",):
            if hasattr(block, attr):
                parts.append(getattr(block, attr))
        if hasattr(block, "items"):
            parts.extend(block.items)
        if hasattr(block, "rows"):
            parts.extend(" ".join(r) for r in block.rows)
    return doc.title + "\n" + "\n".join(parts)


def test_letter_texts_say_what_where_until_when_and_how(db, make_lot, team):
    lot = make_lot(STORED)
    intake = _text("intake", lot, db)
    assert "Uw spullen zijn opgeslagen" in intake
    assert "Fotoalbums" in intake and "Opslag Maastricht" in intake  # what and where
    assert "tot en met 15 maart 2028" in intake and "vanaf 16 maart 2028" in intake  # until when (art. 5:30 Awb)
    assert "afspraak" in intake and lot.reference in intake  # how to get it back
    assert "nooit weg" in intake  # personal documents kept
    assert "beslist nog" in intake  # costs: no decision yet
    assert "Nog 2 weken" in _text("two_weeks_before", lot, db)
    assert "De 13 weken zijn voorbij" in _text("deadline", lot, db)
    assert "4 weken" in _text("week_4", lot, db)
    service.decide_costs(db, principal=team, lot=lot, data=CostDecision(decision="waived"))
    assert "U hoeft niets te betalen" in _text("intake", lot, db)
    service.decide_costs(db, principal=team, lot=lot, data=CostDecision(decision="hold_until_paid", reason="r"))
    held = _text("week_4", lot, db)
    assert "als deze kosten zijn betaald" in held and "altijd terug" in held
    for kind in ("intake", "week_4", "two_weeks_before", "deadline"):
        text = _text(kind, lot, db, paragraphs_only=True)
        long_sentences = [s for s in re.split(r"[.?!]\s", text.replace("\n", " ")) if len(s.split()) > 25]
        assert not long_sentences, (kind, long_sentences)  # plain language: short sentences


def _letter_text(doc):
    return doc.title + "\n" + "\n".join(block.text for block in doc.blocks if hasattr(block, "text"))


def test_letters_name_the_periods_of_the_default_policy(db, make_lot, monkeypatch):
    from api.storage import letters

    lot = make_lot(STORED)
    assert "Uw spullen staan nu 4 weken bij ons." in _text("week_4", lot, db)
    reminder = _text("two_weeks_before", lot, db)
    assert "Nog 2 weken: haal uw spullen op" in reminder and "Over 2 weken zijn de 13 weken voorbij." in reminder
    assert "Wij bewaren uw spullen 13 weken: tot en met 15 maart 2028." in _text("intake", lot, db)
    deadline = _text("deadline", lot, db)
    assert "De 13 weken zijn voorbij" in deadline and "Wij hebben uw spullen 13 weken bewaard." in deadline
    made = []
    monkeypatch.setattr(letters, "render_pdf", lambda doc: made.append(doc) or b"%PDF-test")
    service.generate_due_letters(
        db, principal=None, municipality_id=lot.municipality_id, today=STORED + timedelta(days=28), lot=lot
    )
    assert [d.title for d in made] == ["Uw spullen staan nog bij ons"]
    assert "Uw spullen staan nu 4 weken bij ons." in _letter_text(made[0])


def test_letters_labels_and_calendar_name_a_municipal_override(db, make_lot, team, policy_override, monkeypatch):
    from api.storage import letters

    policy_override("storage_letters", week_4_days=21, before_deadline_days=10)
    lot = make_lot(STORED)
    week = _text("week_4", lot, db)
    assert "Uw spullen staan nu 3 weken bij ons." in week and "4 weken" not in week
    reminder = _text("two_weeks_before", lot, db)
    assert "Nog 10 dagen: haal uw spullen op" in reminder and "Over 10 dagen zijn de 13 weken voorbij." in reminder
    assert "2 weken" not in reminder

    made = []  # the letters the service makes: the PDF is rendered from exactly these blocks
    monkeypatch.setattr(letters, "render_pdf", lambda doc: made.append(doc) or b"%PDF-test")
    for day in (STORED + timedelta(days=21), DAY_91 - timedelta(days=10)):
        service.generate_due_letters(db, principal=None, municipality_id=lot.municipality_id, today=day, lot=lot)
    assert [d.title for d in made] == ["Uw spullen staan nog bij ons", "Nog 10 dagen: haal uw spullen op"]
    assert "Uw spullen staan nu 3 weken bij ons." in _letter_text(made[0])
    assert "Over 10 dagen zijn de 13 weken voorbij." in _letter_text(made[1])

    labels = [
        (d.label, d.label_en)
        for d in service.storage_deadlines(db, municipality_id=team.municipality_id, today=STORED)
        if d.placement_ref == lot.reference
    ]
    assert labels == [
        ("Opslag: nog 10 dagen, laatste brief", "Storage: 10 days left, last letter"),
        ("Opslag: bewaartermijn 13 weken voorbij", "Storage: period of 13 weeks ended"),
    ]


def test_letters_name_the_lots_own_storage_period(db, make_lot, policy_override):
    policy_override("storage_period", minimum_days=95)
    lot = make_lot(STORED)
    assert lot.deadline == STORED + timedelta(days=95)
    assert "Wij bewaren uw spullen 95 dagen: tot en met" in _text("intake", lot, db)
    assert "Over 2 weken zijn de 95 dagen voorbij." in _text("two_weeks_before", lot, db)
    deadline = _text("deadline", lot, db)
    assert "De 95 dagen zijn voorbij" in deadline and "13 weken" not in deadline


# ---------------------------------------------------------------- list and calendar


def test_list_sorted_by_deadline_and_flagged(db, make_lot):
    make_lot(date(2026, 9, 1), today=date(2026, 11, 27))
    rows = (
        service.summaries(db, municipality_id=make_lot.__self__ if False else 1, today=date(2026, 11, 27))
        if False
        else None
    )
    from tests.api.storage.conftest import principal_of

    team = principal_of(db, "crisis-team@maastricht.demo")
    rows = service.summaries(db, municipality_id=team.municipality_id, today=date(2026, 11, 27))
    open_rows = [r for r in rows if r.status in ("stored", "partly_returned")]
    assert [r.deadline for r in open_rows] == sorted(r.deadline for r in open_rows)
    new = next(r for r in rows if r.stored_on == date(2026, 9, 1))
    assert new.deadline == date(2026, 12, 1) and new.days_left == 4 and new.flagged


def test_storage_deadlines_for_the_calendar_feed(db, make_lot, team):
    from matcher.rules.calendar import build_feed

    lot = make_lot(STORED)
    found = [
        d
        for d in service.storage_deadlines(db, municipality_id=team.municipality_id, today=STORED)
        if d.placement_ref == lot.reference
    ]
    assert [(str(d.kind), d.date, d.day_number) for d in found] == [
        ("storage_two_weeks_before", DAY_91 - timedelta(days=14), 77),
        ("storage_deadline", DAY_91, 91),
    ]
    assert [(d.label, d.label_en) for d in found] == [
        ("Opslag: nog 2 weken, laatste brief", "Storage: 2 weeks left, last letter"),
        ("Opslag: bewaartermijn 13 weken voorbij", "Storage: period of 13 weeks ended"),
    ]
    ics = build_feed(found, calendar_name="test", stamp=datetime(2026, 11, 27, 9, tzinfo=UTC)).decode()
    assert f"UID:{lot.reference}-storage_deadline@onderdak" in ics
    assert "DTSTART;VALUE=DATE:20280315" in ics
    from api.households.models import Household

    household = db.get(Household, lot.household_id)
    assert household.display_name not in ics and household.reference in ics  # codes only, never names
