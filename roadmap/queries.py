"""Reads: models, or DataFrames (``*_frame``) in the shape the domain functions take."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import func
from sqlmodel import Session, select

from roadmap.domain import columns as col
from roadmap.models import (
    Company,
    Pathway,
    PathwayPoint,
    Platform,
    Scenario,
    Sector,
    Submission,
    TrajectoryPoint,
)


@dataclass(frozen=True)
class PlatformSummary:
    platform: Platform
    sector: str
    companies: int


def platform_overview(*, session: Session) -> list[PlatformSummary]:
    """Every platform with its sector name and how many companies have submitted to it."""
    companies = (
        select(Submission.platform_id, func.count(func.distinct(Submission.company_id)).label("n"))
        .group_by(Submission.platform_id)
        .subquery()
    )
    rows = session.exec(
        select(Platform, Sector.name, func.coalesce(companies.c.n, 0))
        .join(Sector, Sector.id == Platform.sector_id)
        .outerjoin(companies, companies.c.platform_id == Platform.id)
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
    frame = pd.DataFrame(session.exec(query).all(), columns=names)
    frame[col.ACTIVITY] = frame[col.ACTIVITY].astype("float64")
    frame.attrs["source"] = "stored pathways"
    return frame


def latest_trajectories_frame(*, session: Session, platform: Platform) -> pd.DataFrame:
    """The newest submission of each company on ``platform`` as a validated trajectory table."""
    latest = (
        select(Submission.company_id, func.max(Submission.version).label("version"))
        .where(Submission.platform_id == platform.id)
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
    names = [
        col.COMPANY,
        col.SECTOR,
        col.REGION,
        col.SCOPE,
        col.YEAR,
        col.KIND,
        col.ACTIVITY,
        col.ACTIVITY_UNIT,
        col.EMISSIONS,
        col.EMISSIONS_UNIT,
        col.INTENSITY,
        col.INTENSITY_UNIT,
        col.ROW,
    ]
    frame = pd.DataFrame(session.exec(query).all(), columns=names)
    for number in (col.ACTIVITY, col.EMISSIONS, col.INTENSITY):
        frame[number] = frame[number].astype("float64")
    frame.attrs["source"] = f"submissions to {platform.slug}"
    return frame
