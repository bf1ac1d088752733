"""Companies: the list a viewer may see, a company's page, and its consultants' access."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from roadmap import access, operations, queries
from roadmap.db import get_session
from roadmap.models import ConsultantGrant
from roadmap.web.companies.forms import GrantForm
from roadmap.web.context import current_viewer
from roadmap.web.dashboards import views as dashboard_views
from roadmap.web.util import or_404

bp = Blueprint("companies", __name__, url_prefix="/companies")


@bp.get("/")
@login_required
def index() -> str:
    rows = queries.companies(session=get_session(), viewer=current_viewer())
    return render_template("companies/index.html", companies=rows)


@bp.get("/<int:company_id>")
@login_required
def detail(company_id: int) -> str:
    session, viewer = get_session(), current_viewer()
    company = or_404(queries.company(company_id, session=session, viewer=viewer))
    manage = access.can_manage_grants(viewer, company_id)
    choices, chosen = dashboard_views.company_choice(company)
    filters, problems = dashboard_views.filters_from_request()
    board, reason = (
        dashboard_views.attempt(lambda: dashboard_views.company_board(company, chosen, filters))
        if chosen
        else (None, None)
    )
    query = {"platform": chosen.slug if chosen else None, **(board.filters.args() if board else {})}
    return render_template(
        "companies/detail.html",
        company=company,
        platforms=choices,
        platform=chosen,
        board=board,
        reason=reason,
        problems=problems,
        export=lambda name, kind: url_for(
            "dashboards.company_export", company_id=company_id, name=name, kind=kind, **query
        ),
        report_url=url_for("dashboards.company_report", company_id=company_id, **query),
        submissions=queries.submissions(session=session, viewer=viewer, company_id=company_id),
        can_submit=access.can_submit(viewer, company_id),
        can_manage=manage,
        grants=queries.consultant_grants(company_id, session=session) if manage else [],
        grant_form=GrantForm(),
    )


@bp.post("/<int:company_id>/grants")
@login_required
def grant(company_id: int) -> str | Response | tuple[str, int]:
    session, viewer = get_session(), current_viewer()
    company = or_404(queries.company(company_id, session=session, viewer=viewer))
    if not access.can_manage_grants(viewer, company_id):
        abort(403)  # visible, but only the company's members grant access
    form = GrantForm()
    consultant = (
        queries.user_by_email(form.email.data or "", session=session)
        if form.validate_on_submit()
        else None
    )
    if consultant is None or consultant.role != access.CONSULTANT or not consultant.is_active:
        flash("No consultant has an account with that email.", "error")
        return redirect(url_for("companies.detail", company_id=company.id))
    operations.grant_consultant(company.id, consultant, granted_by=current_user, session=session)
    session.commit()
    flash(f"{consultant.email} can now read {company.name}'s submissions and results.", "info")
    return redirect(url_for("companies.detail", company_id=company.id))


@bp.post("/<int:company_id>/grants/<int:grant_id>/revoke")
@login_required
def revoke(company_id: int, grant_id: int) -> Response:
    # CSRFProtect has checked the form's token before this runs.
    session, viewer = get_session(), current_viewer()
    or_404(queries.company(company_id, session=session, viewer=viewer))
    if not access.can_manage_grants(viewer, company_id):
        abort(403)
    grant = session.get(ConsultantGrant, grant_id)
    if grant is None or grant.company_id != company_id or grant.revoked_at is not None:
        abort(404)
    operations.revoke_grant(grant, session=session)
    session.commit()
    flash("Access revoked.", "info")
    return redirect(url_for("companies.detail", company_id=company_id))
