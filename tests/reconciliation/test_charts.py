"""The figures carry the engine's numbers (fig.data), titles and units."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

import roadmap.formatting as fmt
from roadmap.domain import columns as col
from roadmap.domain.aggregate import platform_aggregate
from roadmap.domain.dashboard import contributions, peer_quartiles, ranking, scenario_curves
from roadmap.domain.reconcile import ReconcileParams, reconcile
from roadmap.figures import TOL_MUTED
from roadmap.reconciliation import charts
from tests.domain.helpers import TRAJECTORY_HEADER, pathways, trajectories


@pytest.fixture(scope="module")
def results():  # type: ignore[no-untyped-def]
    return reconcile(pathways(), trajectories(), ReconcileParams("Test 1.5")).results


def test_gap_heatmap(results):
    figure = charts.gap_heatmap(results, [2020, 2025, 2030], unit="t CO2e/(t Steel)")
    heat = figure.data[0]
    assert list(heat.y) == ["Alpha", "Delta"] and list(heat.x) == ["2020", "2025", "2030"]
    # Alpha 2025: gap 0.175 on a target of 1.875 (tests/domain/test_reconcile.py).
    assert heat.z[0][1] == pytest.approx(0.175 / 1.875)
    assert heat.text[0][1] == "1.4 y"  # years behind, worked out by hand there too
    assert heat.text[0][0] == "on track"  # the base year
    assert "t CO2e/(t Steel)" in figure.layout.title.text
    assert figure.layout.xaxis.title.text == "Milestone year"


def test_contribution_waterfall_adds_up_to_the_platform_gap(results):
    totals, _ = platform_aggregate(results)
    figure = charts.contribution_waterfall(contributions(results, totals, 2030, min_group=3), 2030)
    bars = figure.data[0]
    # 2030: Alpha (1.5 - 1.25) x 100 = 25 t; Delta (1.0 - 0.75) x 300 = 75 t; gap 100 t.
    assert list(bars.x) == ["Delta", "Alpha", "Platform gap"]
    assert list(bars.y) == pytest.approx([75, 25, 100])
    gap = totals.loc[totals[col.YEAR] == 2030, col.GAP_EMISSIONS].iloc[0]
    assert bars.y[-1] == pytest.approx(gap)
    assert list(bars.measure) == ["relative", "relative", "total"]
    assert figure.layout.yaxis.title.text == "Excess emissions (t CO2e)"
    assert np.isfinite(bars.y).all()


def _curves():  # type: ignore[no-untyped-def]
    return scenario_curves(
        pathways(), sector="Steel", scope="S1S2", region="Global", unit="t CO2e/(t Steel)"
    )


def _company_traces(figure):  # type: ignore[no-untyped-def]
    return [t for t in figure.data if t.legendgroup in ("Alpha", "Delta")]


def test_trajectories_figure_draws_the_engine_numbers(results):
    totals, _ = platform_aggregate(results)
    figure = charts.trajectories_figure(
        results,
        _curves(),
        title="Steel",
        unit="t CO2e/(t Steel)",
        scenario="Test 1.5",
        aggregate=totals,
        quartiles=peer_quartiles(results, min_group=2),
    )
    names = [t.name for t in figure.data]
    assert "Test 1.5 (sector)" in names and "Test 2 (sector)" in names
    assert "Platform aggregate" in names and "Peers: median" in names
    chosen = next(t for t in figure.data if t.name == "Test 1.5 (sector)")
    assert list(chosen.y) == pytest.approx([2.0, 1.0, 0.0]) and chosen.line.width == 3
    # Alpha: reported 2020 solid; planned 2021..2050 dashed, starting from 2020 so they join.
    reported, planned = [t for t in _company_traces(figure) if t.name == "Alpha"]
    assert list(reported.x) == [2020] and reported.line.dash == "solid"
    assert list(planned.x) == list(range(2020, 2051)) and planned.line.dash == "dash"
    alpha = results[results["company"] == "Alpha"].set_index("year")
    assert planned.y[5] == pytest.approx(alpha.loc[2025, "intensity"]) == pytest.approx(2.05)
    assert planned.customdata[5] == pytest.approx(0.175)  # the gap the hover names
    assert "%{fullData.name}" in planned.hovertemplate and "gap" in planned.hovertemplate
    aggregate = next(t for t in figure.data if t.name == "Platform aggregate")
    assert list(aggregate.y) == pytest.approx(totals["intensity"].tolist())
    assert figure.layout.yaxis.title.text == "Intensity (t CO2e/(t Steel))"
    assert figure.layout.title.text == "Steel"


def test_trajectories_figure_uses_webgl_for_many_companies(results):
    figure = charts.trajectories_figure(
        results, _curves(), title="Steel", unit="t", scenario="Test 1.5", webgl_over=1
    )
    reported, planned = [t for t in figure.data if t.legendgroup == "companies"]
    assert (reported.type, planned.type) == ("scattergl", "scattergl")
    assert planned.line.dash == "dash" and reported.name == "Companies (reported)"
    # Reported: Alpha 2020, gap, Delta 2020. Planned: Alpha 2020..2050 (from its last
    # reported year), a gap, then Delta 2020..2050.
    assert list(reported.text) == ["Alpha", "", "Delta"]
    assert np.isnan(reported.x[1]) and list(reported.x[[0, 2]]) == [2020, 2020]
    assert len(planned.x) == 31 + 1 + 31 and np.isnan(planned.y[31])
    assert planned.text[5] == "Alpha" and planned.x[5] == 2025
    assert planned.y[5] == pytest.approx(2.05) and planned.customdata[5] == pytest.approx(0.175)
    assert planned.text[32 + 10] == "Delta" and planned.x[32 + 10] == 2030
    assert planned.y[32 + 10] == pytest.approx(1.0, rel=1e-6)
    assert "%{text}" in planned.hovertemplate and "gap" in planned.hovertemplate


def test_trajectories_figure_with_targets(results):
    alpha = results[results["company"] == "Alpha"]
    figure = charts.trajectories_figure(
        alpha, _curves(), title="Alpha", unit="t", scenario="Test 1.5", targets=True
    )
    target = next(t for t in figure.data if t.name == "Alpha: SDA target")
    assert list(target.y) == pytest.approx(alpha["target_intensity"].tolist())
    assert target.y[5] == pytest.approx(1.875)


def test_ranking_figure_puts_the_largest_on_top(results):
    figure = charts.ranking_figure(ranking(results, 2025), 2025, limit=1)
    bars = figure.data[0]
    assert list(bars.y) == ["Delta"] and list(bars.x) == pytest.approx([112.5])
    assert "the 1 largest of 2" in figure.layout.title.text
    assert figure.layout.xaxis.title.text.endswith("(t CO2e)")


def test_coverage_figure(results):
    totals, _ = platform_aggregate(results)
    figure = charts.coverage_figure(totals)
    # 2020: (100 + 300) / 1000; 2030: 400 / 2000.
    line = figure.data[0]
    years = list(line.x)
    assert line.y[years.index(2020)] == pytest.approx(0.4)
    assert line.y[years.index(2030)] == pytest.approx(0.2)
    assert figure.layout.yaxis.tickformat == ".0%"


def test_chosen_scenario_stands_out_and_the_others_start_hidden(results):
    figure = charts.trajectories_figure(
        results, _curves(), title="Steel", unit="t", scenario="Test 2"
    )
    chosen = next(t for t in figure.data if t.name == "Test 2 (sector)")
    other = next(t for t in figure.data if t.name == "Test 1.5 (sector)")
    assert chosen.visible is True and chosen.line.color == "#000000" and chosen.line.width == 3
    assert other.visible == "legendonly" and other.line.width < chosen.line.width
    assert chosen.legendrank < other.legendrank  # first in the legend


def test_companies_have_distinct_colours_unlike_the_aggregate(results):
    totals, _ = platform_aggregate(results)
    figure = charts.trajectories_figure(
        results, _curves(), title="Steel", unit="t", scenario="Test 1.5", aggregate=totals
    )
    colours = {t.legendgroup: t.line.color for t in _company_traces(figure)}
    assert colours == {"Alpha": TOL_MUTED[0], "Delta": TOL_MUTED[1]}
    aggregate = next(t for t in figure.data if t.name == "Platform aggregate")
    assert aggregate.line.color not in TOL_MUTED and aggregate.line.color != "#000000"
    assert len(set(TOL_MUTED)) == len(TOL_MUTED)


def test_companies_behind_are_drawn_on_top_and_thicker():
    # Alpha reports 2025 (2.05 against a target of 1.875: behind); Delta's latest reported
    # year is the base year, where every company is on its target (aligned).
    text = (
        TRAJECTORY_HEADER
        + "\n"
        + "\n".join(
            [
                "Alpha,Steel,Global,S1S2,2020,100,t Steel,250,t CO2e,reported",
                "Alpha,Steel,Global,S1S2,2025,100,t Steel,205,t CO2e,reported",
                "Alpha,Steel,Global,S1S2,2050,100,t Steel,50,t CO2e,planned",
                "Delta,Steel,Global,S1S2,2020,300,t Steel,450,t CO2e,reported",
                "Delta,Steel,Global,S1S2,2050,300,t Steel,0,t CO2e,planned",
            ]
        )
    )
    rows = reconcile(pathways(), trajectories(text), ReconcileParams("Test 1.5")).results
    figure = charts.trajectories_figure(rows, _curves(), title="S", unit="t", scenario="Test 1.5")
    drawn = [t.legendgroup for t in _company_traces(figure)]
    assert drawn == ["Delta", "Delta", "Alpha", "Alpha"]  # Alpha last: on top
    widths = {t.legendgroup: t.line.width for t in _company_traces(figure)}
    assert widths["Alpha"] > widths["Delta"]
    ranks = {t.legendgroup: t.legendrank for t in _company_traces(figure)}
    assert ranks["Alpha"] < ranks["Delta"]  # the legend keeps the companies' order
    assert [t.showlegend for t in _company_traces(figure)] == [True, False, True, False]


def test_legends_sit_under_the_plot(results):
    figure = charts.trajectories_figure(results, _curves(), title="S", unit="t", scenario="x")
    legend = figure.layout.legend
    assert legend.orientation == "h" and legend.yanchor == "top" and legend.y < 0


def test_hovers_and_axes_follow_the_one_rule(results):
    figure = charts.trajectories_figure(
        results, _curves(), title="S", unit="t CO2e/(t Steel)", scenario="Test 1.5"
    )
    alpha = _company_traces(figure)[0]
    # The unit reaches the hover by reference, as plain text (roadmap.figures.plain_text).
    assert "%{y:,.3r} %{meta[0]}" in alpha.hovertemplate
    assert list(alpha.meta) == ["t CO2e/(t Steel)"]
    assert "%{customdata:+,.3r}" in alpha.hovertemplate
    assert figure.layout.yaxis.tickformat == ",~r"
    allowed = {spec.lstrip("+") for spec in fmt.D3_FORMATS.values()}
    for trace in figure.data:
        for spec in re.findall(r"%\{[^}:]+:([^}]+)\}", trace.hovertemplate):
            assert spec.lstrip("+") in allowed, (trace.name, spec)


def test_waterfall_labels_its_bars_and_scales_to_megatonnes():
    # Two companies: 7,500,000 t over and 2,500,000 t under their fair share: 5.0 Mt in all.
    parts = pd.DataFrame(
        {
            "label": ["Delta", "Alpha"],
            "excess_emissions": [7_500_000.0, -2_500_000.0],
            "companies": [1, 1],
        }
    )
    bars = charts.contribution_waterfall(parts, 2030).data[0]
    assert list(bars.y) == pytest.approx([7.5, -2.5, 5.0])  # in Mt
    assert list(bars.text) == ["7.5 Mt CO2e", "-2.5 Mt CO2e", "5.0 Mt CO2e"]
    assert bars.textposition == "outside" and "%{text}" in bars.hovertemplate
    figure = charts.contribution_waterfall(parts, 2030)
    assert figure.layout.yaxis.title.text == "Excess emissions (Mt CO2e)"


def test_ranking_scales_to_kilotonnes_and_labels_its_bars():
    table = pd.DataFrame(
        {"company": ["A", "B"], "cumulative_excess": [12_345.0, -600.0], "year": [2025, 2025]}
    )
    figure = charts.ranking_figure(table, 2025)
    bars = figure.data[0]
    assert list(bars.x) == pytest.approx([-0.6, 12.345])  # smallest at the bottom, kt
    assert list(bars.text) == ["-600 t CO2e", "12.3 kt CO2e"]  # each label in its own unit
    assert figure.layout.xaxis.title.text.endswith("(kt CO2e)")
