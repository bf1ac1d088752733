"""POST /api/v1/companies/<id>/what-if: a submission's rows reconciled and stored nowhere, for
whoever may read the company; the platform's gap only as far as the caller may see it."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import func, select

from roadmap.db import get_session
from roadmap.models import Submission, WhatIfDraft
from tests.accounts.test_authorization import World, build_world

ROWS = [
    {"year": 2020, "kind": "reported", "activity": 100, "activity_unit": "t Steel",
     "emissions": 250, "emissions_unit": "t CO2e"},
    {"year": 2030, "kind": "planned", "activity": 100, "activity_unit": "t Steel",
     "emissions": 120, "emissions_unit": "t CO2e"},
    {"year": 2050, "kind": "planned", "activity": 100, "activity_unit": "t Steel",
     "emissions": 50, "emissions_unit": "t CO2e"},
]  # fmt: skip


@pytest.fixture
def world(app: Flask) -> World:
    return build_world(app)


def _post(client: FlaskClient, world: World, role: str, company: int, body: Any) -> Any:
    headers = {} if role == "anonymous" else {"Authorization": f"Bearer {world.secrets[role]}"}
    return client.post(f"/api/v1/companies/{company}/what-if", json=body, headers=headers)


def _stored(app: Flask) -> tuple[int, int]:
    with app.app_context():
        session = get_session()
        return (
            session.exec(select(func.count()).select_from(Submission)).one(),
            session.exec(select(func.count()).select_from(WhatIfDraft)).one(),
        )


def test_the_rows_are_reconciled_and_nothing_is_stored(app: Flask, client, world) -> None:
    before = _stored(app)
    answer = _post(client, world, "member", world.alpha, {"platform": "steel", "rows": ROWS})
    assert answer.status_code == 200, answer.get_json()
    body = answer.get_json()
    assert body["scenario"] == "Test 1.5" and body["submitted_version"] == 2
    at = {r["year"]: r for r in body["rows"]}
    # C(b) = 2.5, T(2030) = 2.5 * 1.0 / 2.0 = 1.25; C(2030) = 1.2: gap -0.05, aligned.
    assert at[2030]["target_intensity"] == pytest.approx(1.25)
    assert at[2030]["gap"] == pytest.approx(-0.05)
    assert at[2030]["status"] == "aligned"
    # Two companies on the platform: the member is shown no totals (small-group rule).
    assert body["platform_gap"] == []
    assert _stored(app) == before


def test_an_admin_sees_the_platforms_live_gap_change(client, world) -> None:
    body = _post(client, world, "admin", world.alpha, {"platform": "steel", "rows": ROWS})
    gap = {r["year"]: r for r in body.get_json()["platform_gap"]}
    # 2030: Alpha's accepted v1 150 - 1.25 * 100 = 25; Beta (300 t, C(b) = 1.5, T(2030) =
    # 0.75, C(2030) = 1.5 - 0.05 * 10 = 1.0): (1.0 - 0.75) * 300 = 75. Gap 100; with the
    # what-if rows Alpha's part is 120 - 125 = -5: 70.
    assert gap[2030]["gap_emissions"] == pytest.approx(100)
    assert gap[2030]["gap_with_what_if"] == pytest.approx(70)


@pytest.mark.parametrize(
    ("role", "company", "status"),
    [
        ("coordinator", "alpha", 200),  # reads Alpha: may try its rows through the API
        ("consultant", "alpha", 200),
        ("stranger", "alpha", 404),
        ("member", "beta", 404),
        ("anonymous", "alpha", 401),
    ],
)
def test_as_reading_the_company(client, world, role: str, company: str, status: int) -> None:
    target = world.alpha if company == "alpha" else world.beta
    rows = [{**r, "company": "Alpha" if company == "alpha" else "Beta"} for r in ROWS]
    answer = _post(client, world, role, target, {"platform": "steel", "rows": rows})
    assert answer.status_code == status


def test_bad_rows_are_named_by_row_and_column(app: Flask, client, world) -> None:
    before = _stored(app)
    rows = [ROWS[0], {**ROWS[1], "emissions": "lots"}]
    answer = _post(client, world, "member", world.alpha, {"platform": "steel", "rows": rows})
    assert answer.status_code == 422
    errors = answer.get_json()["errors"]
    assert {"row": 2, "column": "emissions"} in [
        {"row": e["row"], "column": e["column"]} for e in errors
    ]
    assert _stored(app) == before


def test_rows_of_another_company_are_refused(client, world) -> None:
    rows = [{**r, "company": "Beta"} for r in ROWS]
    answer = _post(client, world, "member", world.alpha, {"platform": "steel", "rows": rows})
    assert answer.status_code == 422
