"""plotly.js from the installed plotly package (no CDN, so pages work offline) and the
favicon at the address browsers ask for."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

import plotly
from flask import Blueprint, send_file, url_for
from werkzeug.wrappers import Response

bp = Blueprint("assets", __name__)
YEAR = 365 * 24 * 3600


@bp.get("/assets/plotly.min.js")
def plotly_js() -> Response:
    """Pages ask for it with the package's version in the address (``plotly_src``), so
    browsers may keep it for a year; a new plotly is a new address."""
    path = files("plotly") / "package_data" / "plotly.min.js"
    return send_file(
        str(path), mimetype="text/javascript", max_age=YEAR, conditional=True, etag=True
    )


@bp.get("/favicon.ico")
def favicon() -> Response:
    """Browsers and feed readers ask for /favicon.ico whatever the page links: the same SVG."""
    return send_file(
        str(Path(__file__).resolve().parents[1] / "static" / "favicon.svg"),
        mimetype="image/svg+xml",
        max_age=24 * 3600,
        conditional=True,
    )


@bp.app_template_global()
def plotly_src() -> str:
    return url_for("assets.plotly_js", v=plotly.__version__)
