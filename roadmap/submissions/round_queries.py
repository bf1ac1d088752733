"""Reads of reporting rounds (what is due, who stands where, who disclosed) and of the review
inbox (what waits, with its plausibility checks)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import func
from sqlmodel import Session, select

from roadmap.accounts import access
from roadmap.accounts.access import Viewer
from roadmap.domain.review import plausibility_checks
from roadmap.domain.rounds import NOT_STARTED, round_status
from roadmap.models import (
    Company,
    Platform,
    ReportingRound,
    Signatory,
    Submission,
    User,
)
from roadmap.submissions.queries import SubmissionRow, rows_query, submission_points_frame

# --- reporting rounds ----------------------------------------------------------------------

INITIAL_ROUND = "Initial"


def rounds(platform_id: int, *, session: Session) -> list[ReportingRound]:
    """The platform's rounds, newest first."""
    return list(
        session.exec(
            select(ReportingRound)
            .where(ReportingRound.platform_id == platform_id)
            .order_by(ReportingRound.created_at.desc(), ReportingRound.id.desc())
        ).all()
    )


def open_rounds(*, session: Session) -> list[ReportingRound]:
    """Every open round, on every platform (for the daily reminder)."""
    return list(
        session.exec(
            select(ReportingRound)
            .where(ReportingRound.status == "open")
            .order_by(ReportingRound.deadline, ReportingRound.id)
        ).all()
    )


def round_of(platform_id: int, round_id: int, *, session: Session) -> ReportingRound | None:
    found = session.get(ReportingRound, round_id)
    return found if found is not None and found.platform_id == platform_id else None


def open_round(platform_id: int, *, session: Session) -> ReportingRound | None:
    return session.exec(
        select(ReportingRound).where(
            ReportingRound.platform_id == platform_id, ReportingRound.status == "open"
        )
    ).first()


def round_named(platform_id: int, name: str, *, session: Session) -> ReportingRound | None:
    return session.exec(
        select(ReportingRound).where(
            ReportingRound.platform_id == platform_id, ReportingRound.name == name
        )
    ).first()


def round_for_new_version(company_id: int, platform_id: int, *, session: Session) -> int | None:
    """The round a new version answers: the platform's open round; else, where the company's
    newest version was sent back for changes in a round not yet published, that round (the
    member resubmits in the same round); else none."""
    current = open_round(platform_id, session=session)
    if current is not None:
        return current.id
    newest = session.exec(
        select(Submission)
        .where(Submission.company_id == company_id, Submission.platform_id == platform_id)
        .order_by(Submission.version.desc())
    ).first()
    if newest is None or newest.status != "changes_requested" or newest.round_id is None:
        return None
    asked_in = session.get(ReportingRound, newest.round_id)
    return asked_in.id if asked_in is not None and asked_in.status != "published" else None


def newest_accepted(platform_id: int, *, session: Session) -> list[Submission]:
    """Each company's newest accepted version on the platform: what a publication holds."""
    latest = (
        select(Submission.company_id, func.max(Submission.version).label("version"))
        .where(Submission.platform_id == platform_id, Submission.status == "accepted")
        .group_by(Submission.company_id)
        .subquery()
    )
    return list(
        session.exec(
            select(Submission)
            .join(
                latest,
                (latest.c.company_id == Submission.company_id)
                & (latest.c.version == Submission.version),
            )
            .where(Submission.platform_id == platform_id)
            .order_by(Submission.company_id)
        ).all()
    )


@dataclass(frozen=True)
class RoundCompany:
    company: Company
    status: str  # roadmap.domain.rounds: not started, submitted, changes requested, ...
    counted: Submission | None  # the accepted version that counts for the round


def members_to_tell(
    round_: ReportingRound, *, session: Session, not_started_only: bool = False
) -> list[User]:
    """The active members of the companies asked to disclose in ``round_`` (every company that
    ever submitted to its platform); with ``not_started_only``, of those that have not
    submitted in it yet (for the deadline reminder)."""
    companies = [
        entry.company.id
        for entry in round_progress(round_, session=session)
        if not not_started_only or entry.status == NOT_STARTED
    ]
    if not companies:
        return []
    return list(
        session.exec(
            select(User)
            .where(
                User.company_id.in_(companies),
                User.role == access.COMPANY,
                User.is_active.is_(True),
            )
            .order_by(User.email)
        ).all()
    )


def round_progress(round_: ReportingRound, *, session: Session) -> list[RoundCompany]:
    """Every company that ever submitted to the round's platform, by name, with its status in
    the round (for the platform's coordinators)."""
    companies = session.exec(
        select(Company)
        .where(
            Company.id.in_(
                select(Submission.company_id).where(Submission.platform_id == round_.platform_id)
            )
        )
        .order_by(Company.name)
    ).all()
    versions = session.exec(
        select(Submission)
        .where(Submission.round_id == round_.id)
        .order_by(Submission.company_id, Submission.version)
    ).all()
    by_company: dict[int, list[Submission]] = {}
    for version in versions:
        by_company.setdefault(version.company_id, []).append(version)
    out = []
    for company in companies:
        own = by_company.get(company.id, [])
        accepted = [v for v in own if v.status == "accepted"]
        out.append(
            RoundCompany(
                company, round_status([v.status for v in own]), accepted[-1] if accepted else None
            )
        )
    return out


@dataclass(frozen=True)
class Disclosure:
    organisation: str
    disclosed: bool


def disclosure(round_: ReportingRound, *, session: Session) -> list[Disclosure]:
    """For a published round, public: each company signatory of the platform and whether it
    disclosed in the round (a version accepted there); never a figure. Signatories are public
    by name (README "Who sees what"); companies that are not signatories are not named."""
    if round_.status != "published":
        return []
    signatories = session.exec(
        select(Signatory.organisation)
        .where(Signatory.platform_id == round_.platform_id, Signatory.kind == "company")
        .order_by(Signatory.organisation)
    ).all()
    disclosed = set(
        session.exec(
            select(Company.name)
            .join(Submission, Submission.company_id == Company.id)
            .where(Submission.round_id == round_.id, Submission.status == "accepted")
        ).all()
    )
    return [Disclosure(name, name in disclosed) for name in signatories]


@dataclass(frozen=True)
class Due:
    round: ReportingRound
    platform: Platform
    status: str


def due_for(viewer: Viewer, *, session: Session) -> list[Due]:
    """For a company member: the open rounds of the platforms its company submits to, by
    deadline, with its status in each."""
    if viewer.role != access.COMPANY or viewer.company_id is None:
        return []
    found = session.exec(
        select(ReportingRound, Platform)
        .join(Platform, Platform.id == ReportingRound.platform_id)
        .where(
            ReportingRound.status == "open",
            ReportingRound.platform_id.in_(
                select(Submission.platform_id).where(Submission.company_id == viewer.company_id)
            ),
        )
        .order_by(ReportingRound.deadline, Platform.name)
    ).all()
    out = []
    for round_, platform in found:
        statuses = session.exec(
            select(Submission.status)
            .where(Submission.round_id == round_.id, Submission.company_id == viewer.company_id)
            .order_by(Submission.version)
        ).all()
        out.append(Due(round_, platform, round_status(list(statuses))))
    return out


# --- the review inbox ----------------------------------------------------------------------


def _waiting_filter(viewer: Viewer) -> Any:
    """Pending submissions on the platforms the viewer reviews (an admin: all)."""
    if viewer.is_admin:
        return Submission.status == "pending"
    return (Submission.status == "pending") & Submission.platform_id.in_(viewer.coordinated)


def waiting_count(viewer: Viewer, *, session: Session) -> int:
    """How many submissions wait for the viewer's review (0 for those who review none)."""
    if not (viewer.is_admin or viewer.coordinated):
        return 0
    return int(
        session.exec(
            select(func.count()).select_from(Submission).where(_waiting_filter(viewer))
        ).one()
    )


@dataclass(frozen=True)
class Waiting:
    row: SubmissionRow
    round: ReportingRound | None
    checks: pd.DataFrame  # roadmap.domain.review.CHECK_COLUMNS


def waiting(
    viewer: Viewer, *, session: Session, offset: int = 0, limit: int | None = None
) -> list[Waiting]:
    """The submissions waiting for the viewer's review, oldest first, each with its round and
    its plausibility checks."""
    if not (viewer.is_admin or viewer.coordinated):
        return []
    query = (
        rows_query()
        .where(_waiting_filter(viewer))
        .order_by(Submission.submitted_at, Submission.id)
        .offset(offset)
    )
    if limit is not None:
        query = query.limit(limit)
    out = []
    for s, p, c, email in session.exec(query).all():
        row = SubmissionRow(s, p, c, email or s.source)
        round_ = session.get(ReportingRound, s.round_id) if s.round_id is not None else None
        out.append(Waiting(row, round_, checks_of(s, session=session)))
    return out


def compared_version(submission: Submission, *, session: Session) -> Submission | None:
    """What a new version is read against: the company's newest accepted version on the
    platform other than itself, else its version just before."""
    same = (
        Submission.company_id == submission.company_id,
        Submission.platform_id == submission.platform_id,
        Submission.id != submission.id,
    )
    accepted = session.exec(
        select(Submission)
        .where(*same, Submission.status == "accepted")
        .order_by(Submission.version.desc())
    ).first()
    if accepted is not None:
        return accepted
    return session.exec(
        select(Submission).where(*same, Submission.version == submission.version - 1)
    ).first()


def checks_of(submission: Submission, *, session: Session) -> pd.DataFrame:
    """The plausibility checks of a version against ``compared_version``."""
    earlier = compared_version(submission, session=session)
    return plausibility_checks(
        submission_points_frame(submission, session=session),
        submission_points_frame(earlier, session=session) if earlier is not None else None,
    )


def round_of_submission(submission: Submission, *, session: Session) -> ReportingRound | None:
    return session.get(ReportingRound, submission.round_id) if submission.round_id else None


def counting_version(submission: Submission, *, session: Session) -> int | None:
    """The version of the submission's company that counts for its round: the newest accepted
    there (None where none is, or the submission belongs to no round)."""
    if submission.round_id is None:
        return None
    newest = session.exec(
        select(func.max(Submission.version)).where(
            Submission.round_id == submission.round_id,
            Submission.company_id == submission.company_id,
            Submission.status == "accepted",
        )
    ).one()
    return int(newest) if newest is not None else None
