"""Writes of submissions: new versions, pending uploads, reviews. Each function takes
``session`` by keyword and flushes; the caller (a view or a command) commits once."""

from __future__ import annotations

import hashlib

import pandas as pd
from sqlalchemy import delete, insert, update
from sqlmodel import Session, select

from roadmap.companies.operations import get_or_create_company
from roadmap.domain import columns as col
from roadmap.domain.review import decision_message_problem
from roadmap.models import (
    Company,
    PendingUpload,
    Platform,
    ReportingRound,
    RoundPublication,
    Submission,
    TrajectoryPoint,
    User,
    utcnow,
)
from roadmap.notifications import operations as notify
from roadmap.platforms.history import record_history
from roadmap.submissions import queries, round_queries
from roadmap.submissions.queries import PENDING_LIFETIME, PENDING_PER_USER, latest_version
from roadmap.submissions.round_queries import INITIAL_ROUND


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
    the company's rows as stored. A pending version joins the round it answers
    (``queries.round_for_new_version``); rows stored as accepted straight away (demo data,
    imports by the operator) are published in the platform's Initial round, as the
    migration did with the figures stored before rounds existed.
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
            round_id=round_queries.round_for_new_version(company.id, platform.id, session=session),
        )
        session.add(submission)
        session.flush()
        records = points.astype(object).where(points.notna(), None).to_dict("records")
        session.execute(
            insert(TrajectoryPoint), [{"submission_id": submission.id, **r} for r in records]
        )
        created.append(submission)
    session.flush()
    if status == "accepted":
        initial = _publish_accepted_as_initial(platform, session)
        for submission in created:
            submission.round_id = initial
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


class Refused(ValueError):
    """A write that the rules refuse; the message says why, for the person who asked."""


class AlreadyDecided(Refused):
    """A review of a submission that was already decided."""


# What a review decides: the submission's status afterwards.
DECISIONS = {"accept": "accepted", "request_changes": "changes_requested", "reject": "rejected"}


def decide(
    submission: Submission, *, decision: str, message: str, reviewer: User, session: Session
) -> Submission:
    """Accept a pending submission for the platform's reconciliation, request changes (the
    member resubmits in the same round) or reject it; the last two need a message. A decided
    submission is never decided again: the decision is one conditional UPDATE of a pending
    row, so of two reviewers deciding at once exactly one succeeds and the other gets
    AlreadyDecided, naming who decided. Returns the submission decided: the event a
    notification is sent for, after the caller commits."""
    if decision not in DECISIONS:
        raise Refused(f"unknown decision {decision!r}")
    if submission.status != "pending":
        raise AlreadyDecided(decided_already(submission, session))
    problem = decision_message_problem(decision, message)
    if problem is not None:
        raise Refused(problem)
    changed = session.execute(
        update(Submission)
        .where(Submission.id == submission.id, Submission.status == "pending")
        .values(
            status=DECISIONS[decision],
            review_reason=message.strip(),
            reviewed_by_id=reviewer.id,
            reviewed_at=utcnow(),
        )
        .execution_options(synchronize_session=False)
    )
    # Read back what is stored: this decision, or the one that was made first.
    session.refresh(submission)
    if changed.rowcount != 1:
        raise AlreadyDecided(decided_already(submission, session))
    record_history(
        submission.platform,
        f"{submission.status.replace('_', ' ')} {submission.company.name} "
        f"version {submission.version}",
        kind="review",
        detail=submission.review_reason,
        user=reviewer,
        session=session,
    )
    notify.notify_review_decision(submission, session=session)
    return submission


def decided_already(submission: Submission, session: Session) -> str:
    """What a second reviewer reads: who decided, what and when."""
    who = queries.reviewer_email(submission, session=session) or "another reviewer"
    when = f" on {submission.reviewed_at:%Y-%m-%d %H:%M} UTC" if submission.reviewed_at else ""
    return (
        f"Version {submission.version} was already decided by {who}{when} "
        f"({submission.status.replace('_', ' ')}); a decision is final."
    )


def review_submission(
    submission: Submission, *, accept: bool, reason: str, reviewer: User, session: Session
) -> None:
    """Accept a submission for the platform's reconciliation, or reject it with a reason."""
    decide(
        submission,
        decision="accept" if accept else "reject",
        message=reason,
        reviewer=reviewer,
        session=session,
    )


# --- publications (opening, editing and publishing rounds: round_operations) --------------


def record_publication(
    round_: ReportingRound, submissions: list[Submission], *, session: Session
) -> None:
    """The round publishes these submissions, one per company (replacing any it held)."""
    for entry in session.exec(
        select(RoundPublication).where(RoundPublication.round_id == round_.id)
    ).all():
        session.delete(entry)
    session.flush()
    session.add_all(
        RoundPublication(round_id=round_.id, company_id=s.company_id, submission_id=s.id)
        for s in submissions
    )
    session.flush()


def initial_round(platform: Platform, *, session: Session) -> ReportingRound:
    """The platform's published "Initial" round, made on first use: where figures stored
    before rounds existed (the migration) and demo or imported figures stored as accepted
    (``create_submissions(status="accepted")``) are published."""
    found = round_queries.round_named(platform.id, INITIAL_ROUND, session=session)
    if found is not None:
        return found
    today = utcnow()
    made = ReportingRound(
        platform_id=platform.id,
        name=INITIAL_ROUND,
        reported_up_to=today.year - 1,
        plan_to=platform.net_zero_year or 2050,
        opens_on=today.date(),
        deadline=today.date(),
        status="published",
        closed_at=today,
        published_at=today,
    )
    session.add(made)
    session.flush()
    return made


def _publish_accepted_as_initial(platform: Platform, session: Session) -> int:
    """Put the platform's accepted figures in its Initial round's publication; the id of
    that round."""
    initial = initial_round(platform, session=session)
    record_publication(
        initial, round_queries.newest_accepted(platform.id, session=session), session=session
    )
    return initial.id
