"""The pipeline page of a platform (/platforms/<slug>/pipeline): near-zero capacity by start
year, status and technology, the gap to each KPI computed from the pipeline, and committed
demand against expected supply; its tables as CSV or XLSX; the coordinators' settings (status
weights and utilisation)."""

from __future__ import annotations

import pandas as pd
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms.validators import InputRequired, NumberRange

from roadmap.accounts import access
from roadmap.db import get_session
from roadmap.domain.demand import DemandError
from roadmap.domain.pipeline import STATUSES, PipelineError
from roadmap.extensions import current_viewer
from roadmap.models import Platform
from roadmap.pipeline import analysis, charts, settings
from roadmap.platforms import queries as platform_queries
from roadmap.platforms.charts import kpi_figure
from roadmap.reconciliation.exports import table_bytes
from roadmap.web import embed_chart
from roadmap.web.fields import ExactFloatField
from roadmap.web.util import or_404

bp = Blueprint("pipeline_overview", __name__)

TABLE_KINDS = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
_SHARE = [InputRequired(message="A share is needed."), NumberRange(min=0, max=1)]


class SettingsForm(FlaskForm):
    """One weight per status (operating 1 and cancelled 0 are fixed by meaning) and the
    utilisation."""

    utilisation = ExactFloatField("Utilisation of near-zero capacity (share)", validators=_SHARE)


for _status in STATUSES:
    setattr(
        SettingsForm,
        f"weight_{_status.replace(' ', '_')}",
        ExactFloatField(f"Weight of {_status}", validators=_SHARE),
    )


def _field(status: str) -> str:
    return f"weight_{status.replace(' ', '_')}"


def _platform(slug: str) -> Platform:
    return or_404(platform_queries.platform(slug, session=get_session(), viewer=current_viewer()))


def _summary(platform: Platform) -> analysis.PipelineSummary:
    session = get_session()
    kpis = platform_queries.kpi_views(platform, session=session)
    return analysis.summary(platform, current_viewer(), kpis, session=session)


@bp.get("/platforms/<slug>/pipeline")
def page(slug: str) -> str:
    platform = _platform(slug)
    return _page(platform, _summary(platform))


def _page(
    platform: Platform, shown: analysis.PipelineSummary, form: SettingsForm | None = None
) -> str:
    coordinate = access.can_coordinate(current_viewer(), platform.id)
    if coordinate and form is None:
        form = SettingsForm(formdata=None, utilisation=platform.supply_utilisation)
        for status in STATUSES:
            getattr(form, _field(status)).data = shown.weights[status]
    return render_template(
        "pipeline/overview.html",
        platform=platform,
        shown=shown,
        statuses=STATUSES,
        coordinate=coordinate,
        form=form,
        field_of=_field,
        charts=_charts(shown),
    )


def _charts(shown: analysis.PipelineSummary) -> dict[str, str]:
    """The page's figures as HTML, by name; those with nothing to draw left out."""
    out = {}
    if not shown.by_status_year.empty:
        out["capacity"] = embed_chart(
            charts.capacity_figure(shown.by_status_year, shown.unit), "pipeline-capacity"
        )
        out["technology"] = embed_chart(
            charts.technology_figure(shown.by_technology, shown.unit), "pipeline-technology"
        )
    if not shown.balance.empty:
        out["balance"] = embed_chart(
            charts.balance_figure(shown.balance, shown.unit), "pipeline-balance"
        )
    for view, _, _ in shown.kpi_gaps:
        figure = kpi_figure(
            view.kpi.name, view.kpi.unit, view.targets, view.actuals, view.projection
        )
        out[f"kpi-{view.kpi.id}"] = embed_chart(figure, f"pipeline-kpi-{view.kpi.id}")
    return out


def tables(shown: analysis.PipelineSummary) -> dict[str, tuple[str, pd.DataFrame]]:
    """The page's tables by their name in the address, with their titles."""
    unit = shown.unit
    out = {
        "capacity-by-year": (
            "Capacity by start year and status",
            shown.by_status_year.rename(columns={"Capacity": f"Capacity ({unit})"}),
        ),
        "capacity-by-technology": (
            "Capacity by technology",
            shown.by_technology.rename(columns={"Capacity": f"Capacity ({unit})"}),
        ),
        "demand-supply": ("Demand against supply", shown.balance),
    }
    for view, table, _ in shown.kpi_gaps:
        out[f"kpi-{view.kpi.id}"] = (f"{view.kpi.name} against the pipeline", table)
    return out


@bp.get("/platforms/<slug>/pipeline/<name>.<kind>")
def table(slug: str, name: str, kind: str) -> Response:
    platform = _platform(slug)
    if kind not in TABLE_KINDS:
        abort(404)
    title, frame = or_404(tables(_summary(platform)).get(name))
    return Response(
        table_bytes(frame, kind, title=title),
        mimetype=TABLE_KINDS[kind],
        headers={"Content-Disposition": f'attachment; filename="{platform.slug}-{name}.{kind}"'},
    )


@bp.post("/platforms/<slug>/pipeline/settings")
@login_required
def save(slug: str) -> Response | tuple[str, int]:
    platform = _platform(slug)
    if not access.can_coordinate(current_viewer(), platform.id):
        abort(403)
    form = SettingsForm()
    session = get_session()
    if form.validate_on_submit():
        weights = {status: getattr(form, _field(status)).data for status in STATUSES}
        try:
            changed = settings.save_settings(
                platform,
                weights=weights,
                utilisation=form.utilisation.data,
                user=current_user,
                session=session,
            )
        except (PipelineError, DemandError) as refused:
            session.rollback()
            form.utilisation.errors = [*form.utilisation.errors, str(refused)]
        else:
            session.commit()
            flash("Pipeline settings saved." if changed else "Nothing changed.", "info")
            return redirect(url_for("pipeline_overview.page", slug=slug) + "#settings")
    return _page(platform, _summary(platform), form), 422
