"""Priority: transparent points per factor from dated, configurable weights."""

from datetime import date

import pytest

from matcher.rules.errors import InvalidInputError
from matcher.rules.policy import load_policy_book
from matcher.rules.priority import CrisisOverride, PriorityInput, compute

POLICY = load_policy_book()
DAY = date(2024, 3, 1)


def points(breakdown) -> dict[str, int]:
    return {f.factor: f.points for f in breakdown.factors}


def test_breakdown_of_a_family() -> None:
    b = compute(PriorityInput("HH-1", children=2, medical_need=True, eviction_date=date(2024, 2, 1)), DAY, POLICY)
    assert points(b) == {
        "base": 1,
        "children": 4,
        "medical_need": 3,
        "accessibility_need": 0,
        "days_since_eviction": 4,  # 29 days: 4 full weeks
    }
    assert b.total == 12
    assert all(f.explanation for f in b.factors)
    assert "29 dagen" in b.factors[-1].explanation
    assert b.sources and "geen wettelijke bron" in b.sources[0]


def test_caps_and_future_eviction() -> None:
    b = compute(PriorityInput("HH-2", children=7, eviction_date=date(2023, 1, 1)), DAY, POLICY)
    assert points(b)["children"] == 6 and points(b)["days_since_eviction"] == 4
    planned = compute(PriorityInput("HH-3", eviction_date=date(2024, 3, 20)), DAY, POLICY)
    assert points(planned)["days_since_eviction"] == 0 and "gepland" in planned.factors[-1].explanation
    assert compute(PriorityInput("HH-4", accessibility_need=True), DAY, POLICY).total == 3


def test_crisis_override_adds_points_with_its_reason() -> None:
    override = CrisisOverride("Kind met ernstige astma, nu buiten geslapen", "crisisteam J. de Boer", DAY)
    b = compute(PriorityInput("HH-5", override=override), DAY, POLICY)
    assert points(b)["crisis_override"] == 10
    assert "astma" in b.factors[-1].explanation and "J. de Boer" in b.factors[-1].explanation


def test_override_with_the_teams_own_points() -> None:
    b = compute(PriorityInput("HH-7", override=CrisisOverride("Dakloos met baby", points=25)), DAY, POLICY)
    assert points(b)["crisis_override"] == 25 and b.total == 26
    assert b.factors[-1].explanation == "Crisisteam: Dakloos met baby"


def test_weights_follow_the_municipality() -> None:
    book = POLICY.with_overrides(
        [{"key": "priority_weights", "valid_from": "2024-01-01", "value": {"per_child": 3}, "source": "B&W"}]
    )
    assert points(compute(PriorityInput("HH-6", children=1), DAY, book))["children"] == 3


@pytest.mark.parametrize(
    ("household", "field"),
    [
        (PriorityInput("HH", override=CrisisOverride("  ", "team", DAY)), "override.reason"),
        (PriorityInput("HH", override=CrisisOverride("reden", "", DAY)), "override.decided_by"),
        (PriorityInput("HH", override=CrisisOverride("reden", "team", date(2024, 3, 2))), "override.decided_on"),
        (PriorityInput("HH", children=-1), "children"),
        (PriorityInput("HH", override=CrisisOverride("reden", points=-3)), "override.points"),
        (PriorityInput(""), "household_ref"),
    ],
)
def test_bad_input(household: PriorityInput, field: str) -> None:
    with pytest.raises(InvalidInputError) as err:
        compute(household, DAY, POLICY)
    assert err.value.field == field
