"""The house style of every chart: colours from the Okabe-Ito palette (safe for colour-blind
readers), plain axes, and how a figure goes into a page (plotly.js is served once by the app
from the installed package: no CDN)."""

from __future__ import annotations

import plotly.graph_objects as go

OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
# Companies: Paul Tol's "muted" scheme, nine colours told apart by colour-blind readers; the
# platform aggregate and the chosen scenario take colours outside it, so neither is mistaken
# for a company.
TOL_MUTED = [
    "#CC6677",
    "#332288",
    "#DDCC77",
    "#117733",
    "#88CCEE",
    "#882255",
    "#44AA99",
    "#999933",
    "#AA4499",
]
AGGREGATE_COLOUR = "#E66100"  # orange, away from every muted colour
SCENARIO_COLOUR = "#000000"
# Legends go under the plot, never over it: horizontal, anchored by their top below the x
# axis (plotly grows the bottom margin to hold them).
LEGEND_BELOW = {
    "orientation": "h",
    "xanchor": "left",
    "x": 0,
    "yanchor": "top",
    "y": -0.18,
    "title": {"text": ""},
}
_AXIS = {
    "showline": True,
    "linecolor": "#444444",
    "ticks": "outside",
    "showgrid": False,
    "zeroline": False,
    "automargin": True,
}
# A small template in the spirit of plotly's "simple_white": applying a named template costs
# about 30 ms per figure (it is copied and validated whole), a dashboard has a dozen figures.
TEMPLATE = go.layout.Template(
    layout={
        "font": {"color": "#222222"},
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "colorway": OKABE_ITO,
        "xaxis": _AXIS,
        "yaxis": _AXIS,
    }
)


def embed(figure: go.Figure, div_id: str, *, static: bool = False, nonce: str | None = None) -> str:
    """HTML for a figure; plotly.js itself is served once by the app (no CDN). ``static``
    draws it without interaction (for print). The script that draws it carries the request's
    ``nonce``, the only inline script the Content-Security-Policy lets run (web.security)."""
    html = figure.to_html(
        full_html=False,
        include_plotlyjs=False,
        div_id=div_id,
        config={"displaylogo": False, "responsive": not static, "staticPlot": static},
    )
    if nonce:
        html = html.replace("<script>", f'<script nonce="{nonce}">')
    return html
