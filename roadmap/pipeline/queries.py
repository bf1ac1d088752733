"""A platform's project records as a viewer may read them: in detail (public projects for
everyone who may see the platform; all for its coordinators and admins; a company's own for
its members and the consultants it granted access to), filtered and sorted, and as a table
for export. Who may write which company's projects is here too."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import ColumnElement, func, or_, true
from sqlmodel import Session, select

from roadmap.accounts import access
from roadmap.accounts.access import Viewer
from roadmap.domain.matching import name_key
from roadmap.domain.projects import COLUMNS, DATE_COLUMNS
from roadmap.models import Company, Platform, Project, Submission
from roadmap.pipeline.numbers import platform_pipeline

# What the list may be sorted by: the key in the address and the column.
SORTS: dict[str, Any] = {
    "name": Project.name,
    "company": Company.name,
    "country": Project.country,
    "technology": Project.technology,
    "status": Project.status,
    "start_year": Project.start_year,
    "capacity": Project.capacity,
    "updated": Project.updated_at,
}


@dataclass(frozen=True)
class ProjectFilters:
    """What the list is narrowed to; empty text and None mean any."""

    status: str = ""
    technology: str = ""
    company: str = ""
    country: str = ""
    start_from: int | None = None
    start_to: int | None = None
    sort: str = "name"
    descending: bool = False


def detail_filter(viewer: Viewer, platform_id: int) -> ColumnElement[bool]:
    """Projects of the platform the viewer may see in detail (as ``numbers.sees_in_detail``
    judges one project)."""
    if access.sees_all_companies_of(viewer, platform_id):
        return true()
    own = access.own_companies(viewer)
    parts: list[ColumnElement[bool]] = [Project.is_public.is_(True)]
    if own:
        parts.append(Project.company_id.in_(own))
    return or_(*parts)


def _filtered(platform: Platform, viewer: Viewer, filters: ProjectFilters) -> Any:
    query = (
        select(Project, Company.name)
        .join(Company, Company.id == Project.company_id)
        .where(Project.platform_id == platform.id, detail_filter(viewer, platform.id))
    )
    if filters.status:
        query = query.where(Project.status == filters.status)
    if filters.technology:
        query = query.where(Project.technology == filters.technology)
    if filters.company:
        query = query.where(Company.key == name_key(filters.company))
    if filters.country:
        query = query.where(func.lower(Project.country) == filters.country.strip().lower())
    if filters.start_from is not None:
        query = query.where(Project.start_year >= filters.start_from)
    if filters.start_to is not None:
        query = query.where(Project.start_year <= filters.start_to)
    return query


def visible_projects(
    platform: Platform, viewer: Viewer, *, session: Session, filters: ProjectFilters | None = None
) -> list[Project]:
    """The projects the viewer may see in detail, filtered and sorted (then by name and id,
    so that the order is stable)."""
    filters = filters or ProjectFilters()
    column = SORTS.get(filters.sort, Project.name)
    order = column.desc() if filters.descending else column.asc()
    rows = session.exec(
        _filtered(platform, viewer, filters).order_by(order, Project.name, Project.id)
    ).all()
    return [project for project, _ in rows]


def filter_choices(platform: Platform, viewer: Viewer, *, session: Session) -> dict[str, list]:
    """The values the filters offer: those of the projects the viewer may see."""
    projects = visible_projects(platform, viewer, session=session)
    return {
        "technology": sorted({p.technology for p in projects}),
        "company": sorted({p.company.name for p in projects}),
        "country": sorted({p.country for p in projects if p.country}),
    }


def project_count(platform: Platform, *, session: Session) -> int:
    return int(
        session.exec(
            select(func.count()).select_from(Project).where(Project.platform_id == platform.id)
        ).one()
    )


def visible_project(
    platform: Platform, project_id: int, viewer: Viewer, *, session: Session
) -> Project | None:
    """One project of the platform the viewer may see in detail; None otherwise."""
    return session.exec(
        select(Project).where(
            Project.id == project_id,
            Project.platform_id == platform.id,
            detail_filter(viewer, platform.id),
        )
    ).first()


def can_write(viewer: Viewer, platform_id: int, company_id: int) -> bool:
    """Coordinators write any company's projects on their platforms (admins on any);
    a company's members write their own company's; consultants only read."""
    return access.can_coordinate(viewer, platform_id) or (
        viewer.role == access.COMPANY and viewer.company_id == company_id
    )


def writable_companies(platform: Platform, viewer: Viewer, *, session: Session) -> list[Company]:
    """The companies whose projects the viewer may add on this platform: for its coordinators
    those that submitted to it or have projects on it; for a member their own company."""
    if access.can_coordinate(viewer, platform.id):
        on_platform = or_(
            Company.id.in_(
                select(Submission.company_id).where(Submission.platform_id == platform.id)
            ),
            Company.id.in_(select(Project.company_id).where(Project.platform_id == platform.id)),
        )
        return list(session.exec(select(Company).where(on_platform).order_by(Company.name)).all())
    if viewer.role == access.COMPANY and viewer.company_id is not None:
        own = session.get(Company, viewer.company_id)
        return [own] if own is not None else []
    return []


def projects_by_key(platform: Platform, *, session: Session) -> dict[tuple[int, str], Project]:
    """Every project of the platform by (company id, folded name): what an import updates."""
    rows = session.exec(select(Project).where(Project.platform_id == platform.id)).all()
    return {(p.company_id, name_key(p.name)): p for p in rows}


def projects_frame(projects: list[Project]) -> pd.DataFrame:
    """The projects as the import file's columns (an export imports back as it is), every
    figure as stored."""
    rows = [
        {
            "company": p.company.name,
            "name": p.name,
            "country": p.country,
            "technology": p.technology,
            "status": p.status,
            **{
                column: (getattr(p, column).isoformat() if getattr(p, column) else "")
                for column in DATE_COLUMNS.values()
            },
            "start_year": p.start_year,
            "capacity": p.capacity,
            "capacity_unit": p.capacity_unit,
            "expected_intensity": p.expected_intensity,
            "intensity_unit": p.intensity_unit,
            "source_url": p.source_url,
            "public": "yes" if p.is_public else "no",
        }
        for p in projects
    ]
    return pd.DataFrame(rows, columns=list(COLUMNS)).astype(
        {"capacity": "float64", "expected_intensity": "float64"}
    )


@dataclass(frozen=True)
class Unseen:
    """What the viewer's totals hold beyond the projects they see: ``counted`` projects with
    no detail, or (``withheld``) other companies' projects left out of their totals."""

    counted: int
    withheld: bool


def unseen(platform: Platform, viewer: Viewer, *, session: Session) -> Unseen:
    """How many projects count in the viewer's pipeline totals (roadmap.pipeline.numbers)
    without being shown to them; nothing about which."""
    try:
        pipeline = platform_pipeline(platform, viewer, session=session)
    except ValueError:  # a sector without an activity unit has no totals
        return Unseen(0, False)
    seen = {p.id for p in visible_projects(platform, viewer, session=session)}
    counted = sum(1 for p in pipeline.projects if p.project_id not in seen)
    return Unseen(counted, pipeline.withheld)
