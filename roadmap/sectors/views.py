"""The sectors: a list for everyone, a sector's page (its units, stored scenarios and the
platforms on it the viewer may open), and a new sector, made by an admin or a coordinator an
admin allowed."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from roadmap.accounts import access
from roadmap.db import commit_retrying, get_session
from roadmap.extensions import current_viewer
from roadmap.sectors import operations, queries
from roadmap.sectors.forms import SectorForm
from roadmap.sectors.stored_units import learn_stored_units
from roadmap.web.util import or_404

bp = Blueprint("sectors", __name__)


@bp.get("/sectors/")
def index() -> str:
    return render_template(
        "sectors/index.html",
        rows=queries.sector_rows(session=get_session()),
        can_create=access.can_create_sector(current_viewer()),
    )


@bp.get("/sectors/<int:sector_id>")
def detail(sector_id: int) -> str:
    session = get_session()
    row = or_404(queries.sector_row(sector_id, session=session))
    return render_template(
        "sectors/detail.html",
        row=row,
        scenarios=queries.sector_scenarios(row.sector, session=session),
        platforms=queries.sector_platforms(row.sector, viewer=current_viewer(), session=session),
        can_create_platform=access.can_create_platform(current_viewer()),
    )


@bp.route("/sectors/new", methods=["GET", "POST"])
@login_required
def create() -> Any:
    if not access.can_create_sector(current_viewer()):
        abort(403)
    form = SectorForm()
    if form.validate_on_submit():
        session = get_session()
        spec = form.new_sector()
        try:
            sector = commit_retrying(
                session,
                lambda: operations.create_sector(spec, user=current_user, session=session),
            )
        except operations.SectorRefused as refused:
            session.rollback()
            for name, message in refused.problems:
                getattr(form, name).errors = [*getattr(form, name).errors, message]
        else:
            learn_stored_units(session.connection())  # this process knows the unit at once
            flash(
                f"Sector {sector.name} created: activity in {spec.activity_unit}, intensity "
                f"in {spec.intensity_unit}.",
                "info",
            )
            return redirect(url_for("sectors.detail", sector_id=sector.id))
    status = 422 if form.is_submitted() else 200
    return render_template("sectors/new.html", form=form), status
