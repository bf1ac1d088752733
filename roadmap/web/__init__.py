"""What every page shares: error pages (and a plain 503 while the database cannot be reached),
the template filters that write figures, chart embedding, plotly.js served from the installed
package, the request log and the health check."""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go
from flask import Flask, current_app, jsonify, render_template, request
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

import roadmap.formatting as formatting
from roadmap.domain.numbers import exact_difference, exact_grouped
from roadmap.figures import embed
from roadmap.web.util import field_errors


def init_app(app: Flask) -> None:
    from roadmap.web import security
    from roadmap.web.assets import bp as assets
    from roadmap.web.health import bp as health

    security.init_app(app)

    app.register_blueprint(assets)
    app.register_blueprint(health)
    for code in (400, 403, 404, 405, 409, 413, 429, 500):
        app.register_error_handler(code, render_error)
    for failure in (OperationalError, InterfaceError, PoolTimeout):
        app.register_error_handler(failure, database_unavailable)
    # A stored figure exactly as stored, for reading (thousands separated, never rounded).
    app.add_template_filter(exact_grouped, "exact")
    app.add_template_filter(exact_difference, "exact_change")
    # Figures for reading, by the one rule of roadmap.formatting (never for inputs).
    for name, write in (
        ("intensity", formatting.intensity),
        ("tonnes", formatting.tonnes),
        ("megatonnes", formatting.megatonnes),
        ("activity", formatting.activity),
        ("quantity", formatting.quantity),
        ("percent", formatting.percent),
        ("degrees", formatting.degrees),
        ("count", formatting.count),
        ("years", formatting.years),
        ("year", formatting.year),
        ("cell", formatting.cell),
        ("table_rows", formatting.table_rows),
    ):
        app.add_template_filter(write, name)
    app.add_template_global(embed_chart, "embed_chart")
    app.add_template_global(field_errors, "field_errors")


def render_error(error: Any) -> Any:
    code = getattr(error, "code", 500)
    if request.path.startswith("/api/"):  # API clients get JSON, even for unknown paths
        return jsonify({"message": getattr(error, "description", "error")}), code
    return render_template("error.html", code=code, error=error), code


UNAVAILABLE = "The database cannot be reached just now. Please try again in a minute."


def database_unavailable(error: Exception) -> Any:
    """The database is down or refused the connection: 503 with a plain page (no traceback,
    nothing that needs the database, not even the signed-in user), JSON for the API. The pool
    tests each connection before use (pre-ping), so the app recovers by itself once the
    database is back."""
    current_app.logger.error("database unavailable: %s", error)
    headers = {"Retry-After": "30"}
    if request.path.startswith("/api/"):
        return jsonify({"message": UNAVAILABLE}), 503, headers
    # Drawn without the context processors: the signed-in user they add needs the database.
    page = current_app.jinja_env.get_template("unavailable.html").render(message=UNAVAILABLE)
    return page, 503, headers


def embed_chart(figure: go.Figure, div_id: str, static: bool = False) -> str:
    """A figure for a page, its drawing script carrying the request's nonce."""
    from roadmap.web.security import csp_nonce

    return embed(figure, div_id, static=static, nonce=csp_nonce())
