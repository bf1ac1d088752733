"""Writes of submissions: new versions, pending uploads, reviews. Each function takes
``session`` by keyword and flushes; the caller (a view or a command) commits once."""

from __future__ import annotations

import hashlib

import pandas as pd
from sqlalchemy import delete, insert
from sqlmodel import Session, select

from roadmap.companies.operations import get_or_create_company
from roadmap.domain import columns as col
from roadmap.models import (
    Company,
    PendingUpload,
    Platform,
    Submission,
    TrajectoryPoint,
    User,
    utcnow,
)
from roadmap.notifications import operations as notify
from roadmap.platforms.history import record_history
from roadmap.submissions.queries import PENDING_LIFETIME, PENDING_PER_USER, latest_version


def create_submissions(
    trajectories: pd.DataFrame,
    *,
    platform: Platform,
    source: str,
    filename: str = "",
    assurance: str = "self-reported",
    submitted_by: User | None = None,
    status: str = "pending",
    checksum: str | None = None,
    session: Session,
) -> list[Submission]:
    """Store a validated trajectory table as one new submission version per company.

    Each company's rows become version n + 1 of its submissions to ``platform``; nothing older
    is changed. ``checksum`` is the SHA-256 of the uploaded file where there is one, else of
    the company's rows as stored.
    """
    created = []
    for company_name, rows in trajectories.groupby(col.COMPANY, sort=True):
        company = get_or_create_company(company_name, session=session)
        points = rows.sort_values(col.YEAR)[col.TRAJECTORY_POINT]
        # Simultaneous submitters of one company wait here for each other (on PostgreSQL; SQLite
        # has one writer at a time), so each numbers its version after the last one stored.
        session.exec(select(Company.id).where(Company.id == company.id).with_for_update()).one()
        submission = Submission(
            company_id=company.id,
            platform_id=platform.id,
            version=latest_version(company.id, platform.id, session=session) + 1,
            region=rows[col.REGION].iloc[0],
            scope=rows[col.SCOPE].iloc[0],
            source=source,
            filename=filename,
            checksum=checksum or _checksum(points),
            assurance=assurance,
            submitted_by_id=submitted_by.id if submitted_by else None,
            status=status,
        )
        session.add(submission)
        session.flush()
        records = points.astype(object).where(points.notna(), None).to_dict("records")
        session.execute(
            insert(TrajectoryPoint), [{"submission_id": submission.id, **r} for r in records]
        )
        created.append(submission)
    session.flush()
    return created


def _checksum(points: pd.DataFrame) -> str:
    return hashlib.sha256(points.to_csv(index=False).encode()).hexdigest()


def file_checksum(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def submit(
    typed: pd.DataFrame,
    *,
    company: Company,
    platform: Platform,
    source: str,
    user: User,
    assurance: str,
    session: Session,
    filename: str = "",
    checksum: str | None = None,
) -> Submission:
    """Store checked rows (``rules.checked_rows``) as the company's next version on the
    platform."""
    (created,) = create_submissions(
        typed,
        platform=platform,
        source=source,
        filename=filename,
        assurance=assurance,
        submitted_by=user,
        checksum=checksum,
        session=session,
    )
    notify.notify_submission_received(created, session=session)
    return created


def create_pending_upload(
    data: bytes,
    *,
    filename: str,
    company: Company,
    platform: Platform,
    user: User,
    session: Session,
) -> PendingUpload:
    """Keep an uploaded file that passed every check until its owner accepts it; expired
    previews (everyone's) and the owner's oldest beyond PENDING_PER_USER are removed."""
    session.execute(
        delete(PendingUpload).where(PendingUpload.created_at < utcnow() - PENDING_LIFETIME)
    )
    kept = session.exec(
        select(PendingUpload.id)
        .where(PendingUpload.user_id == user.id)
        .order_by(PendingUpload.created_at.desc(), PendingUpload.id.desc())
        .limit(PENDING_PER_USER - 1)
    ).all()
    session.execute(
        delete(PendingUpload).where(PendingUpload.user_id == user.id, PendingUpload.id.not_in(kept))
    )
    pending = PendingUpload(
        user_id=user.id,
        company_id=company.id,
        platform_id=platform.id,
        filename=filename,
        checksum=file_checksum(data),
        content=data,
    )
    session.add(pending)
    session.flush()
    return pending


def discard_pending_upload(pending: PendingUpload, *, session: Session) -> None:
    session.delete(pending)
    session.flush()


def claim_pending_upload(upload_id: int, *, session: Session) -> bool:
    """Remove a previewed upload as the first step of accepting it: True for the one request
    that removed it, False for any other that tries at the same time (or later), so that a
    preview becomes one version however many times it is accepted at once."""
    removed = session.execute(delete(PendingUpload).where(PendingUpload.id == upload_id))
    return removed.rowcount == 1


def review_submission(
    submission: Submission, *, accept: bool, reason: str, reviewer: User, session: Session
) -> None:
    """Accept a submission for the platform's reconciliation, or reject it with a reason."""
    if not accept and not reason.strip():
        raise ValueError("a rejection needs a reason")
    submission.status = "accepted" if accept else "rejected"
    submission.review_reason = reason.strip()
    submission.reviewed_by_id = reviewer.id
    submission.reviewed_at = utcnow()
    session.add(submission)
    session.flush()
    platform = submission.platform
    record_history(
        platform,
        f"{submission.status} {submission.company.name} version {submission.version}",
        kind="review",
        detail=submission.review_reason,
        user=reviewer,
        session=session,
    )
    notify.notify_review_decision(submission, session=session)
