"""Simultaneous writers (roadmap.db.commit_retrying with the submission operations): each
simultaneous submission gets a version of its own, and a previewed upload accepted many times
at once becomes one version. Threads with sessions of their own, on the real database."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from sqlmodel import Session, func, select

from roadmap.db import commit_retrying, get_engine
from roadmap.models import Company, PendingUpload, Platform, Submission
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
        with Session(get_engine(app), expire_on_commit=False) as session:
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
