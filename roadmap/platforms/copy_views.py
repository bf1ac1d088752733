"""Copying another platform's KPI definitions and action templates (/platforms/<slug>/copy):
the coordinators pick a platform they may see, read what would be added and what skipped, and
copy it."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectChoice, SelectField
from wtforms.validators import DataRequired

from roadmap.db import get_session
from roadmap.extensions import current_viewer
from roadmap.models import Platform
from roadmap.platforms import copying
from roadmap.platforms.queries import platform as visible_platform
from roadmap.platforms.queries import platform_overview
from roadmap.platforms.views import _coordinated, bp


class CopyForm(FlaskForm):
    source = SelectField("Copy from", validators=[DataRequired()])
    criteria = BooleanField("Gate criteria of its own (to tick again here)", default=True)
    kpis = BooleanField("KPI definitions (name, unit, direction, how actuals come)", default=True)
    targets = BooleanField("with their five-year targets", default=True)
    actions = BooleanField("Implementation actions as templates (status planned)", default=True)


def _form(platform: Platform, formdata: Any = None) -> CopyForm:
    form = CopyForm(formdata=formdata) if formdata is not None else CopyForm()
    others = [
        s.platform
        for s in platform_overview(session=get_session(), viewer=current_viewer())
        if s.platform.id != platform.id
    ]
    form.source.choices = [SelectChoice(p.slug, f"{p.name} ({p.sector.name})") for p in others]
    return form


@bp.get("/platforms/<slug>/copy")
@login_required
def copy_page(slug: str) -> tuple[str, int]:
    platform = _coordinated(slug)
    form = _form(platform, formdata=None)
    chosen = request.args.get("source", "")
    source = visible_platform(chosen, session=get_session(), viewer=current_viewer())
    plan = None
    if source is not None and source.id != platform.id:
        form.source.data = source.slug
        plan = copying.copy_plan(platform, source, session=get_session())
    return render_template(
        "platforms/copy.html", platform=platform, form=form, source=source, plan=plan
    ), 200


@bp.post("/platforms/<slug>/copy")
@login_required
def copy(slug: str) -> Any:
    platform = _coordinated(slug)
    form = _form(platform)
    if not form.validate_on_submit():
        page = render_template(
            "platforms/copy.html", platform=platform, form=form, source=None, plan=None
        )
        return page, 422
    session = get_session()
    source = visible_platform(form.source.data, session=session, viewer=current_viewer())
    if source is None or source.id == platform.id:  # only reachable by a forged form
        form.source.errors = ["Choose another platform you may see."]
        page = render_template(
            "platforms/copy.html", platform=platform, form=form, source=None, plan=None
        )
        return page, 422
    added = copying.copy_from(
        platform,
        source,
        kpis=form.kpis.data,
        targets=form.targets.data,
        actions=form.actions.data,
        criteria=form.criteria.data,
        user=current_user,
        session=session,
    )
    session.commit()
    flash(
        f"Copied from {source.name}: " + ", ".join(added) if added else "Nothing to copy.", "info"
    )
    return redirect(url_for("platforms.detail", slug=slug))
