"""Reads of submissions: versions, rows, pending uploads, and the accepted trajectories a
platform's reconciliation uses (roadmap.submissions.queries)."""

from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import delete, event

from roadmap.accounts.access import ANONYMOUS, Viewer
from roadmap.domain import columns as col
from roadmap.models import Company, RoundPublication, Submission, TrajectoryPoint
from roadmap.submissions import operations as submission_operations
from roadmap.submissions import queries as submission_queries
from tests import factories
from tests.domain.helpers import COMPANIES, TRAJECTORY_HEADER, trajectories

ADMIN = Viewer(user_id=1, role="admin")

ALPHA = "\n".join(line for line in COMPANIES.splitlines() if line.startswith("Alpha")) + "\n"
DELTA = "\n".join(line for line in COMPANIES.splitlines() if line.startswith("Delta")) + "\n"


# Alpha's second version (140 t in 2030) and Delta's first, by company and year.
ALPHA_V2_AND_DELTA = [
    ("Alpha", 2020, 250.0),
    ("Alpha", 2025, 205.0),
    ("Alpha", 2030, 140.0),
    ("Alpha", 2050, 50.0),
    ("Delta", 2020, 450.0),
    ("Delta", 2050, 0.0),
]


def rows(text: str) -> pd.DataFrame:
    """Validated trajectories of CSV lines without their header."""
    return trajectories(f"{TRAJECTORY_HEADER}\n{text}")


def store(platform, text: str, session, status: str = "pending"):  # type: ignore[no-untyped-def]
    return submission_operations.create_submissions(
        rows(text), platform=platform, source="seed", status=status, session=session
    )


@pytest.fixture
def steel(session):  # type: ignore[no-untyped-def]
    return factories.PlatformFactory(
        slug="steel", name="Steel", sector_id=factories.SectorFactory(name="Steel").id
    )


def emissions_by_company_and_year(frame: pd.DataFrame) -> list[tuple[str, int, float]]:
    return list(frame[[col.COMPANY, col.YEAR, col.EMISSIONS]].itertuples(index=False, name=None))


def test_latest_version_counts_per_company_and_platform(session):
    company, other = factories.CompanyFactory(), factories.CompanyFactory()
    platform, elsewhere = factories.PlatformFactory(), factories.PlatformFactory()
    assert submission_queries.latest_version(company.id, platform.id, session=session) == 0
    for version in (1, 2, 3):
        factories.SubmissionFactory(company_id=company.id, platform_id=platform.id, version=version)
    factories.SubmissionFactory(company_id=company.id, platform_id=elsewhere.id, version=7)
    factories.SubmissionFactory(company_id=other.id, platform_id=platform.id, version=5)
    assert submission_queries.latest_version(company.id, platform.id, session=session) == 3
    assert submission_queries.latest_version(company.id, elsewhere.id, session=session) == 7
    assert submission_queries.latest_version(other.id, elsewhere.id, session=session) == 0


def test_accepted_frame_holds_the_newest_accepted_version_of_each_company(session, steel):
    store(steel, ALPHA + DELTA, session, status="accepted")  # v1 of both
    store(steel, ALPHA.replace(",150,t CO2e", ",140,t CO2e"), session, status="accepted")  # v2
    # Newer but not accepted: a pending Alpha v3 and a rejected Delta v2.
    store(steel, ALPHA.replace(",150,t CO2e", ",120,t CO2e"), session)
    store(steel, DELTA.replace(",0,t CO2e", ",10,t CO2e"), session, status="rejected")
    # Another platform's accepted rows are not this platform's.
    store(factories.PlatformFactory(sector_id=steel.sector_id), ALPHA, session, "accepted")
    frame = submission_queries.accepted_trajectories_frame(session=session, platform=steel)
    assert emissions_by_company_and_year(frame) == ALPHA_V2_AND_DELTA
    assert list(frame.columns) == [*col.TRAJECTORY_COLUMNS, col.ROW]
    assert set(frame[col.SECTOR]) == {"Steel"}
    assert frame[col.ACTIVITY].dtype == "float64"
    assert frame.attrs["source"] == "submissions to steel"


def test_an_older_version_accepted_late_does_not_replace_a_newer_accepted_one(session, steel):
    (v1,) = store(steel, ALPHA, session)
    store(steel, ALPHA.replace(",150,t CO2e", ",140,t CO2e"), session, status="accepted")
    reviewer = factories.UserFactory()
    submission_operations.review_submission(
        v1, accept=True, reason="", reviewer=reviewer, session=session
    )
    frame = submission_queries.accepted_trajectories_frame(session=session, platform=steel)
    assert frame.loc[frame[col.YEAR] == 2030, col.EMISSIONS].tolist() == [140.0]


def test_live_and_published_read_together_are_those_read_apart(session, steel):
    """Alpha v1 and Delta stored as accepted (published by the Initial round), then Alpha v2
    accepted on review: live has its 140 t in 2030, the publication still v1's 150 t."""
    store(steel, ALPHA + DELTA, session, status="accepted")
    (v2,) = store(steel, ALPHA.replace(",150,t CO2e", ",140,t CO2e"), session)
    submission_operations.review_submission(
        v2, accept=True, reason="", reviewer=factories.UserFactory(), session=session
    )
    live, published = submission_queries.live_and_published_frames(session=session, platform=steel)
    in_2030 = [f.loc[f[col.YEAR] == 2030, col.EMISSIONS].tolist() for f in (live, published)]
    assert in_2030 == [[140.0], [150.0]]
    for frame, kind in ((live, False), (published, True)):
        apart = submission_queries.accepted_trajectories_frame(
            session=session, platform=steel, published=kind
        )
        pd.testing.assert_frame_equal(frame, apart)
        assert frame.attrs == apart.attrs


def test_accepted_frame_of_a_platform_without_accepted_submissions_is_empty(session, steel):
    store(steel, ALPHA, session)  # pending only
    frame = submission_queries.accepted_trajectories_frame(session=session, platform=steel)
    assert frame.empty
    assert list(frame.columns) == [*col.TRAJECTORY_COLUMNS, col.ROW]


def test_accepted_trajectories_are_kept_until_a_review_changes_them(session, steel):
    store(steel, ALPHA + DELTA, session, status="accepted")
    session.commit()
    first = submission_queries.accepted_trajectories(steel, session=session)
    stamp = submission_queries.accepted_stamp(steel, session=session)
    assert submission_queries.accepted_trajectories(steel, session=session) is first
    (pending,) = store(steel, ALPHA.replace(",150,t CO2e", ",140,t CO2e"), session)
    session.commit()
    # A pending version changes nothing the reconciliation uses: the kept frame is used.
    assert submission_queries.accepted_stamp(steel, session=session) == stamp
    assert submission_queries.accepted_trajectories(steel, session=session) is first
    submission_operations.review_submission(
        pending, accept=True, reason="", reviewer=factories.UserFactory(), session=session
    )
    session.commit()
    assert submission_queries.accepted_stamp(steel, session=session) != stamp
    after = submission_queries.accepted_trajectories(steel, session=session)
    assert after is not first
    assert after.loc[after[col.COMPANY].eq("Alpha") & after[col.YEAR].eq(2030)][
        col.EMISSIONS
    ].tolist() == [140.0]
    assert first.loc[first[col.COMPANY].eq("Alpha") & first[col.YEAR].eq(2030)][
        col.EMISSIONS
    ].tolist() == [150.0]


def test_a_rejection_leaves_the_accepted_stamp_as_it_was(session, steel):
    store(steel, ALPHA, session, status="accepted")
    (delta,) = store(steel, DELTA, session)
    stamp = submission_queries.accepted_stamp(steel, session=session)
    submission_operations.review_submission(
        delta, accept=False, reason="wrong units", reviewer=factories.UserFactory(), session=session
    )
    assert submission_queries.accepted_stamp(steel, session=session) == stamp


def test_submissions_list_by_company_platform_and_newest_version_first(session):
    sector = factories.SectorFactory(name="Steel")
    north = factories.PlatformFactory(name="North", sector_id=sector.id)
    south = factories.PlatformFactory(name="South", sector_id=sector.id)
    beta, alpha = factories.CompanyFactory(name="Beta"), factories.CompanyFactory(name="Alpha")
    submitter = factories.UserFactory(email="sender@example.org")
    made = [
        (beta, north, 1, None),
        (alpha, south, 1, submitter),
        (alpha, north, 1, None),
        (alpha, north, 2, submitter),
    ]
    for company, platform, version, user in made:
        factories.SubmissionFactory(
            company_id=company.id,
            platform_id=platform.id,
            version=version,
            source="upload",
            submitted_by_id=user.id if user else None,
        )
    listed = [
        (r.company.name, r.platform.name, r.submission.version, r.submitted_by)
        for r in submission_queries.submissions(session=session, viewer=ADMIN)
    ]
    assert listed == [
        ("Alpha", "North", 2, "sender@example.org"),
        ("Alpha", "North", 1, "upload"),  # no user: the source says who
        ("Alpha", "South", 1, "sender@example.org"),
        ("Beta", "North", 1, "upload"),
    ]
    on_north_by_alpha = submission_queries.submissions(
        session=session, viewer=ADMIN, company_id=alpha.id, platform_id=north.id
    )
    assert [r.submission.version for r in on_north_by_alpha] == [2, 1]


def test_newest_submission_is_the_last_made_on_any_platform_the_viewer_may_read(session):
    company = factories.CompanyFactory()
    first = factories.PlatformFactory()
    second = factories.PlatformFactory()
    factories.SubmissionFactory(company_id=company.id, platform_id=first.id, version=1)
    last = factories.SubmissionFactory(company_id=company.id, platform_id=second.id, version=1)
    factories.SubmissionFactory(platform_id=second.id)  # another company's, made later
    found = submission_queries.newest_submission(company.id, session=session, viewer=ADMIN)
    assert found is last
    coordinator_of_first = Viewer(user_id=2, role="coordinator", coordinated=frozenset({first.id}))
    seen = submission_queries.newest_submission(
        company.id, session=session, viewer=coordinator_of_first
    )
    assert seen is not None and seen.platform_id == first.id
    assert submission_queries.newest_submission(company.id, session=session, viewer=ANONYMOUS) is (
        None
    )


def test_submission_points_frame_gives_one_submissions_rows_by_year(session, steel):
    first, _ = store(steel, DELTA + ALPHA, session)
    assert first.company.name == "Alpha"
    points = submission_queries.submission_points_frame(first, session=session)
    assert list(points.columns) == col.TRAJECTORY_POINT
    assert list(points[[col.YEAR, col.KIND, col.EMISSIONS]].itertuples(index=False, name=None)) == [
        (2020, "reported", 250.0),
        (2025, "planned", 205.0),
        (2030, "planned", 150.0),
        (2050, "planned", 50.0),
    ]


def test_pending_upload_is_found_only_for_its_owner(session):
    owner, other = factories.UserFactory(), factories.UserFactory()
    upload = factories.PendingUploadFactory(user_id=owner.id)
    assert submission_queries.pending_upload(upload.id, owner=owner, session=session) is upload
    assert submission_queries.pending_upload(upload.id, owner=other, session=session) is None
    assert submission_queries.pending_upload(upload.id + 1, owner=owner, session=session) is None


def _point_reads(session):  # type: ignore[no-untyped-def]
    """The submission ids whose points each statement run from now on reads."""
    reads: list[list[int]] = []

    def seen(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        if statement.lstrip().upper().startswith("SELECT") and "FROM trajectory_point" in statement:
            values = parameters.values() if isinstance(parameters, dict) else parameters
            reads.append(sorted(v for v in values if isinstance(v, int)))

    event.listen(session.get_bind(), "before_cursor_execute", seen)
    return reads, lambda: event.remove(session.get_bind(), "before_cursor_execute", seen)


def test_a_new_version_is_the_only_one_whose_points_are_read_again(session, steel):
    """Stored points never change: once read, a submission's points are kept, and after Alpha
    v2 is accepted the next read fetches v2's points alone, yet gives the whole table."""
    alpha, delta = store(steel, ALPHA + DELTA, session, status="accepted")
    reads, stop = _point_reads(session)
    try:
        submission_queries.live_and_published_frames(session=session, platform=steel)
        assert reads == [sorted([alpha.id, delta.id])]
        (v2,) = store(steel, ALPHA.replace(",150,t CO2e", ",140,t CO2e"), session, "accepted")
        reads.clear()
        live, published = submission_queries.live_and_published_frames(
            session=session, platform=steel
        )
        assert reads == [[v2.id]]
    finally:
        stop()
    assert emissions_by_company_and_year(live) == ALPHA_V2_AND_DELTA
    # Stored as accepted straight away, v2 replaced v1 in the Initial round too.
    pd.testing.assert_frame_equal(live, published)


def test_kept_points_take_the_company_name_as_it_is_now(session, steel):
    (alpha,) = store(steel, ALPHA, session, status="accepted")
    submission_queries.accepted_trajectories_frame(session=session, platform=steel)
    company = session.get(Company, alpha.company_id)
    company.name = "Alpha Renamed"
    session.add(company)
    session.flush()
    frame = submission_queries.accepted_trajectories_frame(session=session, platform=steel)
    assert set(frame[col.COMPANY]) == {"Alpha Renamed"}
    assert frame[col.EMISSIONS].tolist() == [250.0, 205.0, 150.0, 50.0]


def test_a_submission_id_used_again_after_a_deletion_is_read_afresh(session, steel):
    """SQLite gives a deleted row's id to the next row when it was the largest: the kept
    points belong to the deleted submission (another checksum and time), not the new one."""
    (first,) = store(steel, ALPHA, session, status="accepted")
    kept = submission_queries.accepted_trajectories_frame(session=session, platform=steel)
    assert kept[col.EMISSIONS].tolist() == [250.0, 205.0, 150.0, 50.0]
    session.execute(delete(RoundPublication).where(RoundPublication.submission_id == first.id))
    session.execute(delete(TrajectoryPoint).where(TrajectoryPoint.submission_id == first.id))
    session.execute(delete(Submission).where(Submission.id == first.id))
    session.expunge(first)
    store(steel, ALPHA.replace(",150,t CO2e", ",140,t CO2e"), session, status="accepted")
    frame = submission_queries.accepted_trajectories_frame(session=session, platform=steel)
    assert frame[col.EMISSIONS].tolist() == [250.0, 205.0, 140.0, 50.0]
