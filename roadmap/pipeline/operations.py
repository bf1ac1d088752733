"""Writing a platform's project records: add, edit, remove, and an import that adds or
updates many at once (all or none). Each change is kept in the platform's history with its old
and new values. Functions take ``session`` by keyword and flush; the caller commits."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from roadmap.domain.matching import name_key
from roadmap.domain.projects import ProjectValues
from roadmap.models import Company, Platform, Project, User, utcnow
from roadmap.platforms.history import Change, changes_of, changes_text, record_history

KIND = "project"


class DuplicateProject(ValueError):
    """The company already has a project of this name on the platform."""


@dataclass(frozen=True)
class ImportItem:
    """One row of an import: the company it is for and its values; ``project`` is the stored
    project it updates (None: a new one)."""

    row: int
    company: Company
    values: ProjectValues
    project: Project | None


def _label(project: Project, company: Company) -> str:
    return f"project {project.name} of {company.name}"


def duplicate_message(name: str, company: Company) -> str:
    return f"{company.name} already has a project named '{name}' on this platform"


def _check_unique(
    platform: Platform, company: Company, name: str, *, session: Session, own_id: int | None
) -> None:
    others = session.exec(
        select(Project).where(Project.platform_id == platform.id, Project.company_id == company.id)
    ).all()
    if any(p.id != own_id and name_key(p.name) == name_key(name) for p in others):
        raise DuplicateProject(duplicate_message(name, company))


def create_project(
    platform: Platform,
    company: Company,
    values: ProjectValues,
    *,
    user: User | None,
    session: Session,
    history: bool = True,
) -> Project:
    """Store a checked project (``roadmap.domain.projects.project_problems`` found nothing)."""
    _check_unique(platform, company, values.name, session=session, own_id=None)
    project = Project(platform_id=platform.id, company_id=company.id, **values.columns())
    session.add(project)
    session.flush()  # a name taken at the same moment: IntegrityError, commit_retrying
    if history:
        added: list[Change] = [("company", None, company.name)]
        added += [(k, None, v) for k, v in values.columns().items() if v not in (None, "")]
        record_history(
            platform,
            f"added {_label(project, company)}",
            kind=KIND,
            detail=changes_text(added),
            user=user,
            session=session,
        )
    return project


def update_project(
    project: Project,
    platform: Platform,
    company: Company,
    values: ProjectValues,
    *,
    user: User | None,
    session: Session,
) -> list[str]:
    """Edit a project in place (moved to ``company`` where it changed); the history keeps
    each changed field's old and new value. Returns the fields changed (none: no entry)."""
    _check_unique(platform, company, values.name, session=session, own_id=project.id)
    changed = changes_of(project, values.columns())
    if company.id != project.company_id:
        changed.insert(0, ("company", project.company.name, company.name))
    if not changed:
        return []
    label = _label(project, project.company)
    for name, _, new in changed:
        if name != "company":
            setattr(project, name, new)
    project.company_id = company.id  # type: ignore[assignment]
    project.updated_at = utcnow()
    session.add(project)
    session.flush()  # a name taken at the same moment: IntegrityError, commit_retrying
    session.refresh(project)
    record_history(
        platform,
        f"edited {label}",
        kind=KIND,
        detail=changes_text(changed),
        user=user,
        session=session,
    )
    return [name for name, _, _ in changed]


def delete_project(
    project: Project, platform: Platform, *, user: User | None, session: Session
) -> None:
    label = _label(project, project.company)
    detail = changes_text([(k, v, None) for k, v in _stored(project).items()])
    session.delete(project)
    session.flush()
    record_history(
        platform, f"removed {label}", kind=KIND, detail=detail, user=user, session=session
    )


def _stored(project: Project) -> dict[str, object]:
    return {
        k: getattr(project, k)
        for k in Project.model_fields
        if k not in ("id", "platform_id", "company_id", "created_at", "updated_at")
        and getattr(project, k) not in (None, "")
    }


def import_projects(
    platform: Platform,
    items: list[ImportItem],
    *,
    user: User | None,
    filename: str,
    session: Session,
) -> tuple[int, int]:
    """Add or update every item (checked whole beforehand); one history entry per project
    changed and one for the file. Returns (added, updated)."""
    added = updated = 0
    for item in items:
        if item.project is None:
            create_project(platform, item.company, item.values, user=user, session=session)
            added += 1
        elif update_project(
            item.project, platform, item.company, item.values, user=user, session=session
        ):
            updated += 1
    record_history(
        platform,
        f"imported projects from {filename}",
        kind=KIND,
        detail=f"{added} added, {updated} updated, {len(items) - added - updated} unchanged",
        user=user,
        session=session,
    )
    return added, updated
