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


def gap_heatmap(results: pd.DataFrame, years: list[int], *, unit: str) -> go.Figure:
    """Companies (rows) by milestone year (columns), coloured by the gap to their SDA target
    as a share of the target, with years behind written in each cell. ``results`` are
    reconciliation rows (company, year, gap_pct, gap, years_behind)."""
    rows = results[results["year"].isin(years)]
    share = rows.pivot(index="company", columns="year", values="gap_pct").reindex(columns=years)
    behind = rows.pivot(index="company", columns="year", values="years_behind").reindex(
        columns=years
    )
    text = behind.map(lambda v: "" if pd.isna(v) else ("on track" if v == 0 else f"{v:.1f} y"))
    figure = go.Figure(
        go.Heatmap(
            z=share.to_numpy(),
            x=[str(y) for y in years],
            y=list(share.index),
            text=text.to_numpy(),
            texttemplate="%{text}",
            colorscale="PuOr_r",
            zmid=0,
            colorbar={"title": {"text": "Gap to target (%)"}, "tickformat": ".0%"},
            hovertemplate="%{y}, %{x}: gap %{z:.1%} of target<extra></extra>",
        )
    )
    figure.update_layout(
        title={"text": f"Gap to SDA target by milestone (intensity in {unit})"},
        xaxis_title="Milestone year",
        yaxis_title="Company",
        template="simple_white",
        height=120 + 28 * len(share),
    )
    return figure


def contribution_waterfall(results: pd.DataFrame, year: int) -> go.Figure:
    """Each company's excess emissions in ``year`` (t CO2e; negative: under its fair share),
    largest first, ending in the platform's gap, which they add up to exactly."""
    rows = results[(results["year"] == year) & results["excess_emissions"].notna()]
    rows = rows.sort_values("excess_emissions", ascending=False)
    figure = go.Figure(
        go.Waterfall(
            x=[*rows["company"], "Platform gap"],
            y=[*rows["excess_emissions"], rows["excess_emissions"].sum()],
            measure=["relative"] * len(rows) + ["total"],
            increasing={"marker": {"color": OKABE_ITO[5]}},
            decreasing={"marker": {"color": OKABE_ITO[0]}},
            totals={"marker": {"color": OKABE_ITO[7]}},
            hovertemplate="%{x}: %{y:,.0f} t CO2e<extra></extra>",
        )
    )
    figure.update_layout(
        title={"text": f"Contributions to the platform's gap in {year}"},
        xaxis_title="Company",
        yaxis_title="Excess emissions (t CO2e)",
        template="simple_white",
        showlegend=False,
    )
    return figure
