"""The platform pages' figures: a roadmap pathway against published scenarios, a KPI's targets
against its actuals. Pure: DataFrames in, Plotly figures out."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

import roadmap.formatting as fmt
from roadmap.figures import LEGEND_BELOW, OKABE_ITO, TEMPLATE, plain_text

_INTENSITY = fmt.D3_FORMATS[fmt.INTENSITY]
_AXIS = fmt.D3_AXIS
# Names and units reach hovers by reference, made plain text by ``plain_text``.
_HOVER = f"%{{fullData.name}}, %{{x}}: %{{y:{_INTENSITY}}} %{{meta[0]}}<extra></extra>"


@plain_text
def pathway_figure(
    milestones: pd.DataFrame, references: pd.DataFrame, *, title: str, unit: str
) -> go.Figure:
    """The platform's pathway (``milestones``: year, intensity) against published scenarios
    (``references``: scenario, year, intensity), one line each."""
    figure = go.Figure()
    figure.add_trace(
        go.Scatter(
            x=milestones["year"],
            y=milestones["intensity"],
            mode="lines+markers",
            name=title,
            line={"color": OKABE_ITO[0], "width": 3},
            meta=[unit],
            hovertemplate=_HOVER,
        )
    )
    for n, (scenario, curve) in enumerate(references.groupby("scenario", sort=True)):
        figure.add_trace(
            go.Scatter(
                x=curve["year"],
                y=curve["intensity"],
                mode="lines",
                name=str(scenario),
                line={"color": OKABE_ITO[1 + n % 7], "dash": "dash"},
                meta=[unit],
                hovertemplate=_HOVER,
            )
        )
    figure.update_layout(
        title={"text": f"{title} against published scenarios"},
        xaxis_title="Year",
        yaxis_title=f"Intensity ({unit})",
        template=TEMPLATE,
        height=380,
        margin={"l": 60, "r": 20, "t": 50, "b": 50},
        yaxis_tickformat=_AXIS,
        legend=LEGEND_BELOW,
    )
    return figure


@plain_text
def kpi_figure(
    name: str,
    unit: str,
    targets: dict[int, float],
    actuals: dict[int, float],
    projection: dict[int, float] | None = None,
) -> go.Figure:
    """One KPI's milestone targets (dashed) against its reported actuals (markers) and, for a
    KPI computed from the project pipeline, what the pipeline projects at each target year
    (dotted); hovers read by the rule for the KPI's unit (percentages to one decimal, else 3
    significant digits)."""
    kind = fmt.kind_of_header(f"({unit})")
    value = fmt.D3_FORMATS.get(kind, _INTENSITY)
    figure = go.Figure()
    years = sorted(targets)
    figure.add_trace(
        go.Scatter(
            x=years,
            y=[targets[y] for y in years],
            mode="lines+markers",
            name="Target",
            line={"color": OKABE_ITO[0], "dash": "dash"},
            meta=[unit],
            hovertemplate=f"Target %{{x}}: %{{y:{value}}} %{{meta[0]}}<extra></extra>",
        )
    )
    done = sorted(actuals)
    figure.add_trace(
        go.Scatter(
            x=done,
            y=[actuals[y] for y in done],
            mode="markers+lines",
            name="Actual",
            marker={"color": OKABE_ITO[1], "size": 10, "symbol": "diamond"},
            line={"color": OKABE_ITO[1]},
            meta=[unit],
            hovertemplate=f"Actual %{{x}}: %{{y:{value}}} %{{meta[0]}}<extra></extra>",
        )
    )
    if projection:
        ahead = sorted(projection)
        figure.add_trace(
            go.Scatter(
                x=ahead,
                y=[projection[y] for y in ahead],
                mode="lines+markers",
                name="Pipeline projection",
                marker={"color": OKABE_ITO[2], "size": 9, "symbol": "circle-open"},
                line={"color": OKABE_ITO[2], "dash": "dot"},
                meta=[unit],
                hovertemplate=f"Pipeline %{{x}}: %{{y:{value}}} %{{meta[0]}}<extra></extra>",
            )
        )
    figure.update_layout(
        title={"text": f"{name}: targets and actuals"},
        xaxis_title="Year",
        yaxis_title=f"{name} ({unit})",
        template=TEMPLATE,
        height=320,
        yaxis_tickformat=_AXIS,
        legend=LEGEND_BELOW,
    )
    return figure
