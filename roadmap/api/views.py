"""/api/v1: tokens, platforms, reconciliation, submissions. Errors are JSON.

Callers authenticate with ``Authorization: Bearer TOKEN`` only (never the browser session, so
the API needs no CSRF token); without one they are anonymous and see public platforms only.
Everything is scoped by roadmap/accounts/access.py, as on the web pages. The handlers are
thin: they read the request, call the same queries and operations as the pages, and answer.
"""

from __future__ import annotations

from typing import Any, TypeVar

import pandas as pd
from flask import Blueprint, current_app, g, jsonify, request
from pydantic import BaseModel, ValidationError
from werkzeug.exceptions import HTTPException

from roadmap.accounts import access, passwords
from roadmap.accounts import operations as account_operations
from roadmap.accounts import queries as account_queries
from roadmap.accounts.access import ANONYMOUS, viewer_for
from roadmap.api import schemas
from roadmap.api.openapi import openapi_document
from roadmap.companies.queries import company as visible_company
from roadmap.config import default_scenario
from roadmap.db import commit_retrying, get_session
from roadmap.domain import columns as col
from roadmap.domain.errors import InputError, Problem, ReconcileError
from roadmap.extensions import csrf, current_viewer, limiter, sign_in_limit
from roadmap.models import ApiToken, Platform
from roadmap.platforms.queries import platform as visible_platform
from roadmap.platforms.queries import platforms as visible_platforms
from roadmap.reconciliation import kept
from roadmap.reconciliation.analysis import analyse_platform
from roadmap.submissions import operations as submission_operations
from roadmap.submissions import queries as submission_queries
from roadmap.submissions import rules

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)

JsonResponse = tuple[Any, int] | Any
Parsed = TypeVar("Parsed", bound=BaseModel)


class ApiError(Exception):
    def __init__(self, status: int, message: str, errors: list[Problem] | None = None):
        super().__init__(message)
        self.status, self.message, self.errors = status, message, errors or []


@bp.errorhandler(ApiError)
def _api_error(error: ApiError) -> JsonResponse:
    response = _error_json(error)
    if error.status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="roadmap"'
    return response, error.status


def _error_json(error: ApiError) -> Any:
    body = schemas.ErrorResponse(message=error.message, errors=[p.as_dict() for p in error.errors])
    # exclude_defaults: an error with nothing to point at is {"message"} alone.
    return jsonify(body.model_dump(mode="json", exclude_defaults=True))


@bp.errorhandler(HTTPException)
def _http_error(error: HTTPException) -> JsonResponse:
    body = schemas.ErrorResponse(message=error.description or error.name)
    return jsonify(body.model_dump(mode="json", exclude_defaults=True)), error.code or 500


def _answer(model: type[BaseModel], data: Any, status: int = 200) -> JsonResponse:
    """``data`` as ``model`` says (the document is made from the same model), as JSON."""
    return jsonify(model.model_validate(data).model_dump(mode="json")), status


def _parsed(model: type[Parsed], data: Any, message: str) -> Parsed:
    """``data`` read as ``model``, or a 422 naming each field that is wrong."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        problems = [
            Problem("request", *_place(e["loc"]), e["msg"])
            for e in error.errors(include_url=False, include_input=False)
        ]
        raise ApiError(422, message, problems) from error


def _place(location: tuple[int | str, ...]) -> tuple[int | None, str | None]:
    """The row and column of a pydantic error location: a cell of the submitted rows is
    numbered from 1 as the data-contract checks number them (("rows", 1, "year") -> row 2,
    column "year"); any other field is named by its path."""
    if len(location) >= 2 and location[0] == "rows" and isinstance(location[1], int):
        rest = ".".join(str(part) for part in location[2:])
        return location[1] + 1, rest or None
    path = ""
    for part in location:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return None, path.lstrip(".") or None


@bp.before_request
def _authenticate() -> None:
    """Set the request's viewer from the bearer token (a wrong token is an error, not
    anonymity, so a typo is noticed)."""
    g.api_user = None
    header = request.headers.get("Authorization", "")
    if not header or request.endpoint == "api.openapi":  # the document is for everyone
        g.viewer = ANONYMOUS
        return
    scheme, _, secret = header.partition(" ")
    session = get_session()
    found = (
        account_queries.user_for_token(secret.strip(), session=session)
        if scheme.lower() == "bearer" and secret.strip()
        else None
    )
    if found is None:
        raise ApiError(401, "invalid or revoked token")
    user, token = found
    account_operations.touch_api_token(token, session=session)
    session.commit()
    g.api_user = user
    g.viewer = viewer_for(user, session=session)


def _require_user() -> Any:
    if g.api_user is None:
        raise ApiError(401, "send Authorization: Bearer TOKEN (POST /api/v1/auth/token)")
    return g.api_user


@bp.get("/openapi.json")
def openapi() -> JsonResponse:
    return jsonify(openapi_document())


@bp.post("/auth/token")
@limiter.limit(sign_in_limit)
def create_token() -> JsonResponse:
    body = _parsed(
        schemas.TokenRequest,
        request.get_json(silent=True),
        'send JSON {"email": ..., "password": ...}',
    )
    session = get_session()
    email = passwords.normalise_email(body.email)
    if passwords.throttled_until(email, session=session):
        raise ApiError(429, "too many failed sign-ins; try again later")
    user = passwords.authenticate(email, body.password, request.remote_addr or "", session=session)
    if user is None:
        session.commit()
        raise ApiError(401, "email or password is not right")
    _, secret = account_operations.create_api_token(user, body.name or "API", session=session)
    session.commit()
    return _answer(schemas.TokenCreated, {"token": secret}, 201)


@bp.get("/auth/tokens")
def list_tokens() -> JsonResponse:
    user = _require_user()
    tokens = account_queries.api_tokens(user, session=get_session())
    return _answer(schemas.TokenList, [_token_json(t) for t in tokens])


@bp.delete("/auth/tokens/<int:token_id>")
def revoke_token(token_id: int) -> JsonResponse:
    user = _require_user()
    session = get_session()
    token = account_queries.api_token_of(user, token_id, session=session)
    if token is None:
        raise ApiError(404, "no such token")
    account_operations.revoke_api_token(token, session=session)
    session.commit()
    return "", 204


def _token_json(token: ApiToken) -> dict[str, Any]:
    return {
        "id": token.id,
        "name": token.name,
        "prefix": token.prefix,
        "created_at": token.created_at.isoformat(),
        "last_used_at": token.last_used_at.isoformat() if token.last_used_at else None,
        "revoked": token.revoked_at is not None,
    }


@bp.get("/platforms")
def list_platforms() -> JsonResponse:
    found = visible_platforms(session=get_session(), viewer=current_viewer())
    return _answer(schemas.PlatformList, [_platform_json(p) for p in found])


@bp.get("/platforms/<slug>")
def get_platform(slug: str) -> JsonResponse:
    return _answer(schemas.Platform, _platform_json(_platform_or_404(slug)))


def _platform_or_404(slug: str) -> Platform:
    found = visible_platform(slug, session=get_session(), viewer=current_viewer())
    if found is None:
        raise ApiError(404, "no such platform")
    return found


def _platform_json(platform: Platform) -> dict[str, Any]:
    return {
        "slug": platform.slug,
        "name": platform.name,
        "sector": platform.sector.name,
        "region": platform.region,
        "scope": platform.scope,
        "stage": platform.stage,
        "net_zero_year": platform.net_zero_year,
        "vision": platform.vision,
        "public": platform.is_public,
    }


@bp.get("/platforms/<slug>/reconciliation")
def reconciliation(slug: str) -> JsonResponse:
    platform = _platform_or_404(slug)
    query = _parsed(schemas.ReconciliationQuery, request.args.to_dict(), "bad query parameters")
    scenario = query.scenario.strip() or default_scenario()
    body, status = kept.api_reconciliation(
        platform,
        scenario,
        viewer=current_viewer(),
        session=get_session(),
        make=lambda: _reconciliation_answer(platform, scenario),
    )
    return current_app.response_class(body, status=status, mimetype="application/json")


def _reconciliation_answer(platform: Platform, scenario: str) -> tuple[bytes, int]:
    """The reconciliation's answer, or its 422, as JSON bytes and a status (to be kept)."""
    try:
        data, status = _reconciliation(platform, scenario)
        return data.get_data(), status
    except ApiError as error:
        return _error_json(error).get_data(), error.status


def _reconciliation(platform: Platform, scenario: str) -> Any:
    try:
        result = analyse_platform(
            platform, scenario=scenario, viewer=current_viewer(), session=get_session()
        )
    except InputError as error:
        # Problems with a row name submissions' rows and values: for those who see every
        # company; others hear only about the request itself (an unknown scenario).
        problems = error.problems
        if not access.sees_all_companies_of(current_viewer(), platform.id):
            problems = [p for p in problems if p.row is None]
        message = (
            "cannot reconcile"
            if problems
            else "cannot reconcile; the platform's coordinators can see why"
        )
        raise ApiError(422, message, problems) from error
    except ReconcileError as error:
        # About the scenarios (rival benchmarks), never about a company's figures.
        raise ApiError(422, f"cannot reconcile: {error}") from error
    return _answer(
        schemas.ReconciliationResponse,
        {
            "platform": platform.slug,
            "scenario": result.scenario,
            "rows": _records(result.results[col.RESULT_COLUMNS]),
            "aggregate": _records(result.aggregate[col.AGGREGATE_COLUMNS]),
            "temperature": _records(result.temperatures[col.TEMPERATURE_COLUMNS]),
            "warnings": list(result.warnings),
            "notes": list(result.notes),
        },
    )


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


@bp.post("/companies/<int:company_id>/submissions")
def create_submission(company_id: int) -> JsonResponse:
    user = _require_user()
    session, viewer = get_session(), current_viewer()
    company = visible_company(company_id, session=session, viewer=viewer)
    if company is None:
        raise ApiError(404, "no such company")
    if not access.can_submit(viewer, company_id):
        raise ApiError(403, "only the company's members may submit for it")
    platform, assurance, text = _submission_input(company)
    try:
        typed = rules.checked_rows(text, company=company, platform=platform)
    except InputError as error:
        raise ApiError(
            422, "the rows were not accepted; nothing was stored", error.problems
        ) from error
    checksum = submission_operations.file_checksum(request.get_data())
    created = commit_retrying(
        session,
        lambda: submission_operations.submit(
            typed,
            company=company,
            platform=platform,
            source="api",
            user=user,
            assurance=assurance,
            session=session,
            checksum=checksum,
        ),
    )
    return _answer(
        schemas.SubmissionCreated,
        {"id": created.id, "version": created.version, "status": created.status},
        201,
    )


def _submission_input(company: Any) -> tuple[Platform, str, pd.DataFrame]:
    """The platform, assurance and text rows of a JSON or CSV request body."""
    max_rows = current_app.config["MAX_UPLOAD_ROWS"]
    if request.mimetype == "text/csv":
        query = _parsed(schemas.SubmissionQuery, request.args.to_dict(), "bad query parameters")
        platform = _submission_platform(query.platform)
        data = request.get_data()
        try:
            text = rules.rows_from_upload(data, filename="body.csv", max_rows=max_rows)
        except InputError as error:
            raise ApiError(422, "the CSV body was not readable", error.problems) from error
        return platform, query.assurance, text
    body = _parsed(
        schemas.SubmissionRequest,
        request.get_json(silent=True),
        'send JSON {"platform": slug, "rows": [{...}, ...]} or a CSV '
        "body with Content-Type: text/csv",
    )
    if len(body.rows) > max_rows:
        raise ApiError(422, f"at most {max_rows} rows")
    platform = _submission_platform(body.platform)
    # The cells the caller sent, as text: the data contract reads them as it reads a CSV.
    records = [
        {k: "" if v is None else str(v) for k, v in row.model_dump(exclude_unset=True).items()}
        for row in body.rows
    ]
    try:
        text = rules.rows_from_records(records, company=company, platform=platform, name="request")
    except InputError as error:
        raise ApiError(422, "the rows were not readable", error.problems) from error
    return platform, body.assurance, text


def _submission_platform(slug: str) -> Platform:
    platform = visible_platform(slug, session=get_session(), viewer=current_viewer())
    if platform is None:
        raise ApiError(
            422,
            "unknown platform",
            [Problem("request", None, "platform", f"no platform '{slug}' open to you")],
        )
    return platform


@bp.get("/submissions/<int:submission_id>")
def get_submission(submission_id: int) -> JsonResponse:
    session = get_session()
    row = submission_queries.submission(submission_id, session=session, viewer=current_viewer())
    if row is None:
        raise ApiError(404, "no such submission")
    s = row.submission
    points = submission_queries.submission_points_frame(s, session=session)
    return _answer(
        schemas.SubmissionDetail,
        {
            "id": s.id,
            "company": {"id": row.company.id, "name": row.company.name},
            "platform": row.platform.slug,
            "version": s.version,
            "region": s.region,
            "scope": s.scope,
            "source": s.source,
            "filename": s.filename,
            "checksum": s.checksum,
            "assurance": s.assurance,
            "status": s.status,
            "review_reason": s.review_reason,
            "submitted_at": s.submitted_at.isoformat(),
            "submitted_by": row.submitted_by,
            "rows": _records(points),
        },
    )


# Shared with the API's other modules (review_views.py).
answer, parsed, records, require_user = _answer, _parsed, _records, _require_user
submission_input, platform_or_404 = _submission_input, _platform_or_404
