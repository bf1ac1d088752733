"""Companies: the list a viewer may see, a company's page, and its consultants' access."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from roadmap.accounts import access
from roadmap.accounts import operations as account_operations
from roadmap.accounts import queries as account_queries
from roadmap.companies import queries
from roadmap.companies.forms import GrantForm
from roadmap.config import default_scenario
from roadmap.db import get_session
from roadmap.extensions import current_viewer
from roadmap.models import Company, Platform
from roadmap.reconciliation.dashboards import Dashboard, attempt, company_dashboard, pick_platform
from roadmap.reconciliation.filters import Filters
from roadmap.submissions.queries import submissions
from roadmap.web.util import confirmation, confirmed, or_404

bp = Blueprint("companies", __name__, url_prefix="/companies")


@bp.get("/")
@login_required
def index() -> str:
    rows = queries.companies(session=get_session(), viewer=current_viewer())
    return render_template("companies/index.html", companies=rows)


def _company_board(company: Company, platform: Platform, filters: Filters) -> Dashboard:
    return company_dashboard(
        company,
        platform,
        filters,
        viewer=current_viewer(),
        session=get_session(),
        default_scenario=default_scenario(),
    )


@bp.get("/<int:company_id>")
@login_required
def detail(company_id: int) -> str:
    session, viewer = get_session(), current_viewer()
    company = or_404(queries.company(company_id, session=session, viewer=viewer))
    manage = access.can_manage_grants(viewer, company_id)
    choices = queries.company_platforms(company_id, session=session, viewer=viewer)
    chosen = pick_platform(choices, request.args.get("platform"))
    filters, problems = Filters.from_args(request.args)
    board, reason = (
        attempt(lambda: _company_board(company, chosen, filters)) if chosen else (None, None)
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
            "reconciliation.company_export", company_id=company_id, name=name, kind=kind, **query
        ),
        report_url=url_for("reconciliation.company_report", company_id=company_id, **query),
        submissions=submissions(session=session, viewer=viewer, company_id=company_id),
        can_submit=access.can_submit(viewer, company_id),
        can_try_plans=access.can_try_plans(viewer, company_id),
        can_manage=manage,
        grants=account_queries.consultant_grants(company_id, session=session) if manage else [],
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
        account_queries.active_consultant(form.email.data or "", session=session)
        if form.validate_on_submit()
        else None
    )
    if consultant is None:
        flash("No consultant has an account with that email.", "error")
        return redirect(url_for("companies.detail", company_id=company.id))
    account_operations.grant_consultant(
        company.id, consultant, granted_by=current_user, session=session
    )
    session.commit()
    flash(f"{consultant.email} can now read {company.name}'s submissions and results.", "info")
    return redirect(url_for("companies.detail", company_id=company.id))


@bp.post("/<int:company_id>/grants/<int:grant_id>/revoke")
@login_required
def revoke(company_id: int, grant_id: int) -> Response | str:
    # CSRFProtect has checked the form's token before this runs.
    session, viewer = get_session(), current_viewer()
    company = or_404(queries.company(company_id, session=session, viewer=viewer))
    if not access.can_manage_grants(viewer, company_id):
        abort(403)
    grant = or_404(account_queries.current_grant(company_id, grant_id, session=session))
    email = grant.consultant.email
    if not confirmed():
        return confirmation(
            title=f"Revoke {email}'s access to {company.name}?",
            consequence=f"{email} can no longer read {company.name}'s submissions and results, "
            "from their next page on. To give access back, grant it again.",
            confirm_label="Revoke access",
            cancel_url=url_for("companies.detail", company_id=company_id),
        )
    account_operations.revoke_grant(grant, session=session)
    session.commit()
    flash(f"{email} can no longer read {company.name}'s submissions and results.", "info")
    return redirect(url_for("companies.detail", company_id=company_id))
