"""/api/v1 what-if: a trajectory reconciled as a submission would be, stored nowhere. Routes on
the API blueprint (views.py)."""

from __future__ import annotations

from roadmap.api import schemas
from roadmap.api.views import (
    ApiError,
    JsonResponse,
    answer,
    bp,
    records,
    require_user,
    submission_input,
)
from roadmap.companies.queries import company as visible_company
from roadmap.config import default_scenario
from roadmap.db import get_session
from roadmap.domain import columns as col
from roadmap.domain.errors import InputError
from roadmap.extensions import current_viewer
from roadmap.submissions import rules
from roadmap.whatif.outcome import what_if as what_if_outcome


@bp.post("/companies/<int:company_id>/what-if")
def what_if(company_id: int) -> JsonResponse:
    """The reconciliation of a submission's rows, stored nowhere; for whoever may read the
    company."""
    require_user()
    session, viewer = get_session(), current_viewer()
    company = visible_company(company_id, session=session, viewer=viewer)
    if company is None:
        raise ApiError(404, "no such company")
    platform, _, text = submission_input(company)
    try:
        typed = rules.checked_rows(text, company=company, platform=platform)
    except InputError as error:
        raise ApiError(422, "the rows did not pass the checks", error.problems) from error
    result = what_if_outcome(
        typed,
        company=company,
        platform=platform,
        viewer=viewer,
        preferred=default_scenario(),
        session=session,
    )
    if result.problem is not None or result.scenario is None:
        raise ApiError(422, result.problem or "cannot reconcile")
    gap = result.platform_gap
    return answer(
        schemas.WhatIfResponse,
        {
            "platform": platform.slug,
            "scenario": result.scenario,
            "submitted_version": result.submitted_version,
            "rows": records(result.sandbox[col.RESULT_COLUMNS]),
            "implied_temperature": result.temperatures["sandbox"],
            "platform_gap": records(
                gap[[col.YEAR, col.GAP_EMISSIONS, "gap_with_sandbox"]].rename(
                    columns={"gap_with_sandbox": "gap_with_what_if"}
                )
            )
            if len(gap)
            else [],
            "warnings": list(result.warnings),
        },
    )
