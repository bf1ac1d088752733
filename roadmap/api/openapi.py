"""The OpenAPI 3.1 document of /api/v1, kept beside the views it describes and checked against
them by schemathesis in the test suite."""

from __future__ import annotations

from typing import Any

from roadmap.domain import columns as col
from roadmap.models import ASSURANCE_LEVELS

NUMBER_OR_NULL = {"type": ["number", "null"]}
ERROR = {
    "type": "object",
    "required": ["message"],
    "properties": {
        "message": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["row", "column", "message"],
                "properties": {
                    "row": {"type": ["integer", "null"]},
                    "column": {"type": ["string", "null"]},
                    "message": {"type": "string"},
                },
            },
        },
    },
}
PLATFORM = {
    "type": "object",
    "required": ["slug", "name", "sector", "region", "scope", "stage", "public"],
    "properties": {
        "slug": {"type": "string"},
        "name": {"type": "string"},
        "sector": {"type": ["string", "null"]},
        "region": {"type": "string"},
        "scope": {"type": "string"},
        "stage": {"type": "integer", "minimum": 1, "maximum": 4},
        "net_zero_year": {"type": ["integer", "null"]},
        "vision": {"type": "string"},
        "public": {"type": "boolean"},
    },
}
_TEXT = {col.COMPANY, col.SECTOR, col.SCENARIO, col.STATUS, col.BENCHMARK_ALIGNMENT}


def _row_schema(columns: list[str], text: set[str]) -> dict[str, Any]:
    """A data-contract row: text columns, an integer year, numbers (null where undefined)."""

    def kind(column: str) -> dict[str, Any]:
        if column in text:
            return {"type": "string"}
        return {"type": "integer"} if column == col.YEAR else NUMBER_OR_NULL

    return {"type": "object", "required": columns, "properties": {c: kind(c) for c in columns}}


RESULT_ROW = _row_schema(col.RESULT_COLUMNS, _TEXT)
AGGREGATE_ROW = _row_schema(col.AGGREGATE_COLUMNS, {col.SECTOR, col.SCENARIO})
TRAJECTORY_ROW = {
    "type": "object",
    "description": "One year, as in the trajectory data contract. company, sector, region and "
    "scope default to the submission's own.",
    "required": ["year", "kind"],
    "properties": {
        "year": {"type": ["integer", "string"]},
        "kind": {"enum": ["reported", "planned"]},
        "activity": {"type": ["number", "string", "null"]},
        "activity_unit": {"type": ["string", "null"]},
        "emissions": {"type": ["number", "string", "null"]},
        "emissions_unit": {"type": ["string", "null"]},
        "intensity": {"type": ["number", "string", "null"]},
        "intensity_unit": {"type": ["string", "null"]},
    },
}
STORED_POINT = {
    "type": "object",
    "properties": {
        "year": {"type": "integer"},
        "kind": {"type": "string"},
        "activity": NUMBER_OR_NULL,
        "activity_unit": {"type": "string"},
        "emissions": NUMBER_OR_NULL,
        "emissions_unit": {"type": "string"},
        "intensity": NUMBER_OR_NULL,
        "intensity_unit": {"type": "string"},
    },
}


def _error(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


UNAUTHORISED = _error("missing, invalid or revoked token")


def openapi_document() -> dict[str, Any]:
    ref = lambda name: {"$ref": f"#/components/schemas/{name}"}  # noqa: E731
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
            "schemas": {
                "Error": ERROR,
                "Platform": PLATFORM,
                "ResultRow": RESULT_ROW,
                "AggregateRow": AGGREGATE_ROW,
                "TrajectoryRow": TRAJECTORY_ROW,
            },
        },
        "paths": {
            "/auth/token": {
                "post": {
                    "summary": "Exchange email and password for a bearer token",
                    "security": [],
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "required": ["email", "password"],
                                    "properties": {
                                        "email": {"type": "string"},
                                        "password": {"type": "string"},
                                        "name": {"type": "string"},
                                    },
                                }
                            }
                        },
                    },
                    "responses": {
                        "201": _json(
                            {
                                "type": "object",
                                "required": ["token"],
                                "properties": {"token": {"type": "string"}},
                            },
                            "a new token",
                        ),
                        "401": _error("wrong email or password"),
                        "413": _error("body too large"),
                        "422": _error("malformed body"),
                        "429": _error("too many failed attempts"),
                    },
                }
            },
            "/auth/tokens": {
                "get": {
                    "summary": "The caller's tokens",
                    "security": [{"bearer": []}],
                    "responses": {
                        "200": _json(
                            {"type": "array", "items": {"type": "object"}},
                            "tokens, secrets never included",
                        ),
                        "401": UNAUTHORISED,
                    },
                }
            },
            "/auth/tokens/{token_id}": {
                "delete": {
                    "summary": "Revoke one of the caller's tokens",
                    "security": [{"bearer": []}],
                    "parameters": [
                        {
                            "name": "token_id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "integer"},
                        }
                    ],
                    "responses": {
                        "204": {"description": "revoked"},
                        "401": UNAUTHORISED,
                        "404": _error("not the caller's token"),
                    },
                }
            },
            "/platforms": {
                "get": {
                    "summary": "Platforms the caller may see (anonymous: public ones)",
                    "security": [{}, {"bearer": []}],
                    "responses": {
                        "200": _json({"type": "array", "items": ref("Platform")}, "platforms"),
                        "401": UNAUTHORISED,
                    },
                }
            },
            "/platforms/{slug}": {
                "get": {
                    "summary": "One platform",
                    "security": [{}, {"bearer": []}],
                    "parameters": [
                        {
                            "name": "slug",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string"},
                        }
                    ],
                    "responses": {
                        "200": _json(ref("Platform"), "the platform"),
                        "401": UNAUTHORISED,
                        "404": _error("no such platform"),
                    },
                }
            },
            "/platforms/{slug}/reconciliation": {
                "get": {
                    "summary": "Company rows (scoped to the caller) and platform totals",
                    "security": [{}, {"bearer": []}],
                    "parameters": [
                        {
                            "name": "slug",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string"},
                        },
                        {
                            "name": "scenario",
                            "in": "query",
                            "required": False,
                            "schema": {"type": "string"},
                            "description": "Scenario name; default TPI 1.5 Degrees",
                        },
                    ],
                    "responses": {
                        "200": _json(
                            {
                                "type": "object",
                                "required": ["platform", "scenario", "rows", "aggregate"],
                                "properties": {
                                    "platform": {"type": "string"},
                                    "scenario": {"type": "string"},
                                    "rows": {"type": "array", "items": ref("ResultRow")},
                                    "aggregate": {"type": "array", "items": ref("AggregateRow")},
                                    "warnings": {"type": "array", "items": {"type": "string"}},
                                },
                            },
                            "the reconciliation",
                        ),
                        "401": UNAUTHORISED,
                        "404": _error("no such platform"),
                        "422": _error("unknown scenario"),
                    },
                }
            },
            "/companies/{company_id}/submissions": {
                "post": {
                    "summary": "Submit a trajectory (a new version; never overwrites)",
                    "security": [{"bearer": []}],
                    "parameters": [
                        {
                            "name": "company_id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "integer"},
                        },
                        {
                            "name": "platform",
                            "in": "query",
                            "required": False,
                            "schema": {"type": "string"},
                            "description": "platform slug (CSV body)",
                        },
                        {
                            "name": "assurance",
                            "in": "query",
                            "required": False,
                            "schema": {"enum": list(ASSURANCE_LEVELS)},
                        },
                    ],
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "required": ["platform", "rows"],
                                    "properties": {
                                        "platform": {"type": "string"},
                                        "assurance": {"enum": list(ASSURANCE_LEVELS)},
                                        "rows": {"type": "array", "items": ref("TrajectoryRow")},
                                    },
                                }
                            },
                            "text/csv": {"schema": {"type": "string"}},
                        },
                    },
                    "responses": {
                        "201": _json(
                            {
                                "type": "object",
                                "required": ["id", "version", "status"],
                                "properties": {
                                    "id": {"type": "integer"},
                                    "version": {"type": "integer"},
                                    "status": {"type": "string"},
                                },
                            },
                            "stored as a new version",
                        ),
                        "401": UNAUTHORISED,
                        "403": _error("not a member of the company"),
                        "404": _error("no such company"),
                        "413": _error("body too large"),
                        "422": _error("problems by row and column; nothing stored"),
                    },
                }
            },
            "/submissions/{submission_id}": {
                "get": {
                    "summary": "A submission and its rows",
                    "security": [{"bearer": []}],
                    "parameters": [
                        {
                            "name": "submission_id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "integer"},
                        }
                    ],
                    "responses": {
                        "200": _json(
                            {
                                "type": "object",
                                "required": ["id", "version", "rows"],
                                "properties": {
                                    "id": {"type": "integer"},
                                    "version": {"type": "integer"},
                                    "rows": {"type": "array", "items": STORED_POINT},
                                },
                            },
                            "the submission",
                        ),
                        "401": UNAUTHORISED,
                        "404": _error("no such submission, or not yours to see"),
                    },
                }
            },
            "/openapi.json": {
                "get": {
                    "summary": "This document",
                    "security": [],
                    "responses": {"200": {"description": "OpenAPI 3.1"}},
                }
            },
        },
    }
