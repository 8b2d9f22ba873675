"""A simulator profile counted from a municipality's records (``onderdak simulate generate --from-db``).

The database is the demo region twice over on SQLite: a year of closed cases next to the waiting ones.
The expected counts are computed here with plain SQL, not with the code under test.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from api.capacity.history import WINDOW_DAYS, profile_for_code
from api.core import clock
from api.core.config import get_settings
from api.core.database import session_scope
from api.core.errors import InvalidInput, NotFound
from api.shell.cli import app
from matcher.simulate import validate_stream
from matcher.simulate.generate import validate_profile
from tests.conftest import DEMO_DAY, scaled_demo_url

MAASTRICHT = "GM0935"


@pytest.fixture(scope="module")
def history_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with scaled_demo_url("sqlite", tmp_path_factory.mktemp("history"), 2) as url:
        yield url


def _expected_rate(url: str, code: str, today: date) -> tuple[int, float]:
    """Households with an eviction in the 52 weeks up to ``today``, per week of the history seen."""
    earliest = today - timedelta(days=WINDOW_DAYS - 1)
    with session_scope(url) as db:
        rows = db.execute(
            text(
                "SELECT e.household_id, e.eviction_date FROM eviction e JOIN household h ON h.id = e.household_id "
                "JOIN municipality m ON m.id = h.municipality_id "
                "WHERE m.code = :code AND e.eviction_date BETWEEN :lo AND :hi"
            ),
            {"code": code, "lo": earliest.isoformat(), "hi": today.isoformat()},
        ).all()
    households = {r[0] for r in rows}
    first = min(date.fromisoformat(str(r[1])) for r in rows)
    days = (today - max(first, earliest)).days + 1
    return len(households), len(households) * 7 / days


def test_profile_from_history_validates_and_matches_the_records(history_url: str) -> None:
    with session_scope(history_url) as db:
        prof = profile_for_code(db, MAASTRICHT, today=DEMO_DAY, loc=("--from-db",))
    assert validate_profile(prof.model_dump(mode="json")) == prof
    n, rate = _expected_rate(history_url, MAASTRICHT, DEMO_DAY)
    assert n >= 50, "the scaled demo has months of history"
    assert prof.arrivals_per_week == pytest.approx(rate, abs=1e-3)
    assert prof.name == MAASTRICHT and str(n) in prof.description
    assert prof.start > DEMO_DAY and prof.start.weekday() == 0
    assert prof.stock.wachtkamer > 0 and prof.stock.host_rooms > 0
    assert prof.lead_days.min <= prof.lead_days.max
    assert abs(sum(prof.households.size.values()) - 1) < 0.01


def test_a_later_day_sees_more_history(history_url: str) -> None:
    """The window ends on the given day: moving it a month back counts fewer households."""
    earlier = DEMO_DAY - timedelta(days=30)
    with session_scope(history_url) as db:
        prof = profile_for_code(db, MAASTRICHT, today=earlier, loc=("--from-db",))
    n, rate = _expected_rate(history_url, MAASTRICHT, earlier)
    assert prof.arrivals_per_week == pytest.approx(rate, abs=1e-3)
    assert str(n) in prof.description


def test_unknown_code_and_too_little_history_are_bad_input(history_url: str) -> None:
    with session_scope(history_url) as db:
        with pytest.raises(NotFound) as unknown:
            profile_for_code(db, "GM9999", today=DEMO_DAY, loc=("--from-db",))
        assert unknown.value.problems[0].field == "--from-db"
        with pytest.raises(InvalidInput) as little:
            profile_for_code(db, MAASTRICHT, today=date(2025, 12, 1), loc=("--from-db",))
        assert little.value.code == "capacity.too_little_history"


def _cli(url: str, args: list[str], monkeypatch: pytest.MonkeyPatch, today: date = DEMO_DAY):
    monkeypatch.setenv("ONDERDAK_DATABASE_URL", url)
    get_settings.cache_clear()
    try:
        with clock.use(clock.FixedClock.on(today)):
            return CliRunner().invoke(app, args)
    finally:
        get_settings.cache_clear()


def test_cli_from_db_writes_a_stream_and_the_profile(history_url: str, tmp_path: Path, monkeypatch) -> None:
    out, prof_out = tmp_path / "s.json", tmp_path / "p.json"
    result = _cli(history_url, ["simulate", "generate", "--from-db", MAASTRICHT, "--seed", "3",
                                "--profile-output", str(prof_out), "-o", str(out)], monkeypatch)
    assert result.exit_code == 0, result.output
    stream = validate_stream(json.loads(out.read_text()))
    assert stream.households and stream.places
    prof = validate_profile(json.loads(prof_out.read_text()))
    assert len([p for p in stream.places if p.kind == "wachtkamer"]) == prof.stock.wachtkamer


def test_cli_unknown_code_and_little_history_exit_2_naming_the_field(
    history_url: str, tmp_path: Path, monkeypatch
) -> None:
    out = tmp_path / "s.json"
    unknown = _cli(history_url, ["simulate", "generate", "--from-db", "GM9999", "-o", str(out)], monkeypatch)
    assert unknown.exit_code == 2
    assert "--from-db" in unknown.output and "GM9999" in unknown.output
    little = _cli(history_url, ["simulate", "generate", "--from-db", MAASTRICHT, "-o", str(out)], monkeypatch,
                  today=date(2025, 12, 1))
    assert little.exit_code == 2
    assert "--from-db" in little.output and "capacity.too_little_history" in little.output
    neither = _cli(history_url, ["simulate", "generate", "-o", str(out)], monkeypatch)
    assert neither.exit_code == 2 and "--profile" in neither.output
    assert not out.exists()


def test_seasonality_needs_a_full_year_and_finds_the_peak_week() -> None:
    from api.capacity.history import _seasonality

    start = date(2027, 1, 4)
    # A year of history: one eviction a week, plus four more in each of weeks 9 to 11 (counted from the start).
    days = [start + timedelta(weeks=w) for w in range(52)]
    days += [start + timedelta(weeks=w, days=k) for w in (9, 10, 11) for k in range(1, 5)]
    found = _seasonality(days, start, WINDOW_DAYS)
    assert found["amplitude"] > 0.2 and found["peak_week"] == 11  # week index 10 is the 11th week
    flat = _seasonality([start + timedelta(weeks=w) for w in range(52)], start, WINDOW_DAYS)
    assert flat["amplitude"] < 0.01
    assert _seasonality(days, start, WINDOW_DAYS - 1) == {"amplitude": 0.0, "peak_week": 1}
