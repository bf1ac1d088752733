"""A platform's project records: the list a viewer may see in detail (filtered, sorted,
exported), adding, editing and removing a project, and importing many from a file with a
preview before anything is stored."""

from __future__ import annotations

import base64
import binascii
import hashlib
from datetime import date
from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.utils import secure_filename
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from roadmap.db import commit_retrying, get_session
from roadmap.domain.cells import MAX_YEAR, MIN_YEAR
from roadmap.domain.errors import InputError
from roadmap.domain.pipeline import STATUSES, routes_for
from roadmap.domain.projects import COLUMNS, REQUIRED_COLUMNS, example_unit
from roadmap.extensions import current_viewer
from roadmap.models import Company, Platform, Project
from roadmap.pipeline import imports, operations, queries
from roadmap.pipeline.forms import ConfirmImportForm, ProjectForm, ProjectImportForm
from roadmap.pipeline.numbers import activity_unit
from roadmap.platforms.queries import platform as visible_platform
from roadmap.reconciliation.exports import TABLE_TYPES, table_bytes
from roadmap.web.util import confirmation, confirmed, or_404

bp = Blueprint("pipeline", __name__, url_prefix="/platforms/<slug>/projects")
# The address's filters, kept in the sort links and the downloads.
FILTER_KEYS = ("status", "technology", "company", "country", "start", "end")


def _platform(slug: str) -> Platform:
    return or_404(visible_platform(slug, session=get_session(), viewer=current_viewer()))


def _year(name: str) -> int | None:
    text = (request.args.get(name) or "").strip()
    if text.isdigit() and len(text) <= 4 and MIN_YEAR <= int(text) <= MAX_YEAR:
        return int(text)
    return None


def _filters() -> queries.ProjectFilters:
    """The list's filters and order from the address; values it cannot use are ignored."""
    sort = request.args.get("sort", "name")
    status = request.args.get("status", "")
    return queries.ProjectFilters(
        status=status if status in STATUSES else "",
        technology=(request.args.get("technology") or "")[:100],
        company=(request.args.get("company") or "")[:200],
        country=(request.args.get("country") or "")[:100],
        start_from=_year("start"),
        start_to=_year("end"),
        sort=sort if sort in queries.SORTS else "name",
        descending=request.args.get("dir") == "desc",
    )


@bp.get("")
def index(slug: str) -> str:
    platform = _platform(slug)
    session, viewer = get_session(), current_viewer()
    filters = _filters()
    projects = queries.visible_projects(platform, viewer, session=session, filters=filters)
    return render_template(
        "pipeline/projects.html",
        platform=platform,
        projects=projects,
        filters=filters,
        args={k: v for k in FILTER_KEYS if (v := request.args.get(k))},
        choices=queries.filter_choices(platform, viewer, session=session),
        statuses=STATUSES,
        sorts=list(queries.SORTS),
        unseen=queries.unseen(platform, viewer, session=session),
        can_add=bool(queries.writable_companies(platform, viewer, session=session)),
        writable={p.id for p in projects if queries.can_write(viewer, platform.id, p.company_id)},
        unit=_activity_unit(platform),
    )


def _activity_unit(platform: Platform) -> str:
    try:
        return activity_unit(platform)
    except ValueError:
        return ""


@bp.get("/export.<kind>")
def export(slug: str, kind: str) -> Response:
    platform = _platform(slug)
    if kind not in TABLE_TYPES:
        abort(404)
    projects = queries.visible_projects(
        platform, current_viewer(), session=get_session(), filters=_filters()
    )
    return Response(
        table_bytes(queries.projects_frame(projects), kind, title="Projects"),
        mimetype=TABLE_TYPES[kind],
        headers={"Content-Disposition": f'attachment; filename="{platform.slug}-projects.{kind}"'},
    )


def _writable(platform: Platform) -> list[Company]:
    companies = queries.writable_companies(platform, current_viewer(), session=get_session())
    if not companies:
        abort(403)
    return companies


def _form(platform: Platform, companies: list[Company], project: Project | None) -> ProjectForm:
    form = ProjectForm(obj=project) if request.method == "GET" else ProjectForm()
    form.company_id.choices = [SelectChoice(c.id, c.name) for c in companies]
    form.set_sector(
        routes_for(platform.sector.name), _activity_unit(platform), platform.sector.intensity_unit
    )
    if request.method == "GET" and project is not None:
        form.show(project)
    elif request.method == "GET":
        form.is_public.data = True  # announced projects usually are; the company decides
        form.capacity_unit.data = _activity_unit(platform)
        form.intensity_unit.data = platform.sector.intensity_unit
    return form


def _page(platform: Platform, form: ProjectForm, project: Project | None, status: int) -> Any:
    return render_template(
        "pipeline/form.html",
        platform=platform,
        form=form,
        project=project,
        unit=_activity_unit(platform),
        example=example_unit(_activity_unit(platform)) if _activity_unit(platform) else "",
    ), status


@bp.route("/new", methods=["GET", "POST"])
@login_required
def create(slug: str) -> Any:
    platform = _platform(slug)
    companies = _writable(platform)
    form = _form(platform, companies, None)
    if not form.validate_on_submit():
        return _page(platform, form, None, 422 if form.is_submitted() else 200)
    company = next(c for c in companies if c.id == form.company_id.data)
    session = get_session()
    try:
        commit_retrying(
            session,
            lambda: operations.create_project(
                platform, company, form.values(), user=current_user, session=session
            ),
        )
    except operations.DuplicateProject as duplicate:
        session.rollback()
        form.name.errors = [f"{duplicate}."]
        return _page(platform, form, None, 422)
    flash(f"Project {form.values().name} added.", "info")
    return redirect(url_for("pipeline.index", slug=slug))


def _own_project(platform: Platform, project_id: int) -> Project:
    """A project the viewer sees (404 otherwise) and may write (403 otherwise)."""
    viewer = current_viewer()
    project = or_404(queries.visible_project(platform, project_id, viewer, session=get_session()))
    if not queries.can_write(viewer, platform.id, project.company_id):
        abort(403)
    return project


@bp.route("/<int:project_id>/edit", methods=["GET", "POST"])
@login_required
def edit(slug: str, project_id: int) -> Any:
    platform = _platform(slug)
    project = _own_project(platform, project_id)
    companies = _writable(platform)
    if project.company_id not in {c.id for c in companies}:
        companies = [project.company, *companies]  # its company stays a choice
    form = _form(platform, companies, project)
    if not form.validate_on_submit():
        return _page(platform, form, project, 422 if form.is_submitted() else 200)
    company = next(c for c in companies if c.id == form.company_id.data)
    if not queries.can_write(current_viewer(), platform.id, company.id):
        abort(403)
    session = get_session()
    try:
        changed = commit_retrying(
            session,
            lambda: operations.update_project(
                project, platform, company, form.values(), user=current_user, session=session
            ),
        )
    except operations.DuplicateProject as duplicate:
        session.rollback()
        form.name.errors = [f"{duplicate}."]
        return _page(platform, form, project, 422)
    flash("Saved." if changed else "Nothing changed.", "info")
    return redirect(url_for("pipeline.index", slug=slug))


@bp.post("/<int:project_id>/delete")
@login_required
def delete(slug: str, project_id: int) -> Any:
    platform = _platform(slug)
    project = _own_project(platform, project_id)
    if not confirmed():
        return confirmation(
            title=f"Remove the project {project.name}?",
            consequence=f"{project.name} of {project.company.name} is removed from "
            f"{platform.name}'s pipeline; the platform's history keeps its values.",
            confirm_label="Remove the project",
            cancel_url=url_for("pipeline.index", slug=slug),
        )
    session = get_session()
    operations.delete_project(project, platform, user=current_user, session=session)
    session.commit()
    flash(f"Project {project.name} removed.", "info")
    return redirect(url_for("pipeline.index", slug=slug))


@bp.get("/template.csv")
@login_required
def template(slug: str) -> Response:
    platform = _platform(slug)
    data = imports.template_csv(platform, _writable(platform))
    return Response(
        data,
        mimetype="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{slug}-projects-template.csv"'},
    )


def _max_bytes() -> int:
    """The previewed file goes back to the server in the page (base64: a third larger), so it
    must leave room in the request limit."""
    return int(current_app.config["MAX_CONTENT_LENGTH"]) * 3 // 4 - 64 * 1024


def _checked(platform: Platform, data: bytes, filename: str) -> list[operations.ImportItem]:
    frame = imports.read_project_file(
        data,
        filename=filename,
        max_rows=current_app.config["MAX_UPLOAD_ROWS"],
        max_bytes=_max_bytes(),
    )
    return imports.checked_items(
        frame, platform, current_viewer(), session=get_session(), today=date.today()
    )


def _import_page(platform: Platform, form: ProjectImportForm, **shown: Any) -> str:
    return render_template(
        "pipeline/import.html",
        platform=platform,
        form=form,
        columns=COLUMNS,
        required=REQUIRED_COLUMNS,
        statuses=STATUSES,
        routes=routes_for(platform.sector.name),
        unit=_activity_unit(platform),
        **shown,
    )


@bp.route("/import", methods=["GET", "POST"])
@login_required
def import_file(slug: str) -> Any:
    platform = _platform(slug)
    _writable(platform)
    form = ProjectImportForm()
    if not form.validate_on_submit():
        return _import_page(platform, form), 422 if form.is_submitted() else 200
    data = form.file.data.read()
    filename = secure_filename(form.file.data.filename or "") or "projects.csv"
    try:
        items = _checked(platform, data, filename)
    except InputError as error:
        return _import_page(platform, form, filename=filename, problems=error.problems), 422
    confirm = ConfirmImportForm(
        content=base64.b64encode(data).decode("ascii"),
        filename=filename,
        checksum=hashlib.sha256(data).hexdigest(),
    )
    return _import_page(platform, form, filename=filename, items=items, confirm=confirm)


@bp.post("/import/confirm")
@login_required
def confirm_import(slug: str) -> Any:
    platform = _platform(slug)
    _writable(platform)
    form = ConfirmImportForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        data = base64.b64decode(form.content.data or "", validate=True)
    except (binascii.Error, ValueError):
        abort(400)
    if hashlib.sha256(data).hexdigest() != form.checksum.data:
        abort(400)
    filename = secure_filename(form.filename.data or "") or "projects.csv"
    session = get_session()
    try:
        # Checked again: projects or access may have changed since the preview.
        items = _checked(platform, data, filename)
        added, updated = commit_retrying(
            session,
            lambda: operations.import_projects(
                platform,
                _checked(platform, data, filename),
                user=current_user,
                filename=filename,
                session=session,
            ),
        )
    except InputError as error:
        session.rollback()
        upload = ProjectImportForm(formdata=None)
        return _import_page(platform, upload, filename=filename, problems=error.problems), 422
    except operations.DuplicateProject as duplicate:
        session.rollback()
        flash(f"Nothing was imported: {duplicate}.", "error")
        return redirect(url_for("pipeline.import_file", slug=slug))
    flash(
        f"{filename}: {added} project(s) added, {updated} updated, "
        f"{len(items) - added - updated} unchanged.",
        "info",
    )
    return redirect(url_for("pipeline.index", slug=slug))
