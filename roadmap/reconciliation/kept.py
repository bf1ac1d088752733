"""The platform dashboard kept between requests: built once per change of the data it shows
and per viewer scope, then served from memory (each process keeps its own) while a stamp read
from the database each request says nothing changed.

What a dashboard shows depends on the viewer only through its scope (``viewer_scope``): the
platform's coordinators and admins share the live view; everyone else sees the last
publication plus their own (or granted) companies' rows, so they share a view with those who
have the same companies, and never one of the coordinators'."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

from sqlmodel import Session, func, select

from roadmap.accounts import access
from roadmap.accounts.access import Viewer
from roadmap.memo import Memo
from roadmap.models import (
    HistoryEntry,
    Pathway,
    Platform,
    Project,
    ProjectPublication,
    ReportingRound,
    RoadmapMilestone,
    RoadmapPathway,
    RoundPublication,
    Submission,
)
from roadmap.reconciliation.dashboards import Dashboard, Unavailable, attempt
from roadmap.reconciliation.filters import Filters
from roadmap.reconciliation.platform_dashboard import platform_dashboard


def _board_rows(kept: tuple[Dashboard | None, Unavailable | None]) -> int:
    board = kept[0]
    if board is None:
        return 1
    return 1 + sum(len(table.frame) for table in board.tables.values())


# Boards hold their tables and the figures drawn from them (a 500-company board about 20,000
# table rows): about ten such boards per process, or hundreds of small ones. The filters make
# keys of their own, so the budget, not the number of keys, bounds the memory.
_boards = Memo(budget=200_000, weight=_board_rows)


def figures_stamp(platform: Platform, *, session: Session) -> tuple[Any, ...]:
    """What the platform dashboard depends on, read from the database in one query: the
    platform's accepted submissions (they are only added; a review sets ``reviewed_at``), its
    published rounds and the versions they hold (see ``accepted_stamp``), its history (every
    edit of the platform, its records, KPIs, roadmap pathways, stage and rounds records an
    entry), the stored pathways (only ever added) and its roadmap milestones (replaced, with
    new ids, on every save); with the platform's own fields, read with it each request."""
    accepted = (Submission.platform_id == platform.id) & (Submission.status == "accepted")
    published = (ReportingRound.platform_id == platform.id) & (ReportingRound.status == "published")
    publications = RoundPublication.round_id.in_(select(ReportingRound.id).where(published))
    milestones = RoadmapMilestone.pathway_id.in_(
        select(RoadmapPathway.id).where(RoadmapPathway.platform_id == platform.id)
    )
    row = session.exec(
        select(
            select(func.count()).where(accepted).scalar_subquery(),
            select(func.max(Submission.id)).where(accepted).scalar_subquery(),
            select(func.max(Submission.reviewed_at)).where(accepted).scalar_subquery(),
            select(func.max(ReportingRound.id)).where(published).scalar_subquery(),
            select(func.count()).where(publications).scalar_subquery(),
            select(func.sum(RoundPublication.submission_id)).where(publications).scalar_subquery(),
            select(func.max(HistoryEntry.id))
            .where(HistoryEntry.platform_id == platform.id)
            .scalar_subquery(),
            select(func.count()).select_from(Pathway).scalar_subquery(),
            select(func.max(Pathway.id)).scalar_subquery(),
            select(func.count()).where(milestones).scalar_subquery(),
            select(func.max(RoadmapMilestone.id)).where(milestones).scalar_subquery(),
            # KPIs computed from the project pipeline: its projects (edits set updated_at)
            # and their published numbers.
            select(func.count()).where(Project.platform_id == platform.id).scalar_subquery(),
            select(func.max(Project.updated_at))
            .where(Project.platform_id == platform.id)
            .scalar_subquery(),
            select(func.count())
            .where(ProjectPublication.round_id.in_(select(ReportingRound.id).where(published)))
            .scalar_subquery(),
        )
    ).one()
    own = (
        platform.sector_id,
        platform.region,
        platform.scope,
        platform.treat_co2_as_co2e,
        platform.net_zero_year,
    )
    return (*tuple(row), *own)


def viewer_scope(viewer: Viewer, platform: Platform) -> tuple[Any, ...]:
    """What of the platform the viewer may see, as a key: ("live",) for those who see its live
    figures by name, else ("published", their own or granted companies)."""
    if access.sees_live_figures(viewer, platform.id):
        return ("live", access.sees_all_companies_of(viewer, platform.id))
    return ("published", tuple(sorted(access.own_companies(viewer))))


def board_key(
    platform: Platform,
    filters: Filters,
    *,
    viewer: Viewer,
    session: Session,
    default_scenario: str,
) -> tuple[Any, ...]:
    """The key a platform dashboard is kept under: the platform, the filters asked for, the
    viewer's scope and the stamp of the data."""
    return scoped_key(
        "platform-board", platform, filters, default_scenario, viewer=viewer, session=session
    )


def scoped_key(
    kind: str, platform: Platform, *asked: Hashable, viewer: Viewer, session: Session
) -> tuple[Any, ...]:
    """The key anything drawn from the platform's figures is kept under: what it is, the
    platform, what was asked for, the viewer's scope and the stamp of the data."""
    return (
        kind,
        platform.id,
        *asked,
        viewer_scope(viewer, platform),
        figures_stamp(platform, session=session),
    )


# The API's reconciliation answers as sent (JSON bytes and status), weighed in KB: a
# 500-company platform's is some MB, so some tens of MB per process.
_answers = Memo(budget=50_000, weight=lambda answer: 1 + len(answer[0]) // 1024)


def api_reconciliation(
    platform: Platform,
    scenario: str,
    *,
    viewer: Viewer,
    session: Session,
    make: Callable[[], tuple[bytes, int]],
) -> tuple[bytes, int]:
    """The API's answer to the platform's reconciliation against ``scenario`` (its body and
    status, errors included), made by ``make`` once per viewer scope and data stamp, as the
    dashboard is."""
    key = scoped_key("api-reconciliation", platform, scenario, viewer=viewer, session=session)
    return _answers.get(session, key, make)


def platform_board(
    platform: Platform,
    filters: Filters,
    *,
    viewer: Viewer,
    session: Session,
    default_scenario: str,
    key: tuple[Any, ...] | None = None,
) -> tuple[Dashboard | None, Unavailable | None]:
    """``platform_dashboard`` (or the reason it cannot be drawn), built once per ``board_key``
    and kept. The board returned is shared between requests: read it, do not modify it."""
    if key is None:
        key = board_key(
            platform, filters, viewer=viewer, session=session, default_scenario=default_scenario
        )
    return _boards.get(
        session,
        key,
        lambda: attempt(
            lambda: platform_dashboard(
                platform,
                filters,
                viewer=viewer,
                session=session,
                default_scenario=default_scenario,
            )
        ),
    )
