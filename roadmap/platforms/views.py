"""Sector platforms through the four MPP stages: the home page and the board, a platform's
page, its vision, signatories, KPIs, commitments, implementation actions, the gate checklist
and advancing, with every change kept in the platform's history. The roadmap pathway editor is
in ``pathway_views``."""

from __future__ import annotations

from typing import Any

import pandas as pd
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from roadmap.accounts import access
from roadmap.config import default_scenario
from roadmap.db import get_session
from roadmap.domain.pipeline import CAPACITY_OPERATING, TYPED
from roadmap.domain.stages import STAGES, can_advance
from roadmap.domain.units import UnitError, compatible
from roadmap.extensions import current_viewer
from roadmap.models import (
    ACTION_STATUSES,
    Action,
    CompanyTarget,
    DemandSignal,
    Kpi,
    Platform,
    PolicyAsk,
    RoadmapPathway,
    Signatory,
)
from roadmap.pipeline.analysis import kpi_factor, with_pipeline
from roadmap.pipeline.numbers import activity_unit
from roadmap.platforms import forms, operations, queries
from roadmap.platforms.charts import pathway_figure
from roadmap.reconciliation.analysis import companies_behind
from roadmap.reconciliation.scenarios import scenario_for
from roadmap.sectors.queries import sectors
from roadmap.submissions import round_queries
from roadmap.web import embed_chart
from roadmap.web.util import confirmation, confirmed, or_404

bp = Blueprint("platforms", __name__)

# What a success message calls one record of each kind.
RECORD_NAMES = {
    "signatories": "Signatory",
    "targets": "Company target",
    "demand": "Demand signal",
    "policy": "Policy ask",
    "actions": "Action",
}

# Records added and removed the same way: their table and their form.
RECORDS: dict[str, tuple[type, type[FlaskForm]]] = {
    "signatories": (Signatory, forms.SignatoryForm),
    "targets": (CompanyTarget, forms.CompanyTargetForm),
    "demand": (DemandSignal, forms.DemandSignalForm),
    "policy": (PolicyAsk, forms.PolicyAskForm),
    "actions": (Action, forms.ActionForm),
}


@bp.get("/")
def home() -> str:
    session, viewer = get_session(), current_viewer()
    overview = queries.platform_overview(session=session, viewer=viewer)
    due = round_queries.due_for(viewer, session=session)
    return render_template("platforms/home.html", platforms=overview, stages=STAGES, due=due)


def _visible(slug: str) -> Platform:
    return or_404(queries.platform(slug, session=get_session(), viewer=current_viewer()))


def _coordinated(slug: str) -> Platform:
    """A platform the viewer runs: 404 if not visible, 403 if visible but not theirs."""
    platform = _visible(slug)
    if not access.can_coordinate(current_viewer(), platform.id):
        abort(403)
    return platform


@bp.get("/platforms/")
def board() -> str:
    session, viewer = get_session(), current_viewer()
    cards = queries.board(viewer=viewer, session=session, default_scenario=default_scenario())
    wanted = (request.args.get("scenario") or "").strip() or default_scenario()
    behind: dict[int, tuple[int | None, str | None]] = {}
    for card in (c for stage in cards.values() for c in stage):
        chosen = scenario_for(card.platform, wanted, session=session)
        # Withheld (None) where it would tell how one or two peers stand.
        count = (
            companies_behind(card.platform, scenario=chosen, viewer=viewer, session=session)
            if chosen
            else None
        )
        behind[card.platform.id] = (count, chosen)  # type: ignore[index]
    return render_template(
        "platforms/board.html",
        cards=cards,
        behind=behind,
        stages=STAGES,
        can_create=access.can_create_platform(viewer),
    )


def _platform_form(obj: Platform | None = None) -> forms.PlatformForm:
    form = forms.PlatformForm(obj=obj)
    form.sector.choices = [SelectChoice(s.id, s.name) for s in sectors(session=get_session())]
    if obj is not None and not form.is_submitted():
        form.sector.data = obj.sector_id
    elif not form.is_submitted():  # "Create a platform on Glass" from a sector's page
        form.sector.data = request.args.get("sector", type=int)
    return form


@bp.route("/platforms/new", methods=["GET", "POST"])
@login_required
def create() -> str | Response | tuple[str, int]:
    if not access.can_create_platform(current_viewer()):
        abort(403)
    form = _platform_form()
    session = get_session()
    if form.validate_on_submit() and queries.platform_by_slug(
        form.slug.data or "", session=session
    ):
        form.slug.errors = ["Another platform has this short name."]
    elif form.validate_on_submit():
        platform = operations.create_platform(
            session=session,
            slug=form.slug.data or "",
            name=form.name.data or "",
            sector_id=form.sector.data,
            user=current_user,
            coordinator=current_user if current_viewer().role == access.COORDINATOR else None,
            **_settings(form),
        )
        session.commit()
        flash(f"Platform {platform.name} created.", "info")
        return redirect(url_for("platforms.detail", slug=platform.slug))
    status = 422 if form.is_submitted() else 200
    return render_template(
        "platforms/edit.html",
        form=form,
        platform=None,
        can_create_sector=access.can_create_sector(current_viewer()),
    ), status


def _settings(form: forms.PlatformForm) -> dict[str, Any]:
    """A platform's settings as the form gives them (its name, sector and slug apart)."""
    return {
        "region": form.region.data,
        "scope": form.scope.data,
        "vision": form.vision.data or "",
        "net_zero_year": form.net_zero_year.data,
        "coverage_target": form.coverage_target.data,
        "is_public": form.is_public.data,
        "treat_co2_as_co2e": form.treat_co2_as_co2e.data,
    }


@bp.route("/platforms/<slug>/edit", methods=["GET", "POST"])
@login_required
def edit(slug: str) -> str | Response | tuple[str, int]:
    platform = _coordinated(slug)
    form = _platform_form(platform)
    if form.validate_on_submit() and form.slug.data != platform.slug:
        form.slug.errors = ["The short name cannot change once the platform exists."]
    elif form.validate_on_submit():
        try:
            operations.update_platform(
                platform,
                {"name": form.name.data, "sector_id": form.sector.data, **_settings(form)},
                user=current_user,
                session=get_session(),
            )
        except operations.ChangeRefused as refused:
            get_session().rollback()
            form.sector.errors = [str(refused)]
        else:
            get_session().commit()
            flash(f"{platform.name} saved.", "info")
            return redirect(url_for("platforms.detail", slug=slug))
    status = 422 if form.is_submitted() else 200
    return render_template("platforms/edit.html", form=form, platform=platform), status


@bp.get("/platforms/<slug>")
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
    view = queries.platform_view(platform, session=session, default_scenario=default_scenario())
    view.kpis = with_pipeline(view.kpis, platform, viewer, session=session)
    coordinate = access.can_coordinate(viewer, platform.id)
    record_forms = {
        kind: form_overrides.get(kind) or form_class(formdata=None)
        for kind, (_, form_class) in RECORDS.items()
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
        checklist=queries.checklist(view),
        ready=can_advance(platform.stage, view.facts),
        record_forms=record_forms,
        kpi_form=kpi_form,
        actual_form=actual_form,
        import_form=import_form,
        import_problems=import_problems or [],
        charts=_pathway_charts(platform, view.pathways),
        show_history=coordinate,
        action_statuses=ACTION_STATUSES,
    )
    return html, status


def kpi_source_fits(form: forms.KpiForm, platform: Platform) -> bool:
    """A KPI of the pipeline's capacity needs a unit the sector's activity converts into
    (e.g. Mt Steel on a steel platform); the problem is put next to the unit."""
    if form.source.data != CAPACITY_OPERATING:
        return True
    try:
        kpi_factor(form.unit.data or "", form.source.data, activity_unit(platform))
    except (UnitError, ValueError):
        form.unit.errors = [
            *form.unit.errors,
            f"The pipeline's capacity is an amount of {platform.sector.name} per year: "
            f"give a unit such as M{activity_unit_or(platform)}.",
        ]
        return False
    return True


def record_fits(kind: str, form: FlaskForm, platform: Platform) -> bool:
    """A demand signal's volume must be an amount of the sector's product, to be set against
    the pipeline's supply; the problem is put next to the unit."""
    if kind != "demand":
        return True
    unit = activity_unit_or(platform)
    if compatible(form.volume_unit.data or "", unit):  # type: ignore[attr-defined]
        return True
    form.volume_unit.errors = [  # type: ignore[attr-defined]
        *form.volume_unit.errors,  # type: ignore[attr-defined]
        f"'{form.volume_unit.data}' is not an amount of {platform.sector.name}: "  # type: ignore[attr-defined]
        f"give a unit such as {unit} or M{unit}.",
    ]
    return False


def activity_unit_or(platform: Platform) -> str:
    try:
        return activity_unit(platform)
    except ValueError:
        return "t"


def _pathway_charts(platform: Platform, pathways: list[queries.PathwayView]) -> dict[int, str]:
    """Each roadmap pathway drawn against the published scenarios, by pathway id."""
    references = queries.references(platform, session=get_session())
    return {
        view.pathway.id: _pathway_chart(view.pathway, view.milestones, references)  # type: ignore[misc]
        for view in pathways
    }


def _pathway_chart(pathway: RoadmapPathway, milestones: list, references: pd.DataFrame) -> str:
    frame = pd.DataFrame(
        [{"year": m.year, "intensity": m.intensity} for m in milestones],
        columns=["year", "intensity"],
    )
    return embed_chart(
        pathway_figure(frame, references, title=pathway.scenario, unit=pathway.intensity_unit),
        f"pathway-{pathway.id}",
    )


@bp.post("/platforms/<slug>/records/<kind>")
@login_required
def add_record(slug: str, kind: str) -> Any:
    platform = _coordinated(slug)
    if kind not in RECORDS:
        abort(404)
    model, form_class = RECORDS[kind]
    form = form_class()
    if kind == "targets":
        form.company_id.choices = [
            SelectChoice(c.id, c.name)
            for c in queries.platform_companies(platform, session=get_session())
        ]
    if not form.validate_on_submit() or not record_fits(kind, form, platform):
        return _render_detail(platform, status=422, **{kind: form})
    values = {name: f.data for name, f in form._fields.items() if name != "csrf_token"}
    operations.add_record(model, platform, values, user=current_user, session=get_session())
    get_session().commit()
    flash(f"{RECORD_NAMES[kind]} added.", "info")
    return redirect(url_for("platforms.detail", slug=slug) + f"#{kind}")


@bp.post("/platforms/<slug>/records/<kind>/<int:record_id>/delete")
@login_required
def delete_record(slug: str, kind: str, record_id: int) -> Response:
    platform = _coordinated(slug)
    if kind not in RECORDS:
        abort(404)
    model, _ = RECORDS[kind]
    record = or_404(queries.record_of(model, platform, record_id, session=get_session()))
    operations.delete_record(record, platform, user=current_user, session=get_session())
    get_session().commit()
    flash(f"{RECORD_NAMES[kind]} removed.", "info")
    return redirect(url_for("platforms.detail", slug=slug) + f"#{kind}")


@bp.post("/platforms/<slug>/kpis")
@login_required
def add_kpi(slug: str) -> Any:
    platform = _coordinated(slug)
    form = forms.KpiForm()
    if not form.validate_on_submit() or not kpi_source_fits(form, platform):
        return _render_detail(platform, status=422, kpi=form)
    operations.create_kpi(
        platform,
        name=form.name.data or "",
        unit=form.unit.data or "",
        direction=form.direction.data,
        targets=form.parsed_targets(),
        source=form.source.data,
        user=current_user,
        session=get_session(),
    )
    get_session().commit()
    flash(f"KPI {form.name.data} defined.", "info")
    return redirect(url_for("platforms.detail", slug=slug) + "#kpis")


@bp.post("/platforms/<slug>/kpis/actuals")
@login_required
def add_kpi_actual(slug: str) -> Any:
    platform = _coordinated(slug)
    form = forms.KpiActualForm()
    kpis = queries.kpi_views(platform, session=get_session())
    form.kpi_id.choices = [SelectChoice(k.kpi.id, k.kpi.name) for k in kpis]
    if not form.validate_on_submit():
        return _render_detail(platform, status=422, actual=form)
    kpi = or_404(queries.record_of(Kpi, platform, form.kpi_id.data, session=get_session()))
    if kpi.source != TYPED:
        form.kpi_id.errors = [
            f"{kpi.name} is computed from the project pipeline: its actuals come from the "
            "dates projects reached each status, not from figures typed in."
        ]
        return _render_detail(platform, status=422, actual=form)
    operations.record_kpi_actual(
        kpi,
        form.year.data,
        form.value.data,
        platform=platform,
        user=current_user,
        session=get_session(),
    )
    get_session().commit()
    flash(f"{kpi.name}: actual for {form.year.data} recorded.", "info")
    return redirect(url_for("platforms.detail", slug=slug) + "#kpis")


@bp.post("/platforms/<slug>/advance")
@login_required
def advance(slug: str) -> Response | str:
    platform = _coordinated(slug)
    view = queries.platform_view(
        platform, session=get_session(), default_scenario=default_scenario()
    )
    if not can_advance(platform.stage, view.facts):
        flash("The gate checklist is not met yet: see what is missing below.", "error")
        return redirect(url_for("platforms.detail", slug=slug) + "#checklist")
    if not confirmed():
        following = platform.stage + 1
        return confirmation(
            title=f"Advance {platform.name} to stage {following}?",
            consequence=f"{platform.name} moves from stage {platform.stage} "
            f"({STAGES[platform.stage]}) to stage {following} ({STAGES[following]}); "
            "the change is recorded in its history with your name. Earlier stages stay "
            "editable, but a platform never moves back a stage.",
            confirm_label=f"Advance to stage {following}",
            cancel_url=url_for("platforms.detail", slug=slug) + "#checklist",
        )
    operations.advance_stage(platform, user=current_user, session=get_session())
    get_session().commit()
    flash(f"{platform.name} is now in stage {platform.stage}: {STAGES[platform.stage]}.", "info")
    return redirect(url_for("platforms.detail", slug=slug))


@bp.post("/platforms/<slug>/actions/<int:action_id>/status")
@login_required
def action_status(slug: str, action_id: int) -> Response:
    platform = _coordinated(slug)
    action = or_404(queries.record_of(Action, platform, action_id, session=get_session()))
    status = request.form.get("status", "")
    if status not in ACTION_STATUSES:
        abort(400)
    operations.set_action_status(action, status, user=current_user, session=get_session())
    get_session().commit()
    flash(f"{action.title} is now {status}.", "info")
    return redirect(url_for("platforms.detail", slug=slug) + "#actions")
