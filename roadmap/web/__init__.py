"""What every page shares: error pages, the template filters that write figures, chart
embedding, and plotly.js served from the installed package."""

from __future__ import annotations

import math
import numbers
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from flask import Flask, jsonify, render_template, request

from roadmap.domain.numbers import exact_difference, exact_grouped
from roadmap.figures import embed
from roadmap.web.util import field_errors


def init_app(app: Flask) -> None:
    from roadmap.web.assets import bp as assets

    app.register_blueprint(assets)
    for code in (400, 403, 404, 405, 409, 413, 500):
        app.register_error_handler(code, render_error)
    # A stored figure exactly as stored, for reading (thousands separated, never rounded).
    app.add_template_filter(exact_grouped, "exact")
    app.add_template_filter(exact_difference, "exact_change")
    app.add_template_filter(cell, "cell")
    app.add_template_global(embed_chart, "embed_chart")
    app.add_template_global(field_errors, "field_errors")


def render_error(error: Any) -> Any:
    code = getattr(error, "code", 500)
    if request.path.startswith("/api/"):  # API clients get JSON, even for unknown paths
        return jsonify({"message": getattr(error, "description", "error")}), code
    return render_template("error.html", code=code, error=error), code


def embed_chart(figure: go.Figure, div_id: str, static: bool = False) -> str:
    return embed(figure, div_id, static=static)


def cell(value: object) -> str:
    """A table cell as text: blank where missing, thousands separated, four significant
    figures below a thousand."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return str(value)
    number = float(value)
    if number.is_integer() and abs(number) < 1e15:
        return f"{int(number):,}" if abs(number) >= 10000 else str(int(number))
    return f"{number:,.0f}" if abs(number) >= 1000 else f"{number:.4g}"
