"""/api/v1/platforms/<slug>/projects: the projects the token's user may see in detail (never
another company's confidential one), and adding one with the form's checks."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import select

from roadmap.accounts import operations as account_operations
from roadmap.models import Project, User
from tests.pipeline.records_world import Projects

URL = "/api/v1/platforms/steel/projects"
EMAILS = {
    "member": "member@alpha.example",
    "beta": "member@beta.example",
    "consultant": "consultant@example.org",
    "coordinator": "coord@example.org",
}
BODY = {
    "company": "Alpha",
    "name": "Api plant",
    "technology": "scrap EAF",
    "status": "announced",
    "announced_on": "2025-04-01",
    "start_year": 2030,
    "capacity": 0.7,
    "capacity_unit": "Mt Steel",
    "public": False,
}


def headers(session, role: str | None) -> dict[str, str]:  # type: ignore[no-untyped-def]
    if role is None:
        return {}
    user = session.exec(select(User).where(User.email == EMAILS[role])).one()
    _, secret = account_operations.create_api_token(user, "test", session=session)
    session.commit()
    return {"Authorization": f"Bearer {secret}"}


@pytest.mark.parametrize(
    ("role", "seen"),
    [
        (None, {"Lulea H2", "Beta open"}),
        ("member", {"Lulea H2", "Alpha secret line", "Beta open"}),
        ("beta", {"Lulea H2", "Beta open", "Beta hidden furnace"}),
        ("consultant", {"Lulea H2", "Alpha secret line", "Beta open"}),
        ("coordinator", {"Lulea H2", "Alpha secret line", "Beta open", "Beta hidden furnace"}),
    ],
)
def test_the_list_holds_what_the_caller_may_see(
    client, session, projects: Projects, role, seen
) -> None:  # type: ignore[no-untyped-def]
    response = client.get(URL, headers=headers(session, role))
    assert response.status_code == 200
    assert {p["name"] for p in response.json} == seen
    lulea = next(p for p in response.json if p["name"] == "Lulea H2")
    assert lulea["capacity"] == 1.5 and lulea["operating_on"] == "2024-06-01"


def _post(client, session, role: str, body: dict[str, Any]):  # type: ignore[no-untyped-def]
    return client.post(URL, json=body, headers=headers(session, role))


def test_a_member_adds_its_own_project(client, session, projects: Projects) -> None:  # type: ignore[no-untyped-def]
    response = _post(client, session, "member", BODY)
    assert response.status_code == 201, response.json
    assert response.json["company"] == "Alpha" and response.json["capacity"] == 0.7
    stored = session.exec(select(Project).where(Project.name == "Api plant")).one()
    assert stored.capacity == 0.7 and not stored.is_public
    again = _post(client, session, "member", BODY)
    assert again.status_code == 409
    assert again.json["message"] == "Alpha already has a project named 'Api plant' on this platform"


def test_refusals(client, session, projects: Projects) -> None:  # type: ignore[no-untyped-def]
    assert client.post(URL, json=BODY).status_code == 401
    assert _post(client, session, "consultant", BODY).status_code == 403
    other = _post(client, session, "member", {**BODY, "company": "Beta"})
    assert other.status_code == 422
    assert other.json["errors"][0]["column"] == "company"
    bad = _post(
        client,
        session,
        "member",
        {**BODY, "capacity_unit": "t Cement", "fid_on": "2024-01-01", "source_url": "ftp://x"},
    )
    assert bad.status_code == 422
    assert {(e["column"], e["message"]) for e in bad.json["errors"]} == {
        (
            "capacity_unit",
            "'t Cement' does not convert into the sector's activity unit 't Steel' "
            "(capacity is per year in it, e.g. 'Mt Steel')",
        ),
        (
            "fid_on",
            "the project is at 'announced': a date is only for a status reached "
            "('final investment decision' is not)",
        ),
        ("source_url", "a web address starting with http:// or https://"),
    }
    assert _post(client, session, "member", {**BODY, "name": "a\x00b"}).status_code == 422
    assert _post(client, session, "member", {**BODY, "capacity": "nan"}).status_code == 422
    assert _post(client, session, "member", {**BODY, "start_year": 10**30}).status_code == 422
    assert client.get("/api/v1/platforms/nope/projects").status_code == 404
    assert session.exec(select(Project).where(Project.name == "Api plant")).first() is None


def test_the_coordinator_adds_for_any_company(client, session, projects: Projects) -> None:  # type: ignore[no-untyped-def]
    response = _post(client, session, "coordinator", {**BODY, "company": "beta"})
    assert response.status_code == 201 and response.json["company"] == "Beta"
