"""Simultaneous writers (roadmap.db.commit_retrying with the submission operations): each
simultaneous submission gets a version of its own, a previewed upload accepted many times
at once becomes one version, and of reviewers deciding one submission at once exactly one
decides. Threads or sessions of their own, on the real database."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable

import pytest
from sqlmodel import Session, func, select

from roadmap.db import commit_retrying, get_engine
from roadmap.models import Company, HistoryEntry, PendingUpload, Platform, Submission, User
from roadmap.submissions import operations as submission_operations
from tests import factories
from tests.submissions.test_operations import ALPHA, rows

WRITERS = 10


def at_once(app, work: Callable[[Session], object]) -> list[object]:  # type: ignore[no-untyped-def]
    """Run ``work`` in WRITERS threads released together, each with a session of its own;
    what each returned, or the exception it raised."""
    start = threading.Barrier(WRITERS)
    results: list[object] = [None] * WRITERS

    def run(index: int) -> None:
        # An app context of its own, as a request has: a decision's mail links to a page.
        with app.app_context(), Session(get_engine(app), expire_on_commit=False) as session:
            start.wait()
            try:
                results[index] = work(session)
            except Exception as error:  # noqa: BLE001 - reported by the test
                results[index] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.fixture
def steel(session):  # type: ignore[no-untyped-def]
    platform = factories.PlatformFactory(sector_id=factories.SectorFactory(name="Steel").id)
    factories.CompanyFactory(name="Alpha")
    session.commit()
    return platform.id


def test_simultaneous_submissions_each_get_their_own_version(app, session, steel) -> None:
    typed = rows(ALPHA)

    def submit(own: Session) -> int:
        platform = own.get(Platform, steel)
        created = commit_retrying(
            own,
            lambda: submission_operations.create_submissions(
                typed, platform=platform, source="api", session=own
            )[0],
        )
        return created.version

    results = at_once(app, submit)
    assert sorted(results) == list(range(1, WRITERS + 1)), results
    stored = session.exec(select(Submission.version).order_by(Submission.version)).all()
    assert stored == list(range(1, WRITERS + 1))


def test_a_preview_accepted_many_times_at_once_is_one_version(app, session, steel) -> None:
    typed = rows(ALPHA)
    company = session.exec(select(Company)).one()
    pending = PendingUpload(
        user_id=factories.UserFactory().id,
        company_id=company.id,
        platform_id=steel,
        filename="alpha.csv",
        checksum="abc",
        content=b"...",
    )
    session.add(pending)
    session.commit()
    upload_id = pending.id

    def accept(own: Session) -> int | None:
        platform = own.get(Platform, steel)

        def work() -> int | None:
            if not submission_operations.claim_pending_upload(upload_id, session=own):
                return None
            return submission_operations.create_submissions(
                typed, platform=platform, source="upload", session=own
            )[0].version

        return commit_retrying(own, work)

    results = at_once(app, accept)
    assert sorted(results, key=str) == [1] + [None] * (WRITERS - 1), results
    session.expire_all()
    assert session.exec(select(func.count()).select_from(Submission)).one() == 1
    assert session.get(PendingUpload, upload_id) is None


@pytest.fixture
def pending_submission(session, steel):  # type: ignore[no-untyped-def]
    """A pending version of Alpha on the steel platform and WRITERS coordinators of it."""
    made = submission_operations.create_submissions(
        rows(ALPHA), platform=session.get(Platform, steel), source="api", session=session
    )[0]
    reviewers = [
        factories.UserFactory(role="coordinator", email=f"coordinator{i}@example.org").id
        for i in range(WRITERS)
    ]
    session.commit()
    return made.id, reviewers


def _decide(own: Session, submission_id: int, reviewer_id: int, decision: str) -> Submission:
    decided = submission_operations.decide(
        own.get(Submission, submission_id),
        decision=decision,
        message="" if decision == "accept" else "see the 2022 figures",
        reviewer=own.get(User, reviewer_id),
        session=own,
    )
    own.commit()
    return decided


def test_the_second_of_two_reviewers_is_told_who_decided_first(app, session, pending_submission):
    submission_id, (first, second, *_) = pending_submission
    with (
        Session(get_engine(app), expire_on_commit=False) as one,
        Session(get_engine(app), expire_on_commit=False) as other,
    ):
        # Both read the version while it waits, as two open review pages do.
        assert one.get(Submission, submission_id).status == "pending"
        assert other.get(Submission, submission_id).status == "pending"
        _decide(one, submission_id, first, "accept")
        with pytest.raises(
            submission_operations.AlreadyDecided,
            match=r"already decided by coordinator0@example\.org on .* UTC \(accepted\)",
        ):
            _decide(other, submission_id, second, "reject")
        other.rollback()
    session.expire_all()
    stored = session.get(Submission, submission_id)
    assert (stored.status, stored.reviewed_by_id, stored.review_reason) == ("accepted", first, "")
    reviews = session.exec(select(HistoryEntry).where(HistoryEntry.kind == "review")).all()
    assert [entry.what for entry in reviews] == ["accepted Alpha version 1"]


def test_of_many_reviewers_deciding_at_once_exactly_one_decides(app, session, pending_submission):
    submission_id, reviewers = pending_submission
    decisions = ["accept", "reject", "request_changes"]
    order = itertools.count()  # each thread a reviewer of its own

    def decide(own: Session) -> str:
        index = next(order)
        try:
            return _decide(own, submission_id, reviewers[index], decisions[index % 3]).status
        except submission_operations.AlreadyDecided:
            own.rollback()
            return "already decided"

    results = at_once(app, decide)
    winners = [r for r in results if r != "already decided"]
    assert len(winners) == 1, results
    session.expire_all()
    assert session.get(Submission, submission_id).status == winners[0]
    assert (
        session.exec(
            select(func.count()).select_from(HistoryEntry).where(HistoryEntry.kind == "review")
        ).one()
        == 1
    )
