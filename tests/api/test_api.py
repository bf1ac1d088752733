"""/api/v1: an authorization matrix over every API route and role (bearer tokens), then the
bodies: scoped platforms and reconciliation rows, submissions by JSON and CSV, tokens, and
JSON errors.

The world is the one of tests/accounts/test_authorization.py (built in an application context of
its own, so each request gets its own ``g``).
"""

from __future__ import annotations

import json
import math
from typing import Any, NamedTuple

import pytest
from flask import Flask
from flask.testing import FlaskClient
from pytest import approx
from werkzeug.test import TestResponse

from roadmap.accounts import operations as account_operations
from roadmap.companies import operations as company_operations
from roadmap.db import get_session
from roadmap.domain import columns as col
from roadmap.domain.aggregate import platform_aggregate
from roadmap.domain.reconcile import ReconcileParams, reconcile
from roadmap.domain.temperature import implied_temperatures
from roadmap.models import ApiToken, Company, LoginAttempt, Submission
from tests.accounts.test_authorization import (
    ACCEPTED,
    BETA_V1,
    BIG_IDS,
    EMAILS,
    PASSWORD,
    World,
    build_world,
    count,
)
from tests.domain import helpers

API = "/api/v1"
ROLES = ("admin", "coordinator", "member", "peer", "consultant", "stranger", "anonymous")
STEEL_JSON = {
    "slug": "steel",
    "name": "Steel platform",
    "sector": "Steel",
    "region": "Global",
    "scope": "S1S2",
    "stage": 1,
    "net_zero_year": None,
    "vision": "",
    "public": True,
}
# A trajectory as JSON rows; company, sector, region and scope default to the URL's company
# and the platform's.
ROWS = [
    {
        "year": 2020,
        "kind": "reported",
        "activity": 300,
        "activity_unit": "t Steel",
        "emissions": 450,
        "emissions_unit": "t CO2e",
    },
    {
        "year": 2030,
        "kind": "planned",
        "activity": 300,
        "activity_unit": "t Steel",
        "emissions": 300,
        "emissions_unit": "t CO2e",
    },
    {
        "year": 2050,
        "kind": "planned",
        "activity": 300,
        "activity_unit": "t Steel",
        "emissions": 0,
        "emissions_unit": "t CO2e",
    },
]
SUBMISSION = {"platform": "steel", "rows": ROWS}
STEEL_RECONCILIATION = f"{API}/platforms/steel/reconciliation?scenario=Test%201.5"


@pytest.fixture
def world(app: Flask) -> World:
    return build_world(app)


def bearer(world: World, role: str) -> dict[str, str]:
    return {} if role == "anonymous" else {"Authorization": f"Bearer {world.secrets[role]}"}


def call(
    client: FlaskClient, world: World, role: str, method: str, url: str, **kwargs: Any
) -> TestResponse:
    headers = {**bearer(world, role), **kwargs.pop("headers", {})}
    return client.open(url, method=method, headers=headers, **kwargs)


# --- the authorization matrix ---------------------------------------------------------------


class Row(NamedTuple):
    role: str
    method: str
    url: str  # a template under /api/v1 (see placeholders())
    expected: int
    body: str | None = None  # "own_login" or "submission" (see body_of())


def route(method: str, url: str, *expected: int, body: str | None = None) -> list[Row]:
    """One route's rows: ``expected`` holds one status per role, in the order of ROLES."""
    assert len(expected) == len(ROLES), f"{method} {url}: one status per role"
    return [
        Row(role, method, url, status, body) for role, status in zip(ROLES, expected, strict=True)
    ]


# Rows run in this order, one world per role: reads, then writes, then the caller revokes its
# own token, after which the token is refused.
# fmt: off
MATRIX: list[Row] = [
    # membr: Alpha's member; peer: Beta's; cnslt: a consultant Alpha granted; strgr: one
    # nobody granted. URLs are under /api/v1.
    # method         url                                  admin coord membr peer  cnslt strgr anon
    *route("GET",    "/openapi.json",                     200,  200,  200,  200,  200,  200,  200),
    *route("GET",    "/platforms",                        200,  200,  200,  200,  200,  200,  200),
    *route("GET",    "/platforms/steel",                  200,  200,  200,  200,  200,  200,  200),
    *route("GET",    "/platforms/private-steel",          200,  404,  404,  200,  404,  404,  404),
    *route("GET",    "/platforms/no-such-platform",       404,  404,  404,  404,  404,  404,  404),
    *route("GET",    "/platforms/steel/reconciliation?scenario=Test%201.5",
                                                          200,  200,  200,  200,  200,  200,  200),
    *route("GET",    "/platforms/steel/reconciliation?scenario=No%20such",
                                                          422,  422,  422,  422,  422,  422,  422),
    *route("GET",    "/platforms/private-steel/reconciliation?scenario=Test%201.5",
                                                          200,  404,  404,  200,  404,  404,  404),
    *route("GET",    "/platforms/steel/pipeline",         200,  200,  200,  200,  200,  200,  200),
    *route("GET",    "/overview",                         200,  200,  200,  200,  200,  200,  200),
    *route("GET",    "/platforms/private-steel/pipeline", 200,  404,  404,  200,  404,  404,  404),
    *route("GET",    "/platforms/steel/projects",         200,  200,  200,  200,  200,  200,  200),
    *route("GET",    "/platforms/private-steel/projects", 200,  404,  404,  200,  404,  404,  404),
    *route("GET",    "/submissions/{alpha_v1}",           200,  200,  200,  404,  200,  404,  404),
    *route("GET",    "/submissions/{beta_v1}",            200,  200,  404,  200,  404,  404,  404),
    *route("GET",    "/submissions/{beta_private}",       200,  404,  404,  200,  404,  404,  404),
    *route("GET",    "/submissions/999999",               404,  404,  404,  404,  404,  404,  404),
    *route("GET",    "/auth/tokens",                      200,  200,  200,  200,  200,  200,  401),
    *route("GET",    "/companies",                        200,  200,  200,  200,  200,  200,  401),
    *route("GET",    "/companies/{alpha}/submissions",    200,  200,  200,  404,  200,  404,  401),
    *route("GET",    "/companies/{alpha}/submissions?page=0",
                                                          422,  422,  422,  404,  422,  404,  401),
    *route("GET",    "/companies/999999/submissions",     404,  404,  404,  404,  404,  404,  401),
    *route("GET",    "/review",                           200,  200,  403,  403,  403,  403,  401),
    *route("GET",    "/sectors",                          200,  200,  200,  200,  200,  200,  200),
    # the directory is open to everyone; needs are read as the pages show them
    *route("GET",    "/providers",                        200,  200,  200,  200,  200,  200,  200),
    *route("GET",    "/providers?order=random&stage=3",   200,  200,  200,  200,  200,  200,  200),
    *route("GET",    "/providers?stage=9",                422,  422,  422,  422,  422,  422,  422),
    *route("GET",    "/providers/{provider}",             200,  200,  200,  200,  200,  200,  200),
    *route("GET",    "/providers/999999",                 404,  404,  404,  404,  404,  404,  404),
    *route("GET",    "/needs",                            200,  200,  200,  200,  200,  200,  401),
    *route("GET",    "/needs?status=nope",                422,  422,  422,  422,  422,  422,  401),
    # what-if stores nothing: a read, for whoever may read the company
    *route("POST",   "/companies/{alpha}/what-if",        200,  200,  200,  404,  200,  404,  401,
           body="submission"),
    *route("POST",   "/companies/{beta}/what-if",         200,  200,  404,  200,  404,  404,  401,
           body="submission"),
    *route("POST",   "/companies/999999/what-if",         404,  404,  404,  404,  404,  404,  401,
           body="submission"),
    # --- writes (anonymous asks for a token with a wrong password) ---
    *route("POST",   "/auth/token",                       201,  201,  201,  201,  201,  201,  401,
           body="own_login"),
    *route("POST",   "/companies/{alpha}/submissions",    201,  403,  201,  404,  403,  404,  401,
           body="submission"),
    *route("POST",   "/companies/{beta}/submissions",     201,  403,  404,  201,  404,  404,  401,
           body="submission"),
    *route("POST",   "/companies/999999/submissions",     404,  404,  404,  404,  404,  404,  401,
           body="submission"),
    # Alpha's project: its member or the coordinators (Beta's member may not name Alpha)
    *route("POST",   "/platforms/steel/projects",         201,  201,  201,  422,  403,  403,  401,
           body="project"),
    # a coordinator only with an admin's leave (tests/api/test_sectors_api.py)
    *route("POST",   "/sectors",                          201,  403,  403,  403,  403,  403,  401,
           body="sector"),
    # alpha_v2 waits for review; beta_v1 was accepted when stored: a decision is final
    *route("POST",   "/submissions/{alpha_v2}/review",    200,  200,  403,  404,  403,  404,  401,
           body="review"),
    *route("POST",   "/submissions/{beta_v1}/review",     409,  409,  404,  403,  404,  404,  401,
           body="review"),
    *route("DELETE", "/auth/tokens/{other_token}",        404,  404,  404,  404,  404,  404,  401),
    *route("DELETE", "/auth/tokens/999999",               404,  404,  404,  404,  404,  404,  401),
    *route("DELETE", "/auth/tokens/{own_token}",          204,  204,  204,  204,  204,  204,  401),
    # the caller's token is revoked now: refused everywhere (a wrong token is not anonymity)
    *route("GET",    "/auth/tokens",                      401,  401,  401,  401,  401,  401,  401),
    *route("GET",    "/platforms",                        401,  401,  401,  401,  401,  401,  200),
]
# fmt: on


def placeholders(world: World, role: str) -> dict[str, object]:
    return {
        "alpha": world.alpha,
        "beta": world.beta,
        "alpha_v1": world.alpha_v1,
        "alpha_v2": world.alpha_v2,
        "beta_v1": world.beta_v1,
        "beta_private": world.beta_private,
        "provider": world.provider,
        "own_token": world.tokens.get(role, 0),
        "other_token": world.tokens["coordinator" if role == "admin" else "admin"],
    }


def body_of(row: Row) -> Any:
    if row.body == "own_login":
        if row.role == "anonymous":
            return {"email": EMAILS["stranger"], "password": "not the password"}
        return {"email": EMAILS[row.role], "password": PASSWORD}
    if row.body == "review":
        return {"decision": "accept"}
    if row.body == "sector":
        return {"name": "Glass", "product_unit": "Glass"}
    if row.body == "project":
        return {
            "company": "Alpha",
            "name": "Matrix plant",
            "technology": "scrap EAF",
            "status": "announced",
            "start_year": 2030,
            "capacity": 1.0,
            "capacity_unit": "Mt Steel",
        }
    return SUBMISSION if row.body == "submission" else None


def request_row(client: FlaskClient, world: World, row: Row) -> TestResponse:
    url = API + row.url.format(**placeholders(world, row.role))
    body = body_of(row)
    kwargs = {} if body is None else {"json": body}
    return call(client, world, row.role, row.method, url, **kwargs)


@pytest.mark.parametrize("role", ROLES)
def test_api_authorization_matrix(app: Flask, world: World, role: str) -> None:
    """Every row of ``role`` in order; every answer, error or not, is JSON (but 204)."""
    client = app.test_client()
    mismatches = []
    for row in MATRIX:
        if row.role != role:
            continue
        response = request_row(client, world, row)
        if response.status_code != row.expected:
            mismatches.append(
                f"{row.method} {row.url}: expected {row.expected}, got {response.status_code} "
                f"{response.get_data(as_text=True)[:200]}"
            )
        elif response.status_code != 204 and response.mimetype != "application/json":
            mismatches.append(f"{row.method} {row.url}: {response.mimetype}, not JSON")
        if response.status_code == 401 and "WWW-Authenticate" not in response.headers:
            mismatches.append(f"{row.method} {row.url}: 401 without WWW-Authenticate")
    assert mismatches == []


def test_matrix_covers_every_api_route(app: Flask) -> None:
    """A new API route (or method) without a row in MATRIX fails here."""
    adapter = app.url_map.bind("localhost")
    dummy = World(tokens=dict.fromkeys(EMAILS, 1))
    covered = set()
    for row in MATRIX:
        path = API + row.url.format(**placeholders(dummy, row.role)).split("?")[0]
        rule, _ = adapter.match(path, method=row.method, return_rule=True)
        covered.add((rule.rule, row.method))
    routes = {
        (rule.rule, method)
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith(API)
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert routes - covered == set()  # (route() gives each row a status for every role)


# --- platforms ------------------------------------------------------------------------------


def test_platform_list_is_scoped(client, world: World) -> None:
    seen = {
        role: [p["slug"] for p in call(client, world, role, "GET", f"{API}/platforms").get_json()]
        for role in ROLES
    }
    assert seen == {
        "admin": ["private-steel", "steel"],
        "coordinator": ["steel"],
        "member": ["steel"],
        "peer": ["private-steel", "steel"],  # Beta submits to it
        "consultant": ["steel"],
        "stranger": ["steel"],
        "anonymous": ["steel"],
    }


def test_anonymous_sees_public_platforms_only(client, world: World) -> None:
    assert client.get(f"{API}/platforms").get_json() == [STEEL_JSON]
    assert client.get(f"{API}/platforms/steel").get_json() == STEEL_JSON
    hidden = client.get(f"{API}/platforms/private-steel")
    unknown = client.get(f"{API}/platforms/no-such-platform")
    assert (hidden.status_code, hidden.get_json()) == (404, {"message": "no such platform"})
    assert (hidden.status_code, hidden.get_json()) == (unknown.status_code, unknown.get_json())


# --- reconciliation -------------------------------------------------------------------------


def expected_outcome() -> tuple[Any, Any]:
    """reconcile() and platform_aggregate() on the accepted submissions of "steel"."""
    outcome = reconcile(
        helpers.pathways(), helpers.trajectories(ACCEPTED), ReconcileParams("Test 1.5")
    )
    totals, _ = platform_aggregate(outcome.results)
    return outcome.results, totals


def assert_same_records(actual: list[dict[str, Any]], frame: Any, columns: list[str]) -> None:
    assert len(actual) == len(frame)
    for got, want in zip(actual, frame[columns].to_dict("records"), strict=True):
        assert set(got) == set(columns)
        for column in columns:
            value = want[column]
            if isinstance(value, float) and math.isnan(value):
                assert got[column] is None, column
            elif isinstance(value, float):
                assert got[column] == approx(value, rel=1e-12, abs=1e-12), column
            else:
                assert got[column] == value, column


VISIBLE_COMPANIES = {
    "admin": {"Alpha", "Beta"},
    "coordinator": {"Alpha", "Beta"},
    "member": {"Alpha"},
    "peer": {"Beta"},
    "consultant": {"Alpha"},
    "stranger": set(),
    "anonymous": set(),
}


def test_reconciliation_rows_are_scoped_and_aggregate_is_shared(client, world: World) -> None:
    results, totals = expected_outcome()
    seen = {}
    for role, companies in VISIBLE_COMPANIES.items():
        response = call(client, world, role, "GET", STEEL_RECONCILIATION)
        assert response.status_code == 200, role
        body = response.get_json()
        assert set(body) == {
            "platform",
            "scenario",
            "rows",
            "aggregate",
            "temperature",
            "warnings",
            "notes",
        }
        assert body["notes"] == [], role  # one scenario in CO2e, companies in CO2e: no units note
        assert (body["platform"], body["scenario"]) == ("steel", "Test 1.5")
        seen[role] = {row["company"] for row in body["rows"]}
        visible = results[results[col.COMPANY].isin(companies)]
        assert_same_records(body["rows"], visible, col.RESULT_COLUMNS)
        # Platform totals over every accepted company; but a total of fewer than three
        # companies (here two, Alpha and Beta) would be a peer's own figure, so only those who
        # may see every company of the platform get it.
        if role in ("admin", "coordinator"):
            assert_same_records(body["aggregate"], totals, col.AGGREGATE_COLUMNS)
        else:
            assert body["aggregate"] == [], role
        # Temperature scores: one's own companies; the sector's score, like a total, only for
        # those who see every company (two companies: the other's would follow from it).
        scores = implied_temperatures(results, helpers.pathways(), "Test 1.5").table
        shown = scores[scores[col.COMPANY].isin(companies)]
        if role in ("admin", "coordinator"):
            shown = scores
        assert_same_records(body["temperature"], shown, col.TEMPERATURE_COLUMNS)
        if role not in ("admin", "coordinator"):
            assert body["warnings"] == [], role  # warnings may name companies
            for name in {"Alpha", "Beta"} - companies:
                assert name not in response.get_data(as_text=True), role
    assert seen == VISIBLE_COMPANIES


def test_member_reconciliation_matches_the_domain_and_a_hand_check(client, world: World) -> None:
    body = call(client, world, "member", "GET", STEEL_RECONCILIATION).get_json()
    assert "Beta" not in json.dumps(body)
    by_year = {row["year"]: row for row in body["rows"]}
    # Test 1.5: S(2020) = 2, S(2030) = 1, S(2050) = 0; Alpha C(2020) = 250 / 100 = 2.5, with
    # a constant market share T(t) = 2.5 * S(t) / 2, so T(2030) = 1.25.
    assert by_year[2030]["sector_intensity"] == approx(1.0)
    assert by_year[2030]["target_intensity"] == approx(1.25)
    assert by_year[2030]["intensity"] == approx(1.5)
    assert by_year[2020]["intensity"] == approx(2.5)


def test_unknown_scenario_is_422_naming_the_scenario_column(client, world: World) -> None:
    response = client.get(f"{API}/platforms/steel/reconciliation?scenario=No%20such")
    assert response.status_code == 422
    assert response.get_json() == {
        "message": "cannot reconcile",
        "errors": [
            {
                "row": None,
                "column": "scenario",
                "message": "no scenario named 'No such'; this file has: 'Test 1.5', 'Test 2'",
            }
        ],
    }


# --- submissions ----------------------------------------------------------------------------


def test_json_submission_is_stored_as_the_next_version(app: Flask, client, world: World) -> None:
    before = count(app, Submission)
    url = f"{API}/companies/{world.beta}/submissions"
    first = call(client, world, "peer", "POST", url, json=SUBMISSION)
    assert first.status_code == 201
    created = first.get_json()
    assert set(created) == {"id", "version", "status"}
    assert (created["version"], created["status"]) == (2, "pending")  # after the accepted v1
    second = call(client, world, "peer", "POST", url, json=SUBMISSION)
    assert second.get_json()["version"] == 3
    assert count(app, Submission) == before + 2

    stored = call(client, world, "peer", "GET", f"{API}/submissions/{created['id']}")
    assert stored.status_code == 200
    body = stored.get_json()
    assert body["company"] == {"id": world.beta, "name": "Beta"}
    assert (body["platform"], body["version"], body["source"]) == ("steel", 2, "api")
    assert (body["submitted_by"], body["assurance"]) == (EMAILS["peer"], "self-reported")
    assert [(r["year"], r["kind"], r["activity"], r["emissions"]) for r in body["rows"]] == [
        (2020, "reported", 300.0, 450.0),
        (2030, "planned", 300.0, 300.0),
        (2050, "planned", 300.0, 0.0),
    ]
    # The member of Alpha may not see it, and cannot tell it from one that does not exist.
    hidden = call(client, world, "member", "GET", f"{API}/submissions/{created['id']}")
    assert (hidden.status_code, hidden.get_json()) == (404, {"message": "no such submission"})


def test_bad_rows_are_422_by_row_and_column_and_store_nothing(
    app: Flask, client, world: World
) -> None:
    rows = [
        dict(ROWS[0]),
        {**ROWS[1], "year": "20x0"},
        {**ROWS[2], "kind": "sometimes", "company": "Alpha"},
    ]
    before = count(app, Submission)
    response = call(
        client,
        world,
        "peer",
        "POST",
        f"{API}/companies/{world.beta}/submissions",
        json={"platform": "steel", "rows": rows},
    )
    assert response.status_code == 422
    body = response.get_json()
    assert body["message"] == "the rows were not accepted; nothing was stored"
    # Every problem at once: row 3 is also another company's (Beta submits here).
    assert [(e["row"], e["column"]) for e in body["errors"]] == [
        (2, "year"),
        (3, "company"),
        (3, "kind"),
    ]
    assert all(e["message"] for e in body["errors"])
    assert count(app, Submission) == before


def test_rows_of_another_company_are_422(app: Flask, client, world: World) -> None:
    rows = [{**row, "company": "Alpha"} if row["year"] == 2030 else row for row in ROWS]
    response = call(
        client,
        world,
        "peer",
        "POST",
        f"{API}/companies/{world.beta}/submissions",
        json={"platform": "steel", "rows": rows},
    )
    assert response.status_code == 422
    assert response.get_json()["errors"] == [
        {"row": 2, "column": "company", "message": "this submission is for Beta only"}
    ]


def test_an_unknown_scope_is_422_naming_the_scopes(app: Flask, client, world: World) -> None:
    """Finding 12 of issue 13: scope "XYZ" is refused, the message lists the scopes there are."""
    rows = [{**row, "scope": "XYZ"} for row in ROWS]
    before = count(app, Submission)
    response = call(
        client,
        world,
        "peer",
        "POST",
        f"{API}/companies/{world.beta}/submissions",
        json={"platform": "steel", "rows": rows},
    )
    assert response.status_code == 422
    allowed = "scope must be one of S1, S2, S3, S1S2, S1S3, S2S3, S1S2S3"
    assert response.get_json()["errors"] == [
        {"row": row, "column": "scope", "message": allowed} for row in range(1, 1 + len(ROWS))
    ]
    assert count(app, Submission) == before


@pytest.mark.parametrize(
    "body, column",
    [
        ({"platform": "private-steel", "rows": ROWS}, "platform"),  # not open to Alpha
        ({"platform": "steel", "rows": ROWS, "assurance": "vouched for"}, "assurance"),
    ],
)
def test_unknown_platform_or_assurance_is_422(
    app: Flask, client, world: World, body: dict[str, Any], column: str
) -> None:
    before = count(app, Submission)
    response = call(
        client, world, "member", "POST", f"{API}/companies/{world.alpha}/submissions", json=body
    )
    assert response.status_code == 422
    assert [e["column"] for e in response.get_json()["errors"]] == [column]
    assert count(app, Submission) == before


def test_malformed_json_body_is_422(client, world: World) -> None:
    response = call(
        client,
        world,
        "member",
        "POST",
        f"{API}/companies/{world.alpha}/submissions",
        data="{not json",
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "message" in response.get_json()


def test_csv_body_is_stored(app: Flask, client, world: World) -> None:
    before = count(app, Submission)
    response = call(
        client,
        world,
        "peer",
        "POST",
        f"{API}/companies/{world.beta}/submissions?platform=steel&assurance=limited%20assurance",
        data=BETA_V1,
        content_type="text/csv",
    )
    assert response.status_code == 201
    created = response.get_json()
    assert (created["version"], created["status"]) == (2, "pending")
    assert count(app, Submission) == before + 1
    stored = call(client, world, "peer", "GET", f"{API}/submissions/{created['id']}").get_json()
    assert stored["assurance"] == "limited assurance"
    assert [r["year"] for r in stored["rows"]] == [2020, 2050]


def test_csv_body_of_another_company_is_422(app: Flask, client, world: World) -> None:
    before = count(app, Submission)
    response = call(
        client,
        world,
        "member",
        "POST",
        f"{API}/companies/{world.alpha}/submissions?platform=steel",
        data=BETA_V1,
        content_type="text/csv",
    )
    assert response.status_code == 422
    assert [(e["row"], e["column"]) for e in response.get_json()["errors"]] == [
        (2, "company"),
        (3, "company"),
    ]
    assert count(app, Submission) == before


def test_consultant_may_read_but_not_submit(app: Flask, client, world: World) -> None:
    before = count(app, Submission)
    url = f"{API}/companies/{world.alpha}/submissions"
    response = call(client, world, "consultant", "POST", url, json=SUBMISSION)
    assert (response.status_code, response.get_json()) == (
        403,
        {"message": "only the company's members may submit for it"},
    )
    other = call(
        client,
        world,
        "consultant",
        "POST",
        f"{API}/companies/{world.beta}/submissions",
        json=SUBMISSION,
    )
    assert (other.status_code, other.get_json()) == (404, {"message": "no such company"})
    assert count(app, Submission) == before


def test_submission_of_a_peer_is_404_like_a_missing_one(client, world: World) -> None:
    peer = call(client, world, "member", "GET", f"{API}/submissions/{world.beta_v1}")
    missing = call(client, world, "member", "GET", f"{API}/submissions/999999")
    assert (peer.status_code, peer.get_json()) == (404, {"message": "no such submission"})
    assert (missing.status_code, missing.get_json()) == (peer.status_code, peer.get_json())


# --- authentication and tokens --------------------------------------------------------------


def test_submitting_without_a_valid_token_is_401(app: Flask, client, world: World) -> None:
    before = count(app, Submission)
    for header in [None, "Bearer not-a-token", "Basic bWVtYmVyOnBhc3N3b3Jk", "Bearer", "Bearer "]:
        headers = {} if header is None else {"Authorization": header}
        response = client.post(
            f"{API}/companies/{world.alpha}/submissions", json=SUBMISSION, headers=headers
        )
        assert response.status_code == 401, header
        assert response.headers["WWW-Authenticate"] == 'Bearer realm="roadmap"'
        assert set(response.get_json()) == {"message"}
    assert count(app, Submission) == before


def test_token_life_cycle(app: Flask, client, world: World) -> None:
    made = client.post(
        f"{API}/auth/token", json={"email": EMAILS["member"], "password": PASSWORD, "name": "ci"}
    )
    assert made.status_code == 201
    assert set(made.get_json()) == {"token"}
    secret = made.get_json()["token"]
    auth = {"Authorization": f"Bearer {secret}"}

    listed = client.get(f"{API}/auth/tokens", headers=auth)
    assert listed.status_code == 200
    tokens = listed.get_json()
    assert [t["name"] for t in tokens] == ["ci", "member token"]  # newest first; own only
    for token in tokens:
        assert set(token) == {"id", "name", "prefix", "created_at", "last_used_at", "revoked"}
        assert token["revoked"] is False
    text = listed.get_data(as_text=True)
    assert secret not in text and world.secrets["member"] not in text  # never a secret
    assert tokens[0]["prefix"] == secret[:8]
    assert tokens[0]["last_used_at"] is not None  # this very call

    gone = client.delete(f"{API}/auth/tokens/{tokens[0]['id']}", headers=auth)
    assert (gone.status_code, gone.get_data()) == (204, b"")
    refused = client.get(f"{API}/auth/tokens", headers=auth)
    assert refused.status_code == 401
    assert refused.headers["WWW-Authenticate"] == 'Bearer realm="roadmap"'
    still = call(client, world, "member", "GET", f"{API}/auth/tokens").get_json()
    assert [(t["name"], t["revoked"]) for t in still] == [("ci", True), ("member token", False)]
    assert count(app, ApiToken, ApiToken.revoked_at.is_not(None)) == 1


@pytest.mark.parametrize(
    "body, columns",
    [
        (None, [None]),  # not an object: no field to name
        ([], [None]),
        ({"email": EMAILS["member"]}, ["password"]),
        ({"email": EMAILS["member"], "password": 12345}, ["password"]),
    ],
)
def test_malformed_token_request_is_422(
    app: Flask, client, body: Any, columns: list[str | None]
) -> None:
    response = client.post(f"{API}/auth/token", json=body)
    assert response.status_code == 422
    answer = response.get_json()
    assert answer["message"] == 'send JSON {"email": ..., "password": ...}'
    assert [(e["row"], e["column"]) for e in answer["errors"]] == [(None, c) for c in columns]
    assert "12345" not in response.get_data(as_text=True)  # a password is never echoed
    assert count(app, LoginAttempt) == 0


def test_token_requests_are_throttled_after_five_failures(app: Flask, client, world) -> None:
    wrong = {"email": EMAILS["member"], "password": "not the password"}
    for _ in range(5):
        assert client.post(f"{API}/auth/token", json=wrong).status_code == 401
    right = client.post(f"{API}/auth/token", json={"email": EMAILS["member"], "password": PASSWORD})
    assert right.status_code == 429
    assert "token" not in right.get_json()
    other = client.post(f"{API}/auth/token", json={"email": EMAILS["peer"], "password": PASSWORD})
    assert other.status_code == 201  # the throttle is per email


# --- errors are JSON ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "method, url, status",
    [
        ("GET", f"{API}/no-such-thing", 404),
        ("GET", f"{API}/submissions/not-a-number", 404),
        ("PUT", f"{API}/platforms", 405),
        ("DELETE", f"{API}/platforms/steel", 405),
    ],
)
def test_errors_are_json(client, method: str, url: str, status: int) -> None:
    response = client.open(url, method=method)
    assert response.status_code == status
    assert response.mimetype == "application/json"
    assert set(response.get_json()) == {"message"}


@pytest.mark.parametrize("content_type", ["application/json", "text/csv"])
def test_body_over_max_content_length_is_413_json(
    app: Flask, client, world: World, content_type: str
) -> None:
    app.config["MAX_CONTENT_LENGTH"] = 256
    before = count(app, Submission)
    body = (
        json.dumps({"platform": "steel", "rows": ROWS * 4})
        if content_type == "application/json"
        else BETA_V1 * 4
    )
    assert len(body) > 256
    response = call(
        client,
        world,
        "peer",
        "POST",
        f"{API}/companies/{world.beta}/submissions?platform=steel",
        data=body,
        content_type=content_type,
    )
    assert response.status_code == 413
    assert response.mimetype == "application/json"
    assert set(response.get_json()) == {"message"}
    assert count(app, Submission) == before


@pytest.mark.parametrize("big", BIG_IDS)
def test_id_beyond_the_database_integer_is_404(app: Flask, client, world: World, big: int) -> None:
    """A valid integer in the URL and in the document, but no id the database can hold (once
    a 500: OverflowError on SQLite, DataError on PostgreSQL)."""
    for method, url in [
        ("GET", f"/submissions/{big}"),
        ("DELETE", f"/auth/tokens/{big}"),
        ("POST", f"/companies/{big}/submissions"),
    ]:
        response = call(client, world, "member", method, API + url, json=SUBMISSION)
        assert response.status_code == 404, url
        assert response.mimetype == "application/json"


# Answers schemathesis does not provoke (it sends no bad token, no oversized body): each status
# must still be one the document lists for the operation.


@pytest.mark.parametrize(
    "method, path, request_kwargs, status",
    [
        pytest.param(
            "get",
            "/platforms",
            {"headers": {"Authorization": "Bearer nope"}},
            401,
            id="platforms-bad-token",
        ),
        pytest.param(
            "get",
            "/openapi.json",
            {"headers": {"Authorization": "Bearer nope"}},
            200,  # the document is served to anyone, whatever token comes with the request
            id="openapi-bad-token",
        ),
        pytest.param(
            "post",
            "/companies/{company_id}/submissions",
            {"data": "x" * 300},
            413,
            id="submission-too-large",
        ),
        pytest.param(
            "post",
            "/auth/token",
            {"data": "x" * 300},
            413,
            id="token-request-too-large",
        ),
    ],
)
def test_errors_outside_the_generated_cases_are_documented(
    app: Flask, client, method: str, path: str, request_kwargs: dict[str, Any], status: int
) -> None:
    app.config["MAX_CONTENT_LENGTH"] = 256
    token, company_id = {}, 0
    if path.startswith("/companies"):  # an admin and a company, so that the body is read
        with app.app_context():
            session = get_session()
            company_id = company_operations.get_or_create_company("Alpha", session=session).id
            user = account_operations.create_user(
                session=session, email="x@example.com", password=PASSWORD, role="admin"
            )
            _, secret = account_operations.create_api_token(user, "t", session=session)
            session.commit()
        token = {"Authorization": f"Bearer {secret}"}
    url = API + path.replace("{company_id}", str(company_id))
    kwargs = dict(request_kwargs)
    response = client.open(
        url,
        method=method.upper(),
        content_type="application/json",
        headers={**token, **kwargs.pop("headers", {})},
        **kwargs,
    )
    assert response.status_code == status
    document = client.get(f"{API}/openapi.json").get_json()
    assert str(status) in document["paths"][path][method]["responses"]


def test_rows_naming_the_company_in_other_case_are_the_same_company(
    app: Flask, client, world: World
) -> None:
    """A member who writes its company's name in capitals, or with extra blanks, submits for
    its own company: no second company is made, and the member reads what it sent."""
    companies = count(app, Company)
    shouted = BETA_V1.replace("\nBeta,", "\n  BETA ,")
    response = call(
        client,
        world,
        "peer",
        "POST",
        f"{API}/companies/{world.beta}/submissions?platform=steel",
        data=shouted,
        content_type="text/csv",
    )
    assert response.status_code == 201, response.get_json()
    assert count(app, Company) == companies
    stored = call(client, world, "peer", "GET", f"{API}/submissions/{response.get_json()['id']}")
    assert stored.status_code == 200
    assert stored.get_json()["company"] == {"id": world.beta, "name": "Beta"}
    assert stored.get_json()["version"] == 2


def test_json_never_carries_nan_or_infinity(app: Flask) -> None:
    """NaN and Infinity are not JSON; a figure that is not a finite number is sent as null."""
    text = app.json.dumps({"a": float("inf"), "b": [1.5, float("nan")], "c": (-math.inf,)})
    assert json.loads(text) == {"a": None, "b": [1.5, None], "c": [None]}


def test_reconciliation_is_strict_json(client, world: World) -> None:
    response = call(client, world, "coordinator", "GET", STEEL_RECONCILIATION)
    assert response.status_code == 200

    def refuse(constant: str) -> None:
        raise AssertionError(f"{constant} in the API's JSON")

    json.loads(response.get_data(as_text=True), parse_constant=refuse)
