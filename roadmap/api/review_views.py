"""/api/v1 for companies, their submissions page by page, and the coordinators' review: the
same queries and operations as the review pages. Routes on the API blueprint (views.py)."""

from __future__ import annotations

from typing import Any

from flask import request

from roadmap.accounts import access
from roadmap.api import schemas
from roadmap.api.views import ApiError, JsonResponse, answer, bp, parsed, records, require_user
from roadmap.companies.queries import companies as visible_companies
from roadmap.companies.queries import company as visible_company
from roadmap.db import get_session
from roadmap.domain.errors import Problem
from roadmap.extensions import current_viewer
from roadmap.submissions import operations as submission_operations
from roadmap.submissions import queries as submission_queries
from roadmap.submissions import round_queries


@bp.get("/companies")
def list_companies() -> JsonResponse:
    require_user()
    found = visible_companies(session=get_session(), viewer=current_viewer())
    return answer(schemas.CompanyList, [{"id": c.id, "name": c.name} for c in found])


@bp.get("/companies/<int:company_id>/submissions")
def list_submissions(company_id: int) -> JsonResponse:
    require_user()
    session, viewer = get_session(), current_viewer()
    if visible_company(company_id, session=session, viewer=viewer) is None:
        raise ApiError(404, "no such company")
    query = parsed(schemas.PageQuery, request.args.to_dict(), "bad query parameters")
    rows, total = submission_queries.submissions_page(
        company_id,
        session=session,
        viewer=viewer,
        offset=(query.page - 1) * query.per_page,
        limit=query.per_page,
    )
    return answer(
        schemas.SubmissionPage,
        {
            "items": [_summary(row) for row in rows],
            "page": query.page,
            "per_page": query.per_page,
            "total": total,
        },
    )


def _summary(row: submission_queries.SubmissionRow) -> dict[str, Any]:
    s = row.submission
    round_ = round_queries.round_of_submission(s, session=get_session())
    return {
        "id": s.id,
        "company": {"id": row.company.id, "name": row.company.name},
        "platform": row.platform.slug,
        "version": s.version,
        "round": {"id": round_.id, "name": round_.name, "status": round_.status}
        if round_ is not None
        else None,
        "status": s.status,
        "review_reason": s.review_reason,
        "assurance": s.assurance,
        "submitted_at": s.submitted_at.isoformat(),
        "submitted_by": row.submitted_by,
    }


@bp.get("/review")
def list_waiting() -> JsonResponse:
    require_user()
    session, viewer = get_session(), current_viewer()
    if not (viewer.is_admin or viewer.coordinated):
        raise ApiError(403, "only a platform's coordinators review its submissions")
    query = parsed(schemas.PageQuery, request.args.to_dict(), "bad query parameters")
    waiting = round_queries.waiting(
        viewer, session=session, offset=(query.page - 1) * query.per_page, limit=query.per_page
    )
    return answer(
        schemas.WaitingPage,
        {
            "items": [
                {**_summary(w.row), "checks": records(w.checks[schemas.CHECK_FIELDS])}
                for w in waiting
            ],
            "page": query.page,
            "per_page": query.per_page,
            "total": round_queries.waiting_count(viewer, session=session),
        },
    )


@bp.post("/submissions/<int:submission_id>/review")
def review_submission(submission_id: int) -> JsonResponse:
    user = require_user()
    session, viewer = get_session(), current_viewer()
    row = submission_queries.submission(submission_id, session=session, viewer=viewer)
    if row is None:
        raise ApiError(404, "no such submission")
    if not access.can_review(viewer, row.platform.id):
        raise ApiError(403, "only the platform's coordinators review its submissions")
    body = parsed(
        schemas.ReviewRequest,
        request.get_json(silent=True),
        'send JSON {"decision": "accept" | "request_changes" | "reject", "message": ...}',
    )
    try:
        submission_operations.decide(
            row.submission,
            decision=body.decision,
            message=body.message,
            reviewer=user,
            session=session,
        )
    except submission_operations.AlreadyDecided as refused:
        session.rollback()
        raise ApiError(409, str(refused)) from refused
    except submission_operations.Refused as refused:
        session.rollback()
        raise ApiError(
            422, str(refused), [Problem("request", None, "message", str(refused))]
        ) from refused
    session.commit()
    return answer(schemas.SubmissionSummary, _summary(row))
