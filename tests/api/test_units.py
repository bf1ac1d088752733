"""The API takes the per-row clinker ratio and mass per passenger and stores them as sent."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlmodel import Session, select

from roadmap.db import get_engine
from roadmap.models import TrajectoryPoint
from tests.accounts.test_authorization import World, build_world
from tests.api.test_api import API, ROWS, call


@pytest.fixture
def world(app: Flask) -> World:
    return build_world(app)


def test_json_rows_carry_clinker_ratio_and_mass_per_passenger(
    app: Flask, client, world: World
) -> None:
    """Numbers the Steel sector does not need are stored as sent (0.1 + 0.2 as
    0.30000000000000004), and a clinker ratio above 1 is refused at its row and column."""
    rows = [
        {**ROWS[0], "clinker_ratio": 0.1 + 0.2, "kg_per_passenger": 100},
        *ROWS[1:],
    ]
    url = f"{API}/companies/{world.alpha}/submissions"
    response = call(client, world, "member", "POST", url, json={"platform": "steel", "rows": rows})
    assert response.status_code == 201, response.get_json()
    with app.app_context(), Session(get_engine()) as session:
        stored = session.exec(
            select(
                TrajectoryPoint.year,
                TrajectoryPoint.clinker_ratio,
                TrajectoryPoint.kg_per_passenger,
            )
            .where(TrajectoryPoint.submission_id == response.get_json()["id"])
            .order_by(TrajectoryPoint.year)
        ).all()
    assert [tuple(r) for r in stored] == [
        (2020, 0.30000000000000004, 100.0),
        (2030, None, None),
        (2050, None, None),
    ]
    bad = [{**ROWS[0], "clinker_ratio": 1.5}, *ROWS[1:]]
    response = call(client, world, "member", "POST", url, json={"platform": "steel", "rows": bad})
    assert response.status_code == 422
    assert response.get_json()["errors"] == [
        {
            "row": 1,
            "column": "clinker_ratio",
            "message": "must be at most 1 (t clinker per t cement)",
        }
    ]
