"""/api/v1 for companies, a company's submissions page by page, and the coordinators' review, on
the world of tests/accounts/test_authorization.py: Alpha has v1 (accepted) and v2 (pending) on
steel; Beta v1 (accepted) on steel and one on private-steel."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from roadmap.models import Submission
from tests.accounts.test_authorization import BIG_IDS, World, build_world

API = "/api/v1"


@pytest.fixture
def world(app: Flask) -> World:
    return build_world(app)


def bearer(world: World, role: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {world.secrets[role]}"}


@pytest.mark.parametrize(
    ("role", "names"),
    [
        ("admin", ["Alpha", "Beta"]),
        ("coordinator", ["Alpha", "Beta"]),  # both submit to steel
        ("member", ["Alpha"]),
        ("consultant", ["Alpha"]),  # granted by Alpha
        ("stranger", []),
    ],
)
def test_companies_are_those_the_caller_may_see(client: FlaskClient, world, role, names):  # type: ignore[no-untyped-def]
    response = client.get(f"{API}/companies", headers=bearer(world, role))
    assert [c["name"] for c in response.get_json()] == names


def test_a_companys_submissions_come_a_page_at_a_time(client: FlaskClient, world: World) -> None:
    """Two versions of Alpha, newest first: page 1 of 1 per page is v2, page 2 is v1, page 3
    is empty; the total is 2 throughout."""
    pages = [
        client.get(
            f"{API}/companies/{world.alpha}/submissions?per_page=1&page={page}",
            headers=bearer(world, "member"),
        ).get_json()
        for page in (1, 2, 3)
    ]
    assert [[i["version"] for i in p["items"]] for p in pages] == [[2], [1], []]
    assert [p["total"] for p in pages] == [2, 2, 2]
    first = pages[0]["items"][0]
    assert (first["status"], first["round"], first["platform"]) == ("pending", None, "steel")
    # v1 was stored as accepted: it is in steel's published Initial round.
    assert pages[1]["items"][0]["round"]["name"] == "Initial"


def test_review_lists_what_waits_then_records_a_request_for_changes(
    app: Flask, client: FlaskClient, world: World
) -> None:
    coordinator = bearer(world, "coordinator")
    waiting = client.get(f"{API}/review", headers=coordinator).get_json()
    assert waiting["total"] == 1
    (item,) = waiting["items"]
    assert (item["id"], item["company"]["name"], item["version"]) == (world.alpha_v2, "Alpha", 2)
    # v2 only changes the 2030 plan (150 -> 140 t): no check is raised for a plan.
    assert item["checks"] == []
    url = f"{API}/submissions/{world.alpha_v2}/review"
    missing = client.post(url, json={"decision": "request_changes"}, headers=coordinator)
    assert missing.status_code == 422
    assert [e["column"] for e in missing.get_json()["errors"]] == ["message"]
    decided = client.post(
        url,
        json={"decision": "request_changes", "message": "source for 2030?"},
        headers=coordinator,
    )
    assert decided.status_code == 200
    assert (decided.get_json()["status"], decided.get_json()["review_reason"]) == (
        "changes_requested",
        "source for 2030?",
    )
    again = client.post(url, json={"decision": "accept"}, headers=coordinator)
    assert again.status_code == 409
    message = again.get_json()["message"]
    assert message.startswith("Version 2 was already decided by ")
    assert message.endswith(" UTC (changes requested); a decision is final.")
    assert client.get(f"{API}/review", headers=coordinator).get_json()["total"] == 0
    with app.app_context():
        from roadmap.db import get_session

        assert get_session().get(Submission, world.alpha_v2).status == "changes_requested"


@pytest.mark.parametrize("big", BIG_IDS)
def test_an_id_beyond_the_database_integer_is_404_on_a_get_and_post_path(
    client: FlaskClient, world: World, big: int
) -> None:
    """GET and POST share /companies/<id>/submissions: a number too large for the database
    matches neither (404), rather than the other method's route (405)."""
    response = client.get(f"{API}/companies/{big}/submissions", headers=bearer(world, "admin"))
    assert response.status_code == 404
