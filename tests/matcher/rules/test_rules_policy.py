"""Dated policy parameters: seed files, lookups by date, municipality overrides, errors."""

import tomllib
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from matcher.rules.errors import InvalidInputError, PolicyDateError, PolicyValueError
from matcher.rules.policy import PolicyBook, load_policy_book, load_seed_sets, seed_policy_dir

POLICY = load_policy_book()

EXPECTED_KEYS = {
    "benefit_age_groups",
    "benefit_norms",
    "cost_sharing_age",
    "logeer_fee",
    "matching",
    "priority_weights",
    "state_pension_age",
    "stay_limits",
    "stay_signals",
    "storage_letters",
    "storage_period",
    "temporary_stay_exemption",
}


def test_seed_files_are_found_through_the_package_and_name_sources() -> None:
    assert seed_policy_dir().is_dir()
    sets = load_seed_sets()
    assert EXPECTED_KEYS <= {s.key for s in sets}  # other domains add their own keys
    for s in sets:
        assert len(s.source) > 20, s.origin
        assert Path(s.origin).name.startswith(s.key + "_" + s.valid_from.isoformat()), s.origin
    files = sorted(seed_policy_dir().glob("*.toml"))
    assert len(files) == len(sets)  # every file is one well-formed parameter set
    for path in files:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
        assert {"key", "valid_from", "source", "value"} <= data.keys(), path.name
        assert isinstance(data["valid_from"], date) and isinstance(data["value"], dict), path.name
        assert isinstance(data["source"], str) and data["source"].strip(), path.name


def test_values_from_domain_notes() -> None:
    assert POLICY.decimal("benefit_norms", date(2024, 1, 1), "couple") == Decimal("1834.04")
    assert str(POLICY.decimal("benefit_norms", date(2023, 6, 30), "single")) == "1195.66"
    assert str(POLICY.decimal("benefit_norms", date(2023, 7, 1), "single")) == "1216.62"
    assert POLICY.integer("cost_sharing_age", date(2022, 12, 31), "age") == 21
    assert POLICY.integer("cost_sharing_age", date(2023, 1, 1), "age") == 27
    assert POLICY.at("stay_limits", date(2024, 1, 1)) == {"minimum_days": 42, "maximum_days": 56}
    assert POLICY.integer("storage_period", date(2024, 1, 1), "minimum_days") == 91
    assert POLICY.integer("stay_signals", date(2024, 1, 1), "plan_next_step_day") == 35
    assert POLICY.boolean("temporary_stay_exemption", date(2024, 1, 1), "applies") is True


def test_before_first_valid_from_is_an_error_naming_key_and_date() -> None:
    with pytest.raises(PolicyDateError) as err:
        POLICY.at("storage_period", date(2021, 3, 31))
    assert err.value.key == "storage_period" and err.value.day == date(2021, 3, 31)
    assert "2021-04-01" in str(err.value)


def test_after_valid_until_is_an_error() -> None:
    with pytest.raises(PolicyDateError) as err:
        POLICY.at("state_pension_age", date(2030, 1, 1))
    assert "2029-12-31" in err.value.msg


def test_unknown_key() -> None:
    with pytest.raises(PolicyDateError) as err:
        POLICY.at("no_such_key", date(2024, 1, 1))
    assert err.value.field == "policy.no_such_key"


def test_partial_override_is_laid_over_the_national_set() -> None:
    book = POLICY.with_overrides(
        [
            {
                "municipality_id": 7,
                "key": "priority_weights",
                "valid_from": "2024-01-01",
                "value_json": '{"per_child": 5}',
                "source": "Besluit B&W 12 december 2023",
            }
        ]
    )
    assert book.integer("priority_weights", date(2023, 12, 31), "per_child") == 2
    assert book.integer("priority_weights", date(2024, 1, 1), "per_child") == 5
    assert book.integer("priority_weights", date(2024, 1, 1), "base") == 1
    assert [ps.is_override for ps in book.sets_at("priority_weights", date(2024, 1, 1))] == [False, True]
    assert "municipality 7" in book.sources("priority_weights", date(2024, 1, 1))[1]


def test_override_wins_a_tie_and_yields_to_a_newer_national_set() -> None:
    book = POLICY.with_overrides(
        [{"key": "cost_sharing_age", "valid_from": date(2015, 1, 1), "value": {"age": 23}, "source": "test"}]
    )
    assert book.integer("cost_sharing_age", date(2020, 1, 1), "age") == 23
    assert book.integer("cost_sharing_age", date(2023, 1, 1), "age") == 27


def test_old_override_never_outlives_an_expired_national_set() -> None:
    book = POLICY.with_overrides(
        [{"key": "state_pension_age", "valid_from": "2023-02-01", "value": {"years": 68}, "source": "test"}]
    )
    with pytest.raises(PolicyDateError):
        book.at("state_pension_age", date(2030, 7, 1))


def test_missing_value_names_the_key() -> None:
    with pytest.raises(PolicyValueError) as err:
        POLICY.decimal("logeer_fee", date(2024, 1, 1), "monthly_amount")
    assert err.value.field == "policy.logeer_fee.monthly_amount"


@pytest.mark.parametrize(
    ("row", "field"),
    [
        ({"valid_from": "2024-01-01", "value": {}, "source": "x"}, "override.key"),
        ({"key": "k", "valid_from": "2024-01-01", "value_json": "{nope", "source": "x"}, "override.k.value_json"),
        ({"key": "k", "valid_from": "2024-01-01", "value_json": "[1]", "source": "x"}, "override.k.value_json"),
        ({"key": "k", "valid_from": "1 jan", "value": {}, "source": "x"}, "override.k.valid_from"),
        ({"key": "k", "value": {}, "source": "x"}, "override.k.valid_from"),
        ({"key": "k", "valid_from": "2024-01-01", "value": {}, "source": " "}, "k.source"),
    ],
)
def test_bad_override_rows(row: dict, field: str) -> None:
    with pytest.raises(InvalidInputError) as err:
        POLICY.with_overrides([row])
    assert err.value.field == field


def test_two_sets_on_the_same_day_are_refused() -> None:
    row = {"key": "stay_limits", "valid_from": "2024-01-01", "value": {}, "source": "x"}
    with pytest.raises(InvalidInputError):
        POLICY.with_overrides([row, row])


@pytest.mark.parametrize(
    ("value", "reader"),
    [({"minimum_days": "42"}, "integer"), ({"minimum_days": True}, "integer"), ({"minimum_days": -1}, "integer")],
)
def test_wrong_value_types(value: dict, reader: str) -> None:
    book = PolicyBook(()).with_overrides(
        [{"key": "stay_limits", "valid_from": "2024-01-01", "value": value, "source": "x"}]
    )
    with pytest.raises(PolicyValueError):
        getattr(book, reader)("stay_limits", date(2024, 1, 1), "minimum_days")


def test_bad_amounts() -> None:
    book = PolicyBook(()).with_overrides(
        [
            {
                "key": "fee",
                "valid_from": "2024-01-01",
                "value": {"a": "abc", "b": "-1", "c": True, "d": 12.5},
                "source": "x",
            }
        ]
    )
    for name in ("a", "b", "c"):
        with pytest.raises(PolicyValueError):
            book.decimal("fee", date(2024, 1, 1), name)
    assert str(book.decimal("fee", date(2024, 1, 1), "d")) == "12.5"
