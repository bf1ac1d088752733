"""A platform's reconciliation from stored data, scoped to the viewer: what the API (and the
dashboards) show. The figures come from roadmap.domain only, never recomputed here."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlmodel import Session, select

from roadmap import access, queries
from roadmap.access import Viewer
from roadmap.domain import columns as col
from roadmap.domain.aggregate import platform_aggregate
from roadmap.domain.dashboard import QUARTILE_COLUMNS, peer_quartiles
from roadmap.domain.errors import InputError, ReconcileError
from roadmap.domain.matching import resolve_scenario
from roadmap.domain.reconcile import ReconcileParams, reconcile
from roadmap.models import Company, Platform, Sector


@dataclass(frozen=True)
class PlatformAnalysis:
    scenario: str
    results: pd.DataFrame  # company rows the viewer may see (data contract + details)
    aggregate: pd.DataFrame  # platform totals over every accepted company (anonymous figures)
    warnings: tuple[str, ...]
    # Peer quartiles of intensity per year over every company (years with too few withheld).
    peers: pd.DataFrame


def analyse_platform(
    platform: Platform,
    *,
    scenario: str,
    viewer: Viewer,
    session: Session,
    scope: str | None = None,
    region: str | None = None,
    pathways: pd.DataFrame | None = None,
) -> PlatformAnalysis:
    """Reconcile the newest accepted submission of every company on ``platform`` against
    ``scenario``, optionally only the trajectories of one ``scope`` or ``region``. Raises
    InputError for an unknown scenario (naming it)."""
    sector = session.get(Sector, platform.sector_id)
    assert sector is not None
    if pathways is None:
        pathways = queries.pathways_frame(session=session, sectors=[sector.name])
    trajectories = queries.accepted_trajectories_frame(session=session, platform=platform)
    if scope:
        trajectories = trajectories[trajectories[col.SCOPE] == scope]
    if region:
        trajectories = trajectories[trajectories[col.REGION] == region]
    if trajectories.empty:
        name = resolve_scenario(pathways, scenario, "stored pathways")
        empty = pd.DataFrame(columns=col.RESULT_COLUMNS + col.RESULT_DETAIL_COLUMNS)
        none = pd.DataFrame(columns=col.AGGREGATE_COLUMNS + col.AGGREGATE_DETAIL_COLUMNS)
        return PlatformAnalysis(name, empty, none, (), pd.DataFrame(columns=QUARTILE_COLUMNS))
    outcome = reconcile(pathways, trajectories, ReconcileParams(scenario))
    totals, notes = platform_aggregate(outcome.results)
    peers = peer_quartiles(outcome.results, min_group=access.MIN_GROUP)
    if access.sees_all_companies_of(viewer, platform.id):
        return PlatformAnalysis(
            outcome.scenario, outcome.results, totals, outcome.warnings + notes, peers
        )
    # Others see their own (or granted) companies' rows only, no warning (warnings name
    # companies), and totals only where enough companies make them up.
    names = set(
        session.exec(select(Company.name).where(Company.id.in_(access.own_companies(viewer)))).all()
    )
    visible = outcome.results[outcome.results[col.COMPANY].isin(names)]
    totals = totals[totals[col.COMPANIES] >= access.MIN_GROUP]
    return PlatformAnalysis(
        outcome.scenario, visible.reset_index(drop=True), totals.reset_index(drop=True), (), peers
    )


def scenario_for(platform: Platform, preferred: str, *, session: Session) -> str | None:
    """``preferred`` where the platform's sector has it, else its first scenario, else None."""
    sector = session.get(Sector, platform.sector_id)
    pathways = queries.pathways_frame(session=session, sectors=[sector.name] if sector else [])
    names = sorted(pathways[col.SCENARIO].unique())
    folded = {n.casefold(): n for n in names}
    return folded.get(preferred.casefold()) or (names[0] if names else None)


def companies_behind(platform: Platform, *, scenario: str, session: Session) -> int | None:
    """How many companies are behind their SDA target in their latest reported year (a count,
    so no company is named); None where nothing can be reconciled."""
    sector = session.get(Sector, platform.sector_id)
    trajectories = queries.accepted_trajectories_frame(session=session, platform=platform)
    if sector is None or trajectories.empty:
        return None
    pathways = queries.pathways_frame(session=session, sectors=[sector.name])
    try:
        results = reconcile(pathways, trajectories, ReconcileParams(scenario)).results
    except (InputError, ReconcileError):
        return None
    reported = results[results[col.KIND] == col.REPORTED]
    latest = reported.sort_values(col.YEAR).groupby(col.COMPANY).tail(1)
    return int((latest[col.STATUS] == col.BEHIND).sum())
