"""Load the shipped sector pathways and the fictional demo platforms into the database."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from sqlmodel import Session, select

from roadmap import operations
from roadmap.domain.ingest import read_table
from roadmap.domain.validate import combine_pathways, validate_pathways, validate_trajectories
from roadmap.models import Company, Platform, Sector, User

# The one password of every demo user (README, "Demo users"). Demo data only: never seed a
# database that real people use.
DEMO_PASSWORD = "roadmap-demo-2026"


@dataclass(frozen=True)
class SeedReport:
    pathways_added: int
    pathways_skipped: int
    platforms_added: list[str]
    submissions_added: int
    users_added: list[str]


def read_pathway_files(paths: list[Path]) -> pd.DataFrame:
    """Read and validate several pathway files as one table."""
    return combine_pathways([validate_pathways(read_table(path)) for path in paths])


def seed(data_dir: Path, *, session: Session) -> SeedReport:
    """Import data/pathways/*.csv, then each demo platform of data/demo/platforms.csv that is
    not stored yet, with its companies' trajectories as version-1 submissions."""
    pathways = read_pathway_files(sorted((data_dir / "pathways").glob("*.csv")))
    imported = operations.import_pathways(pathways, session=session)
    demo = data_dir / "demo"
    platforms = read_table(demo / "platforms.csv")
    added, submissions = [], 0
    for row in platforms.to_dict("records"):
        if session.exec(select(Platform.id).where(Platform.slug == row["slug"])).first():
            continue
        sector = session.exec(select(Sector).where(Sector.name == row["sector"])).one()
        platform = operations.create_platform(
            session=session,
            slug=row["slug"],
            name=row["name"],
            sector=sector,
            region=row["region"],
            scope=row["scope"],
            stage=int(row["stage"]),
            net_zero_year=int(row["net_zero_year"]) if row["net_zero_year"] else None,
            vision=row["vision"],
            is_public=row["is_public"].lower() == "true",
        )
        added.append(platform.slug)
        if row["trajectories"]:
            trajectories = validate_trajectories(read_table(demo / row["trajectories"]))
            submissions += len(
                operations.create_submissions(
                    trajectories,
                    platform=platform,
                    source="seed",
                    filename=row["trajectories"],
                    status="accepted",
                    session=session,
                )
            )
    users = _seed_users(demo / "users.csv", session=session)
    return SeedReport(imported.added, imported.skipped, added, submissions, users)


def _seed_users(path: Path, *, session: Session) -> list[str]:
    """Demo users (skipping any whose email exists), then the consultants' access grants."""
    added = []
    for row in read_table(path).to_dict("records"):
        if session.exec(select(User.id).where(User.email == row["email"])).first():
            continue
        company = session.exec(select(Company).where(Company.name == row["company"])).first()
        slugs = [s for s in row["platforms"].split(";") if s]
        platform_ids = list(session.exec(select(Platform.id).where(Platform.slug.in_(slugs))))
        user = operations.create_user(
            session=session,
            email=row["email"],
            name=row["name"],
            role=row["role"],
            password=DEMO_PASSWORD,
            platform_ids=platform_ids,
            company_id=company.id if company and row["role"] == "company" else None,
        )
        if row["granted_by"] and company is not None:
            granter = session.exec(select(User).where(User.email == row["granted_by"])).one()
            operations.grant_consultant(company.id, user, granted_by=granter, session=session)
        added.append(user.email)
    return added
