"""Pure: DataFrames in, Plotly figures out. Colours from the Okabe-Ito palette, safe for
colour-blind readers; every figure has a title and axis titles with units."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]


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
            )
        )
    figure.update_layout(
        title={"text": f"{title} against published scenarios"},
        xaxis_title="Year",
        yaxis_title=f"Intensity ({unit})",
        template="simple_white",
        height=380,
        margin={"l": 60, "r": 20, "t": 50, "b": 50},
        legend={"orientation": "h", "y": -0.2},
    )
    return figure


def embed(figure: go.Figure, div_id: str) -> str:
    """HTML for a figure; plotly.js itself is served once by the app (no CDN)."""
    return figure.to_html(
        full_html=False,
        include_plotlyjs=False,
        div_id=div_id,
        config={"displaylogo": False, "responsive": True},
    )
