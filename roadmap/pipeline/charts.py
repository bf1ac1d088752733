"""The pipeline page's figures: capacity by expected start year and status (stacked), by
technology route, and committed demand against expected near-zero supply. Pure: DataFrames in,
Plotly figures out; every user text is made plain by ``plain_text``."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

import roadmap.formatting as fmt
from roadmap.domain.pipeline import STATUSES
from roadmap.figures import LEGEND_BELOW, OKABE_ITO, TEMPLATE, plain_text

_VALUE = fmt.D3_FORMATS.get(fmt.ACTIVITY, ",.3~s")
_HOVER = f"%{{fullData.name}}, %{{x}}: %{{y:{_VALUE}}} %{{meta[0]}}<extra></extra>"
_HOVER_ACROSS = f"%{{fullData.name}}, %{{y}}: %{{x:{_VALUE}}} %{{meta[0]}}<extra></extra>"
# One colour per status, the same in every figure (cancelled in grey).
STATUS_COLOURS = dict(zip(STATUSES, [*OKABE_ITO[:5], "#999999"], strict=True))


def _status_bars(frame: pd.DataFrame, category: str, unit: str, *, across: bool) -> go.Figure:
    """Capacity by ``category``, one bar trace per status (in the statuses' order), stacked;
    ``across``: horizontal bars, the categories on the y axis."""
    figure = go.Figure()
    for status in STATUSES:
        rows = frame[frame["Status"] == status]
        if rows.empty:
            continue
        where = {"y": rows[category], "x": rows["Capacity"], "orientation": "h"}
        figure.add_trace(
            go.Bar(
                **(where if across else {"x": rows[category], "y": rows["Capacity"]}),
                name=status,
                marker={"color": STATUS_COLOURS[status]},
                meta=[unit],
                hovertemplate=_HOVER_ACROSS if across else _HOVER,
            )
        )
    figure.update_layout(barmode="stack", template=TEMPLATE, legend=LEGEND_BELOW)
    return figure


@plain_text
def capacity_figure(by_status_year: pd.DataFrame, unit: str) -> go.Figure:
    """Capacity by expected start year, stacked by status (``Start year``, ``Status``,
    ``Capacity``)."""
    figure = _status_bars(by_status_year, "Start year", unit, across=False)
    figure.update_layout(
        title={"text": "Near-zero capacity by expected start year and status"},
        xaxis_title="Expected start year",
        yaxis_title=f"Capacity ({unit} per year)",
        height=360,
    )
    return figure


@plain_text
def technology_figure(by_technology: pd.DataFrame, unit: str) -> go.Figure:
    """Capacity by technology route, stacked by status (``Technology``, ``Status``,
    ``Capacity``)."""
    figure = _status_bars(by_technology, "Technology", unit, across=True)
    figure.update_layout(
        title={"text": "Near-zero capacity by technology route"},
        xaxis_title=f"Capacity ({unit} per year)",
        height=320,
    )
    return figure


@plain_text
def balance_figure(balance: pd.DataFrame, unit: str) -> go.Figure:
    """Committed demand against expected near-zero supply at each milestone (the columns of
    roadmap.pipeline.analysis.summary's ``balance``)."""
    years = balance["Year"]
    figure = go.Figure()
    for column, name, colour in (
        (f"Committed demand ({unit})", "Committed demand", OKABE_ITO[5]),
        (f"Expected supply ({unit})", "Expected near-zero supply", OKABE_ITO[2]),
    ):
        figure.add_trace(
            go.Bar(
                x=years,
                y=balance[column],
                name=name,
                marker={"color": colour},
                meta=[unit],
                hovertemplate=_HOVER,
            )
        )
    figure.add_trace(
        go.Scatter(
            x=years,
            y=balance[f"Projected capacity ({unit})"],
            mode="lines+markers",
            name="Projected capacity",
            line={"color": OKABE_ITO[0], "dash": "dot"},
            meta=[unit],
            hovertemplate=_HOVER,
        )
    )
    figure.update_layout(
        barmode="group",
        title={"text": "Committed near-zero demand against expected supply"},
        xaxis_title="Milestone year",
        yaxis_title=f"{unit} per year",
        template=TEMPLATE,
        height=360,
        legend=LEGEND_BELOW,
    )
    return figure
