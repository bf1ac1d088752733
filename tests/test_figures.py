"""Names from users reach every figure as plain text: Plotly reads labels as a small HTML, so a
company named "<b>Bold</b> & Co" must arrive escaped, never as a tag (roadmap.figures)."""

from __future__ import annotations

import inspect
import json

import pandas as pd
import plotly.graph_objects as go
import pytest

from roadmap import figures
from roadmap.domain import columns as col
from roadmap.domain.dashboard import scenario_curves
from roadmap.domain.reconcile import ReconcileParams, reconcile
from roadmap.platforms import charts as platform_charts
from roadmap.reconciliation import charts
from roadmap.submissions import charts as submission_charts
from tests.domain.helpers import COMPANIES, PATHWAYS, pathways, trajectories

BOLD = "<b>Bold</b> & Co"
SHOWN = "&lt;b&gt;Bold&lt;/b&gt; &amp; Co"
UNIT = "<i>t</i>"  # a free-text unit (a KPI's) goes the same way


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Alpha", "Alpha"),
        (BOLD, SHOWN),
        ('<a href="https://example.org">x</a>', '&lt;a href="https://example.org"&gt;x&lt;/a&gt;'),
        ("&amp;", "&amp;amp;"),  # typed as is, shown as is
        ("a<br>b", "a&lt;br&gt;b"),
    ],
)
def test_plain_escapes_what_plotly_reads_as_markup(text, expected):
    assert figures.plain(text) == expected


@pytest.fixture(scope="module")
def results() -> pd.DataFrame:
    """The helpers' reconciliation with Alpha named BOLD and "Test 1.5" named BOLD too."""
    named = pathways(PATHWAYS.replace("Test 1.5", '"<b>Bold</b> & Co"'))
    companies = trajectories(COMPANIES.replace("Alpha", '"<b>Bold</b> & Co"'))
    return reconcile(named, companies, ReconcileParams(BOLD)).results


def _every_figure(results: pd.DataFrame) -> dict[str, go.Figure]:
    curves = scenario_curves(
        pathways(PATHWAYS.replace("Test 1.5", '"<b>Bold</b> & Co"')),
        sector="Steel",
        scope="S1S2",
        region="Global",
        unit="t CO2e/(t Steel)",
    )
    ranked = pd.DataFrame({"company": [BOLD, "Delta"], "cumulative_excess": [10.0, -5.0]})
    parts = pd.DataFrame({"label": [BOLD, "Delta"], "excess_emissions": [7.0, 3.0]})
    milestones = pd.DataFrame({"year": [2020, 2050], "intensity": [2.0, 0.1]})
    references = curves.rename(columns={col.INTENSITY: "intensity"})
    preview = pd.DataFrame(
        {"year": [2020, 2030], "new": [2.0, 1.0], "target": [2.0, 1.1], "previous": [2.1, 1.2]}
    )
    keep = {"title": BOLD, "unit": UNIT, "scenario": BOLD}
    return {
        "trajectories": charts.trajectories_figure(results, curves, targets=True, **keep),
        "webgl": charts.trajectories_figure(results, curves, webgl_over=0, **keep),
        "heatmap": charts.gap_heatmap(results, [2020, 2030], unit=UNIT),
        "waterfall": charts.contribution_waterfall(parts, 2030),
        "ranking": charts.ranking_figure(ranked, 2030),
        "pathway": platform_charts.pathway_figure(milestones, references, title=BOLD, unit=UNIT),
        "kpi": platform_charts.kpi_figure(BOLD, UNIT, {2030: 1.0}, {2025: 0.5}),
        "preview": submission_charts.preview_figure(
            preview, unit=UNIT, scenario=BOLD, previous_version=1
        ),
    }


@pytest.mark.parametrize(
    "name",
    ["trajectories", "webgl", "heatmap", "waterfall", "ranking", "pathway", "kpi", "preview"],
)
def test_every_figure_carries_names_as_plain_text(results, name):
    # Plotly's JSON writes "<" as \u003c; read back, every string is as the browser gets it.
    text = json.dumps(json.loads(_every_figure(results)[name].to_json()))
    assert SHOWN in text
    assert "<b>" not in text and "</b>" not in text and "<i>" not in text
    assert "& Co" not in text  # every ampersand of a name is an entity


def test_hovers_name_the_company_and_unit_by_reference(results):
    figure = _every_figure(results)["trajectories"]
    company = next(t for t in figure.data if t.legendgroup == SHOWN)
    assert company.name == SHOWN and list(company.meta) == ["&lt;i&gt;t&lt;/i&gt;"]
    assert company.hovertemplate.startswith("%{fullData.name}, %{x}")
    target = next(t for t in figure.data if t.name == f"{SHOWN}: SDA target")
    assert list(target.meta) == [SHOWN, "&lt;i&gt;t&lt;/i&gt;"]
    assert figure.layout.title.text == SHOWN


def test_categories_and_titles_are_plain(results):
    every = _every_figure(results)
    assert list(every["heatmap"].data[0].y) == [SHOWN, "Delta"]
    assert list(every["waterfall"].data[0].x) == [SHOWN, "Delta", "Platform gap"]
    assert list(every["ranking"].data[0].y) == ["Delta", SHOWN]
    assert every["kpi"].layout.yaxis.title.text == f"{SHOWN} (&lt;i&gt;t&lt;/i&gt;)"
    # Numbers stay numbers: only text is touched.
    assert list(every["waterfall"].data[0].y) == pytest.approx([7.0, 3.0, 10.0])


CHART_MODULES = [charts, platform_charts, submission_charts]


@pytest.mark.parametrize("module", CHART_MODULES, ids=lambda m: m.__name__)
def test_every_figure_builder_makes_its_texts_plain(module):
    """A new public function returning a figure must be marked ``@plain_text``."""
    builders = [
        name
        for name, function in inspect.getmembers(module, inspect.isfunction)
        if function.__module__ == module.__name__
        and not name.startswith("_")
        and "Figure" in str(inspect.signature(function).return_annotation)
    ]
    assert builders
    unmarked = [n for n in builders if not getattr(getattr(module, n), "plain_text", False)]
    assert unmarked == []
