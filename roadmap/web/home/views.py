"""The home page: every platform at a glance."""

from __future__ import annotations

from importlib.resources import files

import plotly
from flask import Blueprint, render_template, send_file, url_for
from werkzeug.wrappers import Response

from roadmap import queries
from roadmap.db import get_session
from roadmap.models import STAGES
from roadmap.web.context import current_viewer

bp = Blueprint("home", __name__)
YEAR = 365 * 24 * 3600


@bp.get("/")
def index() -> str:
    overview = queries.platform_overview(session=get_session(), viewer=current_viewer())
    return render_template("home/index.html", platforms=overview, stages=STAGES)


@bp.get("/assets/plotly.min.js")
def plotly_js() -> Response:
    """plotly.js from the installed plotly package: no CDN, so pages work offline. Pages ask
    for it with the package's version in the address (``plotly_src``), so browsers may keep it
    for a year; a new plotly is a new address."""
    path = files("plotly") / "package_data" / "plotly.min.js"
    return send_file(
        str(path), mimetype="text/javascript", max_age=YEAR, conditional=True, etag=True
    )


@bp.app_template_global()
def plotly_src() -> str:
    return url_for("home.plotly_js", v=plotly.__version__)
