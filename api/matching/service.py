"""The daily matching: build the instance, solve, re-check, store the run and its proposals.

The web button, the API and ``onderdak match`` all call :func:`run_daily_matching`, so a
scheduled job and a team member get the same result for the same data.

Idempotence: a run is keyed by the SHA-256 of its canonical instance (``input_hash``). When
the latest run of that municipality and day has the same hash, nothing changed and that run
is returned again (``run.reused``): same proposals, no second row. Every decision taken on a
run's own proposals (confirm, reject) moves the run's ``expected_hash`` along, so a proposal
is *stale* exactly when something else changed the data since the run.
"""

from __future__ import annotations

import hashlib
import json
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import insert, select, text, update
from sqlalchemy.orm import Session, defer

from api.core import audit, data_version
from api.core.errors import Conflict, InvalidInput, NotFound
from api.core.policy import policy_book
from api.core.principal import Principal
from api.core.tenancy import ensure_own, owned
from api.hosts import reconfirm
from api.households.models import Household
from api.matching.instance import WaitingRecord, build_instance, priority_breakdown
from api.matching.models import MatchingRun, Proposal
from api.matching.policy import MatchingPolicy, matching_policy
from api.places.models import Place
from api.stays.rematch import breakdowns_per_household
from matcher.rules.priority import PriorityBreakdown

EARTH_RADIUS_KM = 6371.0088  # the matcher's E9 sphere (matching-spec.md)


@dataclass(frozen=True)
class WaitingHousehold:
    """A household of the day's instance, as the daily page lists it."""

    id: int
    reference: str
    persons: int
    children: int
    release_date: date
    priority: int
    pets: bool
    needs_accessible: bool
    accepts_host: bool
    excluded: list[str]


@dataclass(frozen=True)
class FreePlace:
    """A place of the day's instance that is free on some day of the horizon (``free_from``)."""

    id: int
    reference: str
    label: str
    kind: str
    capacity: int
    free_from: date
    pets: bool
    accessible: bool


def day_lists(
    db: Session, *, municipality_id: int, day: date, instance: dict[str, Any], inputs: frozenset[int]
) -> tuple[list[WaitingHousehold], list[FreePlace]]:
    """The daily page's waiting households and free places, kept with the instance they come from (the same
    key: api.core.data_version); shared between requests, never changed by callers."""
    return data_version.views.get_or_compute(
        db,
        ("matching.day_lists", municipality_id, day, inputs),
        lambda: (
            waiting_households(db, municipality_id=municipality_id, instance=instance),
            free_places(db, municipality_id=municipality_id, instance=instance, day=day),
        ),
    )


def waiting_households(db: Session, *, municipality_id: int, instance: dict[str, Any]) -> list[WaitingHousehold]:
    """The households of ``instance`` (built by :func:`instance_for`) with their record ids."""
    ids = _ids(db, Household, municipality_id)
    return [
        WaitingHousehold(
            id=ids[h["id"]],
            reference=h["id"],
            persons=len(h["adults"]) + len(h["children"]),
            children=len(h["children"]),
            release_date=date.fromisoformat(h["release_date"]),
            priority=h["priority"],
            pets=h["pets"],
            needs_accessible=h["needs_accessible"],
            accepts_host=h["accepts_host"],
            excluded=h["excluded_places"],
        )
        for h in instance["households"]
    ]


def _free_from(place: dict[str, Any], day: date, horizon: int) -> date | None:
    """First day in the horizon on which the place is free (available, not busy)."""
    start = date.fromisoformat(place["available_from"])
    until = date.fromisoformat(place["available_until"]) if place["available_until"] else None
    busy = [(date.fromisoformat(b["start"]), date.fromisoformat(b["end"])) for b in place["busy"]]
    for offset in range(horizon):
        d = day + timedelta(days=offset)
        if d >= start and (until is None or d < until) and not any(s <= d < e for s, e in busy):
            return d
    return None


def free_places(db: Session, *, municipality_id: int, instance: dict[str, Any], day: date) -> list[FreePlace]:
    """The places of ``instance`` that are free on some day of its horizon, in instance order."""
    rows = {
        reference: (place_id, label)
        for reference, place_id, label in db.execute(
            select(Place.reference, Place.id, Place.label).where(Place.municipality_id == municipality_id)
        )
    }
    free = []
    for p in instance["places"]:
        first = _free_from(p, day, instance["horizon_days"])
        if first is not None:
            free.append(
                FreePlace(
                    id=rows[p["id"]][0],
                    reference=p["id"],
                    label=rows[p["id"]][1],
                    kind=p["kind"],
                    capacity=p["capacity"],
                    free_from=first,
                    pets=p["allows_pets"],
                    accessible=p["accessible"],
                )
            )
    return free


def policy_at(db: Session, *, municipality_id: int, day: date) -> MatchingPolicy:
    """The instance's policy block at ``day`` from the dated policy book (seed + overrides)."""
    return matching_policy(policy_book(db, municipality_id=municipality_id), day)


def instance_for(
    db: Session, *, municipality_id: int, day: date, inputs: frozenset[int] | None = None
) -> dict[str, Any]:
    """The instance a run would get now, kept per data version (api.core.data_version): the daily page, the
    staleness check and the API read it on every request. Shared between requests: callers never change it.
    A run itself builds its instance afresh (:func:`run_daily_matching`).

    The key holds the one input that changes with the clock rather than with the data: the hosts held back
    since their reconfirmation link expired unanswered (an expiry is a moment, not a write)."""
    return data_version.views.get_or_compute(
        db,
        ("matching.instance", municipality_id, day, clock_inputs(db, municipality_id) if inputs is None else inputs),
        lambda: instance_with_priorities(db, municipality_id=municipality_id, day=day)[0],
    )


def clock_inputs(db: Session, municipality_id: int) -> frozenset[int]:
    """What the instance reads from the clock beyond its day (see :func:`instance_for`). A page that shows
    several views of the instance reads it once and passes it on (``inputs=``)."""
    return frozenset(reconfirm.lapsed_hosts(db, municipality_id=municipality_id))


def instance_with_priorities(
    db: Session, *, municipality_id: int, day: date
) -> tuple[dict[str, Any], dict[str, PriorityBreakdown]]:
    """The instance and each household's priority breakdown (by reference), computed once: the run's
    explanations need the breakdowns, and loading the households a second time for them cost a query
    over every waiting household."""
    book = policy_book(db, municipality_id=municipality_id)
    policy = matching_policy(book, day)
    breakdowns: dict[str, PriorityBreakdown] = {}
    earlier = breakdowns_per_household(db, municipality_id=municipality_id)  # stays that broke down

    def priority(household: WaitingRecord) -> int:
        breakdowns[household.reference] = priority_breakdown(
            household, day, book, breakdowns=earlier.get(household.id, 0)
        )
        return breakdowns[household.reference].total

    instance = build_instance(db, municipality_id=municipality_id, day=day, policy=policy, priority=priority)
    return instance, breakdowns


def input_hash(instance: dict[str, Any]) -> str:
    canonical = json.dumps(instance, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


# A run's instance and solution (300-500 KiB of JSON each at a large city's size) are read only where they are
# needed (a comparison with the records, a view of the run that is not cached yet): pages and lists that show
# the run leave them in the database until then.
WITHOUT_INSTANCE = defer(MatchingRun.instance_json)
WITHOUT_DOCUMENTS = (defer(MatchingRun.instance_json), defer(MatchingRun.solution_json))


def latest_run(db: Session, *, municipality_id: int, day: date) -> MatchingRun | None:
    return db.scalar(
        select(MatchingRun)
        .options(*WITHOUT_DOCUMENTS)
        .where(MatchingRun.municipality_id == municipality_id, MatchingRun.planning_date == day)
        .order_by(MatchingRun.id.desc())
        .limit(1)
    )


def previous_run(db: Session, run: MatchingRun) -> MatchingRun | None:
    return db.scalar(
        select(MatchingRun)
        .where(
            MatchingRun.municipality_id == run.municipality_id,
            MatchingRun.planning_date == run.planning_date,
            MatchingRun.id < run.id,
        )
        .order_by(MatchingRun.id.desc())
        .limit(1)
    )


def get_run(db: Session, *, principal: Principal, run_id: int) -> MatchingRun:
    return owned(db, MatchingRun, run_id, principal, code="matching.run_not_found", loc=("path", "run_id"))


def list_runs(db: Session, *, municipality_id: int, day: date | None = None, limit: int = 50) -> Sequence[MatchingRun]:
    query = select(MatchingRun).options(WITHOUT_INSTANCE).where(MatchingRun.municipality_id == municipality_id)
    if day is not None:
        query = query.where(MatchingRun.planning_date == day)
    return db.scalars(query.order_by(MatchingRun.id.desc()).limit(limit)).all()


def run_daily_matching(
    db: Session,
    *,
    municipality_id: int,
    day: date,
    run_by_label: str,
    run_by: int | None = None,
    principal: Principal | None = None,
    force: bool = False,
) -> MatchingRun:
    """Run (or, with unchanged data, return the last run of) the matching for one day."""
    import matcher
    from matcher.schema import InstanceError

    started = time.perf_counter()
    serialise_runs(db, municipality_id=municipality_id)
    instance, breakdowns = instance_with_priorities(db, municipality_id=municipality_id, day=day)
    digest = input_hash(instance)
    last = latest_run(db, municipality_id=municipality_id, day=day)
    if last is not None and not force and last.input_hash == digest and last.matcher_version == matcher.MATCHER_VERSION:
        last.reused = True
        last.current_hash = digest
        return last
    try:
        solution = matcher.solve(instance)
    except InstanceError as exc:  # the records do not fit the day (e.g. a member born after it): the caller's date
        raise InvalidInput(
            code="matching.records_do_not_fit_day",
            loc=("body", "date"),
            day=day.isoformat(),
            count=len(exc.problems),
            first=exc.problems[0][1] if exc.problems else "?",
        ) from None
    breaches = matcher.check(instance, solution)
    if breaches:  # never store a proposal that breaks a hard rule, whatever the solver says
        raise Conflict(code="matching.solution_breaks_rules", breaches="; ".join(breaches[:3]))
    solution_json = solution.model_dump(mode="json")
    run = MatchingRun(
        municipality_id=municipality_id,
        planning_date=day,
        input_hash=digest,
        expected_hash=digest,
        matcher_version=matcher.MATCHER_VERSION,
        instance_json=instance,
        solution_json=solution_json,
        status=solution_json["status"],
        run_by=run_by,
        run_by_label=run_by_label,
    )
    db.add(run)
    db.flush()
    _store_proposals(db, run, instance, solution_json, breakdowns)
    superseded = _supersede_open_proposals(db, run)
    audit.record(
        db,
        principal=principal,
        action="run",
        object_type="matching_run",
        object_id=run.id,
        municipality_id=municipality_id,
        detail={
            "planning_date": day.isoformat(),
            "input_hash": digest,
            "proposals": len(solution_json["placements"]),
            "unplaced": len(solution_json["unplaced"]),
            "seconds": round(time.perf_counter() - started, 3),
            "superseded_proposals": superseded,
            "by": run_by_label if principal is None else None,
        },
    )
    run.reused = False
    run.current_hash = digest
    return run


def _store_proposals(
    db: Session,
    run: MatchingRun,
    instance: dict[str, Any],
    solution_json: dict[str, Any],
    breakdowns: dict[str, PriorityBreakdown],
) -> None:
    """The run's proposals in one multi-row INSERT (in the solution's order, so ids follow it as before)."""
    household_ids = _ids(db, Household, run.municipality_id)
    place_ids = _ids(db, Place, run.municipality_id)
    households = {h["id"]: h for h in instance["households"]}
    places = {p["id"]: p for p in instance["places"]}
    rows = [
        {
            "run_id": run.id,
            "household_id": household_ids[p["household"]],
            "place_id": place_ids[p["place"]],
            "start_date": date.fromisoformat(p["start"]),
            "end_date": date.fromisoformat(p["end"]),
            "reasons": proposal_reasons(
                households[p["household"]], places[p["place"]], p, instance, breakdowns[p["household"]]
            ),
        }
        for p in solution_json["placements"]
    ]
    if rows:
        db.execute(insert(Proposal), rows)
    db.expire(run, ["proposals"])  # read back on first use, with the ids the database gave


def _supersede_open_proposals(db: Session, run: MatchingRun) -> int:
    """Open proposals of earlier runs of the same day become stale: only the newest run is decided on.
    An offered proposal stays open: it waits for the host's answer (api/offers)."""
    earlier = select(MatchingRun.id).where(
        MatchingRun.municipality_id == run.municipality_id,
        MatchingRun.planning_date == run.planning_date,
        MatchingRun.id != run.id,
    )
    result = db.execute(
        update(Proposal)
        .where(Proposal.run_id.in_(earlier), Proposal.status == "open", Proposal.offered_at.is_(None))
        .values(status="stale")
        .execution_options(synchronize_session="fetch")
    )
    return int(getattr(result, "rowcount", 0) or 0)


def _ids(db: Session, model: type[Household] | type[Place], municipality_id: int) -> dict[str, int]:
    rows = db.execute(select(model.reference, model.id).where(model.municipality_id == municipality_id))
    return {ref: id_ for ref, id_ in rows}  # noqa: C416 (rows are Row objects)


def distance_km(a: dict[str, float], b: dict[str, float]) -> float:
    """Great-circle distance as the matcher's rule E9 computes it."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a["lat"], a["lon"], b["lat"], b["lon"]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def _reason(code: str, nl: str, en: str, value: Any = None) -> dict[str, Any]:
    return {"code": code, "nl": nl, "en": en, "value": value}


def _n(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def _wait_reason(wait: int, release: date, t0: date) -> dict[str, Any]:
    if wait > 0:
        return _reason(
            "wait",
            f"Wacht {_n(wait, 'dag', 'dagen')}: de plaats is eerder niet vrij.",
            f"Waits {_n(wait, 'day', 'days')}: the place is not free earlier.",
            wait,
        )
    if release > t0:
        return _reason(
            "wait",
            f"Kan terecht op de dag van de ontruiming ({release.isoformat()}).",
            f"Can move in on the day of the eviction ({release.isoformat()}).",
            0,
        )
    return _reason("wait", "Kan vandaag terecht.", "Can move in today.", 0)


def proposal_reasons(
    household: dict[str, Any],
    place: dict[str, Any],
    placement: dict[str, Any],
    instance: dict[str, Any],
    breakdown: Any,
) -> list[dict[str, Any]]:
    """Why this pair: waiting time, distance, priority and the place's fit, in Dutch and English."""
    t0 = date.fromisoformat(instance["planning_date"])
    release = date.fromisoformat(household["release_date"])
    start, end = date.fromisoformat(placement["start"]), date.fromisoformat(placement["end"])
    wait = (start - max(t0, release)).days
    km = round(distance_km(household["location"], place["location"]), 1)
    persons = len(household["adults"]) + len(household["children"])
    reasons = [
        _wait_reason(wait, release, t0),
        _reason("distance", f"{km} km van de oude woning.", f"{km} km from the former home.", km),
        _reason(
            "priority",
            f"Prioriteit {breakdown.total}: " + " ".join(f.explanation for f in breakdown.factors if f.points),
            f"Priority {breakdown.total} ("
            + ", ".join(f"{f.factor} {f.points}" for f in breakdown.factors if f.points)
            + ").",
            breakdown.total,
        ),
        _reason(
            "stay",
            f"Verblijf van {start.isoformat()} tot {end.isoformat()} ({(end - start).days} dagen).",
            f"Stay from {start.isoformat()} to {end.isoformat()} ({(end - start).days} days).",
            (end - start).days,
        ),
        _reason(
            "capacity",
            f"Plaats voor {_n(place['capacity'], 'persoon', 'personen')}; het huishouden telt er {persons}.",
            f"Room for {_n(place['capacity'], 'person', 'persons')}; the household has {persons}.",
            persons,
        ),
    ]
    if place["kind"] == "wachtkamer":
        reasons.append(_reason("kind", "Wachtkamerwoning van de gemeente.", "Municipal waiting-room dwelling."))
    else:
        reasons.append(
            _reason(
                "kind",
                "Kamer bij een gastgever; het huishouden wil logeren.",
                "Host room; the household accepts a host.",
            )
        )
        host = place.get("host") or {}
        if host.get("landlord") in ("corporation", "private"):
            reasons.append(
                _reason("landlord", "De verhuurder van de gastgever gaf toestemming.", "The host's landlord consented.")
            )
        if host.get("on_benefit"):
            reasons.append(
                _reason(
                    "cost_sharing",
                    "Gastgever heeft een uitkering: geen volwassene die als kostendeler telt,"
                    " of een besluit tijdelijk verblijf.",
                    "Host on benefit: no adult counting as cost-sharer, or a temporary-stay decision is recorded.",
                )
            )
    if household["pets"]:
        reasons.append(_reason("pets", "Huisdieren zijn hier welkom.", "Pets are allowed here."))
    if household["children"]:
        reasons.append(_reason("children", "Kinderen zijn hier welkom.", "Children are welcome here."))
    if household["needs_accessible"]:
        reasons.append(_reason("accessible", "De plaats is toegankelijk.", "The place is accessible."))
    return reasons


def pending_changes(
    db: Session, run: MatchingRun, instance: dict[str, Any], inputs: frozenset[int]
) -> dict[str, list[str]]:
    """What changed in the records since ``run`` (``instance`` is today's, built from them), kept per data
    version: the comparison reads the run's stored instance, which only a change of the records makes
    worth reading again."""
    return data_version.views.get_or_compute(  # ``inputs``: as in instance_for's key, what else made ``instance``
        db, ("matching.pending", run.id, inputs), lambda: changes_between(run.instance_json, instance)
    )


def changes_between(old: dict[str, Any] | None, new: dict[str, Any]) -> dict[str, list[str]]:
    """What differs between two instances: households and places added, gone or changed."""
    if old is None:
        return {}
    result: dict[str, list[str]] = {}
    for key in ("households", "places"):
        before = {x["id"]: x for x in old.get(key, [])}
        after = {x["id"]: x for x in new.get(key, [])}
        result[f"{key}_added"] = sorted(set(after) - set(before))
        result[f"{key}_removed"] = sorted(set(before) - set(after))
        result[f"{key}_changed"] = sorted(i for i in set(before) & set(after) if before[i] != after[i])
    if old.get("policy") != new.get("policy") or old.get("horizon_days") != new.get("horizon_days"):
        result["policy_changed"] = ["policy"]
    return {k: v for k, v in result.items() if v}


def proposal_changes(old: MatchingRun | None, new: MatchingRun) -> dict[str, list[str]]:
    """Proposals that appeared or disappeared between two runs (as "household → place")."""
    if old is None:
        return {}

    def pairs(run: MatchingRun) -> set[str]:
        return {f"{p['household']} → {p['place']}" for p in run.solution_json.get("placements", [])}

    a, b = pairs(old), pairs(new)
    out = {"proposals_added": sorted(b - a), "proposals_removed": sorted(a - b)}
    return {k: v for k, v in out.items() if v}


@dataclass(frozen=True)
class RunSummary:
    """What the page and the API show about a run besides its proposals."""

    previous_run_id: int | None
    changes: dict[str, list[str]]
    stale: bool


def run_summary(db: Session, run: MatchingRun, current_hash: str | None = None) -> RunSummary:
    """What the page and the API show about a run besides its proposals (``current_hash``: see is_stale)."""
    prev = previous_run(db, run)
    changes = changes_between(prev.instance_json if prev else None, run.instance_json)
    changes.update(proposal_changes(prev, run))
    return RunSummary(previous_run_id=prev.id if prev else None, changes=changes, stale=is_stale(db, run, current_hash))


def fresh_hash(db: Session, *, run: MatchingRun) -> str:
    """The input hash of the records now; kept per data version (api.core.data_version), because the run's
    page and the API ask it on every read and building the instance is the costly part at scale."""
    inputs = clock_inputs(db, run.municipality_id)  # the key's, and the instance's if it must be built
    return data_version.views.get_or_compute(
        db,
        ("matching.input_hash", run.municipality_id, run.planning_date, inputs),
        lambda: input_hash(instance_for(db, municipality_id=run.municipality_id, day=run.planning_date, inputs=inputs)),
    )


def is_stale(db: Session, run: MatchingRun, current_hash: str | None = None) -> bool:
    """True when data changed since the run other than by decisions on its own proposals.

    ``current_hash``: the records' input hash when the caller has just computed it in this transaction (the
    answer to a run); otherwise the instance is built again."""
    current = current_hash if current_hash is not None else fresh_hash(db, run=run)
    return current != (run.expected_hash or run.input_hash)


RUN_LOCK_CLASS = 0x4F44  # the first key of pg_advisory_xact_lock: "matching runs"; the second is the municipality


def serialise_runs(db: Session, *, municipality_id: int) -> None:
    """Matching runs of one municipality queue up: a transaction-scoped advisory lock on PostgreSQL (released
    at commit or rollback); SQLite serialises every writer with BEGIN IMMEDIATE already."""
    if db.get_bind().dialect.name == "postgresql":
        db.execute(text("SELECT pg_advisory_xact_lock(:k, :m)"), {"k": RUN_LOCK_CLASS, "m": municipality_id})


def lock_run(db: Session, run_id: int) -> MatchingRun:
    """Serialise decisions on one run: the run row is locked until the transaction ends."""
    run = db.scalar(
        select(MatchingRun).where(MatchingRun.id == run_id).with_for_update().execution_options(populate_existing=True)
    )
    if run is None:
        raise NotFound(code="matching.run_not_found", loc=("path", "run_id"))
    return run


def get_proposal(db: Session, *, principal: Principal, proposal_id: int) -> Proposal:
    proposal = db.get(Proposal, proposal_id)
    if proposal is None:
        raise NotFound(code="proposal.not_found", loc=("path", "proposal_id"))
    ensure_own(principal, proposal.run.municipality_id, code="proposal.not_found", loc=("path", "proposal_id"))
    return proposal
