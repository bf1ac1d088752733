"""The reconciliation's figures. Pure: DataFrames in, Plotly figures out, in the house style of
roadmap.figures; every figure has a title and axis titles with units."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

import roadmap.formatting as fmt
from roadmap.figures import (
    AGGREGATE_COLOUR,
    LEGEND_BELOW,
    OKABE_ITO,
    SCENARIO_COLOUR,
    TEMPLATE,
    TOL_MUTED,
    plain_text,
)

# Scenario curves other than the one reconciled against are told apart by dash, not colour.
SCENARIO_DASHES = ["dot", "dashdot", "longdash", "longdashdot"]
GAP_SPAN = 1.0  # the heat map's colour range: a gap of +-100% of the target
# Beyond this many companies, trajectories are drawn as WebGL lines (500 SVG paths are slow).
WEBGL_OVER = 40
# Hover and axis formats (d3), from the one rule of roadmap.formatting.
INTENSITY = fmt.D3_FORMATS[fmt.INTENSITY]
GAP = "+" + INTENSITY
SHARE = fmt.D3_FORMATS[fmt.FRACTION]
TONNES = fmt.D3_FORMATS[fmt.EMISSIONS]
AXIS = fmt.D3_AXIS
# A scenario curve's hover: its name and unit by reference (meta), made plain by plain_text.
_NAMED_HOVER = f"%{{meta[0]}}, %{{x}}: %{{y:{INTENSITY}}} %{{meta[1]}}<extra></extra>"


@plain_text
def gap_heatmap(results: pd.DataFrame, years: list[int], *, unit: str) -> go.Figure:
    """Companies (rows) by milestone year (columns), coloured by the gap to their SDA target
    as a share of the target, with years behind written in each cell. ``results`` are
    reconciliation rows (company, year, gap_pct, gap, years_behind)."""
    rows = results[results["year"].isin(years)]
    share = rows.pivot(index="company", columns="year", values="gap_pct").reindex(columns=years)
    behind = rows.pivot(index="company", columns="year", values="years_behind").reindex(
        columns=years
    )
    text = behind.map(
        lambda v: "" if pd.isna(v) else ("on track" if v == 0 else f"{fmt.years(v)} y")
    )
    figure = go.Figure(
        go.Heatmap(
            z=share.to_numpy(),
            x=[str(y) for y in years],
            y=list(share.index),
            text=text.to_numpy(),
            texttemplate="%{text}",
            colorscale="PuOr_r",
            # Near the final year targets approach zero and the share grows without bound:
            # the colours span -100% to +100% (beyond, the darkest); hover gives the value.
            zmin=-GAP_SPAN,
            zmax=GAP_SPAN,
            colorbar={
                "title": {"text": "Gap to target (%)"},
                "tickvals": [-GAP_SPAN, -GAP_SPAN / 2, 0, GAP_SPAN / 2, GAP_SPAN],
                "ticktext": ["≤ -100%", "-50%", "0%", "+50%", "≥ +100%"],
            },
            hovertemplate=f"%{{y}}, %{{x}}: gap %{{z:+{SHARE}}} of target<extra></extra>",
        )
    )
    figure.update_layout(
        title={"text": f"Gap to SDA target by milestone (intensity in {unit})"},
        xaxis_title="Milestone year",
        yaxis_title="Company",
        yaxis_autorange="reversed",  # alphabetical from the top
        template=TEMPLATE,
        height=max(280, 140 + 28 * len(share)),
    )
    return figure


@plain_text
def contribution_waterfall(
    contributions: pd.DataFrame, year: int, *, whole: bool = True
) -> go.Figure:
    """Each company's excess emissions in ``year`` (t CO2e; negative: under its fair share),
    as ``roadmap.domain.dashboard.contributions`` lists them, ending in their total: the
    platform's gap where they cover every company (``whole``), else the total shown. Drawn in
    t, kt or Mt by the largest bar; each bar is labelled with its value."""
    labels = [str(v) for v in contributions["label"]]
    tonnes = [float(v) for v in contributions["excess_emissions"]]
    tonnes.append(sum(tonnes))
    divisor, prefix = fmt.emissions_scale(max((abs(v) for v in tonnes), default=0.0))
    figure = go.Figure(
        go.Waterfall(
            x=[*labels, "Platform gap" if whole else "Total shown"],
            y=[v / divisor for v in tonnes],
            measure=["relative"] * len(labels) + ["total"],
            text=[fmt.tonnes(v) for v in tonnes],
            textposition="outside",
            cliponaxis=False,
            increasing={"marker": {"color": OKABE_ITO[5]}},
            decreasing={"marker": {"color": OKABE_ITO[0]}},
            totals={"marker": {"color": OKABE_ITO[7]}},
            hovertemplate="%{x}: %{text}<extra></extra>",
        )
    )
    figure.update_layout(
        title={"text": f"Contributions to the platform's gap in {year}"},
        xaxis_title="Company",
        yaxis_title=f"Excess emissions ({prefix} CO2e)",
        yaxis_tickformat=AXIS,
        template=TEMPLATE,
        showlegend=False,
        height=420,
    )
    return figure


@plain_text
def trajectories_figure(
    results: pd.DataFrame,
    curves: pd.DataFrame,
    *,
    title: str,
    unit: str,
    scenario: str | None = None,
    aggregate: pd.DataFrame | None = None,
    quartiles: pd.DataFrame | None = None,
    targets: bool = False,
    webgl_over: int = WEBGL_OVER,
) -> go.Figure:
    """Company intensities over time (reported solid, planned dashed; hovering names the
    company and its gap to its SDA target) against every scenario curve (``curves``: scenario,
    year, intensity), with the platform aggregate, the peer quartile band and each company's
    SDA target where given.

    ``scenario``, the one reconciled against, is drawn heavy in black; the others start hidden
    (one click on their legend entry shows them). Companies take Paul Tol's muted colours in
    order; those behind their target in their latest reported year are drawn thicker and on
    top. Beyond ``webgl_over`` companies the lines are two WebGL traces (``_many_lines``)."""
    figure = go.Figure()
    if quartiles is not None and not quartiles.empty:
        _quartile_band(figure, quartiles, unit)
    _scenario_curves(figure, curves, scenario, unit)
    if aggregate is not None and not aggregate.empty:
        figure.add_trace(
            go.Scatter(
                x=aggregate["year"],
                y=aggregate["intensity"],
                mode="lines",
                name="Platform aggregate",
                line={"color": AGGREGATE_COLOUR, "width": 4, "dash": "dashdot"},
                meta=[unit],
                hovertemplate=f"Platform aggregate, %{{x}}: %{{y:{INTENSITY}}} %{{meta[0]}}"
                "<extra></extra>",
            )
        )
    if results["company"].nunique() > webgl_over:
        _many_lines(figure, results, unit)
    else:
        _company_lines(figure, results, unit, targets=targets)
    figure.update_layout(
        title={"text": title},
        xaxis_title="Year",
        yaxis_title=f"Intensity ({unit})",
        yaxis_tickformat=AXIS,
        height=480,
        legend=LEGEND_BELOW,
        hovermode="closest",
        margin={"l": 70, "r": 20, "t": 60, "b": 60},
    )
    figure.update_yaxes(rangemode="tozero")
    figure.update_layout(template=TEMPLATE)
    return figure


def _scenario_curves(
    figure: go.Figure, curves: pd.DataFrame, scenario: str | None, unit: str
) -> None:
    """The chosen scenario solid, heavy and black; the others dashed, grey and hidden until
    their legend entry is clicked."""
    for n, (name, curve) in enumerate(curves.groupby("scenario", sort=True)):
        chosen = name == scenario
        figure.add_trace(
            go.Scatter(
                x=curve["year"],
                y=curve["intensity"],
                mode="lines",
                name=f"{name} (sector)",
                visible=True if chosen else "legendonly",
                legendrank=1 if chosen else 2,
                line={
                    "color": SCENARIO_COLOUR if chosen else "#777777",
                    "width": 3 if chosen else 1.5,
                    "dash": "solid" if chosen else SCENARIO_DASHES[n % len(SCENARIO_DASHES)],
                },
                meta=[str(name), unit],
                hovertemplate=_NAMED_HOVER,
            )
        )


def behind_last(results: pd.DataFrame) -> set[str]:
    """The companies behind their SDA target in their latest reported year (else, with no
    reported year, their first)."""
    if results.empty:
        return set()
    reported = results[results["kind"] == "reported"]
    rows = reported if not reported.empty else results
    latest = rows.sort_values("year").groupby("company", sort=False).tail(1)
    return set(latest.loc[latest["status"] == "behind", "company"])


def _company_lines(figure: go.Figure, results: pd.DataFrame, unit: str, *, targets: bool) -> None:
    """Each company in its own colour (legend in the order given); those behind drawn after
    the others, so on top, and thicker."""
    hover = (
        f"%{{fullData.name}}, %{{x}}: %{{y:{INTENSITY}}} %{{meta[0]}}"
        f"<br>gap to SDA target %{{customdata:{GAP}}} %{{meta[0]}}<extra></extra>"
    )
    behind = behind_last(results)
    groups = list(results.groupby("company", sort=False))
    colours = {str(name): TOL_MUTED[n % len(TOL_MUTED)] for n, (name, _) in enumerate(groups)}
    ranks = {str(name): 10 + n for n, (name, _) in enumerate(groups)}
    for name, rows in sorted(groups, key=lambda group: group[0] in behind):
        name = str(name)
        width = 3 if name in behind else 1.75
        legend = True  # one legend entry per company, on its first line
        for kind, dash in (("reported", "solid"), ("planned", "dash")):
            part = _with_joint(rows, kind)
            if part.empty:
                continue
            figure.add_trace(
                go.Scatter(
                    x=part["year"].to_numpy(),
                    y=part["intensity"].to_numpy(dtype=float),
                    customdata=part["gap"].to_numpy(dtype=float),
                    mode="lines",
                    name=name,
                    legendgroup=name,
                    legendrank=ranks[name],
                    showlegend=legend,
                    line={"color": colours[name], "dash": dash, "width": width},
                    meta=[unit],
                    hovertemplate=hover,
                )
            )
            legend = False
        if targets:
            figure.add_trace(
                go.Scatter(
                    x=rows["year"],
                    y=rows["target_intensity"],
                    mode="lines",
                    name=f"{name}: SDA target",
                    legendrank=ranks[name],
                    line={"color": colours[name], "dash": "dot", "width": 2},
                    meta=[name, unit],
                    hovertemplate=f"%{{meta[0]}} SDA target, %{{x}}: %{{y:{INTENSITY}}} "
                    "%{meta[1]}<extra></extra>",
                )
            )


def _many_lines(figure: go.Figure, results: pd.DataFrame, unit: str) -> None:
    """Every company in two WebGL traces (reported solid, planned dashed), each company's line
    cut from the next by a gap; the hover text names the company of each point. Two traces of
    compact arrays instead of two per company keep the page small and quick to draw."""
    rows = results.sort_values(["company", "year"], kind="stable")
    company = rows["company"].to_numpy()
    reported = (rows["kind"] == "reported").to_numpy()
    same_next = np.r_[company[1:] == company[:-1], False]
    planned_next = np.r_[~reported[1:], False]
    joint = reported & same_next & planned_next  # the planned line starts where history ends
    for kind, keep, dash in (
        ("reported", reported, "solid"),
        ("planned", ~reported | joint, "dash"),
    ):
        part = rows[keep]
        names = part["company"].to_numpy(dtype=object)
        cuts = np.flatnonzero(names[1:] != names[:-1]) + 1
        figure.add_trace(
            go.Scattergl(
                x=np.insert(part["year"].to_numpy(dtype="float32"), cuts, np.nan),
                y=np.insert(part["intensity"].to_numpy(dtype="float32"), cuts, np.nan),
                customdata=np.insert(part["gap"].to_numpy(dtype="float32"), cuts, np.nan),
                mode="lines",
                name=f"Companies ({kind})",
                legendgroup="companies",
                line={"color": TOL_MUTED[1], "dash": dash, "width": 1},
                connectgaps=False,
                meta=[unit],
                hovertemplate=f"%{{text}}, %{{x}}: %{{y:{INTENSITY}}} %{{meta[0]}}"
                f"<br>gap to SDA target %{{customdata:{GAP}}} %{{meta[0]}}<extra></extra>",
            )
        )
        # Set on the trace once added: a figure deep-copies a trace's arrays as it is added,
        # and a deep copy of a column of texts copies each one.
        figure.data[-1].text = np.insert(names, cuts, "")


def _with_joint(rows: pd.DataFrame, kind: str) -> pd.DataFrame:
    """The rows of one kind; the planned line starts at the last reported year, so the two
    parts of a trajectory join."""
    part = rows[rows["kind"] == kind]
    if kind == "planned" and not part.empty:
        before = rows[(rows["kind"] == "reported") & (rows["year"] < part["year"].min())]
        part = pd.concat([before.tail(1), part])
    return part


def _quartile_band(figure: go.Figure, quartiles: pd.DataFrame, unit: str) -> None:
    """The middle half of the peers as a grey band (upper quartile, then the lower one filled
    up to it) and their median as a dotted line."""
    hidden = {"width": 0}
    for column, name, label, style in (
        ("q3", "Peers: upper quartile", "upper quartile", {"line": hidden, "showlegend": False}),
        (
            "q1",
            "Peers: middle half (quartiles)",
            "lower quartile",
            {"line": hidden, "fill": "tonexty", "fillcolor": "rgba(120,120,120,0.18)"},
        ),
        ("median", "Peers: median", "median", {"line": {"color": "#555555", "dash": "dot"}}),
    ):
        figure.add_trace(
            go.Scatter(
                x=quartiles["year"],
                y=quartiles[column],
                mode="lines",
                name=name,
                meta=[unit],
                hovertemplate=f"Peers' {label}, %{{x}}: %{{y:{INTENSITY}}} %{{meta[0]}}"
                "<extra></extra>",
                **style,
            )
        )


@plain_text
def ranking_figure(table: pd.DataFrame, milestone: int, *, limit: int = 25) -> go.Figure:
    """Companies by cumulative excess emissions at ``milestone`` (t CO2e; drawn in t, kt or
    Mt by the largest), largest on top; beyond ``limit`` companies the chart shows the largest
    and the table holds the rest."""
    shown = table.head(limit).iloc[::-1]
    values = shown["cumulative_excess"].to_numpy(dtype=float)
    divisor, prefix = fmt.emissions_scale(float(np.abs(values).max()) if len(values) else 0.0)
    figure = go.Figure(
        go.Bar(
            x=values / divisor,
            y=[str(v) for v in shown["company"]],
            orientation="h",
            marker={"color": [OKABE_ITO[5] if v > 0 else OKABE_ITO[0] for v in values]},
            text=[fmt.tonnes(v) for v in values],
            hovertemplate="%{y}: %{text}<extra></extra>",
        )
    )
    more = f" (the {limit} largest of {len(table)})" if len(table) > limit else ""
    figure.update_layout(
        title={"text": f"Cumulative excess emissions to {milestone}{more}"},
        xaxis_title=f"Cumulative excess emissions from the base year ({prefix} CO2e)",
        xaxis_tickformat=AXIS,
        yaxis_title="Company",
        template=TEMPLATE,
        height=140 + 26 * len(shown),
        margin={"l": 220, "r": 20, "t": 60, "b": 60},
    )
    return figure


@plain_text
def coverage_figure(aggregate: pd.DataFrame) -> go.Figure:
    """The share of the sector's activity that the submissions cover, per year."""
    rows = aggregate[aggregate["coverage"].notna()]
    figure = go.Figure(
        go.Scatter(
            x=rows["year"],
            y=rows["coverage"].astype(float),
            mode="lines+markers",
            name="Coverage by submissions",
            line={"color": OKABE_ITO[2], "width": 3},
            hovertemplate=f"%{{x}}: %{{y:{SHARE}}} of sector activity<extra></extra>",
        )
    )
    figure.update_layout(
        title={"text": "Coverage of sector activity by submissions"},
        xaxis_title="Year",
        yaxis_title="Share of sector activity (%)",
        yaxis_tickformat=".0%",  # ticks fall on whole percents
        template=TEMPLATE,
        height=340,
    )
    return figure
