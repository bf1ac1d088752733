"""The home page: every platform at a glance."""

from __future__ import annotations

from importlib.resources import files

from flask import Blueprint, render_template, send_file
from werkzeug.wrappers import Response

from roadmap import queries
from roadmap.db import get_session
from roadmap.models import STAGES
from roadmap.web.context import current_viewer

bp = Blueprint("home", __name__)


@bp.get("/")
def index() -> str:
    overview = queries.platform_overview(session=get_session(), viewer=current_viewer())
    return render_template("home/index.html", platforms=overview, stages=STAGES)


@bp.get("/assets/plotly.min.js")
def plotly_js() -> Response:
    """plotly.js from the installed plotly package: no CDN, so pages work offline. The address
    carries no version, so browsers revalidate daily and the file is sent again only if the
    installed plotly changed (conditional requests)."""
    path = files("plotly") / "package_data" / "plotly.min.js"
    return send_file(str(path), mimetype="text/javascript", max_age=86400, conditional=True)
