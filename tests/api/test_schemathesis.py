"""The API against its OpenAPI document: schemathesis generates requests for every operation
and checks each answer's status code, content type and body against the document, and that no
answer is a server error. Anonymously and with the bearer token of a company member, a
coordinator and an admin, on the world of tests/accounts/test_authorization.py, through the
WSGI app (no server, no network). Every /api/ route is in the document and every operation of
the document is generated (schemathesis leaves out the document itself, read here apart).

The document is loaded with schemathesis' WSGI loader from an app made at import (serving
/api/v1/openapi.json needs no database); each test then calls its own app, on its own database,
with ``app=``. (``schemathesis.pytest.from_fixture`` would load it from the ``app`` fixture, but
schemathesis 4.32 sets ``request.node._nodeid``, which pytest 9.2 no longer has.)"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from roadmap import create_app
from roadmap.accounts import operations as account_operations
from roadmap.db import get_session
from roadmap.models import User
from tests.accounts.test_authorization import World, build_world

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,  # the same cases on every run
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def world(app: Flask) -> World:
    return build_world(app)


def bearer(app: Flask, world: World, role: str) -> Callable[[], dict[str, str]]:
    """A new token of ``role``'s user for each call, so that a generated DELETE
    /auth/tokens/{id} that hits the token in use does not turn the rest of the run into 401s."""

    def headers() -> dict[str, str]:
        with app.app_context():
            session = get_session()
            user = session.get(User, world.users[role])
            _, secret = account_operations.create_api_token(user, "schemathesis", session=session)
            session.commit()
        return {"Authorization": f"Bearer {secret}"}

    return headers


_LOADER = create_app({"TESTING": True, "SECRET_KEY": "unused", "DATABASE_URL": "sqlite://"})
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", _LOADER)


@schema.parametrize()
@EXAMPLES
def test_api_conforms_to_its_document_anonymously(
    case: schemathesis.Case, app: Flask, world: World
) -> None:
    case.call_and_validate(app=app, checks=CHECKS)


@schema.parametrize()
@EXAMPLES
def test_api_conforms_to_its_document_as_admin(
    case: schemathesis.Case, app: Flask, world: World
) -> None:
    case.call_and_validate(app=app, headers=bearer(app, world, "admin")(), checks=CHECKS)


# A member and a coordinator see less than an admin; fewer cases each keep the run short.
@pytest.mark.parametrize("role", ["member", "coordinator"])
@schema.parametrize()
@settings(EXAMPLES, max_examples=10)
def test_api_conforms_to_its_document_as_member_and_coordinator(
    case: schemathesis.Case, app: Flask, world: World, role: str
) -> None:
    case.call_and_validate(app=app, headers=bearer(app, world, role)(), checks=CHECKS)


def _documented(document: dict[str, Any]) -> set[tuple[str, str]]:
    return {
        (method.upper(), f"/api/v1{path}")
        for path, operations in document["paths"].items()
        for method in operations
    }


def test_every_api_route_is_in_the_document(app: Flask) -> None:
    """Every rule under /api/ (of any blueprint) is an operation of the document, and every
    operation a rule."""
    document = app.test_client().get("/api/v1/openapi.json").get_json()
    rules = {
        (method, re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule))
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/")
        for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}
    }
    assert rules == _documented(document)


def test_schemathesis_generates_every_operation_but_the_document_itself() -> None:
    document = _LOADER.test_client().get("/api/v1/openapi.json").get_json()
    generated = {
        (operation.ok().method.upper(), f"/api/v1{operation.ok().path}")
        for operation in schema.get_all_operations()
    }
    assert generated == _documented(document) - {("GET", "/api/v1/openapi.json")}


@pytest.mark.parametrize("role", ["anonymous", "member", "coordinator", "admin"])
def test_the_document_itself_is_served_to_everyone(app: Flask, world: World, role: str) -> None:
    headers = {} if role == "anonymous" else bearer(app, world, role)()
    response = app.test_client().get("/api/v1/openapi.json", headers=headers)
    assert response.status_code == 200
    assert response.get_json()["openapi"].startswith("3.1")
