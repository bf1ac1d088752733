"""The API against its OpenAPI document: schemathesis generates requests for every operation
and checks each answer's status code, content type and body against the document, and that no
answer is a server error. Once anonymous, once with an admin's bearer token, on the world of
tests/accounts/test_authorization.py, through the WSGI app (no server, no network).

The document is loaded with schemathesis' WSGI loader from an app made at import (serving
/api/v1/openapi.json needs no database); each test then calls its own app, on its own database,
with ``app=``. (``schemathesis.pytest.from_fixture`` would load it from the ``app`` fixture, but
schemathesis 4.32 sets ``request.node._nodeid``, which pytest 9.2 no longer has.)"""

from __future__ import annotations

from collections.abc import Callable

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


@pytest.fixture
def admin_bearer(app: Flask, world: World) -> Callable[[], dict[str, str]]:
    """A new admin token for each call, so that a generated DELETE /auth/tokens/{id} that hits
    the token in use does not turn the rest of the run into 401s."""

    def headers() -> dict[str, str]:
        with app.app_context():
            session = get_session()
            admin = session.get(User, world.users["admin"])
            _, secret = account_operations.create_api_token(admin, "schemathesis", session=session)
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
    case: schemathesis.Case, app: Flask, admin_bearer: Callable[[], dict[str, str]]
) -> None:
    case.call_and_validate(app=app, headers=admin_bearer(), checks=CHECKS)
