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
from datetime import datetime

from sqlmodel import Session, select

from roadmap.accounts.access import (
    Viewer,
    own_companies,
    sees_all_companies_of,
    small_group_hidden,
)
from roadmap.domain.pipeline import PipelineProject
from roadmap.domain.units import UnitError, conversion_factor, intensity_parts
from roadmap.models import (
    PROJECT_STATUS_DATES,
    Platform,
    Project,
    ProjectPublication,
    ReportingRound,
)


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
    # When the projects the viewer cannot see were published (None: there are none).
    published_at: datetime | None = None


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
    counted = [_counted(p, unit) for p in seen]
    counted = [c for c in counted if c is not None]
    hidden: list[CountedProject] = []
    if not sees_all_companies_of(viewer, platform.id):
        seen_ids = {p.id for p in seen}
        hidden = [
            _published(row)
            for row in published_projects(platform, session=session)
            if row.project_id not in seen_ids and row.company_id not in own_companies(viewer)
        ]
    unseen = len({c.company_id for c in hidden})
    withheld = bool(small_group_hidden(unseen))
    return PlatformPipeline(
        unit=unit,
        projects=tuple(counted + ([] if withheld else hidden)),
        unseen_companies=unseen,
        withheld=withheld,
        published_at=_last_publication(platform, session=session) if hidden else None,
    )


def _counted(project: Project, unit: str) -> CountedProject | None:
    """A project in the arithmetic's terms; None where its unit no longer converts (a unit
    is checked when the project is written, so only a changed sector could do that)."""
    try:
        numbers = project_numbers(project, unit)
    except UnitError:
        return None
    return CountedProject(project.id or 0, project.company_id, project.technology, numbers)


def _published(row: ProjectPublication) -> CountedProject:
    reached = {
        status: year
        for status, year in (
            ("construction", row.construction_year),
            ("operating", row.operating_year),
            ("cancelled", row.cancelled_year),
        )
        if year is not None
    }
    numbers = PipelineProject(row.status, row.start_year, row.capacity, reached)
    return CountedProject(row.project_id, row.company_id, row.technology, numbers)


def _last_round(platform: Platform, *, session: Session) -> ReportingRound | None:
    return session.exec(
        select(ReportingRound)
        .where(ReportingRound.platform_id == platform.id, ReportingRound.status == "published")
        .order_by(ReportingRound.published_at.desc(), ReportingRound.id.desc())  # type: ignore[union-attr]
        .limit(1)
    ).first()


def _last_publication(platform: Platform, *, session: Session) -> datetime | None:
    last = _last_round(platform, session=session)
    return last.published_at if last is not None else None


def published_projects(platform: Platform, *, session: Session) -> list[ProjectPublication]:
    """The confidential projects as the platform's last published round saw them."""
    last = _last_round(platform, session=session)
    if last is None:
        return []
    return list(
        session.exec(
            select(ProjectPublication)
            .where(ProjectPublication.round_id == last.id)
            .order_by(ProjectPublication.project_id)
        ).all()
    )


def publish_projects(round_: ReportingRound, *, session: Session) -> int:
    """Keep the numbers of the platform's confidential projects under ``round_`` as it is
    published (roadmap.submissions.round_operations.publish_round): what those who may not
    see them count until the next publication. Returns how many were kept."""
    platform = session.get(Platform, round_.platform_id)
    if platform is None:
        return 0
    unit = activity_unit(platform)
    rows = session.exec(
        select(Project).where(Project.platform_id == platform.id, Project.is_public.is_(False))  # type: ignore[attr-defined]
    ).all()
    kept = 0
    for project in rows:
        counted = _counted(project, unit)
        if counted is None:
            continue
        reached = counted.numbers.reached
        session.add(
            ProjectPublication(
                round_id=round_.id,
                project_id=counted.project_id,
                company_id=project.company_id,
                technology=project.technology,
                status=project.status,
                start_year=project.start_year,
                capacity=counted.numbers.capacity,
                construction_year=reached.get("construction"),
                operating_year=reached.get("operating"),
                cancelled_year=reached.get("cancelled"),
            )
        )
        kept += 1
    session.flush()
    return kept
