"""The home page: every platform at a glance."""

from __future__ import annotations

from flask import Blueprint, render_template

from roadmap import queries
from roadmap.db import get_session
from roadmap.models import STAGES
from roadmap.web.context import current_viewer

bp = Blueprint("home", __name__)


@bp.get("/")
def index() -> str:
    overview = queries.platform_overview(session=get_session(), viewer=current_viewer())
    return render_template("home/index.html", platforms=overview, stages=STAGES)
