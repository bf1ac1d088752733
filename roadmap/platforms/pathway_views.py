"""A platform's roadmap pathways: the editable milestone table (plotted as it is entered) and
the import from the pathway CSV format. Both pass the one milestone rule of
roadmap.domain.milestones."""

from __future__ import annotations

from typing import Any

import pandas as pd
from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.utils import secure_filename
from wtforms import SelectChoice

from roadmap.db import get_session
from roadmap.domain import columns as col
from roadmap.domain.annual import annual_grid
from roadmap.domain.errors import InputError, Problem
from roadmap.domain.ingest import read_bytes
from roadmap.domain.milestones import (
    Milestone,
    check_milestones,
    grid,
    grid_start,
    milestones_from_table,
)
from roadmap.domain.validate import validate_pathways
from roadmap.models import Platform, RoadmapPathway
from roadmap.platforms import forms, operations, queries
from roadmap.platforms.charts import pathway_figure
from roadmap.platforms.views import _coordinated, _render_detail, bp
from roadmap.web import embed_chart
from roadmap.web.util import or_404


def _references(platform: Platform) -> pd.DataFrame:
    return queries.references(platform, session=get_session())


def _reference_values(platform: Platform, scenario: str) -> dict[int, float]:
    """A published scenario's intensity per year (annualised), for prefilling milestones."""
    curve = _references(platform)
    curve = curve[curve[col.SCENARIO] == scenario]
    if curve.empty:
        return {}
    points = curve.assign(key=1)
    annual = annual_grid(points, ["key"])
    return dict(
        zip(
            annual.frame[col.YEAR].tolist(), annual.interpolate(col.INTENSITY).tolist(), strict=True
        )
    )


def _fill_rows(
    form: forms.PathwayForm, values: dict[int, float | None], activities: dict[int, float | None]
) -> None:
    while form.rows.entries:
        form.rows.pop_entry()
    base, target = form.base_year.data, form.target_year.data
    if base is None or target is None or target <= base:
        return
    for year in grid(grid_start(base), target):
        form.rows.append_entry(
            {"year": year, "intensity": values.get(year), "activity": activities.get(year)}
        )


def _pathway_form(platform: Platform, pathway: RoadmapPathway | None) -> forms.PathwayForm:
    form = forms.PathwayForm(obj=pathway if not request.form else None)
    sector = platform.sector
    names = sorted(_references(platform)[col.SCENARIO].unique())
    form.reference.choices = [SelectChoice("", "(enter values)")] + [SelectChoice(n) for n in names]
    if request.method == "GET":
        if pathway is None:
            form.scenario.data = f"{platform.name} roadmap"
            form.base_year.data, form.target_year.data = 2020, platform.net_zero_year or 2050
            form.intensity_unit.data = sector.intensity_unit
            reference = request.args.get("reference", "")
            form.reference.data = reference
            _fill_rows(form, _reference_values(platform, reference), {})
        else:
            stored = pathway.milestones
            _fill_rows(
                form, {m.year: m.intensity for m in stored}, {m.year: m.activity for m in stored}
            )
    return form


@bp.route("/platforms/<slug>/pathways/new", methods=["GET", "POST"])
@bp.route("/platforms/<slug>/pathways/<int:pathway_id>", methods=["GET", "POST"])
@login_required
def pathway(slug: str, pathway_id: int | None = None) -> Any:
    platform = _coordinated(slug)
    stored = None
    if pathway_id is not None:
        stored = or_404(
            queries.record_of(RoadmapPathway, platform, pathway_id, session=get_session())
        )
    form = _pathway_form(platform, stored)
    if request.method == "POST" and form.fill.data:
        # The milestones run from the base to the target year: both must be years the form
        # accepts before there is a grid to fill (a base year of 1800 asks for 51 rows).
        if not all([form.base_year.validate(form), form.target_year.validate(form)]):
            return _render(platform, form, stored, status=422)
        typed = {e.form.year.data: e.form.intensity.data for e in form.rows}
        if form.reference.data:
            typed = {
                **_reference_values(platform, form.reference.data),
                **{y: v for y, v in typed.items() if v is not None},
            }
        _fill_rows(form, typed, {e.form.year.data: e.form.activity.data for e in form.rows})
        return _render(platform, form, stored)
    if request.method == "POST":
        return _save(platform, form, stored)
    return _render(platform, form, stored)


def _render(
    platform: Platform,
    form: forms.PathwayForm,
    stored: RoadmapPathway | None,
    problems: list[str] | None = None,
    status: int = 200,
) -> Any:
    frame = pd.DataFrame(
        [{"year": e.form.year.data, "intensity": e.form.intensity.data} for e in form.rows],
        columns=["year", "intensity"],
    )
    figure = pathway_figure(
        frame.dropna(),
        _references(platform),
        title=form.scenario.data or "Pathway",
        unit=form.intensity_unit.data or "",
    )
    return render_template(
        "platforms/pathway.html",
        platform=platform,
        form=form,
        pathway=stored,
        chart=embed_chart(figure, "pathway-editor"),
        problems=problems or [],
    ), status


def _save(platform: Platform, form: forms.PathwayForm, stored: RoadmapPathway | None) -> Any:
    if not form.validate_on_submit():
        return _render(platform, form, stored, status=422)
    entries = [
        e
        for e in form.rows
        if any(f.data is not None for f in (e.form.year, e.form.intensity, e.form.activity))
    ]
    milestones = [
        Milestone(e.form.year.data, e.form.intensity.data, e.form.activity.data) for e in entries
    ]
    problems = check_milestones(
        milestones,
        base_year=form.base_year.data,
        target_year=form.target_year.data,
        name="milestones",
    )
    if problems:
        return _render(platform, form, stored, _attach(form, entries, problems), 422)
    fields = {name: getattr(form, name).data for name in operations.PATHWAY_FIELDS}
    fields["activity_unit"] = fields["activity_unit"] or ""
    fields["published"] = bool(fields["published"])
    operations.save_pathway(
        platform,
        stored,
        fields,
        [(m.year, m.intensity, m.activity) for m in milestones],
        user=current_user,
        session=get_session(),
    )
    get_session().commit()
    flash(
        f"Pathway {fields['scenario']} saved{' and published' if fields['published'] else ''}.",
        "info",
    )
    return redirect(url_for("platforms.detail", slug=platform.slug) + "#roadmap")


def _attach(form: forms.PathwayForm, entries: list, problems: list[Problem]) -> list[str]:
    """Put each problem beside its cell or year field; return the rest as sentences."""
    loose = []
    for problem in problems:
        if problem.row is not None and problem.column in ("year", "intensity", "activity"):
            field = getattr(entries[problem.row - 1].form, problem.column)
            field.errors = [*field.errors, problem.message]
        elif problem.column in ("base_year", "target_year"):
            field = getattr(form, problem.column)
            field.errors = [*field.errors, problem.message]
        else:
            loose.append(problem.message)
    return loose


@bp.post("/platforms/<slug>/pathways/import")
@login_required
def import_pathway(slug: str) -> Any:
    platform = _coordinated(slug)
    form = forms.PathwayImportForm()
    if not form.validate_on_submit():
        return _render_detail(platform, status=422, import_form=form)
    filename = secure_filename(form.file.data.filename or "") or "pathway.csv"
    try:
        milestones, unit, activity_unit = _read_import(platform, form, filename)
    except InputError as error:
        return _render_detail(
            platform, status=422, import_form=form, import_problems=error.problems
        )
    pathway = operations.save_pathway(
        platform,
        None,
        {
            "scenario": form.scenario.data,
            "base_year": form.base_year.data,
            "target_year": form.target_year.data,
            "intensity_unit": unit,
            "activity_unit": activity_unit,
            "published": False,
        },
        [(m.year, m.intensity, m.activity) for m in milestones],
        user=current_user,
        session=get_session(),
    )
    get_session().commit()
    flash(
        f"{len(milestones)} milestones of {form.scenario.data} imported from {filename} as a "
        "draft: check them and publish.",
        "info",
    )
    return redirect(url_for("platforms.pathway", slug=slug, pathway_id=pathway.id))


def _read_import(
    platform: Platform, form: forms.PathwayImportForm, filename: str
) -> tuple[list[Milestone], str, str]:
    table = validate_pathways(
        read_bytes(
            form.file.data.read(),
            suffix="." + filename.rsplit(".", 1)[-1],
            name=filename,
            max_rows=current_app.config["MAX_UPLOAD_ROWS"],
        )
    )
    imported = milestones_from_table(
        table,
        scenario=form.scenario.data,
        sector=platform.sector.name,
        region=platform.region,
        scope=platform.scope,
        base_year=form.base_year.data,
        target_year=form.target_year.data,
    )
    return imported.milestones, imported.intensity_unit, imported.activity_unit
