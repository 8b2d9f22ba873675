"""The page "Capaciteit en simulatie": the form (with CSRF) starts a plan, its page refreshes while it runs
and then shows the curve as inline SVG with the target line, and a table."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from api.capacity.chart import capacity_chart
from api.capacity.models import CapacityPlan
from api.core.database import session_scope
from tests.conftest import wait_until


def _login(client, email: str) -> str:
    page = client.get("/login")
    token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    client.post("/login", data={"email": email, "password": "onderdak-demo", "csrf_token": token})
    return client.get("/").text.split('name="csrf_token" value="')[1].split('"')[0]  # the log-out form's


def test_the_form_starts_a_plan_whose_page_ends_in_a_chart_and_a_table(worker_client, committed_url) -> None:
    client = worker_client
    token = _login(client, "coordinator@maastricht.demo")
    page = client.get("/capaciteit")
    assert page.status_code == 200 and "Capaciteit en simulatie" in page.text
    assert 'href="/capaciteit"' in page.text  # in the navigation
    started = client.post("/capaciteit", data={"source": "small", "target": "90", "seeds": "1", "csrf_token": token},
                          follow_redirects=False)
    assert started.status_code == 303, started.text
    location = started.headers["location"]
    assert re.fullmatch(r"/capaciteit/[0-9a-f]{16}", location)
    first = client.get(location)
    assert first.status_code == 200
    if "klaar" not in first.text:
        assert 'http-equiv="refresh"' in first.text and "<progress" in first.text
    plan_id = location.rsplit("/", 1)[1]
    wait_until(lambda: _status(committed_url, plan_id) == "done", timeout=60, what="the plan")
    done = client.get(location).text
    assert 'http-equiv="refresh"' not in done
    assert "<svg" in done and 'class="band"' in done and 'class="target"' in done and 'class="share"' in done
    assert done.count("<tr>") >= 7  # the header and six points of the curve
    listing = client.get("/capaciteit").text
    assert location in listing


def _status(url: str, plan_id: str) -> str:
    with session_scope(url) as db:
        row = db.get(CapacityPlan, plan_id)
        assert row is not None
        return row.status


def test_the_form_without_csrf_is_refused_and_nothing_starts(client, db) -> None:
    _login(client, "coordinator@maastricht.demo")
    count = select(func.count()).select_from(CapacityPlan)
    before = db.scalar(count)
    response = client.post("/capaciteit", data={"source": "small", "target": "90", "seeds": "1"})
    assert response.status_code == 403
    assert db.scalar(count) == before


@pytest.mark.parametrize(
    ("form", "field"),
    [
        ({"source": "huge", "target": "90", "seeds": "1"}, "source"),
        ({"source": "small", "target": "veel", "seeds": "1"}, "target"),
        ({"source": "small", "target": "20", "seeds": "1"}, "target"),
        ({"source": "small", "target": "90", "seeds": "0"}, "seeds"),
        ({"source": "small", "target": "90", "seeds": "2.5"}, "seeds"),
    ],
)
def test_bad_form_input_is_shown_at_its_field(client, form: dict, field: str) -> None:
    token = _login(client, "crisis-team@maastricht.demo")
    response = client.post("/capaciteit", data={**form, "csrf_token": token})
    assert response.status_code == 422
    assert f'id="{field}-error"' in response.text and 'href="#' + field + '"' in response.text


def test_too_little_history_is_shown_at_the_profile_choice(client) -> None:
    token = _login(client, "coordinator@heerlen.demo")
    response = client.post("/capaciteit", data={"source": "history", "target": "90", "seeds": "1", "csrf_token": token})
    assert response.status_code == 422
    assert 'id="source-error"' in response.text and "Te weinig geschiedenis" in response.text


def test_a_case_worker_has_no_page_and_no_link(client) -> None:
    _login(client, "case-worker@maastricht.demo")
    assert client.get("/capaciteit").status_code == 403
    assert 'href="/capaciteit"' not in client.get("/").text


def test_the_chart_puts_the_band_around_the_line_and_the_target_where_it_belongs() -> None:
    result = {
        "target": 0.5,
        "curve": [
            {"wachtkamer": 2, "host_rooms": 2, "rooms": 4, "share": 0.4, "low": 0.3, "high": 0.5},
            {"wachtkamer": 4, "host_rooms": 4, "rooms": 8, "share": 0.8, "low": 0.7, "high": 0.9},
        ],
        "smallest": {"wachtkamer": 3, "host_rooms": 2, "rooms": 5, "share": 0.55, "low": 0.5, "high": 0.6},
    }
    chart = capacity_chart(result)
    assert chart is not None
    assert chart.target_y == pytest.approx((chart.top + chart.bottom) / 2)  # 50% is half-way up
    (x1, y1), (x2, y2) = chart.dots
    assert x1 == chart.left and x2 == chart.right and y2 < y1  # more rooms, higher share (up is smaller y)
    band = [tuple(map(float, p.split(","))) for p in chart.band.split()]
    assert len(band) == 4 and band[0][1] < y1 < band[3][1]  # the band's top above the line, its bottom below
    assert chart.smallest is not None and x1 < chart.smallest[0] < x2
    assert capacity_chart({"target": 0.9, "curve": [], "smallest": None}) is None
