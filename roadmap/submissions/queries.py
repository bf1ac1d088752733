"""Reads of submissions: versions a viewer may read, their rows, pending uploads, and the
accepted trajectories of a platform in the shape the reconciliation takes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import func
from sqlmodel import Session, select

from roadmap.accounts import access
from roadmap.accounts.access import Viewer
from roadmap.domain import columns as col
from roadmap.memo import Memo, per_session
from roadmap.models import (
    Company,
    PendingUpload,
    Platform,
    Sector,
    Submission,
    TrajectoryPoint,
    User,
)
from roadmap.sectors.queries import table_frame


@dataclass(frozen=True)
class SubmissionRow:
    submission: Submission
    platform: Platform
    company: Company
    submitted_by: str  # the submitter's email, or the source where no user made it


def _rows_query() -> Any:
    return (
        select(Submission, Platform, Company, User.email)
        .join(Platform, Platform.id == Submission.platform_id)
        .join(Company, Company.id == Submission.company_id)
        .outerjoin(User, User.id == Submission.submitted_by_id)
    )


def submissions(
    *,
    session: Session,
    viewer: Viewer,
    company_id: int | None = None,
    platform_id: int | None = None,
) -> list[SubmissionRow]:
    """Submissions the viewer may read, by company, platform and newest version first."""
    query = _rows_query().where(access.submission_filter(viewer))
    if company_id is not None:
        query = query.where(Submission.company_id == company_id)
    if platform_id is not None:
        query = query.where(Submission.platform_id == platform_id)
    query = query.order_by(Company.name, Platform.name, Submission.version.desc())
    return [
        SubmissionRow(s, p, c, email or s.source) for s, p, c, email in session.exec(query).all()
    ]


def submission(submission_id: int, *, session: Session, viewer: Viewer) -> SubmissionRow | None:
    found = session.exec(
        _rows_query().where(Submission.id == submission_id, access.submission_filter(viewer))
    ).first()
    if found is None:
        return None
    s, p, c, email = found
    return SubmissionRow(s, p, c, email or s.source)


def newest_submission(company_id: int, *, session: Session, viewer: Viewer) -> Submission | None:
    """The company's most recent submission the viewer may read, on any platform."""
    return session.exec(
        select(Submission)
        .where(Submission.company_id == company_id, access.submission_filter(viewer))
        .order_by(Submission.id.desc())
    ).first()


def latest_version(company_id: int, platform_id: int, *, session: Session) -> int:
    """The company's highest version number on the platform (0 before its first)."""
    latest = session.exec(
        select(func.max(Submission.version)).where(
            Submission.company_id == company_id, Submission.platform_id == platform_id
        )
    ).one()
    return int(latest or 0)


def submission_points_frame(submission: Submission, *, session: Session) -> pd.DataFrame:
    """The rows of one submission, by year."""
    query = (
        select(TrajectoryPoint)
        .where(TrajectoryPoint.submission_id == submission.id)
        .order_by(TrajectoryPoint.year)
    )
    rows = [p.model_dump(exclude={"id", "submission_id"}) for p in session.exec(query).all()]
    return pd.DataFrame(rows, columns=col.TRAJECTORY_POINT)


def pending_upload(upload_id: int, *, owner: User, session: Session) -> PendingUpload | None:
    """An upload waiting for its owner's acceptance; anyone else's is not found."""
    pending = session.get(PendingUpload, upload_id)
    return pending if pending is not None and pending.user_id == owner.id else None


def accepted_trajectories_frame(*, session: Session, platform: Platform) -> pd.DataFrame:
    """The newest accepted submission of each company on ``platform``, as a validated
    trajectory table: what the platform's reconciliation uses."""
    latest = (
        select(Submission.company_id, func.max(Submission.version).label("version"))
        .where(Submission.platform_id == platform.id, Submission.status == "accepted")
        .group_by(Submission.company_id)
        .subquery()
    )
    query = (
        select(
            Company.name,
            Sector.name,
            Submission.region,
            Submission.scope,
            TrajectoryPoint.year,
            TrajectoryPoint.kind,
            TrajectoryPoint.activity,
            TrajectoryPoint.activity_unit,
            TrajectoryPoint.emissions,
            TrajectoryPoint.emissions_unit,
            TrajectoryPoint.intensity,
            TrajectoryPoint.intensity_unit,
            TrajectoryPoint.clinker_ratio,
            TrajectoryPoint.kg_per_passenger,
            TrajectoryPoint.id,
        )
        .join(Submission, Submission.id == TrajectoryPoint.submission_id)
        .join(
            latest,
            (latest.c.company_id == Submission.company_id)
            & (latest.c.version == Submission.version),
        )
        .join(Company, Company.id == Submission.company_id)
        .join(Platform, Platform.id == Submission.platform_id)
        .join(Sector, Sector.id == Platform.sector_id)
        .where(Submission.platform_id == platform.id)
        .order_by(Company.name, TrajectoryPoint.year)
    )
    frame = table_frame(session, query, [*col.TRAJECTORY_COLUMNS, col.ROW])
    for number in (
        col.ACTIVITY,
        col.EMISSIONS,
        col.INTENSITY,
        col.CLINKER_RATIO,
        col.KG_PER_PASSENGER,
    ):
        frame[number] = frame[number].astype("float64")
    frame.attrs["source"] = f"submissions to {platform.slug}"
    return frame


def accepted_stamp(platform: Platform, *, session: Session) -> tuple[Any, ...]:
    """Identifies the platform's accepted submissions, read once per database session.
    Submissions are only ever added, and a status changes once, on review, which sets
    ``reviewed_at``; so their count, largest id and latest review tell any change."""
    return per_session(
        session,
        ("accepted", platform.id),
        lambda: tuple(
            session.exec(
                select(
                    func.count(), func.max(Submission.id), func.max(Submission.reviewed_at)
                ).where(Submission.platform_id == platform.id, Submission.status == "accepted")
            ).one()
        ),
    )


# The accepted trajectories of the platforms in use, kept between requests.
_memo = Memo(budget=500_000)


def accepted_trajectories(platform: Platform, *, session: Session) -> pd.DataFrame:
    """``accepted_trajectories_frame``, read once per change of the data. Do not modify the
    frame returned."""
    key = (
        "trajectories",
        platform.id,
        platform.sector_id,
        *accepted_stamp(platform, session=session),
    )
    return _memo.get(
        session, key, lambda: accepted_trajectories_frame(session=session, platform=platform)
    )
