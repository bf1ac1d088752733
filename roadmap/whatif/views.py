"""The what-if sandbox of a company's plan (its members, the consultants it granted, admins),
the catch-up plan, private drafts, their comparison with a version and their submission."""

from __future__ import annotations

from typing import Any

import pandas as pd
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required
from werkzeug.utils import secure_filename
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from roadmap.accounts import access
from roadmap.companies.queries import company as visible_company
from roadmap.config import default_scenario
from roadmap.db import commit_retrying, get_session
from roadmap.domain import columns as col
from roadmap.domain.errors import InputError, ReconcileError
from roadmap.domain.versions import compare_versions
from roadmap.extensions import current_viewer
from roadmap.models import Company, Platform, WhatIfDraft
from roadmap.reconciliation.dashboards import pick_platform
from roadmap.submissions import queries as submission_queries
from roadmap.submissions import rules
from roadmap.web import trajectory_table as table
from roadmap.web.util import confirmation, confirmed, or_404
from roadmap.whatif import live_views as live
from roadmap.whatif import operations, outcome, queries
from roadmap.whatif.forms import (
    EMPTY_ROWS_ADDED,
    DeleteDraftForm,
    SandboxForm,
    SandboxUploadForm,
    SubmitDraftForm,
)

bp = Blueprint("whatif", __name__)


def _company(company_id: int) -> Company:
    """The company (404 where not visible), 403 where visible but not the viewer's to try
    plans for (its coordinators)."""
    viewer = current_viewer()
    company = or_404(visible_company(company_id, session=get_session(), viewer=viewer))
    if not access.can_try_plans(viewer, company_id):
        abort(403)
    return company


def _draft(draft_id: int) -> tuple[WhatIfDraft, Company]:
    """The viewer's own draft, of a company whose plans the viewer may still try; else 404."""
    found = or_404(queries.draft(draft_id, owner=current_user, session=get_session()))
    viewer = current_viewer()
    company = visible_company(found.company_id, session=get_session(), viewer=viewer)
    if company is None or not access.can_try_plans(viewer, found.company_id):
        abort(404)
    return found, company


def _platforms(company: Company) -> list[Platform]:
    return queries.sandbox_platforms(company, viewer=current_viewer(), session=get_session())


def _form(platforms: list[Platform], chosen: Platform | None) -> SandboxForm:
    form = SandboxForm()
    form.platform.choices = [SelectChoice(p.id, p.name) for p in platforms]
    if not form.is_submitted() and chosen is not None:
        form.platform.data = chosen.id
    return form


@bp.get("/companies/<int:company_id>/what-if")
@login_required
def sandbox(company_id: int) -> str:
    company = _company(company_id)
    platforms = _platforms(company)
    chosen = pick_platform(platforms, request.args.get("platform"))
    form = _form(platforms, chosen)
    if chosen is None:
        table.fill_default(form)
        return _page(company, form, None, None)
    session = get_session()
    newest = outcome.newest_version(company, chosen, viewer=current_viewer(), session=session)
    if newest is None:
        table.fill_default(form)
        return _page(company, form, chosen, None)
    table.fill_from_points(
        form, newest, submission_queries.submission_points_frame(newest, session=session)
    )
    return _reconciled_page(company, form, chosen)


@bp.post("/companies/<int:company_id>/what-if")
@login_required
def change(company_id: int) -> str | Response | tuple[str, int]:
    company = _company(company_id)
    platforms = _platforms(company)
    form = _form(platforms, None)
    if not form.validate_on_submit():
        if live.wanted():
            return jsonify(live.refusal(form, [])), 422
        return _page(company, form, None, None, rejected=True), 422
    platform = next(p for p in platforms if p.id == form.platform.data)
    if live.wanted():
        return _live(company, form, platform)
    if form.add_rows.data:
        room = table.MAX_FORM_ROWS - len(form.rows.entries)
        for _ in range(min(EMPTY_ROWS_ADDED, room)):
            form.rows.append_entry()
        if room <= 0:
            flash(f"The table holds at most {table.MAX_FORM_ROWS} years, one row each.", "error")
    typed, problems = _checked(form, company, platform)
    if typed is None:
        return _page(company, form, platform, None, problems=problems, rejected=True), 422
    if form.catch_up.data:
        return _catch_up(company, form, platform, typed)
    if form.save.data:
        return _save(company, form, platform)
    return _reconciled_page(company, form, platform, typed)


def _live(company: Company, form: SandboxForm, platform: Platform) -> tuple[Response, int]:
    """The plan reconciled for the page's script (roadmap.whatif.live_views), nothing stored."""
    typed, problems = _checked(form, company, platform)
    if typed is None:
        return jsonify(live.refusal(form, problems)), 422
    return jsonify(live.answer(company, _outcome(company, platform, typed))), 200


def _checked(
    form: SandboxForm, company: Company, platform: Platform
) -> tuple[pd.DataFrame | None, list[str]]:
    """The table's rows checked by the submission rules, or None and the problems (each
    also put next to its field)."""
    records, form_rows = table.records(form)
    try:
        text = rules.rows_from_records(records, company=company, platform=platform, name="form")
        return rules.checked_rows(text, company=company, platform=platform), []
    except InputError as error:
        return None, table.attach(form, form_rows, error)


def _catch_up(
    company: Company, form: SandboxForm, platform: Platform, typed: pd.DataFrame
) -> str | tuple[str, int]:
    try:
        plan = outcome.catch_up(
            typed, platform=platform, preferred=default_scenario(), session=get_session()
        )
    except (InputError, ReconcileError) as error:
        problem = f"No catch-up plan: {error}"
        return _page(company, form, platform, None, problems=[problem], rejected=True), 422
    table.fill_from_points(form, plan.points.iloc[0], plan.points[col.TRAJECTORY_POINT])
    changed = int((plan.changes["factor"] < 1).sum())
    flash(
        f"Catch-up plan filled in: {changed} milestone(s) after {plan.start_year} lowered to "
        "the SDA target. Nothing is stored until you save or submit it.",
        "info",
    )
    return _reconciled_page(company, form, platform, plan.points)


def _save(company: Company, form: SandboxForm, platform: Platform) -> Response:
    session = get_session()
    draft_id = form.draft.data or ""
    existing = (
        queries.draft(int(draft_id), owner=current_user, session=session, company_id=company.id)
        if draft_id.isdecimal() and draft_id.isascii()
        else None
    )
    saved = commit_retrying(
        session,
        lambda: operations.save_draft(
            table.table_of(form),
            name=(form.name.data or "").strip() or "What-if plan",
            company=company,
            platform=platform,
            owner=current_user,
            session=session,
            draft=existing,
        ),
    )
    flash(f"Draft \u201c{saved.name}\u201d saved; only you can see it.", "info")
    return redirect(url_for("whatif.draft", draft_id=saved.id))


@bp.post("/companies/<int:company_id>/what-if/upload")
@login_required
def upload(company_id: int) -> str | tuple[str, int]:
    company = _company(company_id)
    platforms = _platforms(company)
    upload_form = SandboxUploadForm()
    upload_form.platform.choices = [SelectChoice(p.id, p.name) for p in platforms]
    form = SandboxForm(formdata=None)
    form.platform.choices = upload_form.platform.choices
    if not upload_form.validate_on_submit():
        table.fill_default(form)
        return _page(company, form, None, None, upload_form=upload_form, rejected=True), 422
    platform = next(p for p in platforms if p.id == upload_form.platform.data)
    form.platform.data = platform.id
    filename = secure_filename(upload_form.file.data.filename or "") or "upload.csv"
    try:
        text = rules.rows_from_upload(
            upload_form.file.data.read(),
            filename=filename,
            max_rows=current_app.config["MAX_UPLOAD_ROWS"],
        )
        typed = rules.checked_rows(text, company=company, platform=platform)
    except InputError as error:
        table.fill_default(form)
        problems = [str(p) for p in error.problems]
        return _page(company, form, platform, None, problems=problems, rejected=True), 422
    table.fill_from_points(form, typed.iloc[0], typed[col.TRAJECTORY_POINT])
    return _reconciled_page(company, form, platform, typed)


@bp.get("/what-if/drafts/<int:draft_id>")
@login_required
def draft(draft_id: int) -> str:
    found, company = _draft(draft_id)
    platforms = _platforms(company)
    platform = found.platform
    if platform.id not in {p.id for p in platforms}:
        platforms = [*platforms, platform]
    form = _form(platforms, platform)
    form.draft.data, form.name.data = str(found.id), found.name
    table.fill_from_table(form, queries.draft_table(found))
    typed, problems = _checked(form, company, platform)
    if typed is None:
        return _page(company, form, platform, None, problems=problems, draft=found)
    return _reconciled_page(company, form, platform, typed, draft=found)


@bp.get("/what-if/drafts/<int:draft_id>/compare/<int:submission_id>")
@login_required
def compare(draft_id: int, submission_id: int) -> str:
    found, company = _draft(draft_id)
    session = get_session()
    row = or_404(
        submission_queries.submission(submission_id, session=session, viewer=current_viewer())
    )
    if row.company.id != company.id:
        abort(404)
    typed = _draft_rows(found, company)
    if typed is None:
        abort(404)  # a draft is saved checked; the rules may since have changed
    differences = compare_versions(
        submission_queries.submission_points_frame(row.submission, session=session),
        typed[col.TRAJECTORY_POINT],
    )
    return render_template(
        "whatif/compare.html", draft=found, company=company, row=row, table=differences
    )


def _draft_rows(found: WhatIfDraft, company: Company) -> pd.DataFrame | None:
    form = SandboxForm(formdata=None)
    table.fill_from_table(form, queries.draft_table(found))
    return _checked(form, company, found.platform)[0]


@bp.post("/what-if/drafts/<int:draft_id>/submit")
@login_required
def submit(draft_id: int) -> Response | tuple[str, int] | str:
    found, company = _draft(draft_id)
    if not access.can_submit(current_viewer(), company.id):
        abort(403)  # a consultant tries plans; the company's members submit them
    form = SubmitDraftForm()
    if not form.validate_on_submit():
        abort(400)
    typed = _draft_rows(found, company)
    if typed is None:
        flash("The draft no longer passes the checks; open it to see why.", "error")
        return redirect(url_for("whatif.draft", draft_id=draft_id))
    session = get_session()
    created = commit_retrying(
        session,
        lambda: operations.submit_draft(
            typed,
            draft=found,
            company=company,
            platform=found.platform,
            user=current_user,
            assurance=form.assurance.data,
            session=session,
        ),
    )
    flash(
        f"Version {created.version} submitted from the draft; the platform's coordinator will "
        "review it.",
        "info",
    )
    return redirect(url_for("submissions.detail", submission_id=created.id))


@bp.post("/what-if/drafts/<int:draft_id>/delete")
@login_required
def delete(draft_id: int) -> Response | str:
    found, company = _draft(draft_id)
    if not DeleteDraftForm().validate_on_submit():
        abort(400)
    if not confirmed():
        return confirmation(
            title=f"Delete the draft \u201c{found.name}\u201d?",
            consequence="The draft's table is gone for good; submitted versions stay.",
            confirm_label="Delete the draft",
            cancel_url=url_for("whatif.draft", draft_id=draft_id),
        )
    session = get_session()
    operations.delete_draft(found, session=session)
    session.commit()
    flash("Draft deleted.", "info")
    return redirect(url_for("whatif.sandbox", company_id=company.id))


def _reconciled_page(
    company: Company,
    form: SandboxForm,
    platform: Platform,
    typed: pd.DataFrame | None = None,
    draft: WhatIfDraft | None = None,
) -> str:
    if typed is None:
        typed, problems = _checked(form, company, platform)
        if typed is None:
            return _page(company, form, platform, None, problems=problems, draft=draft)
    return _page(company, form, platform, _outcome(company, platform, typed), draft=draft)


def _outcome(company: Company, platform: Platform, typed: pd.DataFrame) -> outcome.Outcome:
    return outcome.what_if(
        typed,
        company=company,
        platform=platform,
        viewer=current_viewer(),
        preferred=default_scenario(),
        session=get_session(),
    )


def _page(
    company: Company,
    form: SandboxForm,
    platform: Platform | None,
    result: outcome.Outcome | None,
    *,
    upload_form: SandboxUploadForm | None = None,
    problems: list[str] | None = None,
    rejected: bool = False,
    draft: WhatIfDraft | None = None,
) -> str:
    session, viewer = get_session(), current_viewer()
    if upload_form is None:
        upload_form = SandboxUploadForm(formdata=None)
        upload_form.platform.choices = form.platform.choices
        upload_form.platform.data = platform.id if platform is not None else None
    extra: dict[str, Any] = {}
    if draft is not None:
        extra = {
            "versions": submission_queries.submissions(
                session=session, viewer=viewer, company_id=company.id
            ),
            "submit_form": SubmitDraftForm(),
            "delete_form": DeleteDraftForm(),
            "can_submit": access.can_submit(viewer, company.id),
        }
    return render_template(
        "whatif/sandbox.html",
        company=company,
        form=form,
        upload_form=upload_form,
        platform=platform,
        result=result,
        figure=result.figure if result is not None else None,
        problems=problems or [],
        rejected=rejected,
        draft=draft,
        drafts=queries.drafts(company.id, owner=current_user, session=session),
        **extra,
    )
