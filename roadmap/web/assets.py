"""plotly.js from the installed plotly package: no CDN, so pages work offline."""

from __future__ import annotations

from importlib.resources import files

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


@bp.app_template_global()
def plotly_src() -> str:
    return url_for("assets.plotly_js", v=plotly.__version__)
