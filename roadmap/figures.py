"""The house style of every chart: colours from the Okabe-Ito palette (safe for colour-blind
readers), plain axes, and how a figure goes into a page (plotly.js is served once by the app
from the installed package: no CDN)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, ParamSpec

import numpy as np
import pandas as pd
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


# --- plain text ---------------------------------------------------------------------------
# Plotly reads every label as a small HTML (<b>, <i>, <a href>, <br>, entities), so a company
# named "<b>Bold</b>" would show bold and "<a href=...>" would become a link. Text that comes
# from users therefore reaches a figure only in its data (trace names, text, hover text,
# categories, meta) and titles, which ``plain_text`` escapes once the figure is built; hover
# templates hold only our own words and markup, and name user text by reference
# (``%{fullData.name}``, ``%{meta[0]}``, ``%{x}``).

_TRACE_TEXTS = (
    "name",
    "legendgroup",
    "text",
    "hovertext",
    "meta",
    "x",
    "y",
    "labels",
    "customdata",
)
_Params = ParamSpec("_Params")


def plain(text: str) -> str:
    """``text`` shown as typed by Plotly: ``&``, ``<`` and ``>`` as entities."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _plain_values(value: Any) -> Any:
    """``value`` with every string in it (alone, or in a list, tuple or array, nested) made
    plain; numbers are left as they are, and so is a value with no string in it."""
    if isinstance(value, str):
        return plain(value)
    if isinstance(value, np.ndarray):
        if value.dtype.kind not in "OUS":
            return value
        if value.ndim == 1 and pd.api.types.infer_dtype(value, skipna=False) == "string":
            # A long column of texts repeats a few (a company's name on each of its points):
            # each distinct one is made plain once.
            codes, distinct = pd.factorize(value.astype(object))
            return np.array([plain(v) for v in distinct], dtype=object).take(codes)
        return np.array(_plain_values(value.tolist()), dtype=object)
    if isinstance(value, list | tuple):
        return [_plain_values(v) for v in value]
    return value


def _plain_title(part: Any) -> None:
    if part is not None and part.title is not None and part.title.text:
        part.title.text = plain(part.title.text)


def plain_figure(figure: go.Figure) -> go.Figure:
    """The figure with every text that may come from users shown as plain text (see above):
    trace names, texts, hover texts, meta, category values and customdata, and every title,
    tick text and annotation. Apply once: escaping twice would show "&amp;"."""
    for trace in figure.data:
        for key in _TRACE_TEXTS:
            if key in trace and trace[key] is not None:
                trace[key] = _plain_values(trace[key])
        colorbar = trace.colorbar if "colorbar" in trace else None
        _plain_title(colorbar)
    layout = figure.layout
    _plain_title(layout)
    _plain_title(layout.legend)
    for axis in (layout.xaxis, layout.yaxis):
        _plain_title(axis)
        if axis.ticktext is not None:
            axis.ticktext = _plain_values(axis.ticktext)
    for annotation in layout.annotations:
        annotation.text = plain(annotation.text or "")
    return figure


def plain_text(
    build: Callable[_Params, go.Figure],
) -> Callable[_Params, go.Figure]:
    """Marks a function that builds a figure: what it returns goes through ``plain_figure``."""

    @functools.wraps(build)
    def built(*args: _Params.args, **kwargs: _Params.kwargs) -> go.Figure:
        return plain_figure(build(*args, **kwargs))

    built.plain_text = True  # type: ignore[attr-defined]
    return built
