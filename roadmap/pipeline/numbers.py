"""A platform's projects as numbers a viewer may be shown (roadmap.domain.pipeline does the
arithmetic).

Capacities are converted into the sector's activity unit (per year). Who counts what:

- those who see every company of the platform (its coordinators, admins) count every project
  as it stands;
- everyone else counts the projects they may see in detail as they stand (public projects,
  and their own or granted companies'), and the other companies' projects only as of the
  platform's last published round, so that two totals read at two times never give away one
  company's unpublished project; and those only where at least three companies they cannot
  see make them up (the small-group rule), otherwise the totals are withheld.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from roadmap.accounts.access import (
    Viewer,
    own_companies,
    sees_all_companies_of,
    small_group_hidden,
)
from roadmap.domain.pipeline import PipelineProject
from roadmap.domain.units import conversion_factor, intensity_parts
from roadmap.models import PROJECT_STATUS_DATES, Platform, Project


@dataclass(frozen=True)
class CountedProject:
    project_id: int
    company_id: int
    technology: str
    numbers: PipelineProject  # capacity in the platform's activity unit per year


@dataclass(frozen=True)
class PlatformPipeline:
    unit: str  # the sector's activity unit; capacities are per year in it
    projects: tuple[CountedProject, ...]  # what this viewer's totals are made of
    unseen_companies: int  # companies whose projects count but the viewer cannot see
    withheld: bool  # totals hidden from this viewer (small-group rule)


def activity_unit(platform: Platform) -> str:
    """The sector's activity unit, read off its intensity unit ("t CO2e/(t Steel)" -> "t
    Steel")."""
    parts = intensity_parts(platform.sector.intensity_unit)
    if parts is None:
        raise ValueError(
            f"sector {platform.sector.name}: its intensity unit "
            f"'{platform.sector.intensity_unit}' names no activity unit"
        )
    return parts[1]


def project_numbers(project: Project, unit: str) -> PipelineProject:
    """A stored project in the arithmetic's terms, its capacity converted into ``unit``."""
    reached = {
        status: getattr(project, column).year
        for status, column in PROJECT_STATUS_DATES.items()
        if getattr(project, column) is not None
    }
    capacity = project.capacity * conversion_factor(project.capacity_unit, unit)
    return PipelineProject(project.status, project.start_year, capacity, reached)


def sees_in_detail(viewer: Viewer, project: Project) -> bool:
    """True where the viewer may see this project itself (name, capacity, status, ...)."""
    return (
        project.is_public
        or sees_all_companies_of(viewer, project.platform_id)
        or project.company_id in own_companies(viewer)
    )


def platform_pipeline(platform: Platform, viewer: Viewer, *, session: Session) -> PlatformPipeline:
    unit = activity_unit(platform)
    rows = session.exec(
        select(Project).where(Project.platform_id == platform.id).order_by(Project.id)
    ).all()
    seen = [p for p in rows if sees_in_detail(viewer, p)]
    hidden = published_hidden_projects(platform, viewer, session=session)
    unseen = len({p.company_id for p in hidden} - {p.company_id for p in seen})
    withheld = bool(small_group_hidden(unseen))
    counted = seen + ([] if withheld else hidden)
    return PlatformPipeline(
        unit=unit,
        projects=tuple(
            CountedProject(p.id or 0, p.company_id, p.technology, project_numbers(p, unit))
            for p in counted
        ),
        unseen_companies=unseen,
        withheld=withheld,
    )


def published_hidden_projects(
    platform: Platform, viewer: Viewer, *, session: Session
) -> list[Project]:
    """The projects the viewer cannot see in detail, as of the platform's last published
    round. Until projects are published with rounds, none: the viewer's totals are made of the
    projects they may see."""
    return []
