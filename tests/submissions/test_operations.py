"""Writes of submissions: new versions, pending uploads and reviews
(roadmap.submissions.operations)."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pandas as pd
import pytest
from sqlmodel import select

from roadmap.domain import columns as col
from roadmap.models import Company, PendingUpload, Submission, utcnow
from roadmap.submissions import operations as submission_operations
from roadmap.submissions import queries as submission_queries
from tests import factories
from tests.domain.helpers import COMPANIES, TRAJECTORY_HEADER, trajectories

ALPHA = "\n".join(line for line in COMPANIES.splitlines() if line.startswith("Alpha")) + "\n"


def rows(text: str) -> pd.DataFrame:
    return trajectories(f"{TRAJECTORY_HEADER}\n{text}")


def frozen(submission: Submission) -> dict:
    """Everything stored about a submission, to compare before and after."""
    return {name: getattr(submission, name) for name in Submission.model_fields}


def test_versions_are_numbered_one_two_three_per_company_and_platform(session):
    steel = factories.PlatformFactory(sector_id=factories.SectorFactory(name="Steel").id)
    other = factories.PlatformFactory(sector_id=steel.sector_id)
    made = []
    for platform in (steel, steel, other, steel):
        made += submission_operations.create_submissions(
            trajectories(), platform=platform, source="seed", session=session
        )
    numbered = [(s.company.name, s.platform_id, s.version) for s in made]
    assert numbered == [
        ("Alpha", steel.id, 1),
        ("Delta", steel.id, 1),
        ("Alpha", steel.id, 2),
        ("Delta", steel.id, 2),
        ("Alpha", other.id, 1),
        ("Delta", other.id, 1),
        ("Alpha", steel.id, 3),
        ("Delta", steel.id, 3),
    ]


def test_a_new_version_never_changes_an_older_one(session):
    steel = factories.PlatformFactory(sector_id=factories.SectorFactory(name="Steel").id)
    (v1,) = submission_operations.create_submissions(
        rows(ALPHA), platform=steel, source="upload", status="accepted", session=session
    )
    session.commit()
    session.expire_all()  # compare what is read back, before and after
    before, points_before = (
        frozen(v1),
        submission_queries.submission_points_frame(v1, session=session),
    )
    for emissions in ("140", "130"):
        submission_operations.create_submissions(
            rows(ALPHA.replace(",150,t CO2e", f",{emissions},t CO2e")),
            platform=steel,
            source="form",
            session=session,
        )
    session.commit()
    session.expire_all()
    stored = session.get(Submission, v1.id)
    assert frozen(stored) == before
    pd.testing.assert_frame_equal(
        submission_queries.submission_points_frame(stored, session=session), points_before
    )
    versions = session.exec(
        select(Submission.version, Submission.status, Submission.source).order_by(
            Submission.version
        )
    ).all()
    assert versions == [(1, "accepted", "upload"), (2, "pending", "form"), (3, "pending", "form")]


def test_create_submissions_reuses_a_known_company_and_adds_an_unknown_one(session):
    steel = factories.PlatformFactory(sector_id=factories.SectorFactory(name="Steel").id)
    alpha = factories.CompanyFactory(name="Alpha")
    made = submission_operations.create_submissions(
        trajectories(), platform=steel, source="seed", session=session
    )
    assert made[0].company_id == alpha.id
    assert sorted(session.exec(select(Company.name)).all()) == ["Alpha", "Delta"]


def test_checksum_is_the_files_where_given_else_that_of_the_rows_stored(session):
    steel = factories.PlatformFactory(sector_id=factories.SectorFactory(name="Steel").id)
    table = rows(ALPHA)
    (from_rows,) = submission_operations.create_submissions(
        table, platform=steel, source="form", session=session
    )
    points = table.sort_values(col.YEAR)[col.TRAJECTORY_POINT]
    expected = hashlib.sha256(points.to_csv(index=False).encode()).hexdigest()
    assert from_rows.checksum == expected
    (from_file,) = submission_operations.create_submissions(
        table, platform=steel, source="upload", checksum="f" * 64, session=session
    )
    assert from_file.checksum == "f" * 64


def test_submit_stores_the_next_version_with_who_sent_it_and_the_assurance(session):
    steel = factories.PlatformFactory(sector_id=factories.SectorFactory(name="Steel").id)
    alpha = factories.CompanyFactory(name="Alpha")
    member = factories.UserFactory(role="company", company_id=alpha.id)
    factories.SubmissionFactory(company_id=alpha.id, platform_id=steel.id, version=1)
    made = submission_operations.submit(
        rows(ALPHA),
        company=alpha,
        platform=steel,
        source="api",
        user=member,
        assurance="limited assurance",
        filename="alpha.csv",
        session=session,
    )
    assert (made.version, made.submitted_by_id, made.assurance, made.filename, made.status) == (
        2,
        member.id,
        "limited assurance",
        "alpha.csv",
        "pending",
    )


def test_accepting_a_submission_records_the_reviewer_and_when(session):
    submission = factories.SubmissionFactory()
    reviewer = factories.UserFactory(role="coordinator")
    submission_operations.review_submission(
        submission, accept=True, reason="  looks right  ", reviewer=reviewer, session=session
    )
    session.commit()
    session.expire_all()
    stored = session.get(Submission, submission.id)
    assert (stored.status, stored.review_reason, stored.reviewed_by_id) == (
        "accepted",
        "looks right",
        reviewer.id,
    )
    assert stored.reviewed_at is not None


@pytest.mark.parametrize("reason", ["", "   \n"])
def test_a_rejection_without_a_reason_is_refused_and_changes_nothing(session, reason):
    submission = factories.SubmissionFactory()
    reviewer = factories.UserFactory(role="coordinator")
    with pytest.raises(ValueError, match="Say why the submission is rejected"):
        submission_operations.review_submission(
            submission, accept=False, reason=reason, reviewer=reviewer, session=session
        )
    session.expire_all()
    stored = session.get(Submission, submission.id)
    assert (stored.status, stored.reviewed_by_id, stored.reviewed_at) == ("pending", None, None)


def test_a_rejection_keeps_its_reason(session):
    submission = factories.SubmissionFactory()
    reviewer = factories.UserFactory(role="coordinator")
    submission_operations.review_submission(
        submission, accept=False, reason="2030 is missing", reviewer=reviewer, session=session
    )
    assert (submission.status, submission.review_reason) == ("rejected", "2030 is missing")


def test_a_pending_upload_keeps_the_bytes_and_their_checksum_until_discarded(session):
    company, platform, user = (
        factories.CompanyFactory(),
        factories.PlatformFactory(),
        factories.UserFactory(),
    )
    data = b"company,sector\nAlpha,Steel\n"
    pending = submission_operations.create_pending_upload(
        data, filename="alpha.csv", company=company, platform=platform, user=user, session=session
    )
    session.commit()
    session.expire_all()
    stored = session.get(PendingUpload, pending.id)
    assert (stored.content, stored.checksum, stored.filename) == (
        data,
        hashlib.sha256(data).hexdigest(),
        "alpha.csv",
    )
    assert (stored.user_id, stored.company_id, stored.platform_id) == (
        user.id,
        company.id,
        platform.id,
    )
    submission_operations.discard_pending_upload(stored, session=session)
    assert session.exec(select(PendingUpload)).all() == []


def test_previews_expire_after_a_day_and_each_user_keeps_five(session):
    """Previews hold whole files: one a day old is gone (for its owner and from the table),
    and a sixth preview of one user removes that user's oldest, not anyone else's."""
    company, platform = factories.CompanyFactory(), factories.PlatformFactory()
    owner, other = factories.UserFactory(), factories.UserFactory()

    def preview(user, name: str) -> PendingUpload:  # type: ignore[no-untyped-def]
        return submission_operations.create_pending_upload(
            b"x", filename=name, company=company, platform=platform, user=user, session=session
        )

    stale = preview(other, "stale.csv")
    stale.created_at = utcnow() - timedelta(hours=24, seconds=1)
    session.commit()
    assert submission_queries.pending_upload(stale.id, owner=other, session=session) is None
    fresh_of_other = preview(other, "other.csv")
    session.commit()
    assert submission_queries.pending_upload(fresh_of_other.id, owner=other, session=session)

    for n in range(6):
        preview(owner, f"{n}.csv")
    session.commit()
    names = session.exec(select(PendingUpload.filename)).all()
    # the stale one went at the next preview; the owner's first of six at the sixth
    assert sorted(names) == ["1.csv", "2.csv", "3.csv", "4.csv", "5.csv", "other.csv"]
