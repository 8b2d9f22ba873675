"""The comparison on the page "Capaciteit en simulatie": the form starts one, its page refreshes while it runs
and, when done, shows the table per policy, the wait distribution as grouped bars and the weekly occupancy
as lines (inline SVG with a title, a description and a table of the same numbers, in Dutch)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from api.capacity import runner
from api.capacity.compare_chart import STYLES, count_axis, occupancy_chart, wait_chart
from api.capacity.models import CapacityPlan
from api.core import clock
from api.core.database import session_scope
from api.core.models import Municipality
from tests.api.capacity.test_pages import _login
from tests.conftest import wait_until

BUCKETS = ["0", "1-2", "3-7", "8-14", "15-28", ">28", "not placed"]


def _row(policy: str, waits: list[float], occupancy: list[float], hindsight: bool = True) -> dict:
    pair = {"mean": 10.0, "half_width": 1.5}
    return {
        "policy": policy, "value": {"mean": 1234.0, "half_width": 56.0}, "placed": pair,
        "sheltered_share": {"mean": 0.5, "half_width": 0.1}, "mean_wait": {"mean": 2.25, "half_width": 0.5},
        "p95_wait": pair, "seconds": pair,
        "share_of_hindsight": {"mean": 0.9, "half_width": 0.05} if hindsight else None,
        "share_of_bound": {"mean": 0.89, "half_width": 0.05} if hindsight else None,
        "wait_distribution": waits, "occupancy": occupancy,
    }


RESULT = {
    "profile": "small", "seeds": 2, "load": None, "days": 28, "hindsight_seconds": 1.0, "wait_buckets": BUCKETS,
    "rows": [
        _row("first-come", [4, 2, 1, 1, 0, 0, 2], [0.5, 0.75, 1.0, 0.25]),
        _row("anticipating", [7, 1, 0, 0, 0, 0, 2], [0.25, 0.5, 0.5, 0.5]),
        _row("hindsight", [8, 1, 0, 0, 0, 0, 1], [0.5, 0.5, 0.5, 0.5]),
    ],
}


def _finished_comparison(db, municipality: str = "GM0935") -> str:
    municipality_id = db.scalar(select(Municipality.id).where(Municipality.code == municipality))
    now = clock.now()
    job = CapacityPlan(id=runner.new_id(), municipality_id=municipality_id, created_by=1, created_at=now,
                       kind="compare", source="small", target=None, load=None, hindsight_seconds=1.0, seeds=2,
                       days=28, status="done", done=2, total=2, result=RESULT, finished_at=now, heartbeat_at=now)
    db.add(job)
    db.flush()
    return job.id


def test_a_finished_comparison_shows_the_table_and_both_charts_in_dutch(client, db) -> None:
    job_id = _finished_comparison(db)
    _login(client, "coordinator@maastricht.demo")
    page = client.get(f"/capaciteit/{job_id}")
    assert page.status_code == 200
    html = page.text
    assert "Vergelijking van het beleid" in html and 'http-equiv="refresh"' not in html
    # the table per policy, Dutch headings and names, mean ± half-width
    for text in ("Uitkomst per beleid", "Deel van het optimum achteraf", "Onderdak op de dag van uitzetting",
                 "Wie het eerst komt", "Vooruitziend", "Optimum achteraf", "1234 ± 56", "90.0% ± 5.0"):
        assert text in html, text
    # the bars: one per policy and bucket, with a title and a description
    assert html.count('<rect class="bar"') == 3 * 7
    assert 'aria-labelledby="wait-title wait-desc"' in html and '<title id="wait-title">' in html
    assert '<desc id="wait-desc">' in html
    # the lines: one per policy, told apart by dash as well as colour
    assert html.count('<polyline class="occupancy"') == 3
    assert '<title id="occupancy-title">' in html and '<desc id="occupancy-desc">' in html
    assert f'stroke-dasharray="{STYLES["first-come"][1]}"' in html
    # the data tables: the wait buckets in words, the weeks
    assert "dezelfde dag" in html and "geen plek" in html and "meer dan 28 dagen" in html
    assert "Bezetting per week" in html and "<th scope=\"row\">4</th>" in html and "75.0%" in html
    # presentation attributes only: no inline style, no script
    assert "style=" not in html.split("<main", 1)[1] and "<script>" not in html


def test_the_comparison_page_speaks_english_on_request(client, db) -> None:
    job_id = _finished_comparison(db)
    _login(client, "coordinator@maastricht.demo")
    html = client.get(f"/capaciteit/{job_id}?lang=en").text
    for text in ("Policy comparison", "Wait per policy", "Occupancy per week", "First come, first served",
                 "not placed"):
        assert text in html, text


def test_another_municipality_does_not_see_the_comparison_page(client, db) -> None:
    job_id = _finished_comparison(db)
    _login(client, "coordinator@heerlen.demo")
    assert client.get(f"/capaciteit/{job_id}").status_code == 404


def test_the_form_starts_a_comparison_whose_page_ends_in_its_charts(worker_client, committed_url) -> None:
    client = worker_client
    token = _login(client, "coordinator@maastricht.demo")
    page = client.get("/capaciteit")
    assert 'id="kind-compare"' in page.text and "Beleid vergelijken" in page.text
    started = client.post("/capaciteit", data={"kind": "compare", "source": "small", "target": "", "seeds": "1",
                                               "csrf_token": token}, follow_redirects=False)
    assert started.status_code == 303, started.text
    location = started.headers["location"]
    assert re.fullmatch(r"/capaciteit/[0-9a-f]{16}", location)
    job_id = location.rsplit("/", 1)[1]
    with session_scope(committed_url) as db:
        row = db.get(CapacityPlan, job_id)
        assert row is not None and row.kind == "compare" and row.target is None and row.hindsight_seconds == 10
        assert row.total == 1
    first = client.get(location).text
    if "klaar" not in first:
        assert 'http-equiv="refresh"' in first and "<progress" in first
    wait_until(lambda: _status(committed_url, job_id) in ("done", "failed"), timeout=180, what="the comparison")
    done = client.get(location).text
    assert _status(committed_url, job_id) == "done"
    assert 'http-equiv="refresh"' not in done
    assert done.count('<polyline class="occupancy"') == 5 and done.count('<rect class="bar"') == 5 * 7
    listing = client.get("/capaciteit").text
    assert location in listing and "vergelijking" in listing


def _status(url: str, job_id: str) -> str:
    with session_scope(url) as db:
        row = db.get(CapacityPlan, job_id)
        assert row is not None
        return row.status


def test_a_bad_kind_is_shown_at_its_field_and_a_comparison_needs_no_target(client, db) -> None:
    token = _login(client, "crisis-team@maastricht.demo")
    count = select(func.count()).select_from(CapacityPlan)
    before = db.scalar(count)
    bad = client.post("/capaciteit", data={"kind": "raden", "source": "small", "target": "90", "seeds": "1",
                                           "csrf_token": token})
    assert bad.status_code == 422 and 'id="kind-error"' in bad.text and 'href="#kind"' in bad.text
    seeds = client.post("/capaciteit", data={"kind": "compare", "source": "small", "target": "", "seeds": "0",
                                             "csrf_token": token})
    assert seeds.status_code == 422 and 'id="seeds-error"' in seeds.text and 'id="target-error"' not in seeds.text
    assert db.scalar(count) == before
    started = client.post("/capaciteit", data={"kind": "compare", "source": "small", "target": "veel", "seeds": "2",
                                               "csrf_token": token}, follow_redirects=False)
    assert started.status_code == 303  # the target is a plan's: a comparison ignores it
    assert db.scalar(count) == before + 1


def test_the_form_sets_a_comparisons_demand_period_and_hindsight_time(client, db) -> None:
    token = _login(client, "crisis-team@maastricht.demo")
    page = client.get("/capaciteit").text
    for field in ("days", "load", "hindsight_seconds"):
        assert f'id="{field}"' in page and f'aria-describedby="{field}-hint"' in page
    started = client.post("/capaciteit", data={"kind": "compare", "source": "small", "seeds": "2", "days": "90",
                                               "load": "120", "hindsight_seconds": "0", "csrf_token": token},
                          follow_redirects=False)
    assert started.status_code == 303, started.text
    row = db.get(CapacityPlan, started.headers["location"].rsplit("/", 1)[1])
    assert row is not None and row.kind == "compare"
    assert (row.load, row.days, row.hindsight_seconds, row.seeds) == (1.2, 90, 0, 2)
    blank = client.post("/capaciteit", data={"kind": "compare", "source": "small", "seeds": "1", "load": "",
                                             "csrf_token": token}, follow_redirects=False)
    assert blank.status_code == 303, blank.text  # a blank demand level is the profile's own
    row = db.get(CapacityPlan, blank.headers["location"].rsplit("/", 1)[1])
    assert row is not None and row.load is None and row.days == 365 and row.hindsight_seconds == 10


@pytest.mark.parametrize(
    ("form", "field"),
    [
        ({"load": "300"}, "load"),
        ({"load": "veel"}, "load"),
        ({"days": "7"}, "days"),
        ({"days": "90.5"}, "days"),
        ({"hindsight_seconds": "-1"}, "hindsight_seconds"),
        ({"seeds": "10", "hindsight_seconds": "120"}, "hindsight_seconds"),  # 1,200 s of hindsight in all
    ],
)
def test_a_bad_comparison_field_is_shown_at_it_and_nothing_starts(client, db, form: dict, field: str) -> None:
    token = _login(client, "crisis-team@maastricht.demo")
    count = select(func.count()).select_from(CapacityPlan)
    before = db.scalar(count)
    data = {"kind": "compare", "source": "small", "seeds": "2", **form, "csrf_token": token}
    response = client.post("/capaciteit", data=data)
    assert response.status_code == 422, response.status_code
    assert f'id="{field}-error"' in response.text and f'href="#{field}"' in response.text
    assert f'value="{form[field]}"' in response.text  # what was typed stays in the field
    assert db.scalar(count) == before


def test_a_plan_ignores_the_comparisons_fields_but_takes_the_period(client, db) -> None:
    token = _login(client, "crisis-team@maastricht.demo")
    started = client.post("/capaciteit", data={"kind": "plan", "source": "small", "target": "90", "seeds": "1",
                                               "days": "120", "load": "500", "hindsight_seconds": "x",
                                               "csrf_token": token}, follow_redirects=False)
    assert started.status_code == 303, started.text
    row = db.get(CapacityPlan, started.headers["location"].rsplit("/", 1)[1])
    assert row is not None and row.kind == "plan" and row.days == 120 and row.load is None


def test_an_unfinished_comparison_refreshes_and_an_abandoned_one_says_interrupted(app, client, db) -> None:
    from api.core.clock import FixedClock

    token = _login(client, "coordinator@maastricht.demo")
    started = client.post("/capaciteit", data={"kind": "compare", "source": "small", "target": "", "seeds": "1",
                                               "csrf_token": token}, follow_redirects=False)
    location = started.headers["location"]
    queued = client.get(location).text  # rolled back: never committed, never run
    assert 'http-equiv="refresh"' in queued and "<progress" in queued and "in de wachtrij" in queued
    start = db.get(CapacityPlan, location.rsplit("/", 1)[1]).heartbeat_at
    app.state.clock = FixedClock(start + timedelta(minutes=3))
    stopped = client.get(location).text
    assert 'http-equiv="refresh"' not in stopped and "onderbroken" in stopped


def test_the_bars_stand_on_the_axis_and_the_tallest_reaches_a_round_top() -> None:
    chart = wait_chart(RESULT)
    assert chart is not None
    f = chart.frame
    assert len(chart.bars) == 21 and len(chart.group_centres) == 7 and len(chart.series) == 3
    assert all(b.y + b.height == pytest.approx(f.bottom) for b in chart.bars)
    tallest = max(chart.bars, key=lambda b: b.value)  # 8 households: steps of 2, the axis tops at 8
    assert tallest.value == 8 and tallest.y == pytest.approx(f.top)
    half = next(b for b in chart.bars if b.value == 4)
    assert half.y == pytest.approx((f.top + f.bottom) / 2)
    assert [t.label for t in f.y_ticks] == ["0", "2", "4", "6", "8"]
    empty = [b for b in chart.bars if b.value == 0]
    assert empty and all(b.height == pytest.approx(0) for b in empty)
    # within a bucket the policies stand side by side, in the rows' order, inside the bucket
    first = [b for b in chart.bars if b.bucket == 0]
    assert [b.policy for b in first] == ["first-come", "anticipating", "hindsight"]
    assert first[0].x < first[1].x < first[2].x and first[2].x + first[2].width < f.left + (f.right - f.left) / 7
    assert wait_chart({"rows": [], "wait_buckets": BUCKETS}) is None


def test_the_occupancy_lines_run_week_by_week_from_the_left_to_the_right_edge() -> None:
    chart = occupancy_chart(RESULT)
    assert chart is not None
    f = chart.frame
    points = [tuple(map(float, p.split(","))) for p in chart.lines[0].points.split()]
    assert len(points) == 4
    assert points[0][0] == pytest.approx(f.left) and points[-1][0] == pytest.approx(f.right)
    assert points[2][1] == pytest.approx(f.top)  # 100% in week 3
    assert points[0][1] == pytest.approx((f.top + f.bottom) / 2)  # 50% in week 1
    assert [s.policy for s in chart.series] == ["first-come", "anticipating", "hindsight"]
    assert len({(s.colour, s.dash) for s in chart.series}) == 3
    assert occupancy_chart({"rows": []}) is None


def test_a_count_axis_has_round_steps_and_a_top_at_or_above_the_largest_count() -> None:
    assert count_axis(0) == (1, 1)
    assert count_axis(0.4) == (1, 1)
    assert count_axis(3) == (3, 1)
    assert count_axis(8) == (8, 2)
    assert count_axis(11) == (15, 5)
    assert count_axis(44.5) == (50, 10)
    assert count_axis(180) == (200, 50)
