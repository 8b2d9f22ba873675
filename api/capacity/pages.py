"""The page "Capaciteit en simulatie" (``/capaciteit``): start a capacity plan or a comparison of the
matching policies and follow it to its charts.

The form starts the same background job as ``POST /api/capacity/plans`` or ``POST /api/capacity/comparisons``;
the job's page (``/capaciteit/{id}``, either kind) refreshes itself (a meta refresh, no script) while the job
runs and, when done, shows a plan's curve, or a comparison's table, wait distribution and weekly occupancy,
as inline SVG with tables of the same numbers. Both read the job's row, so the refresh may reach any worker;
an interrupted job says so and stops refreshing.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from api.auth.dependencies import DbSession, require_roles
from api.capacity import service
from api.capacity.chart import capacity_chart
from api.capacity.compare_chart import occupancy_chart, wait_chart
from api.capacity.runner import KINDS
from api.capacity.schemas import ComparisonCreate, PlanCreate
from api.core import error_codes, i18n
from api.core.csrf import verify_csrf
from api.core.errors import Conflict, OnderdakError
from api.core.principal import Principal
from api.core.templating import render
from seed_data.simulation import PROFILES

router = APIRouter(include_in_schema=False)

Planner = Annotated[Principal, Depends(require_roles(*service.PLAN_ROLES))]
PlanId = Annotated[str, Path(pattern="^[0-9a-f]{16}$")]
SOURCES = (*PROFILES, "history")
DEFAULT_FORM = {"kind": "plan", "source": "small", "target": "95", "seeds": "3", "days": "365", "load": "",
                "hindsight_seconds": "10"}
REFRESH_SECONDS = 2


def _page(request: Request, db: Session, principal: Principal, *, form: dict[str, str], errors: dict[str, str],
          status: int = 200) -> Response:
    plans = service.recent_plans(db, principal=principal)
    context = {"form": form, "errors": errors, "sources": SOURCES, "kinds": KINDS, "plans": plans}
    return render(request, "capacity/capacity.html", context, status_code=status)


@router.get("/capaciteit", response_class=HTMLResponse)
def capacity_page(request: Request, db: DbSession, principal: Planner) -> Response:
    return _page(request, db, principal, form=dict(DEFAULT_FORM), errors={})


def _number(value: str, field: str, label: str, low: float, high: float, errors: dict[str, str]) -> float | None:
    try:
        number = float(value.replace(",", ".").strip())
    except ValueError:
        errors[field] = error_codes.render("input.invalid_number", {"field": label})
        return None
    if number != number or number < low:  # NaN is not a number either
        errors[field] = error_codes.render("input.too_small", {"field": label, "limit": low})
    elif number > high:
        errors[field] = error_codes.render("input.too_large", {"field": label, "limit": high})
    return number


def _whole(value: str, field: str, label: str, low: int, high: int, errors: dict[str, str]) -> int | None:
    """A whole number within ``low``..``high``, or the error at ``field``."""
    number = _number(value, field, label, low, high, errors)
    if number is not None and field not in errors and number != int(number):
        errors[field] = error_codes.render("input.invalid_int", {"field": label})
    return None if number is None or field in errors else int(number)


def parse_form(data: dict[str, str]) -> tuple[PlanCreate | ComparisonCreate | None, dict[str, str]]:
    """The form's values as the API's body, or the errors by field (the messages in the page's language).

    No kind is a plan (the form before comparisons had none). The target is a plan's only; the demand level
    and hindsight's time are a comparison's only, and a blank demand level is the profile's own. A form
    without the period or hindsight's time (an older page) gets the API's defaults."""
    errors: dict[str, str] = {}
    kind = data.get("kind") or "plan"
    if kind not in KINDS:
        errors["kind"] = error_codes.render(
            "input.invalid_choice", {"field": i18n.gettext("Soort berekening"), "choices": ", ".join(KINDS)}
        )
    source = data.get("source", "")
    if source not in SOURCES:
        errors["source"] = error_codes.render(
            "input.invalid_choice", {"field": i18n.gettext("Profiel"), "choices": ", ".join(SOURCES)}
        )
    values: dict[str, Any] = {"from_db": True} if source == "history" else {"profile": source}
    values["seeds"] = _whole(data.get("seeds", ""), "seeds", i18n.gettext("Herhalingen"), 1, 20, errors)
    values["days"] = _whole(data.get("days") or "365", "days", i18n.gettext("Periode"), 28, 730, errors)
    if kind == "compare":
        if (data.get("load") or "").strip():
            load = _number(data["load"], "load", i18n.gettext("Vraag"), 50, 200, errors)
            values["load"] = None if load is None else load / 100
        values["hindsight_seconds"] = _number(data.get("hindsight_seconds") or "10", "hindsight_seconds",
                                              i18n.gettext("Rekentijd optimum achteraf"), 0, 120, errors)
    else:
        target = _number(data.get("target", ""), "target", i18n.gettext("Doel"), 50, 100, errors)
        values["target"] = None if target is None else target / 100
    if errors:
        return None, errors
    if kind == "compare":
        return ComparisonCreate.model_validate(values), errors
    return PlanCreate.model_validate(values), errors


def _field_of(exc: OnderdakError) -> str:
    """The form field an API error belongs to: the profile choice for ``from_db``, the same name otherwise,
    and the whole form where the error names no field of the form."""
    name = (exc.problems[0].field or "").removeprefix("body.") if exc.problems else ""
    name = "source" if name == "from_db" else name
    return name if name in DEFAULT_FORM else "form"


@router.post("/capaciteit", dependencies=[Depends(verify_csrf)])
async def start_plan(request: Request, db: DbSession, principal: Planner) -> Response:
    raw = await request.form()
    data = {k: str(raw.get(k) or "")[:20] for k in DEFAULT_FORM}
    body, errors = parse_form(data)
    if body is None:
        return _page(request, db, principal, form=data, errors=errors, status=422)
    try:
        if isinstance(body, ComparisonCreate):
            job = service.start_comparison(db, principal=principal, body=body)
        else:
            job = service.start_plan(db, principal=principal, body=body)
    except OnderdakError as exc:
        field = _field_of(exc)
        return _page(request, db, principal, form=data, errors={field: exc.message}, status=exc.status_code)
    return RedirectResponse(request.app.url_path_for("capacity_plan_page", plan_id=job.id), status_code=303)


@router.get("/capaciteit/{plan_id}", response_class=HTMLResponse, name="capacity_plan_page")
def plan_page(request: Request, plan_id: PlanId, db: DbSession, principal: Planner) -> Response:
    """A plan's or a comparison's page (the id says which)."""
    job = service.get_job(db, principal=principal, job_id=plan_id)
    context: dict[str, Any] = {
        "job": job,
        "refresh": REFRESH_SECONDS if job.status in ("queued", "running") else None,
    }
    if job.kind == "compare":
        context |= {
            "wait": wait_chart(job.result) if job.result else None,
            "occupancy": occupancy_chart(job.result) if job.result else None,
        }
        return render(request, "capacity/comparison.html", context)
    context["chart"] = capacity_chart(job.result) if job.result else None
    return render(request, "capacity/plan.html", context)


@router.post("/capaciteit/{plan_id}/opnieuw", dependencies=[Depends(verify_csrf)])
def restart_job(request: Request, plan_id: PlanId, db: DbSession, principal: Planner) -> Response:
    """The button under a failed or interrupted job: the same request again, on to the new job's page."""
    try:
        job = service.restart(db, principal=principal, job_id=plan_id)
    except Conflict as exc:
        return _page(request, db, principal, form=dict(DEFAULT_FORM), errors={"form": exc.message},
                     status=exc.status_code)
    return RedirectResponse(request.app.url_path_for("capacity_plan_page", plan_id=job.id), status_code=303)
