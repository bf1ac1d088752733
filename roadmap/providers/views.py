"""The directory of service providers (open to everyone, in a neutral order), a provider's
listing and its keepers' edits, and needs: posted by companies and coordinators, answered by
the providers that match them, accepted or declined by the poster's side."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from roadmap.accounts import access
from roadmap.db import commit_retrying, get_session
from roadmap.domain import providers as rules
from roadmap.domain.stages import STAGES
from roadmap.extensions import current_viewer
from roadmap.providers import operations, queries
from roadmap.providers.forms import (
    AnswerForm,
    CloseForm,
    DecisionForm,
    KeeperForm,
    NeedForm,
    OfferForm,
    ProviderForm,
)
from roadmap.web.util import confirmation, confirmed, or_404

bp = Blueprint("providers", __name__)


def _int_arg(name: str) -> int | None:
    value = request.args.get(name, "")
    return int(value) if value.isdigit() and len(value) < 10 else None


def directory_filter() -> queries.DirectoryFilter:
    """The directory's filters from the query string; a value that is not one of the choices
    is left out (the page says what it shows)."""
    stage = _int_arg("stage")
    service = request.args.get("service", "")
    kind = request.args.get("kind", "")
    return queries.DirectoryFilter(
        stage=stage if stage in (1, 2, 3, 4) else None,
        service=service if service in rules.SERVICES else None,
        sector_id=_int_arg("sector"),
        kind=kind if kind in rules.KINDS else None,
        text=" ".join(request.args.get("q", "").split())[:100],
    )


def neutral_args() -> tuple[str, str | None]:
    """The order asked for (alphabetical where not one of the choices) and its seed."""
    order = request.args.get("order", "name")
    if order not in rules.ORDERS:
        order = "name"
    return order, rules.seed_for(order, request.args.get("seed"))


@bp.get("/providers/")
def index() -> str:
    session, viewer = get_session(), current_viewer()
    filters = directory_filter()
    order, seed = neutral_args()
    rows = queries.in_neutral_order(queries.provider_rows(filters, session=session), order, seed)
    return render_template(
        "providers/index.html",
        rows=rows,
        filters=filters,
        order=order,
        seed=seed,
        orders=rules.ORDERS,
        services=rules.SERVICES,
        kinds=rules.KINDS,
        stages=STAGES,
        sectors=queries.sector_choices(session=session),
        can_list=access.can_list_provider(viewer),
        kept=queries.kept_providers(viewer, session=session),
        can_post=access.can_post_need(viewer),
    )


def _provider(provider_id: int) -> queries.ProviderRow:
    return or_404(queries.provider_row(provider_id, session=get_session()))


def _kept(provider_id: int) -> queries.ProviderRow:
    """A listing the viewer keeps (404 for one that does not exist, 403 for another's)."""
    row = _provider(provider_id)
    if not access.can_keep_provider(current_viewer(), provider_id):
        abort(403)
    return row


def _detail(
    row: queries.ProviderRow,
    *,
    offer_form: OfferForm | None = None,
    keeper_form: KeeperForm | None = None,
    status: int = 200,
) -> tuple[str, int]:
    session, viewer = get_session(), current_viewer()
    keeps = access.can_keep_provider(viewer, row.provider.id)  # type: ignore[arg-type]
    sectors = queries.sector_choices(session=session)
    return (
        render_template(
            "providers/detail.html",
            row=row,
            keeps=keeps,
            keepers=queries.members(row.provider.id, session=session) if keeps else [],  # type: ignore[arg-type]
            offer_form=(offer_form or OfferForm(formdata=None)).set_sectors(sectors),
            keeper_form=keeper_form or KeeperForm(formdata=None),
        ),
        status,
    )


@bp.get("/providers/<int:provider_id>")
def detail(provider_id: int) -> tuple[str, int]:
    return _detail(_provider(provider_id))


def _spec(form: ProviderForm) -> operations.ProviderSpec:
    return operations.ProviderSpec(
        name=form.name.data or "",
        kind=form.kind.data or "",
        description=form.description.data or "",
        website=form.website.data or "",
        contact_email=form.contact_email.data or "",
    )


T = TypeVar("T")


def _saved(form: Any, write: Callable[[Any], T]) -> T | None:
    """``write`` done and committed; None where it was refused, each problem then shown on
    the field it names (or as a message where the form has no such field)."""
    session = get_session()
    try:
        return commit_retrying(session, lambda: write(session))
    except operations.Refused as refused:
        session.rollback()
        _show_refusal(form, refused)
        return None


def _show_refusal(form: Any, refused: operations.Refused) -> None:
    for name, message in refused.problems:
        field = getattr(form, name, None)
        if field is None:
            flash(message, "error")
        else:
            field.errors = [*field.errors, message]


@bp.route("/providers/new", methods=["GET", "POST"])
@login_required
def create() -> Any:
    if not access.can_list_provider(current_viewer()):
        abort(403)
    form = ProviderForm()
    if form.validate_on_submit():
        provider = _saved(
            form, lambda s: operations.create_provider(_spec(form), user=current_user, session=s)
        )
        if provider is not None:
            flash(f"{provider.name} is listed. Add what you offer, by stage and sector.", "info")
            return redirect(url_for("providers.detail", provider_id=provider.id))
    status = 422 if form.is_submitted() else 200
    return render_template("providers/form.html", form=form, provider=None), status


@bp.route("/providers/<int:provider_id>/edit", methods=["GET", "POST"])
@login_required
def edit(provider_id: int) -> Any:
    row = _kept(provider_id)
    form = ProviderForm(obj=row.provider)
    if form.validate_on_submit():
        saved = _saved(
            form,
            lambda s: operations.update_provider(
                row.provider, _spec(form), by=current_user, session=s
            ),
        )
        if saved is not None:
            flash("Listing saved.", "info")
            return redirect(url_for("providers.detail", provider_id=provider_id))
    status = 422 if form.is_submitted() else 200
    return render_template("providers/form.html", form=form, provider=row.provider), status


@bp.get("/providers/<int:provider_id>/history")
@login_required
def history(provider_id: int) -> str:
    """Who changed the listing, what and when: for its keepers and admins."""
    row = _kept(provider_id)
    entries = queries.changes(provider_id, session=get_session())
    return render_template("providers/history.html", provider=row.provider, entries=entries)


@bp.post("/providers/<int:provider_id>/delete")
@login_required
def delete(provider_id: int) -> Any:
    row = _kept(provider_id)
    if not confirmed():
        return confirmation(
            title=f"Delete the listing of {row.provider.name}",
            consequence=(
                "The listing, its offers and its answers to needs are removed from the "
                "directory. Access a company gave from an accepted answer stays until the "
                "company revokes it."
            ),
            confirm_label="Delete the listing",
            cancel_url=url_for("providers.detail", provider_id=provider_id),
        )
    session = get_session()
    name = row.provider.name
    commit_retrying(session, lambda: operations.delete_provider(row.provider, session=session))
    flash(f"The listing of {name} was deleted.", "info")
    return redirect(url_for("providers.index"))


@bp.post("/providers/<int:provider_id>/offers")
@login_required
def add_offer(provider_id: int) -> Any:
    row = _kept(provider_id)
    session = get_session()
    form = OfferForm().set_sectors(queries.sector_choices(session=session))
    if form.validate_on_submit():
        offer = _saved(
            form,
            lambda s: operations.add_offer(
                row.provider,
                form.service.data or "",
                form.sector_id(),
                evidence_url=form.evidence_url.data or "",
                note=form.note.data or "",
                by=current_user,
                session=s,
            ),
        )
        if offer is not None:
            flash("Offer added.", "info")
            return redirect(url_for("providers.detail", provider_id=provider_id))
    return _detail(_provider(provider_id), offer_form=form, status=422)


@bp.post("/providers/<int:provider_id>/offers/<int:offer_id>/remove")
@login_required
def remove_offer(provider_id: int, offer_id: int) -> Response:
    row = _kept(provider_id)
    offer = or_404(next((o.offer for o in row.offers if o.offer.id == offer_id), None))
    session = get_session()
    commit_retrying(
        session,
        lambda: operations.remove_offer(row.provider, offer, by=current_user, session=session),
    )
    flash("Offer removed.", "info")
    return redirect(url_for("providers.detail", provider_id=provider_id))


@bp.post("/providers/<int:provider_id>/keepers")
@login_required
def add_keeper(provider_id: int) -> Any:
    row = _kept(provider_id)
    form = KeeperForm()
    if form.validate_on_submit():
        user = _saved(
            form,
            lambda s: operations.add_keeper(
                row.provider, form.email.data or "", by=current_user, session=s
            ),
        )
        if user is not None:
            flash(f"{user.email} keeps this listing too.", "info")
            return redirect(url_for("providers.detail", provider_id=provider_id))
    return _detail(_provider(provider_id), keeper_form=form, status=422)


@bp.post("/providers/<int:provider_id>/keepers/<int:user_id>/remove")
@login_required
def remove_keeper(provider_id: int, user_id: int) -> Response:
    row = _kept(provider_id)
    session = get_session()
    try:
        commit_retrying(
            session,
            lambda: operations.remove_keeper(
                row.provider, user_id, by=current_user, session=session
            ),
        )
    except operations.Refused as refused:
        session.rollback()
        flash(refused.problems[0][1].capitalize() + ".", "error")
    else:
        flash("Keeper removed.", "info")
    if user_id == current_user.id and not current_viewer().is_admin:
        return redirect(url_for("providers.index"))
    return redirect(url_for("providers.detail", provider_id=provider_id))


# --- needs -------------------------------------------------------------------------------------


@bp.get("/needs/")
@login_required
def needs() -> str:
    session, viewer = get_session(), current_viewer()
    status = request.args.get("status", "open")
    if status not in (*rules.NEED_STATUSES, "all"):
        status = "open"
    rows = queries.need_rows(viewer, session=session, status=None if status == "all" else status)
    return render_template(
        "providers/needs.html",
        own=[r for r in rows if r.is_poster_side],
        others=[r for r in rows if not r.is_poster_side],
        status=status,
        statuses=(*rules.NEED_STATUSES, "all"),
        can_post=access.can_post_need(viewer),
        keeps_any=bool(viewer.providers),
    )


def _need_form(form: NeedForm) -> NeedForm:
    """The form with the viewer's choices; shown afresh, its sector is that of the first
    poster (the platform's, or that of the platform the company last submitted to)."""
    session, viewer = get_session(), current_viewer()
    posters = queries.need_postable_for(viewer, session=session)
    form.set_choices(posters, queries.sector_choices(session=session))
    if not form.is_submitted() and posters:
        form.sector.data = queries.usual_sector(posters[0][0], session=session)
    return form


@bp.route("/needs/new", methods=["GET", "POST"])
@login_required
def post_need() -> Any:
    viewer = current_viewer()
    if not access.can_post_need(viewer):
        abort(403)
    form = _need_form(NeedForm())
    if form.validate_on_submit():
        spec = operations.NeedSpec(
            title=form.title.data or "",
            service=form.service.data or "",
            sector_id=form.sector.data,
            poster=form.poster.data or "",
            detail=form.detail.data or "",
            needed_by=form.needed_by.data,
            anonymous=bool(form.anonymous.data),
        )
        need = _saved(
            form,
            lambda s: operations.post_need(
                spec, user=current_user, viewer=viewer, session=s, today=date.today()
            ),
        )
        if need is not None:
            flash("Need posted. The providers that match it are listed below.", "info")
            return redirect(url_for("providers.need", need_id=need.id))
    status = 422 if form.is_submitted() else 200
    return render_template("providers/need_form.html", form=form), status


def _need(need_id: int) -> queries.NeedRow:
    return or_404(queries.need_row(need_id, current_viewer(), session=get_session()))


def _need_page(
    row: queries.NeedRow,
    *,
    answer_form: AnswerForm | None = None,
    status: int = 200,
) -> tuple[str, int]:
    session, viewer = get_session(), current_viewer()
    need = row.need
    answerable = queries.answerable_providers(need, viewer, session=session)
    form = answer_form or AnswerForm(formdata=None)
    form.provider.choices = [SelectChoice(p.id, p.name) for p in answerable]
    order, seed = neutral_args()
    matches = (
        queries.in_neutral_order(
            queries.matching_providers(need, session=session), order, seed, of=lambda m: m.row
        )
        if row.is_poster_side
        else []
    )
    answers = queries.answer_rows(need, viewer, session=session)
    return (
        render_template(
            "providers/need.html",
            row=row,
            exact=[m for m in matches if m.exact],
            stage_only=[m for m in matches if not m.exact],
            order=order,
            seed=seed,
            orders=rules.ORDERS,
            answers=answers,
            grantable={
                a.answer.id
                for a in answers
                if operations.grantable_consultant(need, a.answer, viewer, session=session)
            },
            answer_form=form if answerable else None,
            decision_form=DecisionForm(formdata=None),
            close_form=CloseForm(formdata=None),
        ),
        status,
    )


@bp.get("/needs/<int:need_id>")
@login_required
def need(need_id: int) -> tuple[str, int]:
    return _need_page(_need(need_id))


@bp.post("/needs/<int:need_id>/answers")
@login_required
def answer(need_id: int) -> Any:
    row, viewer = _need(need_id), current_viewer()
    if not viewer.providers:
        abort(403)
    session = get_session()
    form = AnswerForm()
    form.provider.choices = [
        (p.id, p.name)
        for p in queries.answerable_providers(row.need, viewer, session=session)  # type: ignore[misc]
    ]
    if form.validate_on_submit():
        answer = _saved(
            form,
            lambda s: operations.answer_need(
                row.need,
                form.provider.data,
                form.message.data or "",
                user=current_user,
                viewer=viewer,
                session=s,
            ),
        )
        if answer is not None:
            flash("Answer sent.", "info")
            return redirect(url_for("providers.need", need_id=need_id))
    if not form.provider.choices:
        flash(
            "None of your listings can answer this need (closed, answered or not matching).",
            "error",
        )
        return redirect(url_for("providers.need", need_id=need_id))
    return _need_page(row, answer_form=form, status=422)


@bp.post("/needs/<int:need_id>/answers/<int:answer_id>/decide")
@login_required
def decide(need_id: int, answer_id: int) -> Response:
    row, viewer = _need(need_id), current_viewer()
    if not row.is_poster_side:
        abort(403)
    session = get_session()
    found = or_404(queries.answer_of(need_id, answer_id, session=session))
    form = DecisionForm()
    if not form.validate_on_submit():
        flash("Choose to accept or decline the answer.", "error")
        return redirect(url_for("providers.need", need_id=need_id))
    accept = form.decision.data == "accept"
    try:
        decision = commit_retrying(
            session,
            lambda: operations.decide_answer(
                row.need,
                found,
                accept=accept,
                grant_access=bool(form.grant_access.data),
                user=current_user,
                viewer=viewer,
                session=session,
            ),
        )
    except operations.Refused as refused:
        session.rollback()
        flash(refused.problems[0][1].capitalize() + ".", "error")
    else:
        said = "accepted" if accept else "declined"
        if decision.grant is not None:
            said += "; the consultant who answered now has read-only access to your figures"
        flash(f"Answer {said}.", "info")
    return redirect(url_for("providers.need", need_id=need_id))


@bp.post("/needs/<int:need_id>/status")
@login_required
def need_status(need_id: int) -> Response:
    row = _need(need_id)
    if not row.is_poster_side:
        abort(403)
    session = get_session()
    form = CloseForm()
    if not form.validate_on_submit():
        flash("Choose how to close the need.", "error")
        return redirect(url_for("providers.need", need_id=need_id))
    wanted = form.status.data or ""
    try:
        commit_retrying(
            session,
            lambda: (
                operations.reopen_need(row.need, session=session)
                if wanted == "open"
                else operations.close_need(row.need, wanted, session=session)
            ),
        )
    except operations.Refused as refused:
        session.rollback()
        flash(refused.problems[0][1].capitalize() + ".", "error")
    else:
        flash(f"The need is {wanted} now.", "info")
    return redirect(url_for("providers.need", need_id=need_id))
