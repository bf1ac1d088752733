"""What ``roadmap export`` writes: a platform dashboard's tables and charts as files. By
default the figures everyone but the platform's coordinators sees (its last published round,
anonymised); with ``live``, the live figures its coordinators see. Every table says which in
a column of its own."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlmodel import Session

from roadmap.accounts.access import ANONYMOUS, Viewer
from roadmap.models import Platform
from roadmap.reconciliation import exports
from roadmap.reconciliation.filters import Filters
from roadmap.reconciliation.platform_dashboard import platform_dashboard
from roadmap.submissions.queries import last_publication

# The column each exported table gets: which figures it holds.
FIGURES = "Figures"
LIVE = "live (accepted figures, unpublished changes included; coordinators' view)"


@dataclass(frozen=True)
class PlatformExport:
    scenario: str
    figures: str  # what the FIGURES column says
    files: dict[Path, bytes]


def figures_basis(platform: Platform, *, live: bool, session: Session) -> str:
    """What an export of ``platform`` holds, in words: live figures, or those of its last
    published round (named, with the day it was published)."""
    if live:
        return LIVE
    last = last_publication(platform.id, session=session)
    if last is None:
        return "published: none yet (no round of this platform is published)"
    day = f", {last.published_at:%Y-%m-%d}" if last.published_at else ""
    return f"published round {last.name}{day} (as everyone but the coordinators sees it)"


def platform_export(
    platform: Platform,
    filters: Filters,
    *,
    live: bool,
    formats: tuple[str, ...],
    out_dir: Path,
    default_scenario: str,
    session: Session,
) -> PlatformExport:
    """The files of the platform's dashboard, named SLUG-NAME.FORMAT under ``out_dir``.
    Raises dashboards.NoData where nothing can be drawn, exports.ExportUnavailable where an
    image cannot be."""
    viewer = Viewer(role="admin") if live else ANONYMOUS
    board = platform_dashboard(
        platform, filters, viewer=viewer, session=session, default_scenario=default_scenario
    )
    basis = figures_basis(platform, live=live, session=session)
    files: dict[Path, bytes] = {}
    for kind in formats:
        if kind in exports.TABLE_TYPES:
            for name, table in board.tables.items():
                frame = table.frame.assign(**{FIGURES: basis})
                data = exports.table_bytes(frame, kind, title=table.title)
                files[out_dir / f"{platform.slug}-{name}.{kind}"] = data
        else:
            for name, figure in board.charts.items():
                files[out_dir / f"{platform.slug}-{name}.{kind}"] = exports.figure_bytes(
                    figure, kind
                )
    return PlatformExport(board.scenario, basis, files)
