"""/api/v1: tokens, platforms, reconciliation, submissions. Errors are JSON.

Callers authenticate with ``Authorization: Bearer TOKEN`` only (never the browser session, so
the API needs no CSRF token); without one they are anonymous and see public platforms only.
Everything is scoped by roadmap/accounts/access.py, as on the web pages. The handlers are
thin: they read the request, call the same queries and operations as the pages, and answer.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from flask import Blueprint, current_app, g, jsonify, request
from werkzeug.exceptions import HTTPException

from roadmap.accounts import access, passwords
from roadmap.accounts import operations as account_operations
from roadmap.accounts import queries as account_queries
from roadmap.accounts.access import ANONYMOUS, viewer_for
from roadmap.api.openapi import openapi_document
from roadmap.companies.queries import company as visible_company
from roadmap.config import default_scenario
from roadmap.db import get_session
from roadmap.domain import columns as col
from roadmap.domain.errors import InputError, Problem
from roadmap.extensions import csrf, current_viewer
from roadmap.models import ASSURANCE_LEVELS, ApiToken, Platform
from roadmap.platforms.queries import platform as visible_platform
from roadmap.platforms.queries import platforms as visible_platforms
from roadmap.reconciliation.analysis import analyse_platform
from roadmap.submissions import operations as submission_operations
from roadmap.submissions import queries as submission_queries
from roadmap.submissions import rules

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)

JsonResponse = tuple[Any, int] | Any


class ApiError(Exception):
    def __init__(self, status: int, message: str, errors: list[Problem] | None = None):
        super().__init__(message)
        self.status, self.message, self.errors = status, message, errors or []


@bp.errorhandler(ApiError)
def _api_error(error: ApiError) -> JsonResponse:
    body: dict[str, Any] = {"message": error.message}
    if error.errors:
        body["errors"] = [p.as_dict() for p in error.errors]
    response = jsonify(body)
    if error.status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="roadmap"'
    return response, error.status


@bp.errorhandler(HTTPException)
def _http_error(error: HTTPException) -> JsonResponse:
    return jsonify({"message": error.description or error.name}), error.code or 500


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
def create_token() -> JsonResponse:
    body = request.get_json(silent=True)
    if (
        not isinstance(body, dict)
        or not isinstance(body.get("email"), str)
        or not isinstance(body.get("password"), str)
    ):
        raise ApiError(422, 'send JSON {"email": ..., "password": ...}')
    session = get_session()
    email = passwords.normalise_email(body["email"])
    if passwords.throttled_until(email, request.remote_addr or "", session=session):
        raise ApiError(429, "too many failed sign-ins; try again later")
    user = passwords.authenticate(
        email, body["password"], request.remote_addr or "", session=session
    )
    if user is None:
        session.commit()
        raise ApiError(401, "email or password is not right")
    _, secret = account_operations.create_api_token(
        user, str(body.get("name") or "API"), session=session
    )
    session.commit()
    return jsonify({"token": secret}), 201


@bp.get("/auth/tokens")
def list_tokens() -> JsonResponse:
    user = _require_user()
    tokens = account_queries.api_tokens(user, session=get_session())
    return jsonify([_token_json(t) for t in tokens])


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
    session = get_session()
    return jsonify(
        [_platform_json(p) for p in visible_platforms(session=session, viewer=current_viewer())]
    )


@bp.get("/platforms/<slug>")
def get_platform(slug: str) -> JsonResponse:
    return jsonify(_platform_json(_platform_or_404(slug)))


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
    scenario = (request.args.get("scenario") or "").strip() or default_scenario()
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
    return jsonify(
        {
            "platform": platform.slug,
            "scenario": result.scenario,
            "rows": _records(result.results[col.RESULT_COLUMNS]),
            "aggregate": _records(result.aggregate[col.AGGREGATE_COLUMNS]),
            "warnings": list(result.warnings),
        }
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
    created = submission_operations.submit(
        typed,
        company=company,
        platform=platform,
        source="api",
        user=user,
        assurance=assurance,
        session=session,
        checksum=submission_operations.file_checksum(request.get_data()),
    )
    session.commit()
    return jsonify({"id": created.id, "version": created.version, "status": created.status}), 201


def _submission_input(company: Any) -> tuple[Platform, str, pd.DataFrame]:
    """The platform, assurance and text rows of a JSON or CSV request body."""
    if request.mimetype == "text/csv":
        slug, assurance = (
            request.args.get("platform", ""),
            request.args.get("assurance", "self-reported"),
        )
        platform = _submission_platform(slug)
        try:
            text = rules.rows_from_upload(
                request.get_data(),
                filename="body.csv",
                max_rows=current_app.config["MAX_UPLOAD_ROWS"],
            )
        except InputError as error:
            raise ApiError(422, "the CSV body was not readable", error.problems) from error
        return platform, _assurance(assurance), text
    body = request.get_json(silent=True)
    if (
        not isinstance(body, dict)
        or not isinstance(body.get("rows"), list)
        or not all(isinstance(r, dict) for r in body["rows"])
    ):
        raise ApiError(
            422,
            'send JSON {"platform": slug, "rows": [{...}, ...]} or a CSV '
            "body with Content-Type: text/csv",
        )
    if len(body["rows"]) > current_app.config["MAX_UPLOAD_ROWS"]:
        raise ApiError(422, f"at most {current_app.config['MAX_UPLOAD_ROWS']} rows")
    platform = _submission_platform(str(body.get("platform", "")))
    records = [{k: "" if v is None else str(v) for k, v in r.items()} for r in body["rows"]]
    try:
        text = rules.rows_from_records(records, company=company, platform=platform, name="request")
    except InputError as error:
        raise ApiError(422, "the rows were not readable", error.problems) from error
    return platform, _assurance(str(body.get("assurance", "self-reported"))), text


def _submission_platform(slug: str) -> Platform:
    platform = visible_platform(slug, session=get_session(), viewer=current_viewer())
    if platform is None:
        raise ApiError(
            422,
            "unknown platform",
            [Problem("request", None, "platform", f"no platform '{slug}' open to you")],
        )
    return platform


def _assurance(value: str) -> str:
    if value not in ASSURANCE_LEVELS:
        raise ApiError(
            422,
            "unknown assurance level",
            [Problem("request", None, "assurance", "one of: " + ", ".join(ASSURANCE_LEVELS))],
        )
    return value


@bp.get("/submissions/<int:submission_id>")
def get_submission(submission_id: int) -> JsonResponse:
    session = get_session()
    row = submission_queries.submission(submission_id, session=session, viewer=current_viewer())
    if row is None:
        raise ApiError(404, "no such submission")
    s = row.submission
    points = submission_queries.submission_points_frame(s, session=session)
    return jsonify(
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
        }
    )
