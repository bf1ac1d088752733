"""Reporting rounds (open, close, publish; who disclosed) and the coordinator's review inbox
and review page."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from roadmap.accounts import access
from roadmap.config import default_scenario
from roadmap.db import commit_retrying, get_session
from roadmap.extensions import current_viewer
from roadmap.models import Platform, ReportingRound
from roadmap.platforms.queries import platform as visible_platform
from roadmap.reconciliation.effects import effect_of
from roadmap.reconciliation.scenarios import canonical, scenario_names
from roadmap.submissions import operations, queries, round_operations, round_queries
from roadmap.submissions.forms import ReviewForm, RoundActionForm, RoundForm
from roadmap.web.util import or_404

bp = Blueprint("rounds", __name__)


@bp.app_context_processor
def review_waiting() -> dict[str, object]:
    """``review_waiting()`` for the navigation's "Review (N)", read only where a page asks."""

    def count() -> int:
        return round_queries.waiting_count(current_viewer(), session=get_session())

    return {"review_waiting": count}


def _platform(slug: str) -> Platform:
    return or_404(visible_platform(slug, session=get_session(), viewer=current_viewer()))


def _coordinated(slug: str) -> Platform:
    """A platform the viewer runs: 404 if not visible, 403 if visible but not theirs."""
    platform = _platform(slug)
    if not access.can_coordinate(current_viewer(), platform.id):
        abort(403)
    return platform


def _round(platform: Platform, round_id: int) -> ReportingRound:
    return or_404(round_queries.round_of(platform.id, round_id, session=get_session()))


def _rounds_page(
    platform: Platform, form: RoundForm | None = None, refused: str | None = None
) -> str:
    session, viewer = get_session(), current_viewer()
    coordinate = access.can_coordinate(viewer, platform.id)
    rounds = round_queries.rounds(platform.id, session=session)
    return render_template(
        "submissions/rounds.html",
        platform=platform,
        rounds=rounds,
        coordinate=coordinate,
        # Who stands where in each round names companies: for the coordinators only.
        progress={
            r.id: round_queries.round_progress(r, session=session) for r in rounds if coordinate
        },
        disclosure={r.id: round_queries.disclosure(r, session=session) for r in rounds},
        unpublished=queries.unpublished_changes(platform, session=session) if coordinate else [],
        form=form or RoundForm(),
        action_form=RoundActionForm(),
        refused=refused,
    )


@bp.get("/platforms/<slug>/rounds")
def index(slug: str) -> str:
    return _rounds_page(_platform(slug))


@bp.post("/platforms/<slug>/rounds")
@login_required
def create(slug: str) -> Response | tuple[str, int]:
    platform = _coordinated(slug)
    form = RoundForm()
    if not form.validate_on_submit():
        return _rounds_page(platform, form), 422
    session = get_session()
    try:
        # Two coordinators opening a round at once: the database keeps one open round per
        # platform, and the retry finds the other's round and is refused.
        opened = commit_retrying(
            session,
            lambda: round_operations.open_round(
                platform,
                name=form.name.data or "",
                reported_up_to=form.reported_up_to.data,
                plan_to=form.plan_to.data,
                opens_on=form.opens_on.data,
                deadline=form.deadline.data,
                user=current_user,
                session=session,
            ),
        )
    except operations.Refused as refused:
        session.rollback()
        return _rounds_page(platform, form, refused=str(refused)), 409
    flash(f"{opened.name} is open until {opened.deadline}.", "info")
    return redirect(url_for("rounds.index", slug=platform.slug))


@bp.get("/platforms/<slug>/rounds/<int:round_id>/edit")
@login_required
def edit_page(slug: str, round_id: int) -> tuple[str, int]:
    platform = _coordinated(slug)
    round_ = _round(platform, round_id)
    return _edit_page(platform, round_, RoundForm(obj=round_))


@bp.post("/platforms/<slug>/rounds/<int:round_id>/edit")
@login_required
def edit(slug: str, round_id: int) -> Response | tuple[str, int]:
    platform = _coordinated(slug)
    round_ = _round(platform, round_id)
    form = RoundForm()
    if round_.status == "open" and not form.validate_on_submit():
        return _edit_page(platform, round_, form, status=422)
    session = get_session()
    try:
        changed = round_operations.edit_round(
            round_, _request_of(form), user=current_user, session=session
        )
    except operations.Refused as refused:
        session.rollback()
        return _edit_page(platform, round_, form, refused=str(refused), status=409)
    session.commit()
    flash(
        f"{round_.name}: changed {', '.join(f.replace('_', ' ') for f in changed)}."
        + (" Its members are told of the new deadline." if "deadline" in changed else "")
        if changed
        else f"{round_.name} is unchanged.",
        "info",
    )
    return redirect(url_for("rounds.index", slug=platform.slug))


def _request_of(form: RoundForm) -> round_operations.RoundRequest:
    return round_operations.RoundRequest(
        name=form.name.data or "",
        reported_up_to=form.reported_up_to.data,
        plan_to=form.plan_to.data,
        opens_on=form.opens_on.data,
        deadline=form.deadline.data,
    )


def _edit_page(
    platform: Platform,
    round_: ReportingRound,
    form: RoundForm,
    *,
    refused: str | None = None,
    status: int = 200,
) -> tuple[str, int]:
    """The round's form; a round that is not open says why it cannot be edited (409)."""
    if round_.status != "open" and refused is None:
        refused, status = round_operations.not_open(round_, "edited"), 409
    return render_template(
        "submissions/round_edit.html",
        platform=platform,
        round=round_,
        form=form,
        refused=refused,
    ), status


@bp.post("/platforms/<slug>/rounds/<int:round_id>/reopen")
@login_required
def reopen(slug: str, round_id: int) -> Response | tuple[str, int]:
    return _act(slug, round_id, "reopen")


@bp.post("/platforms/<slug>/rounds/<int:round_id>/close")
@login_required
def close(slug: str, round_id: int) -> Response | tuple[str, int]:
    return _act(slug, round_id, "close")


@bp.post("/platforms/<slug>/rounds/<int:round_id>/publish")
@login_required
def publish(slug: str, round_id: int) -> Response | tuple[str, int]:
    return _act(slug, round_id, "publish")


def _act(slug: str, round_id: int, action: str) -> Response | tuple[str, int]:
    platform = _coordinated(slug)
    round_ = _round(platform, round_id)
    if not RoundActionForm().validate_on_submit():
        abort(400)
    session = get_session()

    def act() -> str:
        if action == "close":
            round_operations.close_round(round_, session=session, user=current_user)
            return f"{round_.name} is closed."
        if action == "reopen":
            round_operations.reopen_round(round_, user=current_user, session=session)
            return f"{round_.name} is open again, until {round_.deadline}."
        changed = round_operations.publish_round(round_, user=current_user, session=session)
        return (
            f"{round_.name} is published: {len(changed)} companies' figures changed; "
            "everyone who may see the platform now sees them."
        )

    try:
        message = commit_retrying(session, act)
    except operations.Refused as refused:
        session.rollback()
        return _rounds_page(platform, refused=str(refused)), 409
    flash(message, "info")
    return redirect(url_for("rounds.index", slug=platform.slug))


@bp.get("/review")
@login_required
def inbox() -> str:
    viewer = current_viewer()
    if not (viewer.is_admin or viewer.coordinated):
        abort(403)
    return render_template(
        "submissions/inbox.html", waiting=round_queries.waiting(viewer, session=get_session())
    )


@bp.get("/submissions/<int:submission_id>/review")
@login_required
def review_page(submission_id: int) -> str:
    """What to read before deciding; once decided, the decision made instead of the effect of
    accepting and the form. ``?scenario=`` chooses among the platform's scenarios."""
    session, viewer = get_session(), current_viewer()
    row = or_404(queries.submission(submission_id, session=session, viewer=viewer))
    if not access.can_review(viewer, row.platform.id):
        abort(403)
    pending = row.submission.status == "pending"
    asked = (request.args.get("scenario") or "").strip()
    chosen = canonical(row.platform, asked, session=session) if asked else None
    return render_template(
        "submissions/review.html",
        row=row,
        round=round_queries.round_of_submission(row.submission, session=session),
        earlier=round_queries.compared_version(row.submission, session=session),
        checks=round_queries.checks_of(row.submission, session=session),
        effect=effect_of(row.submission, preferred=chosen or default_scenario(), session=session)
        if pending
        else None,
        scenarios=scenario_names(row.platform, session=session) if pending else [],
        scenario_problem=f"Scenario ‘{asked[:60]}’ is not offered on "
        f"{row.platform.name}; its default is shown."
        if asked and chosen is None
        else None,
        reviewer=queries.reviewer_email(row.submission, session=session),
        review_form=ReviewForm(),
    )
