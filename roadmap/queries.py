"""Reads: models, or DataFrames (``*_frame``) in the shape the domain functions take."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import func
from sqlmodel import Session, select

from roadmap import access
from roadmap.access import Viewer
from roadmap.domain import columns as col
from roadmap.models import (
    ApiToken,
    Company,
    ConsultantGrant,
    Pathway,
    PathwayPoint,
    Platform,
    Scenario,
    Sector,
    Submission,
    TrajectoryPoint,
    User,
)


def _frame(session: Session, query: Any, names: list[str]) -> pd.DataFrame:
    """The rows of ``query`` as a DataFrame. Rows become plain tuples first: pandas probes
    SQLAlchemy's Row objects attribute by attribute, which costs more than the query."""
    return pd.DataFrame([tuple(row) for row in session.exec(query).all()], columns=names)


@dataclass(frozen=True)
class PlatformSummary:
    platform: Platform
    sector: str
    companies: int


def platform_overview(*, session: Session, viewer: Viewer) -> list[PlatformSummary]:
    """The platforms the viewer may see, with sector name and how many companies have
    submitted to each."""
    companies = (
        select(Submission.platform_id, func.count(func.distinct(Submission.company_id)).label("n"))
        .group_by(Submission.platform_id)
        .subquery()
    )
    rows = session.exec(
        select(Platform, Sector.name, func.coalesce(companies.c.n, 0))
        .join(Sector, Sector.id == Platform.sector_id)
        .outerjoin(companies, companies.c.platform_id == Platform.id)
        .where(access.platform_filter(viewer))
        .order_by(Platform.stage.desc(), Platform.name)
    ).all()
    return [PlatformSummary(p, sector, int(n)) for p, sector, n in rows]


def pathways_frame(*, session: Session, sectors: list[str] | None = None) -> pd.DataFrame:
    """Every stored pathway point as a validated pathway table (DESIGN.md data contract)."""
    query = (
        select(
            Sector.name,
            Scenario.name,
            Pathway.region,
            Pathway.scope,
            PathwayPoint.year,
            PathwayPoint.intensity,
            Pathway.intensity_unit,
            PathwayPoint.activity,
            Pathway.activity_unit,
            Scenario.source,
            Scenario.licence,
            Scenario.release_date,
            PathwayPoint.id,
        )
        .join(Pathway, Pathway.id == PathwayPoint.pathway_id)
        .join(Scenario, Scenario.id == Pathway.scenario_id)
        .join(Sector, Sector.id == Pathway.sector_id)
        .order_by(Sector.name, Scenario.name, Pathway.region, Pathway.scope, PathwayPoint.year)
    )
    if sectors is not None:
        query = query.where(Sector.name.in_(sectors))
    names = [
        col.SECTOR,
        col.SCENARIO,
        col.REGION,
        col.SCOPE,
        col.YEAR,
        col.INTENSITY,
        col.INTENSITY_UNIT,
        col.ACTIVITY,
        col.ACTIVITY_UNIT,
        col.SOURCE,
        col.LICENCE,
        col.RELEASE_DATE,
        col.ROW,
    ]
    frame = _frame(session, query, names)
    frame[col.ACTIVITY] = frame[col.ACTIVITY].astype("float64")
    frame.attrs["source"] = "stored pathways"
    return frame


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
    names = [*col.TRAJECTORY_COLUMNS, col.ROW]
    frame = _frame(session, query, names)
    for number in (col.ACTIVITY, col.EMISSIONS, col.INTENSITY):
        frame[number] = frame[number].astype("float64")
    frame.attrs["source"] = f"submissions to {platform.slug}"
    return frame


def platforms(*, session: Session, viewer: Viewer) -> list[Platform]:
    return list(
        session.exec(
            select(Platform).where(access.platform_filter(viewer)).order_by(Platform.name)
        ).all()
    )


def platform(slug: str, *, session: Session, viewer: Viewer) -> Platform | None:
    return session.exec(
        select(Platform).where(Platform.slug == slug, access.platform_filter(viewer))
    ).first()


def companies(*, session: Session, viewer: Viewer) -> list[Company]:
    return list(
        session.exec(
            select(Company).where(access.company_filter(viewer, Company.id)).order_by(Company.name)
        ).all()
    )


def company(company_id: int, *, session: Session, viewer: Viewer) -> Company | None:
    return session.exec(
        select(Company).where(Company.id == company_id, access.company_filter(viewer, Company.id))
    ).first()


@dataclass(frozen=True)
class SubmissionRow:
    submission: Submission
    platform: Platform
    company: Company
    submitted_by: str  # the submitter's email, or the source where no user made it


def submissions(
    *,
    session: Session,
    viewer: Viewer,
    company_id: int | None = None,
    platform_id: int | None = None,
) -> list[SubmissionRow]:
    """Submissions the viewer may read, newest first."""
    query = (
        select(Submission, Platform, Company, User.email)
        .join(Platform, Platform.id == Submission.platform_id)
        .join(Company, Company.id == Submission.company_id)
        .outerjoin(User, User.id == Submission.submitted_by_id)
        .where(access.submission_filter(viewer))
        .order_by(Company.name, Platform.name, Submission.version.desc())
    )
    if company_id is not None:
        query = query.where(Submission.company_id == company_id)
    if platform_id is not None:
        query = query.where(Submission.platform_id == platform_id)
    return [
        SubmissionRow(s, p, c, email or s.source) for s, p, c, email in session.exec(query).all()
    ]


def submission(submission_id: int, *, session: Session, viewer: Viewer) -> SubmissionRow | None:
    rows = session.exec(
        select(Submission, Platform, Company, User.email)
        .join(Platform, Platform.id == Submission.platform_id)
        .join(Company, Company.id == Submission.company_id)
        .outerjoin(User, User.id == Submission.submitted_by_id)
        .where(Submission.id == submission_id, access.submission_filter(viewer))
    ).all()
    return (
        SubmissionRow(rows[0][0], rows[0][1], rows[0][2], rows[0][3] or rows[0][0].source)
        if rows
        else None
    )


def submission_points_frame(submission: Submission, *, session: Session) -> pd.DataFrame:
    """The rows of one submission, by year."""
    query = (
        select(TrajectoryPoint)
        .where(TrajectoryPoint.submission_id == submission.id)
        .order_by(TrajectoryPoint.year)
    )
    rows = [p.model_dump(exclude={"id", "submission_id"}) for p in session.exec(query).all()]
    return pd.DataFrame(rows, columns=col.TRAJECTORY_POINT)


def consultant_grants(company_id: int, *, session: Session) -> list[tuple[ConsultantGrant, User]]:
    """Current (unrevoked) grants of a company, with the consultant."""
    return list(
        session.exec(
            select(ConsultantGrant, User)
            .join(User, User.id == ConsultantGrant.consultant_id)
            .where(ConsultantGrant.company_id == company_id, ConsultantGrant.revoked_at.is_(None))
            .order_by(User.email)
        ).all()
    )


def user_by_email(email: str, *, session: Session) -> User | None:
    return session.exec(select(User).where(User.email == email.strip().lower())).first()


def api_tokens(user: User, *, session: Session) -> list[ApiToken]:
    return list(
        session.exec(
            select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.created_at.desc())
        ).all()
    )


def user_for_token(secret: str, *, session: Session) -> tuple[User, ApiToken] | None:
    """The active user owning this unrevoked bearer token."""
    from roadmap.security import digest

    found = session.exec(
        select(User, ApiToken)
        .join(ApiToken, ApiToken.user_id == User.id)
        .where(
            ApiToken.token_hash == digest(secret),
            ApiToken.revoked_at.is_(None),
            User.is_active.is_(True),
        )
    ).first()
    return (found[0], found[1]) if found else None


def users(*, session: Session) -> list[tuple[User, Company | None]]:
    return list(
        session.exec(
            select(User, Company)
            .outerjoin(Company, Company.id == User.company_id)
            .order_by(User.role, User.email)
        ).all()
    )


def platform_companies(platform: Platform, *, session: Session) -> list[Company]:
    """Companies that have submitted to the platform (for a coordinator's choices)."""
    return list(
        session.exec(
            select(Company)
            .where(
                Company.id.in_(
                    select(Submission.company_id).where(Submission.platform_id == platform.id)
                )
            )
            .order_by(Company.name)
        ).all()
    )


def sectors(*, session: Session) -> list[Sector]:
    return list(session.exec(select(Sector).order_by(Sector.name)).all())


def company_platforms(company_id: int, *, session: Session, viewer: Viewer) -> list[Platform]:
    """The platforms the viewer may see where the company has an accepted submission."""
    accepted = select(Submission.platform_id).where(
        Submission.company_id == company_id, Submission.status == "accepted"
    )
    return list(
        session.exec(
            select(Platform)
            .where(Platform.id.in_(accepted), access.platform_filter(viewer))
            .order_by(Platform.name)
        ).all()
    )
