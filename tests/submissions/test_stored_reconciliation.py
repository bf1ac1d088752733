"""Writes and reads against the real database: pathways, submissions, and reconciling what is
stored gives the same figures as reconciling the files."""

from __future__ import annotations

import pandas as pd
import pytest
from sqlmodel import select

from roadmap.accounts.access import Viewer
from roadmap.domain import columns as col
from roadmap.domain.reconcile import ReconcileParams, reconcile
from roadmap.models import PathwayPoint, Sector, Submission, TrajectoryPoint
from roadmap.platforms import queries as platform_queries
from roadmap.sectors import operations as sector_operations
from roadmap.sectors import queries as sector_queries
from roadmap.submissions import operations as submission_operations
from roadmap.submissions import queries as submission_queries
from tests.domain.helpers import COMPANIES, pathways, trajectories
from tests.factories import PlatformFactory, SectorFactory

ADMIN = Viewer(user_id=1, role="admin")


def test_import_pathways_is_idempotent(session):
    first = sector_operations.import_pathways(pathways(), session=session)
    again = sector_operations.import_pathways(pathways(), session=session)
    assert (first.added, first.skipped) == (2, 0)
    assert (again.added, again.skipped) == (0, 2)
    assert len(session.exec(select(PathwayPoint)).all()) == 6


def test_stored_pathways_round_trip(session):
    sector_operations.import_pathways(pathways(), session=session)
    stored = sector_queries.pathways_frame(session=session)
    original = pathways()
    columns = [
        col.SECTOR,
        col.SCENARIO,
        col.REGION,
        col.SCOPE,
        col.YEAR,
        col.INTENSITY,
        col.INTENSITY_UNIT,
        col.ACTIVITY_UNIT,
    ]
    pd.testing.assert_frame_equal(
        stored[columns].reset_index(drop=True),
        original[columns].reset_index(drop=True),
        check_dtype=False,
    )
    assert stored[col.ACTIVITY].tolist()[:3] == [1000.0, 2000.0, 2000.0]


def test_submissions_are_new_versions_never_overwritten(session):
    sector = SectorFactory(name="Steel")
    platform = PlatformFactory(sector_id=sector.id)
    first = submission_operations.create_submissions(
        trajectories(), platform=platform, source="upload", session=session
    )
    changed = COMPANIES.replace(",205,t CO2e", ",199,t CO2e")
    second = submission_operations.create_submissions(
        trajectories(changed), platform=platform, source="upload", session=session
    )
    assert [s.version for s in first] == [1, 1]
    assert [s.version for s in second] == [2, 2]
    assert first[0].checksum != second[0].checksum  # Alpha's rows changed
    assert first[1].checksum == second[1].checksum  # Delta's did not
    assert len(session.exec(select(Submission)).all()) == 4
    old = session.exec(
        select(TrajectoryPoint.emissions).where(
            TrajectoryPoint.submission_id == first[0].id, TrajectoryPoint.year == 2025
        )
    ).one()
    assert old == 205.0


def test_reconciling_stored_data_equals_reconciling_files(session):
    sector_operations.import_pathways(pathways(), session=session)
    sector = session.exec(select(Sector)).one()
    platform = PlatformFactory(sector_id=sector.id)
    submission_operations.create_submissions(
        trajectories(), platform=platform, source="seed", status="accepted", session=session
    )
    stored = reconcile(
        sector_queries.pathways_frame(session=session),
        submission_queries.accepted_trajectories_frame(session=session, platform=platform),
        ReconcileParams("Test 1.5"),
    ).results
    files = reconcile(pathways(), trajectories(), ReconcileParams("Test 1.5")).results
    pd.testing.assert_frame_equal(stored[col.RESULT_COLUMNS], files[col.RESULT_COLUMNS])
    assert stored[col.TARGET_INTENSITY].iloc[10] == pytest.approx(1.25)  # Alpha 2030


def test_platform_overview_counts_companies(session):
    sector = SectorFactory(name="Steel")
    platform = PlatformFactory(sector_id=sector.id, stage=2)
    PlatformFactory(sector_id=sector.id, stage=1)
    submission_operations.create_submissions(
        trajectories(), platform=platform, source="seed", session=session
    )
    overview = platform_queries.platform_overview(session=session, viewer=ADMIN)
    assert [(o.platform.stage, o.sector, o.companies) for o in overview] == [
        (2, "Steel", 2),
        (1, "Steel", 0),
    ]
