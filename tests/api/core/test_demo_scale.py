"""``onderdak demo-data --scale N``: N copies of the demo region, distinct and still recognised as demo data."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter

from sqlalchemy import func, select

from api.core.database import session_scope
from api.households.models import Household, HouseholdMember
from api.placements.models import Placement
from api.places.models import Place
from api.shell.demo_loader import foreign_rows, load_demo, loaded_scale
from api.storage.models import StorageItem, StorageLot
from seed_data import demo, demo_scale
from tests.conftest import DEMO_DAY, scaled_demo_url


def test_scale_one_is_the_demo_itself():
    assert demo_scale.generate(today=DEMO_DAY, scale=1) == demo.generate(today=DEMO_DAY)


def test_copies_are_distinct_people_and_places_with_history():
    one = demo.generate(today=DEMO_DAY)
    three = demo_scale.generate(today=DEMO_DAY, scale=3)
    for rows, key in ((three.households, "reference"), (three.places, "reference"), (three.hosts, "email")):
        assert len({row[key] for row in rows}) == len(rows)
    waiting = Counter(h.get("status", "waiting") for h in three.households)["waiting"]
    assert waiting == 3 * Counter(h.get("status", "waiting") for h in one.households)["waiting"]
    assert len(three.places) > 2.5 * len(one.places)
    ended = [p for p in three.placements if p["status"] == "ended"]
    assert ended and all(p["ended_on"] < DEMO_DAY and p["outcome"] for p in ended)
    days = sorted(h["eviction"]["eviction_date"] for h in three.households)
    assert (DEMO_DAY - days[0]).days > 180  # spread over the past year, not only around today
    copy_two = [(h["origin_lat"], h["origin_lon"]) for h in three.households if h["reference"].endswith("-S02")]
    shared = set(copy_two) & {(h["origin_lat"], h["origin_lon"]) for h in one.households}
    assert len(shared) <= 4  # only the fixed spots: the two town centres and the two hard cases


def test_scale_one_rows_get_the_generator_order_ids(db):
    """Bulk inserts keep the ids of the demo every other test knows (the order of the generator)."""
    data = demo.generate(today=DEMO_DAY)
    assert list(db.scalars(select(Household.reference).order_by(Household.id))) == [
        h["reference"] for h in data.households
    ]
    assert list(db.scalars(select(Place.reference).order_by(Place.id))) == [p["reference"] for p in data.places]
    names = list(db.scalars(select(HouseholdMember.first_name).order_by(HouseholdMember.id)))
    assert names == [m["first_name"] for h in data.households for m in h["members"]]


def test_scale_three_loads_three_times_the_demo_and_stays_demo_data(backend, tmp_path):
    one = demo.generate(today=DEMO_DAY)
    with scaled_demo_url(backend, tmp_path, 3) as url, session_scope(url) as db:
        assert loaded_scale(db) == 3
        assert foreign_rows(db, today=DEMO_DAY) == {}
        n_households = db.scalar(select(func.count()).select_from(Household))
        assert n_households is not None and n_households > 3 * len(one.households)
        assert db.scalar(select(func.count()).select_from(Place)) == len(
            demo_scale.generate(today=DEMO_DAY, scale=3).places
        )
        assert db.scalar(select(func.count()).where(Placement.status == "ended")) > 0
        assert db.scalar(select(func.count()).select_from(StorageItem)) > db.scalar(
            select(func.count()).select_from(StorageLot)
        )
        again = load_demo(db, today=DEMO_DAY, scale=3)  # idempotent
        assert again["households"] == n_households


def test_cli_scale_is_checked_and_loads(backend, tmp_path):
    from tests.conftest import drop_pg_schema, migrated_url

    url, schema = migrated_url(backend, tmp_path)
    env = {**os.environ, "ONDERDAK_DATABASE_URL": url}
    try:
        bad = subprocess.run(
            [sys.executable, "-m", "api", "demo-data", "--scale", "0"], capture_output=True, text=True, env=env
        )
        assert bad.returncode == 2 and "scale" in bad.stderr and "Traceback" not in bad.stderr
        done = subprocess.run(
            [sys.executable, "-m", "api", "demo-data", "--scale", "2", "--today", DEMO_DAY.isoformat()],
            capture_output=True,
            text=True,
            env=env,
        )
        assert done.returncode == 0, done.stderr
        expected = demo_scale.generate(today=DEMO_DAY, scale=2)
        assert f"households={len(expected.households)}" in done.stdout
    finally:
        from api.core.database import get_engine

        get_engine(url).dispose()
        if schema:
            drop_pg_schema(schema)
