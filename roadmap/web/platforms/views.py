"""Sector platforms through the four MPP stages: the board, a platform's page, its vision,
signatories, roadmap pathways and KPIs, commitments, implementation actions, the gate
checklist and advancing, with every change kept in the platform's history."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from roadmap import access, charts, operations, platforms, queries
from roadmap.db import get_session
from roadmap.domain import columns as col
from roadmap.domain.stages import STAGES, can_advance
from roadmap.models import (
    ACTION_STATUSES,
    Action,
    CompanyTarget,
    DemandSignal,
    Kpi,
    Platform,
    PlatformCoordinator,
    PolicyAsk,
    RoadmapPathway,
    Sector,
    Signatory,
)
from roadmap.web.context import current_viewer
from roadmap.web.platforms import forms
from roadmap.web.util import or_404

bp = Blueprint("platforms", __name__, url_prefix="/platforms")

# Records added and removed the same way: (model, form, how the history names one).
RECORDS: dict[str, tuple[type, type[FlaskForm], Callable[[Any], str]]] = {
    "signatories": (Signatory, forms.SignatoryForm, lambda r: f"signatory {r.organisation}"),
    "targets": (
        CompanyTarget,
        forms.CompanyTargetForm,
        lambda r: f"company target for {r.target_year}",
    ),
    "demand": (DemandSignal, forms.DemandSignalForm, lambda r: f"demand signal from {r.buyer}"),
    "policy": (PolicyAsk, forms.PolicyAskForm, lambda r: f"policy ask '{r.rule[:60]}'"),
    "actions": (Action, forms.ActionForm, lambda r: f"action '{r.title}'"),
}


def _visible(slug: str) -> Platform:
    return or_404(queries.platform(slug, session=get_session(), viewer=current_viewer()))


def _coordinated(slug: str) -> Platform:
    """A platform the viewer runs: 404 if not visible, 403 if visible but not theirs."""
    platform = _visible(slug)
    if not access.can_coordinate(current_viewer(), platform.id):
        abort(403)
    return platform


@bp.get("/")
def board() -> str:
    scenario = request.args.get("scenario") or current_app.config["DEFAULT_SCENARIO"]
    cards = platforms.board(viewer=current_viewer(), scenario=scenario, session=get_session())
    return render_template(
        "platforms/board.html",
        cards=cards,
        stages=STAGES,
        can_create=access.can_create_platform(current_viewer()),
    )


def _platform_form(obj: Platform | None = None) -> forms.PlatformForm:
    form = forms.PlatformForm(obj=obj)
    form.sector.choices = [
        SelectChoice(s.id, s.name) for s in queries.sectors(session=get_session())
    ]
    if obj is not None and not form.is_submitted():
        form.sector.data = obj.sector_id
    return form


@bp.route("/new", methods=["GET", "POST"])
@login_required
def create() -> str | Response | tuple[str, int]:
    if not access.can_create_platform(current_viewer()):
        abort(403)
    form = _platform_form()
    session = get_session()
    if form.validate_on_submit() and queries.platform(
        form.slug.data or "", session=session, viewer=access.Viewer(role="admin")
    ):
        form.slug.errors = ["Another platform has this short name."]
    elif form.validate_on_submit():
        platform = Platform(
            slug=form.slug.data,
            name=form.name.data,
            sector_id=form.sector.data,
            region=form.region.data,
            scope=form.scope.data,
            vision=form.vision.data or "",
            net_zero_year=form.net_zero_year.data,
            coverage_target=form.coverage_target.data,
            is_public=form.is_public.data,
        )
        session.add(platform)
        session.flush()
        if current_viewer().role == access.COORDINATOR:
            session.add(PlatformCoordinator(user_id=current_user.id, platform_id=platform.id))
        operations.record_history(
            platform, "created the platform (stage 1)", user=current_user, session=session
        )
        session.commit()
        return redirect(url_for("platforms.detail", slug=platform.slug))
    status = 422 if form.is_submitted() else 200
    return render_template("platforms/edit.html", form=form, platform=None), status


@bp.route("/<slug>/edit", methods=["GET", "POST"])
@login_required
def edit(slug: str) -> str | Response | tuple[str, int]:
    platform = _coordinated(slug)
    form = _platform_form(platform)
    if form.validate_on_submit() and form.slug.data != platform.slug:
        form.slug.errors = ["The short name cannot change once the platform exists."]
    elif form.validate_on_submit():
        operations.update_platform(
            platform,
            {
                "name": form.name.data,
                "sector_id": form.sector.data,
                "region": form.region.data,
                "scope": form.scope.data,
                "vision": form.vision.data or "",
                "net_zero_year": form.net_zero_year.data,
                "coverage_target": form.coverage_target.data,
                "is_public": form.is_public.data,
            },
            user=current_user,
            session=get_session(),
        )
        get_session().commit()
        flash("Platform saved.", "info")
        return redirect(url_for("platforms.detail", slug=slug))
    status = 422 if form.is_submitted() else 200
    return render_template("platforms/edit.html", form=form, platform=platform), status


@bp.get("/<slug>")
def detail(slug: str) -> str:
    return _render_detail(_visible(slug))


def _render_detail(
    platform: Platform,
    *,
    status: int = 200,
    import_problems: Any = None,
    **form_overrides: FlaskForm,
) -> Any:
    session, viewer = get_session(), current_viewer()
    view = platforms.platform_view(platform, session=session)
    coordinate = access.can_coordinate(viewer, platform.id)
    record_forms = {
        kind: form_overrides.get(kind) or form_class(formdata=None)
        for kind, (_, form_class, _) in RECORDS.items()
    }
    companies = queries.platform_companies(platform, session=session)
    record_forms["targets"].company_id.choices = [SelectChoice(c.id, c.name) for c in companies]
    kpi_form = form_overrides.get("kpi") or forms.KpiForm(formdata=None)
    import_form = form_overrides.get("import_form") or forms.PathwayImportForm(formdata=None)
    actual_form = form_overrides.get("actual") or forms.KpiActualForm(formdata=None)
    actual_form.kpi_id.choices = [SelectChoice(k.kpi.id, k.kpi.name) for k in view.kpis]
    html = render_template(
        "platforms/detail.html",
        view=view,
        stages=STAGES,
        coordinate=coordinate,
        checklist=platforms.checklist(view),
        ready=can_advance(platform.stage, view.facts),
        record_forms=record_forms,
        kpi_form=kpi_form,
        actual_form=actual_form,
        import_form=import_form,
        import_problems=import_problems or [],
        charts={
            p.pathway.id: _pathway_chart(p.pathway, p.milestones, platform) for p in view.pathways
        },
        show_history=coordinate,
        action_statuses=ACTION_STATUSES,
    )
    return html, status


def _pathway_chart(pathway: RoadmapPathway, milestones: list, platform: Platform) -> str:
    frame = pd.DataFrame(
        [{"year": m.year, "intensity": m.intensity} for m in milestones],
        columns=["year", "intensity"],
    )
    return charts.embed(
        charts.pathway_figure(
            frame, _references(platform), title=pathway.scenario, unit=pathway.intensity_unit
        ),
        f"pathway-{pathway.id}",
    )


def _references(platform: Platform) -> pd.DataFrame:
    """Published scenarios for the platform's sector and scope (its region, else Global), for
    comparison on the roadmap chart and to start a pathway from."""
    sector = or_404(get_session().get(Sector, platform.sector_id))
    stored = queries.pathways_frame(session=get_session(), sectors=[sector.name])
    stored = stored[stored[col.SCOPE] == platform.scope]
    region = platform.region if (stored[col.REGION] == platform.region).any() else "Global"
    return stored[stored[col.REGION] == region][[col.SCENARIO, col.YEAR, col.INTENSITY]]


@bp.post("/<slug>/records/<kind>")
@login_required
def add_record(slug: str, kind: str) -> Any:
    platform = _coordinated(slug)
    if kind not in RECORDS:
        abort(404)
    model, form_class, label = RECORDS[kind]
    form = form_class()
    if kind == "targets":
        form.company_id.choices = [
            SelectChoice(c.id, c.name)
            for c in queries.platform_companies(platform, session=get_session())
        ]
    if not form.validate_on_submit():
        return _render_detail(platform, status=422, **{kind: form})
    record = model(platform_id=platform.id)
    form.populate_obj(record)
    operations.add_platform_record(
        record, platform, label=label(record), user=current_user, session=get_session()
    )
    get_session().commit()
    return redirect(url_for("platforms.detail", slug=slug) + f"#{kind}")


@bp.post("/<slug>/records/<kind>/<int:record_id>/delete")
@login_required
def delete_record(slug: str, kind: str, record_id: int) -> Response:
    platform = _coordinated(slug)
    if kind not in RECORDS:
        abort(404)
    model, _, label = RECORDS[kind]
    record = get_session().get(model, record_id)
    if record is None or record.platform_id != platform.id:
        abort(404)
    operations.delete_platform_record(
        record, platform, label=label(record), user=current_user, session=get_session()
    )
    get_session().commit()
    return redirect(url_for("platforms.detail", slug=slug) + f"#{kind}")


@bp.post("/<slug>/kpis")
@login_required
def add_kpi(slug: str) -> Any:
    platform = _coordinated(slug)
    form = forms.KpiForm()
    if not form.validate_on_submit():
        return _render_detail(platform, status=422, kpi=form)
    kpi = Kpi(
        platform_id=platform.id,
        name=form.name.data,
        unit=form.unit.data,
        direction=form.direction.data,
    )
    operations.save_kpi(
        kpi, form.parsed_targets(), platform=platform, user=current_user, session=get_session()
    )
    get_session().commit()
    return redirect(url_for("platforms.detail", slug=slug) + "#kpis")


@bp.post("/<slug>/kpis/actuals")
@login_required
def add_kpi_actual(slug: str) -> Any:
    platform = _coordinated(slug)
    form = forms.KpiActualForm()
    kpis = {
        k.id: k
        for k in get_session()
        .exec(Kpi.__table__.select().where(Kpi.platform_id == platform.id))
        .all()
    }  # type: ignore[attr-defined]
    form.kpi_id.choices = [SelectChoice(k, v.name) for k, v in kpis.items()]
    if not form.validate_on_submit():
        return _render_detail(platform, status=422, actual=form)
    kpi = or_404(get_session().get(Kpi, form.kpi_id.data))
    operations.record_kpi_actual(
        kpi,
        form.year.data,
        form.value.data,
        platform=platform,
        user=current_user,
        session=get_session(),
    )
    get_session().commit()
    return redirect(url_for("platforms.detail", slug=slug) + "#kpis")


@bp.post("/<slug>/advance")
@login_required
def advance(slug: str) -> Response:
    platform = _coordinated(slug)
    view = platforms.platform_view(platform, session=get_session())
    if not can_advance(platform.stage, view.facts):
        flash("The gate checklist is not met yet: see what is missing below.", "error")
        return redirect(url_for("platforms.detail", slug=slug) + "#checklist")
    operations.advance_stage(platform, user=current_user, session=get_session())
    get_session().commit()
    flash(f"{platform.name} is now in stage {platform.stage}: {STAGES[platform.stage]}.", "info")
    return redirect(url_for("platforms.detail", slug=slug))


@bp.post("/<slug>/actions/<int:action_id>/status")
@login_required
def action_status(slug: str, action_id: int) -> Response:
    platform = _coordinated(slug)
    action = get_session().get(Action, action_id)
    status = request.form.get("status", "")
    if action is None or action.platform_id != platform.id:
        abort(404)
    if status not in ACTION_STATUSES:
        abort(400)
    if status != action.status:
        operations.record_history(
            platform,
            f"action '{action.title}': {action.status} -> {status}",
            user=current_user,
            session=get_session(),
        )
        action.status = status
        get_session().add(action)
        get_session().commit()
    return redirect(url_for("platforms.detail", slug=slug) + "#actions")
