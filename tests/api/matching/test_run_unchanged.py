"""The faster run (instance and priorities built once, proposals stored in one INSERT) proposes exactly what
the run proposed before it: the same instance (input hash), objective and proposals with the same reasons,
on the demo of both municipalities. The pinned values were produced by the code before the change."""

from __future__ import annotations

import hashlib
import json

import pytest
from sqlalchemy import select

from api.core import tenancy
from api.households.models import Household
from api.matching import service, views
from api.places.models import Place
from tests.conftest import DEMO_DAY

BEFORE = {
    "GM0935": (
        "b474b0f888d81a80eb41dc610005df530c06d1f19dce1967fee5c077ee200a9c",
        {"placed": 40, "priority": 145, "weighted_wait": 0, "distance": 1630, "stay_days": 2240},
        "eb617625515bcb2dcaec714a6daefdf8887f97e819e7000f38dc6995fdf2f42e",
    ),
    "GM0917": (
        "afd2da150a861d0a7ed5627e06f945c0d14e247d62fc7116d51200b437a1c8d6",
        {"placed": 12, "priority": 27, "weighted_wait": 0, "distance": 831, "stay_days": 672},
        "bb3509b954f5a479916490e29cbc3c742a9e088c215d6667a2267a05b6e87cc9",
    ),
}


def proposals_digest(db, run) -> str:
    """SHA-256 of the run's proposals in id order: household and place reference, dates, reasons."""
    households = dict(db.execute(select(Household.id, Household.reference)).all())
    places = dict(db.execute(select(Place.id, Place.reference)).all())
    rows = [
        [households[p.household_id], places[p.place_id], p.start_date.isoformat(), p.end_date.isoformat(), p.reasons]
        for p in sorted(run.proposals, key=lambda p: p.id)
    ]
    return hashlib.sha256(json.dumps(rows, sort_keys=True).encode()).hexdigest()


@pytest.mark.parametrize("code", sorted(BEFORE))
def test_a_forced_run_proposes_what_it_did_before(db, code):
    input_hash, objective, proposals = BEFORE[code]
    municipality = tenancy.municipality_by_code(db, code)
    run = service.run_daily_matching(db, municipality_id=municipality.id, day=DEMO_DAY, run_by_label="test", force=True)
    assert run.input_hash == input_hash
    assert run.solution_json["objective"] == objective
    assert proposals_digest(db, run) == proposals
    read = views.run_read(db, run, current_hash=run.current_hash)
    assert len(read.proposals) == objective["placed"] and read.stale is False
    assert read == views.run_read(db, run)  # the hash handed on equals the one built afresh
