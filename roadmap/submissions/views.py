"""Submitting trajectories (form, upload with preview), reading versions, comparing two, and
the coordinator's review."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
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
from roadmap.domain.errors import InputError
from roadmap.domain.versions import compare_versions
from roadmap.extensions import current_viewer
from roadmap.figures import embed
from roadmap.models import ASSURANCE_LEVELS, Company, Platform, Submission
from roadmap.platforms.queries import platforms as visible_platforms
from roadmap.submissions import examples, operations, queries, round_queries, rules
from roadmap.submissions.charts import preview_figure
from roadmap.submissions.forms import (
    EMPTY_ROWS_ADDED,
    MAX_FORM_ROWS,
    AcceptUploadForm,
    ReviewForm,
    SubmissionForm,
    UploadForm,
)
from roadmap.submissions.preview import Preview, upload_preview
from roadmap.web import trajectory_table as table
from roadmap.web.util import confirmation, confirmed, or_404

bp = Blueprint("submissions", __name__)


def _company_for_submitting(company_id: int) -> tuple[Company, list[Platform]]:
    """The company (404 if not visible, 403 if visible but not the viewer's to submit for)
    and the platforms the viewer may submit to."""
    session, viewer = get_session(), current_viewer()
    company = or_404(visible_company(company_id, session=session, viewer=viewer))
    if not access.can_submit(viewer, company_id):
        abort(403)
    return company, visible_platforms(session=session, viewer=viewer)


def _default_platform(company: Company, platforms: list[Platform]) -> Platform | None:
    """The platform a form starts on: the one in the address (``?platform=slug``), else the
    company's own (where it submitted last), else the only one offered."""
    wanted = request.args.get("platform", "")
    own = queries.own_platform_id(company.id, session=get_session())
    return (
        next((p for p in platforms if p.slug == wanted), None)
        or next((p for p in platforms if p.id == own), None)
        or (platforms[0] if len(platforms) == 1 else None)
    )


@bp.get("/companies/<int:company_id>/submissions/template.<kind>")
@login_required
def template(company_id: int, kind: str) -> Response:
    """A CSV or XLSX file with the data contract's columns and example rows for the company
    on its platform: filled in, it uploads as it is."""
    company, platforms = _company_for_submitting(company_id)
    platform = or_404(_default_platform(company, platforms) or next(iter(platforms), None))
    if kind == "csv":
        data, mimetype = examples.template_csv(company, platform), "text/csv; charset=utf-8"
    elif kind == "xlsx":
        data, mimetype = examples.template_xlsx(company, platform), examples.XLSX_TYPE
    else:
        abort(404)
    name = f"trajectory-template-{platform.slug}.{kind}"
    return Response(
        data,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.route("/companies/<int:company_id>/submissions/new", methods=["GET", "POST"])
@login_required
def create(company_id: int) -> str | Response | tuple[str, int]:
    company, platforms = _company_for_submitting(company_id)
    form = SubmissionForm()
    form.platform.choices = [SelectChoice(p.id, p.name) for p in platforms]
    if not form.is_submitted():
        _prefill(form, company)
        chosen = _default_platform(company, platforms)
        # The address's platform first; else the newest version's (prefilled), else the own.
        if chosen is not None and (request.args.get("platform") or form.platform.data is None):
            form.platform.data = chosen.id
        return render_template("submissions/new.html", form=form, company=company)
    if form.add_rows.data:
        room = MAX_FORM_ROWS - len(form.rows.entries)
        for _ in range(min(EMPTY_ROWS_ADDED, room)):
            form.rows.append_entry()
        if room <= 0:
            flash(f"The table holds at most {MAX_FORM_ROWS} years, one row each.", "error")
        return render_template("submissions/new.html", form=form, company=company)
    if not form.validate_on_submit():
        return render_template(
            "submissions/new.html", form=form, company=company, rejected=True
        ), 422
    platform = next(p for p in platforms if p.id == form.platform.data)
    records, form_rows = table.records(form)
    session = get_session()
    try:
        text = rules.rows_from_records(records, company=company, platform=platform, name="form")
        typed = rules.checked_rows(text, company=company, platform=platform)
    except InputError as error:
        form_errors = table.attach(form, form_rows, error)
        return render_template(
            "submissions/new.html",
            form=form,
            company=company,
            form_errors=form_errors,
            rejected=True,
        ), 422
    created = commit_retrying(
        session,
        lambda: operations.submit(
            typed,
            company=company,
            platform=platform,
            source="form",
            user=current_user,
            assurance=form.assurance.data,
            session=session,
        ),
    )
    flash(
        f"Version {created.version} submitted; the platform's coordinator will review it.", "info"
    )
    return redirect(url_for("submissions.detail", submission_id=created.id))


def _prefill(form: SubmissionForm, company: Company) -> None:
    """Start from the company's newest version (every figure, unit, region and scope exactly
    as stored: a resubmission unchanged stores the same rows), else an empty table on the
    five-year grid."""
    session = get_session()
    newest = queries.newest_submission(company.id, session=session, viewer=current_viewer())
    if newest is None:
        table.fill_default(form)
        return
    form.platform.data = newest.platform_id
    table.fill_from_points(form, newest, queries.submission_points_frame(newest, session=session))


@bp.route("/companies/<int:company_id>/submissions/upload", methods=["GET", "POST"])
@login_required
def upload(company_id: int) -> str | tuple[str, int]:
    company, platforms = _company_for_submitting(company_id)
    form = UploadForm()
    form.platform.choices = [SelectChoice(p.id, p.name) for p in platforms]
    if not form.is_submitted():
        chosen = _default_platform(company, platforms)
        form.platform.data = chosen.id if chosen is not None else None
    if not form.validate_on_submit():
        status = 422 if form.is_submitted() else 200
        return render_template(
            "submissions/upload.html",
            form=form,
            company=company,
            template_platform=_default_platform(company, platforms),
        ), status
    platform = next(p for p in platforms if p.id == form.platform.data)
    data = form.file.data.read()
    filename = secure_filename(form.file.data.filename or "") or "upload.csv"
    session = get_session()
    try:
        text = rules.rows_from_upload(
            data, filename=filename, max_rows=current_app.config["MAX_UPLOAD_ROWS"]
        )
        typed = rules.checked_rows(text, company=company, platform=platform)
    except InputError as error:
        return render_template(
            "submissions/preview.html",
            company=company,
            platform=platform,
            filename=filename,
            problems=error.problems,
        ), 422
    pending = operations.create_pending_upload(
        data,
        filename=filename,
        company=company,
        platform=platform,
        user=current_user,
        session=session,
    )
    session.commit()
    accept = AcceptUploadForm(checksum=pending.checksum, assurance=form.assurance.data)
    shown = upload_preview(
        typed,
        company=company,
        platform=platform,
        preferred_scenario=default_scenario(),
        session=session,
    )
    return render_template(
        "submissions/preview.html",
        company=company,
        platform=platform,
        filename=filename,
        rows=typed,
        problems=[],
        pending=pending,
        accept_form=accept,
        preview=shown,
        chart=_preview_chart(shown),
    )


def _preview_chart(shown: Preview) -> str | None:
    if shown.scenario is None or shown.table.empty:
        return None
    figure = preview_figure(
        shown.table,
        unit=shown.unit,
        scenario=shown.scenario,
        previous_version=shown.previous_version,
    )
    return embed(figure, "upload-preview")


@bp.post("/uploads/<int:upload_id>/accept")
@login_required
def accept_upload(upload_id: int) -> Response:
    session = get_session()
    pending = or_404(queries.pending_upload(upload_id, owner=current_user, session=session))
    form = AcceptUploadForm()
    if (
        not form.validate_on_submit()
        or form.checksum.data != pending.checksum
        or (form.assurance.data not in ASSURANCE_LEVELS)
    ):
        abort(400)
    company, platforms = _company_for_submitting(pending.company_id)
    platform = next((p for p in platforms if p.id == pending.platform_id), None)
    if platform is None:
        abort(404)
    # Checked again: the platform or the rules may have changed since the preview.
    try:
        text = rules.rows_from_upload(
            pending.content,
            filename=pending.filename,
            max_rows=current_app.config["MAX_UPLOAD_ROWS"],
        )
        typed = rules.checked_rows(text, company=company, platform=platform)
    except InputError:
        flash("The file no longer passes the checks; upload it again to see why.", "error")
        return redirect(url_for("submissions.upload", company_id=company.id))
    filename, checksum, assurance = pending.filename, pending.checksum, form.assurance.data

    def accept() -> Submission | None:
        if not operations.claim_pending_upload(upload_id, session=session):
            return None  # accepted by a simultaneous request, or discarded
        return operations.submit(
            typed,
            company=company,
            platform=platform,
            source="upload",
            user=current_user,
            assurance=assurance,
            filename=filename,
            checksum=checksum,
            session=session,
        )

    created = commit_retrying(session, accept)
    if created is None:
        flash(f"{filename} was already accepted; see the company's versions.", "info")
        return redirect(url_for("companies.detail", company_id=company.id))
    flash(f"{filename} accepted as version {created.version}.", "info")
    return redirect(url_for("submissions.detail", submission_id=created.id))


@bp.get("/submissions/<int:submission_id>")
@login_required
def detail(submission_id: int) -> str:
    session, viewer = get_session(), current_viewer()
    row = or_404(queries.submission(submission_id, session=session, viewer=viewer))
    versions = queries.submissions(
        session=session, viewer=viewer, company_id=row.company.id, platform_id=row.platform.id
    )
    return render_template(
        "submissions/detail.html",
        row=row,
        versions=versions,
        points=queries.submission_points_frame(row.submission, session=session),
        can_review=access.can_review(viewer, row.platform.id),
        review_form=ReviewForm(),
        round=round_queries.round_of_submission(row.submission, session=session),
        counting=round_queries.counting_version(row.submission, session=session),
        reviewer=queries.reviewer_email(row.submission, session=session),
    )


@bp.get("/submissions/<int:submission_id>/compare/<int:other_id>")
@login_required
def compare(submission_id: int, other_id: int) -> str:
    session, viewer = get_session(), current_viewer()
    first = or_404(queries.submission(submission_id, session=session, viewer=viewer))
    second = or_404(queries.submission(other_id, session=session, viewer=viewer))
    if (first.company.id, first.platform.id) != (second.company.id, second.platform.id):
        abort(404)
    older, newer = sorted((first, second), key=lambda r: r.submission.version)
    table = compare_versions(
        queries.submission_points_frame(older.submission, session=session),
        queries.submission_points_frame(newer.submission, session=session),
    )
    return render_template("submissions/compare.html", older=older, newer=newer, table=table)


@bp.post("/submissions/<int:submission_id>/review")
@login_required
def review(submission_id: int) -> str | Response | tuple[str, int]:
    session, viewer = get_session(), current_viewer()
    row = or_404(queries.submission(submission_id, session=session, viewer=viewer))
    if not access.can_review(viewer, row.platform.id):
        abort(403)
    form = ReviewForm()
    if row.submission.status != "pending":
        return _already_decided(row, form, operations.decided_already(row.submission, session))
    if not form.validate_on_submit():
        return _detail_page(row, form), 422
    if form.decision.data == "reject" and not confirmed():
        return confirmation(
            title=f"Reject version {row.submission.version} of {row.company.name}?",
            consequence=f"Version {row.submission.version} of {row.company.name} on "
            f"{row.platform.name} is marked rejected, with your reason: "
            f"\u201c{form.reason.data}\u201d. It stays out of the platform's reconciliation; the "
            "company must submit a new version.",
            confirm_label="Reject the submission",
            cancel_url=url_for("submissions.detail", submission_id=submission_id),
        )
    try:
        decided = operations.decide(
            row.submission,
            decision=form.decision.data,
            message=form.reason.data or "",
            reviewer=current_user,
            session=session,
        )
    except operations.AlreadyDecided as decided_first:
        session.rollback()
        return _already_decided(row, form, str(decided_first))
    except operations.Refused as refused:
        session.rollback()
        return _detail_page(row, form, refused=str(refused)), 409
    session.commit()
    flash(
        f"Version {decided.version} of {row.company.name} {decided.status.replace('_', ' ')}.",
        "info",
    )
    return redirect(url_for("submissions.detail", submission_id=submission_id))


def _already_decided(row: queries.SubmissionRow, form: ReviewForm, message: str) -> tuple[str, int]:
    """409: someone decided first; the page shows their decision and takes no other."""
    flash(message, "error")
    return _detail_page(row, form), 409


def _detail_page(row: queries.SubmissionRow, form: ReviewForm, refused: str | None = None) -> str:
    session, viewer = get_session(), current_viewer()
    versions = queries.submissions(
        session=session, viewer=viewer, company_id=row.company.id, platform_id=row.platform.id
    )
    return render_template(
        "submissions/detail.html",
        row=row,
        versions=versions,
        can_review=True,
        points=queries.submission_points_frame(row.submission, session=session),
        review_form=form,
        refused=refused,
        round=round_queries.round_of_submission(row.submission, session=session),
        counting=round_queries.counting_version(row.submission, session=session),
        reviewer=queries.reviewer_email(row.submission, session=session),
    )
