"""The API's reconciliation kept between requests (roadmap.reconciliation.kept, as the
platform dashboard): answered once per change of its data and viewer scope, changed by every
change of what it holds for those who may see the change and for no one else, and never shared
across scopes."""

from __future__ import annotations

import pytest
from sqlmodel import select

from roadmap.accounts import operations as account_operations
from roadmap.api import views as api_views
from roadmap.models import Platform, ReportingRound, Submission, User
from roadmap.submissions import operations, round_operations
from tests.reconciliation import test_kept_views
from tests.reconciliation.test_kept_views import (
    _bravo_member,
    _open_round,
    _submit,
    _writing,
)

published = test_kept_views.published  # the fixture: four companies accepted and published

URL = "/api/v1/platforms/steel/reconciliation?scenario=Test%201.5"


def _headers(app, user_id: int | None) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """An API token's header for the user ``user_id``; none (anonymous) for None."""
    if user_id is None:
        return {}
    with _writing(app) as session:
        user = session.get(User, user_id)
        _, secret = account_operations.create_api_token(user, "t", session=session)
    return {"Authorization": f"Bearer {secret}"}


def _companies(app, headers) -> set[str]:  # type: ignore[no-untyped-def]
    """The companies named in the answer's rows."""
    response = app.test_client().get(URL, headers=headers)
    assert response.status_code == 200, response.get_json()
    return {row["company"] for row in response.get_json()["rows"]}


def _total(app, headers) -> float:  # type: ignore[no-untyped-def]
    """The platform's aggregate emissions in 2020, the year every company reports."""
    rows = app.test_client().get(URL, headers=headers).get_json()["aggregate"]
    return next(row["emissions"] for row in rows if row["year"] == 2020)


# Each company reports 250 t CO2e over 100 t steel in 2020 (``_rows``): four companies 1,000 t.
FOUR, FIVE, SEVEN = 1000.0, 1250.0, 1750.0


def test_an_answer_is_made_once_until_the_data_changes(app, published, monkeypatch):
    made = []
    original = api_views.analyse_platform
    monkeypatch.setattr(
        api_views, "analyse_platform", lambda *a, **k: made.append(1) or original(*a, **k)
    )
    anonymous, coordinator = _headers(app, None), _headers(app, published.coordinator.id)
    for _ in range(3):
        assert _companies(app, anonymous) == set()
        assert _companies(app, coordinator) == {"Alpha", "Bravo", "Charlie", "Delta"}
    assert len(made) == 2  # one per scope: the published one and the live one
    # Another scenario is answered on its own; a repeated refusal is kept too.
    other = app.test_client().get(URL.replace("Test%201.5", "Test%202"), headers=coordinator)
    assert other.status_code == 200 and other.get_json()["scenario"] == "Test 2"
    assert len(made) == 3
    for _ in range(2):
        refused = app.test_client().get(URL.replace("Test%201.5", "Nope"), headers=anonymous)
        assert refused.status_code == 422
        assert "no scenario named 'Nope'" in refused.get_json()["errors"][0]["message"]
    assert len(made) == 4
    # Stored as accepted straight away: the Initial round publishes it for everyone.
    _submit(app, published, ["Echo"])
    assert (_total(app, coordinator), _total(app, anonymous)) == (FIVE, FIVE)
    assert len(made) == 6


def test_an_accepted_submission_changes_the_live_answer_only(app, published):
    anonymous, member = _headers(app, None), _headers(app, published.member.id)
    coordinator = _headers(app, published.coordinator.id)
    assert [_total(app, h) for h in (anonymous, coordinator, member)] == [FOUR] * 3
    (echo,) = _submit(app, published, ["Echo"], status="pending")
    assert _total(app, coordinator) == FOUR  # pending: not yet in the figures
    with _writing(app) as session:
        operations.decide(
            session.get(Submission, echo),
            decision="accept",
            message="",
            reviewer=session.get(User, published.coordinator.id),
            session=session,
        )
    assert _total(app, coordinator) == FIVE
    assert "Echo" in _companies(app, coordinator)
    # Everyone else reads the last publication: the same four companies as before.
    assert (_total(app, anonymous), _total(app, member)) == (FOUR, FOUR)
    assert _companies(app, member) == {"Alpha"}


def test_a_published_round_changes_everyones_answer(app, published):
    anonymous, member = _headers(app, None), _headers(app, published.member.id)
    assert (_total(app, anonymous), _total(app, member)) == (FOUR, FOUR)
    with _writing(app) as session:
        platform = session.get(Platform, published.platform.id)
        round_id = _open_round(session, platform).id
    pending = _submit(app, published, ["Echo", "Foxtrot", "Golf"], status="pending")
    with _writing(app) as session:
        reviewer = session.get(User, published.coordinator.id)
        for made in pending:
            operations.decide(
                session.get(Submission, made),
                decision="accept",
                message="",
                reviewer=reviewer,
                session=session,
            )
    assert (_total(app, anonymous), _total(app, member)) == (FOUR, FOUR)
    assert _total(app, _headers(app, published.coordinator.id)) == SEVEN
    with _writing(app) as session:
        round_operations.publish_round(
            session.get(ReportingRound, round_id),
            user=session.get(User, published.coordinator.id),
            session=session,
        )
    assert (_total(app, anonymous), _total(app, member)) == (SEVEN, SEVEN)


@pytest.mark.parametrize("coordinator_first", [True, False])
def test_a_member_never_gets_the_coordinators_answer(app, published, coordinator_first):
    coordinator = _headers(app, published.coordinator.id)
    alpha = _headers(app, published.member.id)
    email = _bravo_member(app)
    with _writing(app) as session:
        bravo_id = session.exec(select(User.id).where(User.email == email)).one()
    bravo = _headers(app, bravo_id)
    everyone = {"Alpha", "Bravo", "Charlie", "Delta"}
    if coordinator_first:
        assert _companies(app, coordinator) == everyone
    # Members of two companies each get their own company's rows, not the other's.
    assert _companies(app, alpha) == {"Alpha"}
    assert _companies(app, bravo) == {"Bravo"}
    assert _companies(app, _headers(app, None)) == set()
    assert _companies(app, coordinator) == everyone
