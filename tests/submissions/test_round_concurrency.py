"""Coordinators acting on rounds at the same instant (roadmap.submissions.round_operations with
roadmap.db.commit_retrying, as the round pages call them): of many opening a round at once on
one platform exactly one opens it; of two publishing (or closing, reopening) one round from
pages read before either acted, exactly one moves it and the other is told what it is now.
Sessions and threads of their own, on the real database."""

from __future__ import annotations

import itertools

import pytest
from sqlmodel import Session, func, select

from roadmap.db import commit_retrying, get_engine
from roadmap.models import HistoryEntry, Platform, ReportingRound, RoundPublication, User
from roadmap.submissions import operations, round_operations
from tests import factories
from tests.submissions import test_rounds
from tests.submissions.test_concurrency import WRITERS, at_once
from tests.submissions.test_rounds import open_2026, restated, submit

steel = test_rounds.steel  # the fixture: a steel platform with three accepted companies


def test_of_many_coordinators_opening_a_round_at_once_exactly_one_opens_it(app, session, steel):
    names = itertools.count()

    def open_one(own: Session) -> str:
        platform = own.get(Platform, steel.id)
        name = f"Round {next(names)}"
        try:
            return commit_retrying(own, lambda: open_2026(platform, own, name=name)).name
        except operations.Refused as refused:
            own.rollback()
            return str(refused)

    results = at_once(app, open_one)
    opened = [r for r in results if "still open" not in r]
    assert len(opened) == 1, results
    # Every other coordinator is told which round is open.
    assert [r for r in results if r not in opened] == [
        f"{opened[0]} is still open on {steel.name}; close it first."
    ] * (WRITERS - 1)
    session.expire_all()
    open_rounds = session.exec(
        select(ReportingRound.name).where(ReportingRound.status == "open")
    ).all()
    assert open_rounds == opened


@pytest.fixture
def ready_round(session, steel):  # type: ignore[no-untyped-def]
    """An open round in which Alpha, Delta and Gamma's restatements are accepted: it can be
    published (three companies changed)."""
    coordinator = factories.UserFactory(role="coordinator")
    factories.PlatformCoordinatorFactory(user_id=coordinator.id, platform_id=steel.id)
    round_ = open_2026(steel, session)
    for company in ("Alpha", "Delta", "Gamma"):
        operations.decide(
            submit(steel, restated(company), session),
            decision="accept",
            message="",
            reviewer=coordinator,
            session=session,
        )
    session.commit()
    return round_.id, coordinator.id


def test_the_second_of_two_publishers_is_told_the_round_is_published(app, session, ready_round):
    round_id, coordinator_id = ready_round
    with (
        Session(get_engine(app), expire_on_commit=False) as one,
        Session(get_engine(app), expire_on_commit=False) as other,
    ):
        # Both read the round while it is open, as two round pages do.
        first, second = one.get(ReportingRound, round_id), other.get(ReportingRound, round_id)
        assert first.status == second.status == "open"
        round_operations.publish_round(first, user=one.get(User, coordinator_id), session=one)
        one.commit()
        with pytest.raises(
            operations.Refused, match="was just changed by someone else: it is published now"
        ):
            round_operations.publish_round(
                second, user=other.get(User, coordinator_id), session=other
            )
        other.rollback()
    session.expire_all()
    published = session.exec(select(RoundPublication.company_id)).all()
    # The Initial round's three and this round's three, once.
    assert len(published) == 6


def test_of_many_publishing_at_once_exactly_one_publishes(app, session, ready_round):
    round_id, coordinator_id = ready_round

    def publish(own: Session) -> str:
        round_ = own.get(ReportingRound, round_id)
        try:
            commit_retrying(
                own,
                lambda: round_operations.publish_round(
                    round_, user=own.get(User, coordinator_id), session=own
                ),
            )
        except operations.Refused:
            own.rollback()
            return "refused"
        return "published"

    results = at_once(app, publish)
    assert sorted(results) == ["published"] + ["refused"] * (WRITERS - 1), results
    session.expire_all()
    assert session.get(ReportingRound, round_id).status == "published"
    this_round = select(func.count()).select_from(RoundPublication)
    assert session.exec(this_round.where(RoundPublication.round_id == round_id)).one() == 3
    entries = session.exec(
        select(HistoryEntry.what).where(HistoryEntry.what == "published round 2026 disclosure")
    ).all()
    assert len(entries) == 1


def test_a_round_closed_meanwhile_is_not_closed_again(app, session, steel):
    round_id = open_2026(steel, session).id
    session.commit()
    with (
        Session(get_engine(app), expire_on_commit=False) as one,
        Session(get_engine(app), expire_on_commit=False) as other,
    ):
        first, second = one.get(ReportingRound, round_id), other.get(ReportingRound, round_id)
        round_operations.close_round(first, session=one)
        one.commit()
        with pytest.raises(operations.Refused, match="it is closed now"):
            round_operations.close_round(second, session=other)
        other.rollback()
    session.expire_all()
    closings = session.exec(
        select(HistoryEntry.what).where(HistoryEntry.what == "closed round 2026 disclosure")
    ).all()
    assert len(closings) == 1
