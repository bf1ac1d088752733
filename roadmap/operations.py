"""Writes. Each function takes ``session`` by keyword and flushes; the caller (a view or a
command) commits once."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import func, insert
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
class PathwayImport:
    added: int  # pathways stored
    skipped: int  # pathways already present, left as they were


def get_or_create_sector(name: str, intensity_unit: str, *, session: Session) -> Sector:
    sector = session.exec(select(Sector).where(Sector.name == name)).first()
    if sector is None:
        sector = Sector(name=name, intensity_unit=intensity_unit)
        session.add(sector)
        session.flush()
    return sector


def import_pathways(pathways: pd.DataFrame, *, session: Session) -> PathwayImport:
    """Store a validated pathway table. A pathway (scenario, sector, region, scope) already
    stored is left untouched, so importing the same file twice changes nothing."""
    added = skipped = 0
    series = [col.SCENARIO, col.SECTOR, col.REGION, col.SCOPE]
    for (_, sector_name, region, scope), points in pathways.groupby(series, sort=True):
        first = points.iloc[0]
        sector = get_or_create_sector(sector_name, first[col.INTENSITY_UNIT], session=session)
        scenario = _get_or_create_scenario(first, session=session)
        exists = session.exec(
            select(Pathway.id).where(
                Pathway.scenario_id == scenario.id,
                Pathway.sector_id == sector.id,
                Pathway.region == region,
                Pathway.scope == scope,
            )
        ).first()
        if exists is not None:
            skipped += 1
            continue
        pathway = Pathway(
            scenario_id=scenario.id,
            sector_id=sector.id,
            region=region,
            scope=scope,
            intensity_unit=first[col.INTENSITY_UNIT],
            activity_unit=first[col.ACTIVITY_UNIT] or "",
        )
        session.add(pathway)
        session.flush()
        rows = [
            {
                "pathway_id": pathway.id,
                "year": int(year),
                "intensity": float(intensity),
                "activity": None if pd.isna(activity) else float(activity),
            }
            for year, intensity, activity in points[
                [col.YEAR, col.INTENSITY, col.ACTIVITY]
            ].itertuples(index=False)
        ]
        session.execute(insert(PathwayPoint), rows)
        added += 1
    session.flush()
    return PathwayImport(added, skipped)


def _get_or_create_scenario(first: pd.Series, *, session: Session) -> Scenario:
    scenario = session.exec(select(Scenario).where(Scenario.name == first[col.SCENARIO])).first()
    if scenario is None:
        scenario = Scenario(
            name=first[col.SCENARIO],
            source=first[col.SOURCE],
            licence=first[col.LICENCE],
            release_date=first[col.RELEASE_DATE],
        )
        session.add(scenario)
        session.flush()
    return scenario


def create_platform(
    *, session: Session, slug: str, name: str, sector: Sector, **fields: object
) -> Platform:
    platform = Platform(slug=slug, name=name, sector_id=sector.id, **fields)
    session.add(platform)
    session.flush()
    return platform


def get_or_create_company(name: str, *, session: Session) -> Company:
    company = session.exec(select(Company).where(Company.name == name)).first()
    if company is None:
        company = Company(name=name)
        session.add(company)
        session.flush()
    return company


def create_submissions(
    trajectories: pd.DataFrame,
    *,
    platform: Platform,
    source: str,
    filename: str = "",
    assurance: str = "self-reported",
    session: Session,
) -> list[Submission]:
    """Store a validated trajectory table as one new submission version per company.

    Each company's rows become version n + 1 of its submissions to ``platform``; nothing older
    is changed. The checksum is the SHA-256 of the company's rows as stored.
    """
    created = []
    for company_name, rows in trajectories.groupby(col.COMPANY, sort=True):
        company = get_or_create_company(company_name, session=session)
        latest = session.exec(
            select(func.max(Submission.version)).where(
                Submission.company_id == company.id, Submission.platform_id == platform.id
            )
        ).one()
        points = rows.sort_values(col.YEAR)[_POINT_COLUMNS]
        submission = Submission(
            company_id=company.id,
            platform_id=platform.id,
            version=(latest or 0) + 1,
            region=rows[col.REGION].iloc[0],
            scope=rows[col.SCOPE].iloc[0],
            source=source,
            filename=filename,
            checksum=_checksum(points),
            assurance=assurance,
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


_POINT_COLUMNS = [
    col.YEAR,
    col.KIND,
    col.ACTIVITY,
    col.ACTIVITY_UNIT,
    col.EMISSIONS,
    col.EMISSIONS_UNIT,
    col.INTENSITY,
    col.INTENSITY_UNIT,
]


def _checksum(points: pd.DataFrame) -> str:
    return hashlib.sha256(points.to_csv(index=False).encode()).hexdigest()
