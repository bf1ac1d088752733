"""The OpenAPI 3.1 document of /api/v1: a route table here, every body from the pydantic models
in schemas.py. schemathesis checks the API against it in the test suite."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import JsonSchemaMode, models_json_schema

from roadmap.api import pipeline_schemas as ps
from roadmap.api import project_schemas as projects
from roadmap.api import provider_schemas as providers
from roadmap.api import schemas as s

REF = "#/components/schemas/{model}"
ANYONE: tuple[dict[str, list[str]], ...] = ({}, {"bearer": []})  # anonymous or with a token
BEARER: tuple[dict[str, list[str]], ...] = ({"bearer": []},)
PATH_PARAMETERS = {
    "token_id": {"type": "integer"},
    "slug": {"type": "string"},
    "company_id": {"type": "integer"},
    "submission_id": {"type": "integer"},
    "provider_id": {"type": "integer"},
}


@dataclass(frozen=True)
class Route:
    """One operation. ``ok`` is the success status, its model (None: no body) and what it
    means; ``errors`` the error statuses this operation answers besides those every operation
    of its kind does (401 with a token, 422 and 413 with a body)."""

    method: str
    path: str
    summary: str
    ok: tuple[int, type[BaseModel] | None, str]
    errors: dict[int, str] = field(default_factory=dict)
    body: type[BaseModel] | None = None
    query: type[BaseModel] | None = None
    security: tuple[dict[str, list[str]], ...] = BEARER
    other_bodies: dict[str, dict[str, Any]] = field(default_factory=dict)


ROUTES = [
    Route(
        "post",
        "/auth/token",
        "Exchange email and password for a bearer token",
        (201, s.TokenCreated, "a new token"),
        {401: "wrong email or password", 429: "too many failed attempts"},
        body=s.TokenRequest,
        security=(),
    ),
    Route("get", "/auth/tokens", "The caller's tokens", (200, s.TokenList, "no secrets")),
    Route(
        "delete",
        "/auth/tokens/{token_id}",
        "Revoke one of the caller's tokens",
        (204, None, "revoked"),
        {404: "not the caller's token"},
    ),
    Route(
        "get",
        "/platforms",
        "Platforms the caller may see (anonymous: public ones)",
        (200, s.PlatformList, "platforms"),
        security=ANYONE,
    ),
    Route(
        "get",
        "/platforms/{slug}",
        "One platform",
        (200, s.Platform, "the platform"),
        {404: "no such platform"},
        security=ANYONE,
    ),
    Route(
        "get",
        "/platforms/{slug}/reconciliation",
        "Company rows (scoped to the caller) and platform totals",
        (200, s.ReconciliationResponse, "the reconciliation"),
        {404: "no such platform", 422: "unknown scenario, or data that cannot be reconciled"},
        query=s.ReconciliationQuery,
        security=ANYONE,
    ),
    Route(
        "get",
        "/platforms/{slug}/projects",
        "The platform's near-zero projects the caller may see in detail",
        (200, projects.ProjectList, "projects, by name"),
        {404: "no such platform"},
        security=ANYONE,
    ),
    Route(
        "post",
        "/platforms/{slug}/projects",
        "Add a project of a company the caller may write (the project form's checks)",
        (201, projects.Project, "stored"),
        {
            403: "the caller writes no company's projects on this platform",
            404: "no such platform",
            409: "the company already has a project of this name",
            422: "problems by field; nothing stored",
        },
        body=projects.ProjectRequest,
    ),
    Route(
        "post",
        "/companies/{company_id}/submissions",
        "Submit a trajectory (a new version; never overwrites)",
        (201, s.SubmissionCreated, "stored as a new version"),
        {
            403: "not a member of the company",
            404: "no such company",
            422: "problems by row and column; nothing stored",
        },
        body=s.SubmissionRequest,
        query=s.SubmissionQuery,
        other_bodies={"text/csv": {"schema": {"type": "string"}}},  # the data-contract file
    ),
    Route(
        "post",
        "/companies/{company_id}/what-if",
        "Reconcile a trajectory without storing it (what-if); assurance is ignored",
        (200, s.WhatIfResponse, "the reconciliation of the rows sent; nothing stored"),
        {
            404: "no such company",
            422: "problems by row and column, or rows that cannot be reconciled",
        },
        body=s.SubmissionRequest,
        query=s.SubmissionQuery,
        other_bodies={"text/csv": {"schema": {"type": "string"}}},
    ),
    Route(
        "get",
        "/submissions/{submission_id}",
        "A submission and its rows",
        (200, s.SubmissionDetail, "the submission"),
        {404: "no such submission, or not the caller's to see"},
    ),
    Route(
        "get",
        "/companies",
        "The companies the caller may see by name",
        (200, s.CompanyList, "companies, by name"),
    ),
    Route(
        "get",
        "/companies/{company_id}/submissions",
        "A company's submissions the caller may see, newest first, a page at a time",
        (200, s.SubmissionPage, "one page"),
        {404: "no such company", 422: "bad page or per_page"},
        query=s.PageQuery,
    ),
    Route(
        "get",
        "/review",
        "Submissions waiting for the caller's review, oldest first, with their checks",
        (200, s.WaitingPage, "one page"),
        {403: "the caller reviews no platform", 422: "bad page or per_page"},
        query=s.PageQuery,
    ),
    Route(
        "post",
        "/submissions/{submission_id}/review",
        "Accept a submission, request changes (with a message) or reject it (with a reason)",
        (200, s.SubmissionSummary, "the decision recorded"),
        {
            403: "not a coordinator of the submission's platform",
            404: "no such submission, or not the caller's to see",
            409: "already decided: a decision is final",
            422: "no message where one is needed",
        },
        body=s.ReviewRequest,
    ),
    Route(
        "get",
        "/sectors",
        "Every sector with its units",
        (200, s.SectorList, "sectors, by name"),
        security=ANYONE,
    ),
    Route(
        "post",
        "/sectors",
        "Create a sector with a product unit of its own (admins; coordinators an admin allows)",
        (201, s.Sector, "the sector, its unit known at once"),
        {
            403: "the caller may not create sectors",
            422: "problems by field (name or unit taken, bad characters, units that do not fit)",
        },
        body=s.SectorRequest,
    ),
    Route(
        "get",
        "/platforms/{slug}/pipeline",
        "The near-zero project pipeline: capacity by status, start year and technology, KPIs "
        "computed from it, and committed demand against expected supply",
        (200, ps.Pipeline, "as the caller may count it"),
        {404: "no such platform, or not the caller's to see"},
        security=ANYONE,
    ),
    Route(
        "get",
        "/overview",
        "Every platform the caller may see, side by side (stage, gate, published standing, "
        "KPIs, actions)",
        (200, ps.OverviewList, "by name"),
        security=ANYONE,
    ),
    Route(
        "get",
        "/providers",
        "The directory of service providers, in a neutral order (alphabetical, or shuffled by a "
        "seed; never ranked), filtered by stage, service, sector, kind or text",
        (200, providers.Directory, "the providers with an offer that fits the filters"),
        {422: "a filter that is not one of its choices"},
        query=providers.DirectoryQuery,
        security=ANYONE,
    ),
    Route(
        "get",
        "/providers/{provider_id}",
        "One provider's listing with its offers",
        (200, providers.Provider, "the listing"),
        {404: "no such provider"},
        security=ANYONE,
    ),
    Route(
        "get",
        "/needs",
        "The needs for support the caller may read: their company's or platforms', and those "
        "the providers they keep could answer",
        (200, providers.NeedList, "newest first"),
        {422: "bad status"},
        query=providers.NeedQuery,
    ),
    Route("get", "/openapi.json", "This document", (200, None, "OpenAPI 3.1"), security=()),
]


def _parameters(route: Route) -> list[dict[str, Any]]:
    path = [
        {"name": name, "in": "path", "required": True, "schema": schema}
        for name, schema in PATH_PARAMETERS.items()
        if "{" + name + "}" in route.path
    ]
    if route.query is None:
        return path
    schema = route.query.model_json_schema()
    query = []
    for name, prop in schema["properties"].items():
        parameter = {"name": name, "in": "query", "required": name in schema.get("required", [])}
        if "description" in prop:
            parameter["description"] = prop.pop("description")
        query.append({**parameter, "schema": {k: v for k, v in prop.items() if k != "title"}})
    return path + query


def _responses(route: Route, refs: dict[type[BaseModel], dict[str, Any]]) -> dict[str, Any]:
    status, model, description = route.ok
    ok: dict[str, Any] = {"description": description}
    if model is not None:
        ok["content"] = {"application/json": {"schema": refs[model]}}
    errors = dict(route.errors)
    if route.body is not None:
        errors = {413: "body too large", 422: "malformed body", **errors}
    if BEARER[0] in route.security:
        errors[401] = "missing, invalid or revoked token"
    error = {"application/json": {"schema": refs[s.ErrorResponse]}}
    return {
        str(status): ok,
        **{str(code): {"description": errors[code], "content": error} for code in sorted(errors)},
    }


def _operation(route: Route, refs: dict[type[BaseModel], dict[str, Any]]) -> dict[str, Any]:
    operation: dict[str, Any] = {
        "summary": route.summary,
        "security": list(route.security),
        "responses": _responses(route, refs),
    }
    if parameters := _parameters(route):
        operation["parameters"] = parameters
    if route.body is not None:
        content = {"application/json": {"schema": refs[route.body]}, **route.other_bodies}
        operation["requestBody"] = {"required": True, "content": content}
    return operation


def _components() -> tuple[dict[type[BaseModel], dict[str, Any]], dict[str, Any]]:
    """References to each model and the schemas they point at: request models as they are
    read, answers as they are written."""
    models: dict[type[BaseModel], JsonSchemaMode] = {s.ErrorResponse: "serialization"}
    for route in ROUTES:
        if route.body is not None:
            models[route.body] = "validation"
        if route.ok[1] is not None:
            models[route.ok[1]] = "serialization"
    keys, schema = models_json_schema(list(models.items()), ref_template=REF)
    return {model: keys[(model, mode)] for model, mode in models.items()}, schema["$defs"]


def openapi_document() -> dict[str, Any]:
    """The OpenAPI 3.1 document of /api/v1."""
    refs, schemas = _components()
    paths: dict[str, dict[str, Any]] = {}
    for route in ROUTES:
        paths.setdefault(route.path, {})[route.method] = _operation(route, refs)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Roadmap API",
            "version": "1.0.0",
            "description": "Sector platforms, company trajectory submissions and their "
            "reconciliation against sector pathways (SBTi SDA).",
        },
        "servers": [{"url": "/api/v1"}],
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": schemas,
        },
        "paths": paths,
    }
