"""The typed schemas of /api/v1 (roadmap/api/schemas.py) and the OpenAPI document made from
them: the document covers every route and every reference in it resolves; request bodies are
read with the models (a malformed one is a 422 naming the field); and what each endpoint
answers is what its model says."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from roadmap.accounts import operations as account_operations
from roadmap.api import schemas
from roadmap.api.openapi import ROUTES
from roadmap.db import get_session
from roadmap.domain import columns as col
from roadmap.domain.aggregate import platform_aggregate
from roadmap.domain.errors import Problem
from roadmap.domain.reconcile import ReconcileParams, reconcile
from roadmap.models import ASSURANCE_LEVELS, Submission, User
from tests.accounts.test_authorization import (
    ACCEPTED,
    EMAILS,
    PASSWORD,
    World,
    build_world,
    count,
)
from tests.api.test_api import ROWS, SUBMISSION, bearer
from tests.domain import helpers

API = "/api/v1"
RULE_ARGUMENT = re.compile(r"<(?:(\w+):)?(\w+)>")


@pytest.fixture
def world(app: Flask) -> World:
    return build_world(app)


@pytest.fixture
def document(client: FlaskClient) -> dict[str, Any]:
    response = client.get(f"{API}/openapi.json")
    assert response.status_code == 200
    return response.get_json()


# --- the document ---------------------------------------------------------------------------


def _api_rules(app: Flask) -> dict[tuple[str, str], dict[str, str]]:
    """(path as the document writes it, METHOD) -> {argument: converter} of each rule of the
    api blueprint."""
    found = {}
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("api."):
            continue
        path = RULE_ARGUMENT.sub(r"{\2}", rule.rule).removeprefix(API)
        arguments = {name: kind or "default" for kind, name in RULE_ARGUMENT.findall(rule.rule)}
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            found[(path, method)] = arguments
    return found


def test_document_lists_every_route_of_the_api_blueprint(app: Flask, document) -> None:
    assert document["openapi"].startswith("3.1")
    rules = _api_rules(app)
    documented = {
        (path, method.upper()): operation
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
    }
    assert set(documented) == set(rules)
    for key, arguments in rules.items():
        parameters = {
            p["name"]: p["schema"]["type"]
            for p in documented[key].get("parameters", [])
            if p["in"] == "path"
        }
        # An <int:...> rule takes integers only; a plain one any string.
        assert parameters == {
            name: "integer" if kind == "int" else "string" for name, kind in arguments.items()
        }, key


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        own = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return own + [ref for value in node.values() for ref in _refs(value)]
    if isinstance(node, list):
        return [ref for value in node for ref in _refs(value)]
    return []


def _resolve(document: dict[str, Any], ref: str) -> Any:
    assert ref.startswith("#/"), ref  # the document refers to nothing outside itself
    node: Any = document
    for part in ref[2:].split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        assert isinstance(node, dict) and part in node, ref
        node = node[part]
    return node


def test_every_reference_resolves_and_every_schema_is_used(document) -> None:
    refs = _refs(document)
    assert refs
    for ref in refs:
        assert isinstance(_resolve(document, ref), dict), ref
    used = {ref.removeprefix("#/components/schemas/") for ref in refs}
    assert set(document["components"]["schemas"]) == used


def test_row_schemas_follow_the_data_contract_columns(document) -> None:
    """A column added to a list in domain/columns.py shows up without an edit of the API."""
    components = document["components"]["schemas"]
    for name, columns in [
        ("ResultRow", col.RESULT_COLUMNS),
        ("AggregateRow", col.AGGREGATE_COLUMNS),
        ("StoredPoint", col.TRAJECTORY_POINT),
        ("TrajectoryRow", col.TRAJECTORY_COLUMNS),
    ]:
        assert list(getattr(schemas, name).model_fields) == columns, name
        assert set(components[name]["properties"]) == set(columns), name
    result = components["ResultRow"]["properties"]
    assert result[col.COMPANY]["type"] == "string"
    assert result[col.YEAR]["type"] == "integer"
    assert result[col.GAP]["anyOf"] == [{"type": "number"}, {"type": "null"}]  # NaN -> null
    assert result[col.STATUS]["enum"] == [col.ALIGNED, col.BEHIND]


def test_every_column_the_engine_gives_has_the_right_type() -> None:
    """So that moving a detail column into RESULT_COLUMNS or AGGREGATE_COLUMNS needs no edit
    of the schemas (strict: no number is read from text, no text from a number)."""
    outcome = reconcile(
        helpers.pathways(), helpers.trajectories(ACCEPTED), ReconcileParams("Test 1.5")
    )
    totals, _ = platform_aggregate(outcome.results)
    for frame, columns in [
        (outcome.results, col.RESULT_COLUMNS + col.RESULT_DETAIL_COLUMNS),
        (totals, col.AGGREGATE_COLUMNS + col.AGGREGATE_DETAIL_COLUMNS),
    ]:
        model = schemas.output_row("Every", columns, "every column")
        records = frame[columns].astype(object).where(frame[columns].notna(), None)
        for record in records.to_dict("records"):
            model.model_validate(record, strict=True)


def test_error_items_have_the_keys_of_a_problem() -> None:
    problem = Problem("request", 2, "year", "not a year")
    assert list(schemas.ErrorItem.model_fields) == list(problem.as_dict())


def test_csv_body_and_its_query_parameters_are_documented(document) -> None:
    operation = document["paths"]["/companies/{company_id}/submissions"]["post"]
    assert set(operation["requestBody"]["content"]) == {"application/json", "text/csv"}
    query = {p["name"]: p for p in operation["parameters"] if p["in"] == "query"}
    assert set(query) == {"platform", "assurance"}
    assert query["assurance"]["schema"]["enum"] == list(ASSURANCE_LEVELS)


# --- malformed request bodies ---------------------------------------------------------------

WRONG_BODIES = [
    pytest.param(["not", "an", "object"], [None], id="a-list"),
    pytest.param("steel", [None], id="a-string"),
    pytest.param(None, [None], id="null"),
    pytest.param({"rows": ROWS}, ["platform"], id="no-platform"),
    pytest.param({"platform": "steel"}, ["rows"], id="no-rows"),
    pytest.param({"platform": 7, "rows": ROWS}, ["platform"], id="platform-a-number"),
    pytest.param({"platform": "steel", "rows": {"year": 2020}}, ["rows"], id="rows-an-object"),
    # Rows are numbered from 1, as the data-contract checks number them.
    pytest.param({"platform": "steel", "rows": [ROWS[0], 2021]}, [(2, None)], id="row-a-number"),
    pytest.param(
        {"platform": "steel", "rows": [ROWS[0], {**ROWS[1], "year": True, "notes": ["x"]}]},
        [(2, "year"), (2, "notes")],
        id="cells-not-text-or-numbers",
    ),
    pytest.param(
        {**SUBMISSION, "assurance": "vouched for", "platform": None},
        ["platform", "assurance"],
        id="two-wrong-fields",
    ),
]


@pytest.mark.parametrize("body, columns", WRONG_BODIES)
def test_malformed_submission_body_is_422_naming_the_field(
    app: Flask,
    client: FlaskClient,
    world: World,
    body: Any,
    columns: list[str | tuple[int, str | None] | None],
) -> None:
    before = count(app, Submission)
    response = client.post(
        f"{API}/companies/{world.alpha}/submissions", json=body, headers=bearer(world, "member")
    )
    assert response.status_code == 422
    answer = schemas.ErrorResponse.model_validate(response.get_json())
    assert answer.message.startswith('send JSON {"platform": slug')
    places = [c if isinstance(c, tuple) else (None, c) for c in columns]
    assert [(e.row, e.column) for e in answer.errors] == places
    assert all(e.message for e in answer.errors)
    assert count(app, Submission) == before


def test_body_that_is_not_json_is_422(client: FlaskClient, world: World) -> None:
    response = client.post(
        f"{API}/companies/{world.alpha}/submissions",
        data='{"platform": "steel", rows: []}',
        content_type="application/json",
        headers=bearer(world, "member"),
    )
    assert response.status_code == 422
    assert [e["column"] for e in response.get_json()["errors"]] == [None]


def test_numbers_and_nulls_in_rows_are_read_as_text(client: FlaskClient, world: World) -> None:
    """Numbers are handed on as the caller wrote them (2020, not 2020.0); null is an empty
    cell, so a company left null is the URL's company."""
    rows = [{**row, "company": None, "intensity": None} for row in ROWS]
    response = client.post(
        f"{API}/companies/{world.alpha}/submissions",
        json={"platform": "steel", "rows": rows},
        headers=bearer(world, "member"),
    )
    assert response.status_code == 201, response.get_json()


def test_too_many_rows_is_422(app: Flask, client: FlaskClient, world: World) -> None:
    app.config["MAX_UPLOAD_ROWS"] = 2
    response = client.post(
        f"{API}/companies/{world.alpha}/submissions",
        json=SUBMISSION,
        headers=bearer(world, "member"),
    )
    assert (response.status_code, response.get_json()) == (422, {"message": "at most 2 rows"})


def test_wrong_assurance_of_a_csv_body_is_422(client: FlaskClient, world: World) -> None:
    response = client.post(
        f"{API}/companies/{world.alpha}/submissions?platform=steel&assurance=vouched",
        data="company,year\n",
        content_type="text/csv",
        headers=bearer(world, "member"),
    )
    assert response.status_code == 422
    assert [(e["row"], e["column"]) for e in response.get_json()["errors"]] == [(None, "assurance")]


def test_token_name_longer_than_the_database_keeps_is_422(client: FlaskClient, world) -> None:
    body = {"email": EMAILS["member"], "password": PASSWORD, "name": "x" * 101}
    response = client.post(f"{API}/auth/token", json=body)
    assert response.status_code == 422
    assert [e["column"] for e in response.get_json()["errors"]] == ["name"]


# --- answers against their models -----------------------------------------------------------


PROJECT = {
    "company": "Alpha",
    "name": "Sample plant",
    "technology": "hydrogen DRI-EAF",
    "status": "announced",
    "announced_on": "2025-01-10",
    "start_year": 2030,
    "capacity": 1.2,
    "capacity_unit": "Mt Steel",
}


def _spare_token(app: Flask, world: World) -> int:
    """An admin's token other than the one the requests use, for them to revoke."""
    with app.app_context():
        session = get_session()
        admin = session.get(User, world.users["admin"])
        token, _ = account_operations.create_api_token(admin, "spare", session=session)
        session.commit()
        return token.id


def _samples(app: Flask, world: World) -> dict[tuple[str, str], tuple[str, dict[str, Any]]]:
    """(method, documented path) -> (URL under /api/v1, request arguments), as the admin."""
    login = {"email": EMAILS["admin"], "password": PASSWORD, "name": "sample"}
    spare = _spare_token(app, world)
    return {
        ("post", "/auth/token"): ("/auth/token", {"json": login}),
        ("get", "/auth/tokens"): ("/auth/tokens", {}),
        ("delete", "/auth/tokens/{token_id}"): (f"/auth/tokens/{spare}", {}),
        ("get", "/platforms"): ("/platforms", {}),
        ("get", "/platforms/{slug}"): ("/platforms/steel", {}),
        ("get", "/platforms/{slug}/reconciliation"): (
            "/platforms/steel/reconciliation?scenario=Test%201.5",
            {},
        ),
        ("post", "/companies/{company_id}/submissions"): (
            f"/companies/{world.beta}/submissions",
            {"json": SUBMISSION},
        ),
        ("post", "/companies/{company_id}/what-if"): (
            f"/companies/{world.beta}/what-if",
            {"json": SUBMISSION},
        ),
        ("get", "/submissions/{submission_id}"): (f"/submissions/{world.beta_v1}", {}),
        ("get", "/companies"): ("/companies", {}),
        ("get", "/companies/{company_id}/submissions"): (
            f"/companies/{world.alpha}/submissions?per_page=1",
            {},
        ),
        ("get", "/review"): ("/review", {}),
        ("post", "/submissions/{submission_id}/review"): (
            f"/submissions/{world.alpha_v2}/review",
            {"json": {"decision": "request_changes", "message": "2030 is missing a source"}},
        ),
        ("get", "/platforms/{slug}/projects"): ("/platforms/steel/projects", {}),
        ("post", "/platforms/{slug}/projects"): ("/platforms/steel/projects", {"json": PROJECT}),
        ("get", "/sectors"): ("/sectors", {}),
        ("get", "/platforms/{slug}/pipeline"): ("/platforms/steel/pipeline", {}),
        ("get", "/overview"): ("/overview", {}),
        ("get", "/providers"): ("/providers?order=random&seed=0123abcd", {}),
        ("get", "/providers/{provider_id}"): (f"/providers/{world.provider}", {}),
        ("get", "/needs"): ("/needs?status=all", {}),
        ("post", "/sectors"): (
            "/sectors",
            {"json": {"name": "Glass", "product_unit": "Glass", "aliases": ["Glas"]}},
        ),
        ("get", "/openapi.json"): ("/openapi.json", {}),
    }


def test_every_answer_is_what_its_model_says(app: Flask, client: FlaskClient, world) -> None:
    samples = _samples(app, world)
    assert set(samples) == {(r.method, r.path) for r in ROUTES}  # a new route needs a sample
    admin = bearer(world, "admin")
    for route in ROUTES:
        url, kwargs = samples[(route.method, route.path)]
        response = client.open(API + url, method=route.method.upper(), headers=admin, **kwargs)
        status, model, _ = route.ok
        assert response.status_code == status, (route.path, response.get_data(as_text=True))
        if model is None:
            continue
        parsed = model.model_validate_json(response.get_data(), strict=True)
        # Nothing the model does not know of, and nothing it leaves out.
        assert parsed.model_dump(mode="json") == response.get_json(), route.path


def test_reconciliation_rows_are_filled(client: FlaskClient, world: World) -> None:
    """The sample above is not vacuous: the admin sees rows and totals."""
    response = client.get(
        f"{API}/platforms/steel/reconciliation?scenario=Test%201.5", headers=bearer(world, "admin")
    )
    answer = schemas.ReconciliationResponse.model_validate(response.get_json())
    assert {row.company for row in answer.rows} == {"Alpha", "Beta"}
    assert answer.aggregate


@pytest.mark.parametrize(
    "method, url",
    [
        ("GET", "/platforms/no-such-platform"),
        ("GET", "/submissions/999999"),
        ("GET", "/platforms/steel/reconciliation?scenario=No%20such"),
        ("POST", "/auth/token"),
        ("GET", "/no-such-thing"),
    ],
)
def test_every_error_is_an_error_response(client: FlaskClient, method: str, url: str) -> None:
    response = client.open(API + url, method=method)
    assert response.status_code >= 400
    parsed = schemas.ErrorResponse.model_validate_json(response.get_data(), strict=True)
    assert parsed.message
