"""The project pipeline's actuals and projection (roadmap.domain.pipeline), worked on paper."""

from __future__ import annotations

import math

import pytest

from roadmap.domain.pipeline import (
    CAPACITY_OPERATING,
    DEFAULT_WEIGHTS,
    PLANTS_BUILT_OR_BUILDING,
    PipelineError,
    PipelineProject,
    actuals,
    check_weights,
    projection,
    routes_for,
)

# Four projects, capacities in Mt Steel per year:
#   A operating since 2024 (construction 2022), 2.0
#   B under construction since 2025, starts 2027, 1.5
#   C at final investment decision, starts 2029, 1.0
#   D announced, starts 2033, 4.0
#   E operating 2021, closed (cancelled) 2026, 0.5
A = PipelineProject("operating", 2024, 2.0, {"construction": 2022, "operating": 2024})
B = PipelineProject("construction", 2027, 1.5, {"announced": 2021, "construction": 2025})
C = PipelineProject("final investment decision", 2029, 1.0, {"final investment decision": 2026})
D = PipelineProject("announced", 2033, 4.0, {"announced": 2025})
E = PipelineProject("cancelled", 2021, 0.5, {"operating": 2021, "cancelled": 2026})
PROJECTS = [A, B, C, D, E]


def test_capacity_operating_by_year_from_status_dates() -> None:
    # 2020: none. 2021: E 0.5. 2024: A 2.0 + E 0.5 = 2.5. 2026: E closed -> A 2.0.
    assert actuals(PROJECTS, CAPACITY_OPERATING, [2020, 2021, 2023, 2024, 2025, 2026]) == {
        2020: 0.0,
        2021: 0.5,
        2023: 0.5,
        2024: 2.5,
        2025: 2.5,
        2026: 2.0,
    }


def test_plants_operating_or_under_construction_by_year() -> None:
    # 2021: E. 2022: E + A (construction). 2025: E + A + B. 2026: E closed -> A + B.
    assert actuals(PROJECTS, PLANTS_BUILT_OR_BUILDING, [2021, 2022, 2025, 2026]) == {
        2021: 1.0,
        2022: 2.0,
        2025: 3.0,
        2026: 2.0,
    }


def test_projection_weights_each_project_by_its_status() -> None:
    # Weights: operating 1, construction 0.9, FID 0.8, announced 0.1; E cancelled counts 0.
    # 2025: A (start 2024) -> 2.0
    # 2030: A 2.0 + B 1.5 * 0.9 = 1.35 + C 1.0 * 0.8 = 0.8 -> 4.15
    # 2035: 4.15 + D 4.0 * 0.1 = 0.4 -> 4.55
    got = projection(PROJECTS, CAPACITY_OPERATING, [2025, 2030, 2035])
    assert got[2025] == 2.0
    assert math.isclose(got[2030], 4.15)
    assert math.isclose(got[2035], 4.55)
    # Plants: 2030: 1 + 0.9 + 0.8 = 2.7; 2035: 2.8
    plants = projection(PROJECTS, PLANTS_BUILT_OR_BUILDING, [2030, 2035])
    assert math.isclose(plants[2030], 2.7)
    assert math.isclose(plants[2035], 2.8)


def test_projection_with_the_platforms_own_weights() -> None:
    weights = dict(DEFAULT_WEIGHTS, announced=0.5)
    # 2035: A 2.0 + B 1.35 + C 0.8 + D 4.0 * 0.5 = 2.0 -> 6.15
    assert math.isclose(projection(PROJECTS, CAPACITY_OPERATING, [2035], weights)[2035], 6.15)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"announced": 1.5}, "announced: 1.5 is not between 0 and 1"),
        ({"feasibility": float("nan")}, "feasibility: nan is not between 0 and 1"),
        ({"operating": 0.9}, "operating counts with weight 1"),
        ({"cancelled": 0.1}, "cancelled with weight 0"),
    ],
)
def test_weights_that_are_no_likelihood_are_refused(change: dict[str, float], message: str) -> None:
    with pytest.raises(PipelineError, match=message):
        check_weights(dict(DEFAULT_WEIGHTS, **change))


def test_a_missing_weight_is_named() -> None:
    weights = {k: v for k, v in DEFAULT_WEIGHTS.items() if k != "construction"}
    with pytest.raises(PipelineError, match="construction: a weight is needed"):
        check_weights(weights)


def test_a_cancelled_project_without_a_date_never_counts() -> None:
    dropped = PipelineProject("cancelled", 2020, 3.0, {"operating": 2020})
    assert actuals([dropped], CAPACITY_OPERATING, [2020, 2030]) == {2020: 0.0, 2030: 0.0}


def test_routes_are_offered_per_sector() -> None:
    assert "hydrogen DRI-EAF" in routes_for("Steel")
    assert "CCUS kiln" in routes_for(" cement ")
    assert routes_for("Glass") == ()
