"""Pages under /opslag: the list (nearest deadline first), the intake form and the page per lot.

Forms post to small routes that call the same service as the API. A refused action re-renders
the page with the message next to the form it came from (status 422) and the input kept; the
action runs in a savepoint, so a refusal leaves nothing behind (not even an uploaded scan).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from api.auth.dependencies import DbSession
from api.core import clock, i18n
from api.core.csrf import verify_csrf
from api.core.errors import InvalidInput, OnderdakError
from api.core.listing import ListQuery, list_query, page_query
from api.core.models import Municipality
from api.core.principal import Principal
from api.core.templating import flash, render
from api.storage import listing, rules, service
from api.storage.dependencies import MANAGE_ROLES, CanManage, CanView
from api.storage.models import (
    COST_DECISIONS,
    ITEM_CATEGORIES,
    ITEM_CONDITIONS,
    LETTER_KINDS,
    RECOVERY_STATUSES,
    TARIFF_KINDS,
    StorageLot,
)
from api.storage.schemas import (
    ClaimCreate,
    ClaimPaid,
    CostDecision,
    DisposalCreate,
    LotCreate,
    LotRead,
    Recovery,
    ReturnCreate,
    SaleResult,
    WaiverCreate,
)

router = APIRouter(include_in_schema=False)
CSRF = [Depends(verify_csrf)]
INTAKE_ROWS = 8

# Dutch labels of the stored codes (English in locale/en/LC_MESSAGES/storage.po).
LABELS = {
    "stored": "opgeslagen",
    "partly_returned": "deels teruggegeven",
    "returned": "teruggegeven",
    "disposed": "verkocht of vernietigd",
    "closed": "afgesloten",
    "good": "goed",
    "worn": "gebruikt",
    "damaged": "beschadigd",
    "per_m3_week": "per m³ per week",
    "fixed": "vast bedrag",
    "waived": "kosten kwijtgescholden",
    "hold_until_paid": "teruggave pas na betaling",
    "not_started": "nog niet gestart",
    "claimed": "gevorderd",
    "paid": "betaald",
    "not_recoverable": "niet te verhalen",
    "sale": "verkoop",
    "destruction": "vernietiging",
    "gift": "weggeven",
    "deadline_passed": "termijn voorbij",
    "waiver": "afstandsverklaring",
    "four_eyes": "vroege verkoop: reden, afschrift proces-verbaal en tweede gebruiker",
    "requested": "wacht op goedkeuring",
    "done": "uitgevoerd",
    "withdrawn": "ingetrokken",
    "photo": "foto",
    "signature": "ontvangstbewijs",
    "intake": "Brief bij de opslag",
    "deadline": "Brief op de einddatum",
}

# The two reminders' labels name the lot's own periods (policy ``storage_letters``, which a
# municipality may override): "Brief na 4 weken" by default. English in storage.po.
REMINDER_LABELS = {
    "week_4": "Brief na %(period)s",
    "two_weeks_before": "Brief %(period)s voor de einddatum",
}


def reminder_labels(times: rules.LetterTimes) -> dict[str, str]:
    """The reminders' labels for this lot, already in the page's language ("Letter after 3 weeks").

    The template passes every label through ``_()``; a finished label has no catalog entry and no
    ``%``, so that returns it unchanged.
    """
    language = i18n.current_language.get()
    days = {"week_4": times.week_4_days, "two_weeks_before": times.before_deadline_days}
    return {
        kind: i18n.gettext(REMINDER_LABELS[kind]) % {"period": rules.period_text(days[kind], language)}
        for kind in REMINDER_LABELS
    }


CHOICES = {
    "labels": LABELS,
    "categories": ITEM_CATEGORIES,
    "conditions": ITEM_CONDITIONS,
    "tariff_kinds": TARIFF_KINDS,
    "cost_decisions": COST_DECISIONS,
    "recovery_statuses": RECOVERY_STATUSES,
    "letter_kinds": LETTER_KINDS,
    "category_labels": {k: v[0] for k, v in rules.CATEGORY_LABELS.items()},
}


def _errors(exc: ValidationError, prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for err in exc.errors():
        key = prefix + ".".join(str(p) for p in err["loc"]) if err["loc"] else prefix + "form"
        out.setdefault(key, str(err["msg"]).removeprefix("Value error, "))
    return out


def _problem(exc: OnderdakError) -> dict[str, str]:
    out: dict[str, str] = {}
    for p in exc.problems:
        key = ".".join(str(x) for x in p.loc if x not in ("body", "path")) or "form"
        out.setdefault(key, p.message)
    return out


def with_links(detail: LotRead, url_path_for: Callable[..., Any]) -> LotRead:
    """The lot with the download path of each letter and attachment (``url_path_for`` of the app or API router)."""
    lot_id = str(detail.id)
    return detail.model_copy(
        update={
            "letters": [
                letter.model_copy(
                    update={"url": str(url_path_for("download_letter", lot_id=lot_id, letter_id=str(letter.id)))}
                )
                for letter in detail.letters
            ],
            "attachments": [
                a.model_copy(
                    update={"url": str(url_path_for("download_attachment", lot_id=lot_id, attachment_id=str(a.id)))}
                )
                for a in detail.attachments
            ],
        }
    )


# ------------------------------------------------------------------ list


@router.get("/opslag", response_class=HTMLResponse)
def list_page(
    request: Request,
    db: DbSession,
    principal: CanView,
    query: Annotated[ListQuery, Depends(list_query)],
    status: str | None = None,
) -> Response:
    today = clock.today()
    page = listing.lot_page(db, municipality_id=principal.municipality_id, query=page_query(query, status), today=today)
    return render(
        request,
        "storage/list.html",
        {
            "lots": page.rows,
            "page": page,
            "query": page.query,
            "columns": listing.COLUMNS,
            "statuses": listing.STATUSES,
            "status_label": lambda s: i18n.gettext(listing.STATUS_LABELS.get(s) or s),
            "today": today,
            "can_manage": principal.role in MANAGE_ROLES,
            **CHOICES,
        },
    )


# ------------------------------------------------------------------ intake


def _intake_context(db: Session, principal: Principal, form: dict[str, Any], errors: dict[str, str]) -> dict[str, Any]:
    return {
        "households": service.households_for_intake(db, municipality_id=principal.municipality_id),
        "depots": service.list_depots(db, municipality_id=principal.municipality_id),
        "form": form,
        "errors": errors,
        "rows": range(INTAKE_ROWS),
        "today": clock.today(),
        **CHOICES,
    }


@router.get("/opslag/nieuw", response_class=HTMLResponse)
def intake_form(request: Request, db: DbSession, principal: CanManage) -> Response:
    form = {"stored_on": clock.today().isoformat(), "tariff_kind": "", "removal_cost": "0"}
    return render(request, "storage/intake.html", _intake_context(db, principal, form, {}))


def _blank_none(value: Any) -> Any:
    return None if value in ("", None) else value


def _intake_payload(form: dict[str, Any]) -> dict[str, Any]:
    items = []
    for i in range(INTAKE_ROWS):
        description = str(form.get(f"item-{i}-description", "")).strip()
        if not description:
            continue
        items.append(
            {
                "category": form.get(f"item-{i}-category"),
                "description": description,
                "condition": form.get(f"item-{i}-condition") or "good",
                "quantity": form.get(f"item-{i}-quantity") or 1,
                "volume_m3": str(form.get(f"item-{i}-volume_m3", "")).replace(",", ".") or None,
                "location": _blank_none(form.get(f"item-{i}-location")),
            }
        )
    return {
        "household_id": _blank_none(form.get("household_id")),
        "depot_id": _blank_none(form.get("depot_id")),
        "stored_on": _blank_none(form.get("stored_on")),
        "bailiff_reference": str(form.get("bailiff_reference", "")).strip(),
        "tariff_kind": _blank_none(form.get("tariff_kind")),
        "tariff": _blank_none(str(form.get("tariff", "")).replace(",", ".")),
        "removal_cost": str(form.get("removal_cost") or "0").replace(",", "."),
        "notes": _blank_none(form.get("notes")),
        "items": items,
    }


def _item_errors(errors: dict[str, str], form: dict[str, Any]) -> dict[str, str]:
    """Map 'items.N.field' (N among the filled rows) back to the form row it came from."""
    filled = [i for i in range(INTAKE_ROWS) if str(form.get(f"item-{i}-description", "")).strip()]
    out = {}
    for key, msg in errors.items():
        parts = key.split(".")
        if parts[0] == "items" and len(parts) >= 3 and parts[1].isdigit() and int(parts[1]) < len(filled):
            out[f"item-{filled[int(parts[1])]}-{parts[2]}"] = msg
        else:
            out[key] = msg
    return out


@router.post("/opslag/nieuw", response_class=HTMLResponse, dependencies=CSRF)
async def intake_submit(request: Request, db: DbSession, principal: CanManage) -> Response:
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    payload = _intake_payload(form)
    try:
        data = LotCreate.model_validate(payload)
        with db.begin_nested():
            lot = service.create_lot(db, principal=principal, data=data, today=clock.today())
    except ValidationError as exc:
        errors = _item_errors(_errors(exc), form)
        return render(request, "storage/intake.html", _intake_context(db, principal, form, errors), status_code=422)
    except OnderdakError as exc:
        errors = _problem(exc)
        return render(request, "storage/intake.html", _intake_context(db, principal, form, errors), status_code=422)
    flash(request, "De inboedel is geregistreerd.")
    return RedirectResponse(f"/opslag/{lot.id}", status_code=303)


# ------------------------------------------------------------------ the lot page


def _lot_page(
    request: Request,
    db: Session,
    principal: Principal,
    lot: StorageLot,
    *,
    errors: dict[str, dict[str, str]] | None = None,
    form: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Response:
    today = clock.today()
    detail = with_links(service.lot_detail(db, lot=lot, today=today), request.app.url_path_for)
    household = lot_household(db, lot)
    depot = next(
        (d for d in service.list_depots(db, municipality_id=lot.municipality_id) if d.id == lot.depot_id), None
    )
    due = {d.kind: d.due_on for d in service.letter_schedule(db, lot=lot)}
    return render(
        request,
        "storage/lot.html",
        {
            "lot": detail,
            "household": household,
            "depot": depot,
            "municipality": db.get(Municipality, lot.municipality_id),
            "letter_due": due,
            "letters_due_now": [d.kind for d in service.due_letters(db, lot=lot, today=today)],
            "today": today,
            "can_manage": principal.role in MANAGE_ROLES,
            "user_id": principal.user_id,
            "errors": errors or {},
            "form": form or {},
            "euro": lambda value: rules.euro(None if value is None else int(value * 100)),
            **CHOICES,
            "labels": {**LABELS, **reminder_labels(service.letter_times(db, lot=lot))},
        },
        status_code=status_code,
    )


def lot_household(db: Session, lot: StorageLot) -> Any:
    from api.households.models import Household

    return db.get(Household, lot.household_id)


@router.get("/opslag/{lot_id}", response_class=HTMLResponse)
def lot_page(lot_id: int, request: Request, db: DbSession, principal: CanView) -> Response:
    lot = service.read_lot(db, principal=principal, lot_id=lot_id)
    return _lot_page(request, db, principal, lot)


async def _act(
    request: Request,
    db: Session,
    principal: Principal,
    lot_id: int,
    section: str,
    action: Callable[[StorageLot, dict[str, Any], date], Any],
) -> Response:
    """Run one form action in a savepoint; on refusal show the page again with the message at the form."""
    lot = service.get_lot(db, principal=principal, lot_id=lot_id)
    raw = await request.form()
    form: dict[str, Any] = {}
    for key in raw:
        values = raw.getlist(key)
        form[key] = values if key in ("item_ids",) else values[-1]
    try:
        with db.begin_nested():
            action(lot, form, clock.today())
    except ValidationError as exc:
        db.expire_all()
        return _lot_page(request, db, principal, lot, errors={section: _errors(exc)}, form=form, status_code=422)
    except OnderdakError as exc:
        db.expire_all()
        return _lot_page(request, db, principal, lot, errors={section: _problem(exc)}, form=form, status_code=422)
    flash(request, "Opgeslagen.")
    return RedirectResponse(f"/opslag/{lot.id}#{section}", status_code=303)


@router.post("/opslag/{lot_id}/teruggave", dependencies=CSRF)
async def return_submit(lot_id: int, request: Request, db: DbSession, principal: CanManage) -> Response:
    signature = None
    raw = await request.form()
    upload = raw.get("signature")
    if upload is not None and not isinstance(upload, str) and upload.filename:
        signature = await upload.read()

    def action(lot: StorageLot, form: dict[str, Any], today: date) -> None:
        lines = []
        for item in lot.items:
            value = str(form.get(f"qty-{item.id}", "") or "").strip()
            if value and value != "0":
                if not value.isdigit():
                    raise InvalidInput(code="storage.whole_quantity", loc=("body", "lines"))
                lines.append({"item_id": item.id, "quantity": int(value)})
        if not lines:
            raise InvalidInput(code="storage.quantity_required", loc=("body", "lines"))
        signature_id = None
        if form.get("confirmation") == "signature" and signature:
            scan = service.add_attachment(
                db, principal=principal, lot=lot, data=signature, kind="signature", caption="ontvangstbewijs"
            )
            signature_id = scan.id
        data = ReturnCreate.model_validate(
            {
                "returned_on": form.get("returned_on") or None,
                "returned_to": form.get("returned_to", ""),
                "confirmation": form.get("confirmation") or None,
                "confirmation_note": _blank_none(form.get("confirmation_note")),
                "signature_id": signature_id,
                "lines": lines,
            }
        )
        service.record_return(db, principal=principal, lot=lot, data=data, today=today)

    return await _act(request, db, principal, lot_id, "teruggave", action)


@router.post("/opslag/{lot_id}/afstand", dependencies=CSRF)
async def waiver_submit(lot_id: int, request: Request, db: DbSession, principal: CanManage) -> Response:
    def action(lot: StorageLot, form: dict[str, Any], today: date) -> None:
        data = WaiverCreate.model_validate(
            {
                "signed_on": form.get("signed_on") or None,
                "signed_by": form.get("signed_by", ""),
                "note": _blank_none(form.get("note")),
                "item_ids": [int(x) for x in form.get("item_ids", []) if str(x).isdigit()],
            }
        )
        service.record_waiver(db, principal=principal, lot=lot, data=data, today=today)

    return await _act(request, db, principal, lot_id, "afstand", action)


@router.post("/opslag/{lot_id}/verkoop", dependencies=CSRF)
async def disposal_submit(lot_id: int, request: Request, db: DbSession, principal: CanManage) -> Response:
    def action(lot: StorageLot, form: dict[str, Any], today: date) -> None:
        data = DisposalCreate.model_validate(
            {
                "category": form.get("category") or None,
                "method": form.get("method") or None,
                "reason": _blank_none(form.get("reason")),
                "proceeds": _amount(form, "proceeds"),
                "costs": _amount(form, "costs"),
                "record_copy_given_on": _blank_none(form.get("record_copy_given_on")),
                "unsellable_reason": _blank_none(form.get("unsellable_reason")),
            }
        )
        service.request_disposal(db, principal=principal, lot=lot, data=data, today=today)

    return await _act(request, db, principal, lot_id, "verkoop", action)


def _amount(form: dict[str, Any], key: str) -> Any:
    return _blank_none(str(form.get(key, "")).replace(",", "."))


@router.post("/opslag/{lot_id}/verkoop/{disposal_id}/opbrengst", dependencies=CSRF)
async def sale_result_submit(
    lot_id: int, disposal_id: int, request: Request, db: DbSession, principal: CanManage
) -> Response:
    def action(lot: StorageLot, form: dict[str, Any], _today: date) -> None:
        data = SaleResult.model_validate({"proceeds": _amount(form, "proceeds"), "costs": _amount(form, "costs") or 0})
        service.record_sale_result(db, principal=principal, lot=lot, disposal_id=disposal_id, data=data)

    return await _act(request, db, principal, lot_id, "verkoop", action)


@router.post("/opslag/{lot_id}/verkoop/{disposal_id}/aanspraak", dependencies=CSRF)
async def claim_submit(
    lot_id: int, disposal_id: int, request: Request, db: DbSession, principal: CanManage
) -> Response:
    def action(lot: StorageLot, form: dict[str, Any], today: date) -> None:
        data = ClaimCreate.model_validate(
            {"claim_received_on": _blank_none(form.get("claim_received_on")), "claimed_by": form.get("claimed_by", "")}
        )
        service.record_claim(db, principal=principal, lot=lot, disposal_id=disposal_id, data=data, today=today)

    return await _act(request, db, principal, lot_id, "verkoop", action)


@router.post("/opslag/{lot_id}/verkoop/{disposal_id}/uitbetaald", dependencies=CSRF)
async def claim_paid_submit(
    lot_id: int, disposal_id: int, request: Request, db: DbSession, principal: CanManage
) -> Response:
    def action(lot: StorageLot, form: dict[str, Any], today: date) -> None:
        data = ClaimPaid.model_validate(
            {"paid_on": _blank_none(form.get("paid_on")), "amount": _amount(form, "amount")}
        )
        service.record_claim_payment(db, principal=principal, lot=lot, disposal_id=disposal_id, data=data, today=today)

    return await _act(request, db, principal, lot_id, "verkoop", action)


@router.post("/opslag/{lot_id}/verkoop/{disposal_id}/goedkeuren", dependencies=CSRF)
async def disposal_approve(
    lot_id: int, disposal_id: int, request: Request, db: DbSession, principal: CanManage
) -> Response:
    def action(lot: StorageLot, _form: dict[str, Any], today: date) -> None:
        service.approve_disposal(db, principal=principal, lot=lot, disposal_id=disposal_id, today=today)

    return await _act(request, db, principal, lot_id, "verkoop", action)


@router.post("/opslag/{lot_id}/verkoop/{disposal_id}/intrekken", dependencies=CSRF)
async def disposal_withdraw(
    lot_id: int, disposal_id: int, request: Request, db: DbSession, principal: CanManage
) -> Response:
    def action(lot: StorageLot, _form: dict[str, Any], _today: date) -> None:
        service.withdraw_disposal(db, principal=principal, lot=lot, disposal_id=disposal_id)

    return await _act(request, db, principal, lot_id, "verkoop", action)


@router.post("/opslag/{lot_id}/kosten", dependencies=CSRF)
async def costs_submit(lot_id: int, request: Request, db: DbSession, principal: CanManage) -> Response:
    def action(lot: StorageLot, form: dict[str, Any], _today: date) -> None:
        data = CostDecision.model_validate(
            {"decision": form.get("decision") or None, "reason": _blank_none(form.get("reason"))}
        )
        service.decide_costs(db, principal=principal, lot=lot, data=data)

    return await _act(request, db, principal, lot_id, "kosten", action)


@router.post("/opslag/{lot_id}/betaald", dependencies=CSRF)
async def paid_submit(lot_id: int, request: Request, db: DbSession, principal: CanManage) -> Response:
    def action(lot: StorageLot, form: dict[str, Any], today: date) -> None:
        value = form.get("paid_on") or ""
        try:
            paid_on = date.fromisoformat(value)
        except ValueError:
            raise InvalidInput(code="storage.date_required", loc=("body", "paid_on")) from None
        service.mark_costs_paid(db, principal=principal, lot=lot, paid_on=paid_on, today=today)

    return await _act(request, db, principal, lot_id, "kosten", action)


@router.post("/opslag/{lot_id}/verhaal", dependencies=CSRF)
async def recovery_submit(lot_id: int, request: Request, db: DbSession, principal: CanManage) -> Response:
    def action(lot: StorageLot, form: dict[str, Any], today: date) -> None:
        data = Recovery.model_validate(
            {
                "party": form.get("party", ""),
                "status": form.get("status") or None,
                "amount": _blank_none(str(form.get("amount", "")).replace(",", ".")),
                "invoiced_on": _blank_none(form.get("invoiced_on")),
                "invoice_reference": _blank_none(form.get("invoice_reference")),
            }
        )
        service.set_recovery(db, principal=principal, lot=lot, data=data, today=today)

    return await _act(request, db, principal, lot_id, "verhaal", action)


@router.post("/opslag/{lot_id}/foto", dependencies=CSRF)
async def photo_submit(lot_id: int, request: Request, db: DbSession, principal: CanManage) -> Response:
    raw = await request.form()
    upload = raw.get("file")
    content = b""
    if upload is not None and not isinstance(upload, str):
        content = await upload.read()

    def action(lot: StorageLot, form: dict[str, Any], _today: date) -> None:
        service.add_attachment(
            db, principal=principal, lot=lot, data=content, kind="photo", caption=_blank_none(form.get("caption"))
        )

    return await _act(request, db, principal, lot_id, "fotos", action)


@router.post("/opslag/{lot_id}/brieven", dependencies=CSRF)
async def letters_submit(lot_id: int, request: Request, db: DbSession, principal: CanManage) -> Response:
    def action(lot: StorageLot, _form: dict[str, Any], today: date) -> None:
        service.generate_due_letters(db, principal=principal, municipality_id=lot.municipality_id, today=today, lot=lot)

    return await _act(request, db, principal, lot_id, "brieven", action)
