"""/api/v1 for a platform's projects: the list the caller may see in detail and adding one,
with the same queries, checks and operations as the pages. Routes on the API blueprint
(views.py)."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import request

from roadmap.api import project_schemas as schemas
from roadmap.api.views import ApiError, JsonResponse, answer, bp, parsed, require_user
from roadmap.db import commit_retrying, get_session
from roadmap.domain.errors import Problem
from roadmap.domain.matching import name_key
from roadmap.domain.projects import DATE_COLUMNS, ProjectValues, project_problems
from roadmap.extensions import current_viewer
from roadmap.models import Platform, Project
from roadmap.pipeline import operations, queries
from roadmap.pipeline.numbers import activity_unit
from roadmap.platforms.queries import platform as visible_platform


def _platform(slug: str) -> Platform:
    found = visible_platform(slug, session=get_session(), viewer=current_viewer())
    if found is None:
        raise ApiError(404, "no such platform")
    return found


def _activity_unit(platform: Platform) -> str:
    try:
        return activity_unit(platform)
    except ValueError:  # no unit: no capacity unit converts into it, said per field
        return ""


def _project_json(project: Project) -> dict[str, Any]:
    return {
        "id": project.id,
        "company": project.company.name,
        "name": project.name,
        "country": project.country,
        "technology": project.technology,
        "status": project.status,
        **{column: getattr(project, column) for column in DATE_COLUMNS.values()},
        "start_year": project.start_year,
        "capacity": project.capacity,
        "capacity_unit": project.capacity_unit,
        "expected_intensity": project.expected_intensity,
        "intensity_unit": project.intensity_unit,
        "source_url": project.source_url,
        "public": project.is_public,
        "updated_at": project.updated_at,
    }


@bp.get("/platforms/<slug>/projects")
def list_projects(slug: str) -> JsonResponse:
    platform = _platform(slug)
    found = queries.visible_projects(platform, current_viewer(), session=get_session())
    return answer(schemas.ProjectList, [_project_json(p) for p in found])


def _values(body: schemas.ProjectRequest) -> ProjectValues:
    return ProjectValues(
        name=body.name.strip(),
        technology=body.technology.strip(),
        status=body.status,
        start_year=body.start_year,
        capacity=body.capacity,
        capacity_unit=body.capacity_unit.strip(),
        country=body.country.strip(),
        dates={s: getattr(body, c) for s, c in DATE_COLUMNS.items()},
        expected_intensity=body.expected_intensity,
        intensity_unit=body.intensity_unit.strip(),
        source_url=body.source_url.strip(),
        is_public=body.public,
    )


@bp.post("/platforms/<slug>/projects")
def create_project(slug: str) -> JsonResponse:
    user = require_user()
    session, viewer = get_session(), current_viewer()
    platform = _platform(slug)
    companies = queries.writable_companies(platform, viewer, session=session)
    if not companies:
        raise ApiError(403, "you may not add projects on this platform")
    body = parsed(schemas.ProjectRequest, request.get_json(silent=True), "send a project as JSON")
    company = next((c for c in companies if name_key(c.name) == name_key(body.company)), None)
    problems = [
        Problem("request", None, field, message)
        for field, message in project_problems(
            _values(body),
            activity_unit=_activity_unit(platform),
            intensity_unit=platform.sector.intensity_unit,
            today=date.today(),
        )
    ]
    if company is None:
        allowed = ", ".join(c.name for c in companies)
        problems.insert(0, Problem("request", None, "company", f"not one of yours here: {allowed}"))
    if problems:
        raise ApiError(422, "the project was not accepted; nothing was stored", problems)
    assert company is not None
    try:
        project = commit_retrying(
            session,
            lambda: operations.create_project(
                platform, company, _values(body), user=user, session=session
            ),
        )
    except operations.DuplicateProject as duplicate:
        session.rollback()
        raise ApiError(409, str(duplicate)) from duplicate
    return answer(schemas.Project, _project_json(project), 201)
