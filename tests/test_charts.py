"""The figures carry the engine's numbers (fig.data), titles and units."""

from __future__ import annotations

import numpy as np
import pytest

from roadmap import charts
from roadmap.domain import columns as col
from roadmap.domain.aggregate import platform_aggregate
from roadmap.domain.reconcile import ReconcileParams, reconcile
from tests.domain.helpers import pathways, trajectories


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
    figure = charts.contribution_waterfall(results, 2030)
    bars = figure.data[0]
    # 2030: Alpha (1.5 - 1.25) x 100 = 25 t; Delta (1.0 - 0.75) x 300 = 75 t; gap 100 t.
    assert list(bars.x) == ["Delta", "Alpha", "Platform gap"]
    assert list(bars.y) == pytest.approx([75, 25, 100])
    totals, _ = platform_aggregate(results)
    gap = totals.loc[totals[col.YEAR] == 2030, col.GAP_EMISSIONS].iloc[0]
    assert bars.y[-1] == pytest.approx(gap)
    assert list(bars.measure) == ["relative", "relative", "total"]
    assert figure.layout.yaxis.title.text == "Excess emissions (t CO2e)"
    assert np.isfinite(bars.y).all()


def test_pathway_figure_draws_the_roadmap_over_the_scenarios():
    import pandas as pd

    milestones = pd.DataFrame({"year": [2020, 2030, 2050], "intensity": [2.0, 1.2, 0.1]})
    references = pd.DataFrame(
        {"scenario": ["B", "A", "A"], "year": [2020, 2020, 2050], "intensity": [2.1, 2.0, 0.0]}
    )
    figure = charts.pathway_figure(milestones, references, title="Roadmap", unit="t CO2e/(t Steel)")
    assert [t.name for t in figure.data] == ["Roadmap", "A", "B"]
    assert list(figure.data[0].y) == [2.0, 1.2, 0.1]
    assert figure.data[1].line.dash == "dash"
    assert figure.layout.yaxis.title.text == "Intensity (t CO2e/(t Steel))"
