"""The daily matching: build the instance, solve, re-check, store the run and its proposals.

The web button, the API and ``onderdak match`` all call :func:`run_daily_matching`.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.core.models import Municipality
from api.errors import NotFound
from api.households.models import Household
from api.matching.instance import MatchingPolicy, build_instance
from api.matching.models import MatchingRun, Proposal
from api.places.models import Place

# Stay limits, cost-sharing age, distance and horizon: replaced by the dated policy book (rules issue).
DEFAULT_POLICY = MatchingPolicy(
    min_stay_days=42, max_stay_days=56, cost_sharing_age=27, max_distance_km=60.0, horizon_days=14
)


def municipality_by_code(db: Session, code: str) -> Municipality:
    municipality = db.scalar(select(Municipality).where(Municipality.code == code))
    if municipality is None:
        raise NotFound(f"unknown municipality {code!r}", loc=("municipality",))
    return municipality


def policy_at(db: Session, *, municipality_id: int, day: date) -> MatchingPolicy:
    return DEFAULT_POLICY


def instance_for(db: Session, *, municipality_id: int, day: date) -> dict[str, Any]:
    policy = policy_at(db, municipality_id=municipality_id, day=day)
    return build_instance(db, municipality_id=municipality_id, day=day, policy=policy)


def input_hash(instance: dict[str, Any]) -> str:
    canonical = json.dumps(instance, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def run_daily_matching(
    db: Session, *, municipality_id: int, day: date, run_by_label: str, run_by: int | None = None
) -> MatchingRun:
    import matcher

    instance = instance_for(db, municipality_id=municipality_id, day=day)
    solution = matcher.solve(instance)
    solution_json = solution.model_dump(mode="json")
    run = MatchingRun(
        municipality_id=municipality_id,
        planning_date=day,
        input_hash=input_hash(instance),
        matcher_version=matcher.MATCHER_VERSION,
        instance_json=instance,
        solution_json=solution_json,
        status=solution_json["status"],
        run_by=run_by,
        run_by_label=run_by_label,
    )
    household_ids = dict(
        db.execute(
            select(Household.reference, Household.id).where(Household.municipality_id == municipality_id)
        ).tuples()
    )
    place_ids = dict(
        db.execute(select(Place.reference, Place.id).where(Place.municipality_id == municipality_id)).tuples()
    )
    for p in solution_json["placements"]:
        run.proposals.append(
            Proposal(
                household_id=household_ids[p["household"]],
                place_id=place_ids[p["place"]],
                start_date=date.fromisoformat(p["start"]),
                end_date=date.fromisoformat(p["end"]),
            )
        )
    db.add(run)
    db.flush()
    return run
