"""The pipeline's meaning for a platform (roadmap.pipeline.analysis) on the world of
conftest.py, worked on paper there: KPIs computed from the projects, gaps to targets and demand
against supply, for a visitor and for the coordinators."""

from __future__ import annotations

import math
from datetime import date

import pytest

from roadmap.accounts.access import ANONYMOUS, Viewer
from roadmap.pipeline import analysis
from roadmap.platforms.queries import kpi_views
from tests.pipeline.conftest import Pipeline

TODAY = date(2026, 6, 1)


def _coordinating(pipeline: Pipeline) -> Viewer:
    world = pipeline.world
    return Viewer(world.coordinator.id, "coordinator", coordinated=frozenset({world.platform.id}))


def _kpis(pipeline: Pipeline, viewer: Viewer, session) -> dict[str, object]:  # type: ignore[no-untyped-def]
    views = analysis.with_pipeline(
        kpi_views(pipeline.world.platform, session=session),
        pipeline.world.platform,
        viewer,
        session=session,
        today=TODAY,
    )
    return {v.kpi.name: v for v in views}


def test_a_capacity_kpi_from_the_pipeline(session, pipeline: Pipeline) -> None:
    views = _kpis(pipeline, ANONYMOUS, session)
    capacity = views["Near-zero capacity"]
    # Actuals from status dates, from 2022 (the first status reached) to 2026: operating
    # capacity is 2.0 Mt from 2024 (Alpha H2).
    assert capacity.actuals == {2022: 0.0, 2023: 0.0, 2024: 2.0, 2025: 2.0, 2026: 2.0}
    assert math.isclose(capacity.projection[2030], 4.6)
    assert math.isclose(capacity.projection[2035], 5.0)
    assert capacity.weights["final investment decision"] == 0.8
    # The typed KPI is left as it is.
    assert views["Scrap share"].projection == {}


def test_the_coordinators_count_the_confidential_project(session, pipeline: Pipeline) -> None:
    capacity = _kpis(pipeline, _coordinating(pipeline), session)["Near-zero capacity"]
    assert math.isclose(capacity.projection[2030], 4.9)  # + Beta secret 3.0 x 0.1
    assert math.isclose(capacity.projection[2035], 5.3)


def test_a_count_of_plants_from_the_pipeline(session, pipeline: Pipeline) -> None:
    plants = _kpis(pipeline, ANONYMOUS, session)["Near-zero plants"]
    # Operating or under construction: 2022 Alpha H2 (construction), 2025 + Alpha line 2.
    assert plants.actuals == {2022: 1.0, 2023: 1.0, 2024: 1.0, 2025: 2.0, 2026: 2.0}
    assert math.isclose(plants.projection[2030], 2.7)  # 1 + 0.9 + 0.8


def test_the_gap_to_each_target_in_words(session, pipeline: Pipeline) -> None:
    kpis = kpi_views(pipeline.world.platform, session=session)
    shown = analysis.summary(pipeline.world.platform, ANONYMOUS, kpis, session=session, today=TODAY)
    words = {view.kpi.name: said for view, _, said in shown.kpi_gaps}
    assert words["Near-zero capacity"] == [
        "2030: the pipeline projects 4.6 Mt Steel, target 6 Mt Steel: 1.4 Mt Steel short.",
        "2035: the pipeline projects 5 Mt Steel, target 5 Mt Steel: on track.",
    ]
    assert words["Near-zero plants"] == [
        "2030: the pipeline projects 2.7 plants, target 4 plants: 1.3 plants short."
    ]


def test_capacity_by_start_year_status_and_technology(session, pipeline: Pipeline) -> None:
    shown = analysis.summary(pipeline.world.platform, ANONYMOUS, [], session=session, today=TODAY)
    assert shown.unit == "Mt Steel"
    rows = shown.by_status_year.to_dict("records")
    assert rows == [
        {"Start year": 2024, "Status": "operating", "Capacity": pytest.approx(2.0)},
        {"Start year": 2027, "Status": "construction", "Capacity": pytest.approx(2.0)},
        {"Start year": 2029, "Status": "final investment decision", "Capacity": pytest.approx(1.0)},
        {"Start year": 2033, "Status": "announced", "Capacity": pytest.approx(4.0)},
    ]
    technology = {
        (r["Technology"], r["Status"]): r["Capacity"]
        for r in shown.by_technology.to_dict("records")
    }
    assert technology == {
        ("BF-BOF with CCUS", "announced"): pytest.approx(4.0),
        ("hydrogen DRI-EAF", "final investment decision"): pytest.approx(1.0),
        ("hydrogen DRI-EAF", "operating"): pytest.approx(2.0),
        ("scrap EAF", "construction"): pytest.approx(2.0),
    }


def test_demand_against_supply(session, pipeline: Pipeline) -> None:
    shown = analysis.summary(pipeline.world.platform, ANONYMOUS, [], session=session, today=TODAY)
    # Milestones 2030 ... 2050. Demand: 2030 and 2035: 1 + 2 = 3 Mt; later 2 Mt.
    # Supply = capacity x 0.85: 2030 4.6 x 0.85 = 3.91; from 2035 5.0 x 0.85 = 4.25.
    table = shown.balance
    assert list(table["Year"]) == [2030, 2035, 2040, 2045, 2050]
    assert list(table["Committed demand (Mt Steel)"]) == [3.0, 3.0, 2.0, 2.0, 2.0]
    assert [round(v, 9) for v in table["Expected supply (Mt Steel)"]] == [
        3.91,
        4.25,
        4.25,
        4.25,
        4.25,
    ]
    assert shown.balance_words[0] == (
        "2030: committed demand 3 Mt Steel, expected near-zero supply 3.91 Mt Steel "
        "(capacity 4.6 Mt Steel at 85% utilisation): 0.91 Mt Steel to spare."
    )
    assert shown.uncounted_signals == [
        "Old pledge (near-zero steel): t/yr is not an amount of t Steel"
    ]


def test_a_shortfall_is_said_as_such(session, pipeline: Pipeline) -> None:
    platform = pipeline.world.platform
    platform.supply_utilisation = 0.5
    session.commit()
    shown = analysis.summary(platform, ANONYMOUS, [], session=session, today=TODAY)
    # 2030: supply 4.6 x 0.5 = 2.3 against 3: 0.7 short.
    assert shown.balance_words[0].endswith(
        "(capacity 4.6 Mt Steel at 50% utilisation): 0.7 Mt Steel short."
    )


def test_the_milestones_run_from_the_next_one_to_net_zero(world) -> None:  # type: ignore[no-untyped-def]
    assert analysis.milestones(world.platform, date(2026, 1, 1)) == [2030, 2035, 2040, 2045, 2050]
    assert analysis.milestones(world.platform, date(2030, 1, 1))[0] == 2030
