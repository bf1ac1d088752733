"""Load the shipped sector pathways and the fictional demo platforms into the database."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd
from sqlmodel import Session, select

from roadmap import operations, queries
from roadmap.domain import columns as col
from roadmap.domain.ingest import read_table
from roadmap.domain.milestones import grid
from roadmap.domain.validate import combine_pathways, validate_pathways, validate_trajectories
from roadmap.models import (
    Action,
    Company,
    CompanyTarget,
    DemandSignal,
    Kpi,
    Platform,
    PolicyAsk,
    RoadmapPathway,
    Sector,
    Signatory,
    User,
)

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
    seed_stages(demo / "stages.json", session=session)
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


def seed_stages(path: Path, *, session: Session) -> list[str]:
    """Fictional stage content (signatories, roadmap, KPIs, commitments, actions) for demo
    platforms that have none yet; returns the slugs filled."""
    filled = []
    for slug, content in json.loads(path.read_text()).items():
        platform = session.exec(select(Platform).where(Platform.slug == slug)).first()
        if (
            platform is None
            or session.exec(
                select(Signatory.id).where(Signatory.platform_id == platform.id)
            ).first()
        ):
            continue
        for organisation, kind, joined in content.get("signatories", []):
            session.add(
                Signatory(
                    platform_id=platform.id,
                    organisation=organisation,
                    kind=kind,
                    joined_on=date.fromisoformat(joined),
                )
            )
        if "roadmap" in content:
            _seed_roadmap(platform, content["roadmap"], session=session)
        for kpi in content.get("kpis", []):
            _seed_kpi(platform, kpi, session=session)
        for company, year, kind, value, scope, net_zero, validation in content.get("targets", []):
            found = session.exec(select(Company).where(Company.name == company)).one()
            session.add(
                CompanyTarget(
                    platform_id=platform.id,
                    company_id=found.id,
                    target_year=year,
                    kind=kind,
                    value=value,
                    scope=scope,
                    net_zero_year=net_zero,
                    validation=validation,
                )
            )
        for buyer, product, volume, unit, year in content.get("demand", []):
            session.add(
                DemandSignal(
                    platform_id=platform.id,
                    buyer=buyer,
                    product=product,
                    volume=volume,
                    volume_unit=unit,
                    year=year,
                )
            )
        for rule, jurisdiction, status in content.get("policy", []):
            session.add(
                PolicyAsk(
                    platform_id=platform.id, rule=rule, jurisdiction=jurisdiction, status=status
                )
            )
        for title, kind, owner, status, milestone, due in content.get("actions", []):
            session.add(
                Action(
                    platform_id=platform.id,
                    title=title,
                    kind=kind,
                    owner=owner,
                    status=status,
                    milestone_year=milestone,
                    due_on=date.fromisoformat(due) if due else None,
                )
            )
        operations.record_history(
            platform, "loaded the demo stage content", user=None, session=session
        )
        filled.append(slug)
    return filled


def _seed_roadmap(platform: Platform, spec: dict, *, session: Session) -> None:
    sector = session.get(Sector, platform.sector_id)
    stored = queries.pathways_frame(session=session, sectors=[sector.name] if sector else [])
    curve = stored[
        (stored[col.SCENARIO] == spec["from"])
        & (stored[col.SCOPE] == platform.scope)
        & (stored[col.REGION] == "Global")
    ]
    values = dict(zip(curve[col.YEAR], curve[col.INTENSITY], strict=True))
    years = grid(spec["base_year"], spec["target_year"])
    pathway = RoadmapPathway(
        platform_id=platform.id,
        scenario=spec["scenario"],
        base_year=spec["base_year"],
        target_year=spec["target_year"],
        intensity_unit=str(curve[col.INTENSITY_UNIT].iloc[0]),
        published=True,
    )
    operations.save_pathway(
        pathway,
        [(y, float(values[y]), None) for y in years],
        platform=platform,
        user=None,
        session=session,
    )


def _seed_kpi(platform: Platform, spec: dict, *, session: Session) -> None:
    kpi = operations.save_kpi(
        Kpi(
            platform_id=platform.id,
            name=spec["name"],
            unit=spec["unit"],
            direction=spec["direction"],
        ),
        {int(y): float(v) for y, v in spec["targets"].items()},
        platform=platform,
        user=None,
        session=session,
    )
    for year, value in spec.get("actuals", {}).items():
        operations.record_kpi_actual(
            kpi, int(year), float(value), platform=platform, user=None, session=session
        )
