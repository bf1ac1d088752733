"""The platform pages' figures: a roadmap against published scenarios, a KPI's targets
against its actuals."""

from __future__ import annotations

import pandas as pd

from roadmap.platforms import charts


def test_pathway_figure_draws_the_roadmap_over_the_scenarios():
    milestones = pd.DataFrame({"year": [2020, 2030, 2050], "intensity": [2.0, 1.2, 0.1]})
    references = pd.DataFrame(
        {"scenario": ["B", "A", "A"], "year": [2020, 2020, 2050], "intensity": [2.1, 2.0, 0.0]}
    )
    figure = charts.pathway_figure(milestones, references, title="Roadmap", unit="t CO2e/(t Steel)")
    assert [t.name for t in figure.data] == ["Roadmap", "A", "B"]
    assert list(figure.data[0].y) == [2.0, 1.2, 0.1]
    assert figure.data[1].line.dash == "dash"
    assert figure.layout.yaxis.title.text == "Intensity (t CO2e/(t Steel))"


def test_kpi_figure():
    figure = charts.kpi_figure("Near-zero share", "%", {2030: 10.0, 2025: 5.0}, {2024: 3.0})
    target, actual = figure.data
    assert list(target.x) == [2025, 2030] and list(target.y) == [5.0, 10.0]
    assert list(actual.x) == [2024] and list(actual.y) == [3.0]
    assert figure.layout.yaxis.title.text == "Near-zero share (%)"
