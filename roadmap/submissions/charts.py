"""The submission pages' figure: a trajectory awaiting acceptance against its SDA target and the
company's previous accepted version. Pure: a DataFrame in, a Plotly figure out."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from roadmap.figures import OKABE_ITO, TEMPLATE, plain_text

# Columns of the preview table (roadmap.submissions.preview): intensities by year.
NEW, TARGET, PREVIOUS = "new", "target", "previous"


@plain_text
def preview_figure(
    table: pd.DataFrame, *, unit: str, scenario: str, previous_version: int | None
) -> go.Figure:
    """The new trajectory (solid), its SDA target under ``scenario`` (dashed) and the previous
    accepted version (dotted, where there is one): ``table`` has year, new, target, previous
    (NaN where a line has no value)."""
    lines = [
        (NEW, "This file", {"color": OKABE_ITO[0], "width": 3}),
        (TARGET, f"SDA target ({scenario})", {"color": OKABE_ITO[1], "dash": "dash"}),
    ]
    if previous_version is not None:
        lines.append(
            (PREVIOUS, f"Accepted version {previous_version}", {"color": "#777777", "dash": "dot"})
        )
    figure = go.Figure()
    for column, name, style in lines:
        given = table[table[column].notna()]
        figure.add_trace(
            go.Scatter(
                x=given["year"],
                y=given[column],
                mode="lines",
                name=name,
                line=style,
                meta=[unit],
                hovertemplate="%{fullData.name} %{x}: %{y:,.4g} %{meta[0]}<extra></extra>",
            )
        )
    figure.update_layout(
        title={"text": "The trajectory in this file against its SDA target"},
        xaxis_title="Year",
        yaxis_title=f"Intensity ({unit})",
        template=TEMPLATE,
        height=380,
        margin={"l": 60, "r": 20, "t": 50, "b": 50},
        legend={"orientation": "h", "y": -0.2},
    )
    return figure
