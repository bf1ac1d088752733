"""Dashboard figures read off the engine: milestones, peer quartiles, ranking, contributions
and the scenario curves, with numbers worked out by hand."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from pytest import approx

from roadmap.domain import columns as col
from roadmap.domain import dashboard as dash
from roadmap.domain.aggregate import platform_aggregate
from roadmap.domain.reconcile import ReconcileParams, reconcile
from tests.domain.helpers import pathways, trajectories


@pytest.fixture(scope="module")
def results() -> pd.DataFrame:
    return reconcile(pathways(), trajectories(), ReconcileParams("Test 1.5")).results


def _intensities(values: dict[str, list[float]], years: list[int]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {col.COMPANY: name, col.YEAR: year, col.INTENSITY: value}
            for name, series in values.items()
            for year, value in zip(years, series, strict=True)
        ]
    )


def test_peer_quartiles_leave_out_small_groups():
    # 2020: four companies at 1, 2, 3, 4: q1 = 1 + 0.75 = 1.75, median 2.5, q3 = 3.25.
    # 2025: only A and B report: withheld with a minimum group of three.
    frame = _intensities(
        {"A": [1, 1], "B": [2, 2], "C": [3, math.nan], "D": [4, math.nan]}, [2020, 2025]
    )
    table = dash.peer_quartiles(frame, min_group=3)
    assert table[col.YEAR].tolist() == [2020]
    first = table.iloc[0]
    assert (first[dash.Q1], first[dash.MEDIAN], first[dash.Q3]) == approx((1.75, 2.5, 3.25))
    assert first[col.COMPANIES] == 4
    assert dash.peer_quartiles(frame, min_group=2)[col.YEAR].tolist() == [2020, 2025]


def test_quartile_of_counts_the_quarters_below():
    assert [dash.quartile_of(v, 1.75, 2.5, 3.25) for v in (1.0, 1.75, 2.0, 3.0, 4.0)] == [
        1,
        1,  # on the boundary: still the lower quarter
        2,
        3,
        4,
    ]


def test_at_milestones_adds_the_peer_quartile():
    frame = _intensities({"A": [1, 1], "B": [2, 2], "C": [3, 3], "D": [4, 4]}, [2020, 2021])
    quartiles = dash.peer_quartiles(frame, min_group=3)
    table = dash.at_milestones(frame[frame[col.COMPANY].isin(["B", "D"])], quartiles)
    assert table[col.YEAR].tolist() == [2020, 2020]  # 2021 is not a milestone
    assert table[dash.QUARTILE].tolist() == [2, 4]
    assert table[col.COMPANIES].tolist() == [4, 4]
    # A year without quartiles (too few companies): no quartile, of no companies.
    alone = dash.with_quartiles(
        frame[frame[col.COMPANY] == "B"], quartiles[quartiles[col.YEAR] == 2020]
    )
    assert alone[dash.QUARTILE].isna().tolist() == [False, True]
    assert alone[col.COMPANIES].tolist() == [4, 0]


def test_ranking_by_cumulative_excess_to_the_milestone(results):
    table = dash.ranking(results, 2025)
    # Alpha: 0 + 3.5 + 7 + 10.5 + 14 + 17.5 = 52.5 (tests/domain/test_reconcile.py).
    # Delta: C = 1.5 - 0.05 (t - 2020), T = 0.75 S(t): excess (C - T) x 300 =
    # 7.5, 15, 22.5, 30, 37.5 in 2021..2025, so 112.5.
    assert table[col.COMPANY].tolist() == ["Delta", "Alpha"]
    assert table[col.CUMULATIVE_EXCESS].tolist() == approx([112.5, 52.5])
    assert table[col.YEAR].tolist() == [2025, 2025]


def test_ranking_uses_the_last_year_of_a_shorter_trajectory(results):
    short = results[~((results[col.COMPANY] == "Alpha") & (results[col.YEAR] > 2024))]
    table = dash.ranking(short, 2025).set_index(col.COMPANY)
    assert table.loc["Alpha", col.YEAR] == 2024
    assert table.loc["Alpha", col.CUMULATIVE_EXCESS] == approx(35.0)  # 52.5 - 17.5


def test_contributions_add_up_to_the_platform_gap(results):
    totals, _ = platform_aggregate(results)
    parts = dash.contributions(results, totals, 2030, min_group=3)
    # 2030: Alpha (1.5 - 1.25) x 100 = 25 t; Delta (1.0 - 0.75) x 300 = 75 t.
    assert parts[dash.LABEL].tolist() == ["Delta", "Alpha"]
    assert parts[col.EXCESS_EMISSIONS].tolist() == approx([75, 25])
    gap = totals.loc[totals[col.YEAR] == 2030, col.GAP_EMISSIONS].iloc[0]
    assert parts[col.EXCESS_EMISSIONS].sum() == approx(gap)


def test_contributions_gather_the_rest_and_hide_small_groups(results):
    totals, _ = platform_aggregate(results)
    alpha = results[results[col.COMPANY] == "Alpha"]
    # Only Alpha visible: the one other company would be identifiable, so it is left out.
    assert dash.contributions(alpha, totals, 2030, min_group=3)[dash.LABEL].tolist() == ["Alpha"]
    # With groups of one allowed, the rest of the gap is one anonymous row.
    parts = dash.contributions(alpha, totals, 2030, min_group=1)
    assert parts[dash.LABEL].tolist() == ["Other companies (1)", "Alpha"]
    assert parts[col.EXCESS_EMISSIONS].tolist() == approx([75, 25])
    # A limit folds the smaller companies into the same row.
    limited = dash.contributions(results, totals, 2030, min_group=3, limit=1)
    assert limited[dash.LABEL].tolist() == ["Delta", "Other companies (1)"]
    assert limited[col.EXCESS_EMISSIONS].tolist() == approx([75, 25])


def test_scenario_curves_convert_units_and_fall_back_to_global():
    curves = dash.scenario_curves(
        pathways(), sector="Steel", scope="S1S2", region="Europe", unit="kg CO2e/(t Steel)"
    )
    assert sorted(curves[col.SCENARIO].unique()) == ["Test 1.5", "Test 2"]
    first = curves[curves[col.SCENARIO] == "Test 1.5"]
    assert first[col.YEAR].tolist() == [2020, 2030, 2050]
    assert first[col.INTENSITY].tolist() == approx([2000, 1000, 0])
    none = dash.scenario_curves(pathways(), sector="Steel", scope="S3", region="Global", unit="t")
    assert none.empty


def test_latest_positions_take_each_companys_own_latest_reported_year():
    """Alpha reported 2020 and 2025 and planned 2030: its row is 2025. Beta reported only
    2020 (its 2022 is planned): 2020. Gamma reported nothing: its first year, 2021. The
    rows are taken whole, figures as they are."""
    rows = pd.DataFrame(
        [
            ("Beta", 2020, col.REPORTED, 0.0),
            ("Beta", 2022, col.PLANNED, 0.3),
            ("Alpha", 2020, col.REPORTED, 0.0),
            ("Alpha", 2025, col.REPORTED, 0.175),
            ("Alpha", 2030, col.PLANNED, 0.25),
            ("Gamma", 2021, col.PLANNED, 0.1),
            ("Gamma", 2022, col.PLANNED, 0.2),
        ],
        columns=[col.COMPANY, col.YEAR, col.KIND, col.GAP],
    )
    latest = dash.latest_positions(rows)
    assert latest[[col.COMPANY, col.YEAR, col.GAP]].values.tolist() == [
        ["Alpha", 2025, 0.175],
        ["Beta", 2020, 0.0],
        ["Gamma", 2021, 0.1],
    ]
    assert dash.latest_positions(rows.iloc[0:0]).columns.tolist() == rows.columns.tolist()
