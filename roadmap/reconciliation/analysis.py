"""A platform's reconciliation from stored data, scoped to the viewer: what the API and the
dashboards show. The figures come from roadmap.domain only, never recomputed here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlmodel import Session

from roadmap.accounts import access
from roadmap.accounts.access import Viewer
from roadmap.companies.queries import company_names
from roadmap.domain import columns as col
from roadmap.domain.aggregate import platform_aggregate
from roadmap.domain.dashboard import QUARTILE_COLUMNS, peer_quartiles
from roadmap.domain.errors import InputError, ReconcileError
from roadmap.domain.matching import resolve_scenario
from roadmap.domain.reconcile import ReconcileParams, Reconciliation, reconcile
from roadmap.memo import Memo
from roadmap.models import Platform
from roadmap.reconciliation.scenarios import canonical, scenarios_stamp, sector_pathways
from roadmap.submissions.queries import accepted_stamp, accepted_trajectories


@dataclass(frozen=True)
class PlatformAnalysis:
    scenario: str
    results: pd.DataFrame  # company rows the viewer may see (data contract + details)
    aggregate: pd.DataFrame  # platform totals over every accepted company (anonymous figures)
    warnings: tuple[str, ...]
    # Peer quartiles of intensity per year over every company (years with too few withheld).
    peers: pd.DataFrame
    # What was done with units (CO2 read as CO2e, benchmarks of another basis): for everyone.
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Full:
    """A platform's whole reconciliation (every company) under one scenario."""

    scenario: str
    results: pd.DataFrame
    totals: pd.DataFrame
    warnings: tuple[str, ...]
    peers: pd.DataFrame
    notes: tuple[str, ...] = ()


# About 1.5 million rows of results (some hundreds of MB at most) per process.
_memo = Memo(budget=1_500_000)


def _stamp(platform: Platform, session: Session) -> tuple[Any, ...]:
    """What the platform's reconciliation depends on: its scenarios and its accepted
    submissions."""
    return (
        *scenarios_stamp(platform, session=session),
        *accepted_stamp(platform, session=session),
    )


def _reconciled(
    platform: Platform, scenario: str, scope: str | None, region: str | None, session: Session
) -> _Full:
    """The platform's whole reconciliation (every company), computed once per change of the
    data and kept for the requests that follow."""

    def make() -> _Full:
        pathways = sector_pathways(platform, session=session)
        trajectories = accepted_trajectories(platform, session=session)
        if scope:
            trajectories = trajectories[trajectories[col.SCOPE] == scope]
        if region:
            trajectories = trajectories[trajectories[col.REGION] == region]
        if trajectories.empty:
            name = resolve_scenario(pathways, scenario, "stored pathways")
            return _Full(
                name,
                pd.DataFrame(columns=col.RESULT_COLUMNS + col.RESULT_DETAIL_COLUMNS),
                pd.DataFrame(columns=col.AGGREGATE_COLUMNS + col.AGGREGATE_DETAIL_COLUMNS),
                (),
                pd.DataFrame(columns=QUARTILE_COLUMNS),
            )
        params = ReconcileParams(scenario, treat_co2_as_co2e=platform.treat_co2_as_co2e)
        outcome, left_out = _reconcile_leaving_out(pathways, trajectories, params)
        totals, notes = platform_aggregate(outcome.results)
        peers = peer_quartiles(outcome.results, min_group=access.MIN_GROUP)
        warnings = left_out + outcome.warnings + notes
        return _Full(outcome.scenario, outcome.results, totals, warnings, peers, outcome.notes)

    # One entry per scenario however it is spelt ("tpi 1.5 degrees"); an unknown one raises.
    scenario = canonical(platform, scenario, session=session) or scenario
    key = (
        "reconciled",
        scenario,
        scope,
        region,
        platform.treat_co2_as_co2e,
        *_stamp(platform, session),
    )
    return _memo.get(session, key, make)


def _reconcile_leaving_out(
    pathways: pd.DataFrame, trajectories: pd.DataFrame, params: ReconcileParams
) -> tuple[Reconciliation, tuple[str, ...]]:
    """Reconcile; where some companies' rows cannot be (a scope or region the scenario has no
    pathway for), reconcile the others and say who was left out and why, so that one
    company's submission does not blank its platform's dashboards. Each round leaves out at
    least one more company, so it ends."""
    reasons: dict[str, set[str]] = {}
    while True:
        try:
            outcome = reconcile(pathways, trajectories, params)
            break
        except InputError as error:
            rows = {p.row for p in error.problems if p.row is not None}
            owners = trajectories.loc[trajectories[col.ROW].isin(rows), [col.ROW, col.COMPANY]]
            bad = set(owners[col.COMPANY])
            if not bad or bad == set(trajectories[col.COMPANY]):
                raise
            by_row = dict(zip(owners[col.ROW], owners[col.COMPANY], strict=True))
            for problem in error.problems:
                if problem.row in by_row:
                    reasons.setdefault(by_row[problem.row], set()).add(problem.message)
            trajectories = trajectories[~trajectories[col.COMPANY].isin(bad)]
    notes = tuple(
        f"{company} is left out of this reconciliation: {'; '.join(sorted(messages))}"
        for company, messages in sorted(reasons.items())
    )
    return outcome, notes


def analyse_platform(
    platform: Platform,
    *,
    scenario: str,
    viewer: Viewer,
    session: Session,
    scope: str | None = None,
    region: str | None = None,
) -> PlatformAnalysis:
    """Reconcile the newest accepted submission of every company on ``platform`` against
    ``scenario``, optionally only the trajectories of one ``scope`` or ``region``. Raises
    InputError for an unknown scenario (naming it). The frames returned are shared between
    requests: read them, do not modify them."""
    if access.sees_all_companies_of(viewer, platform.id):
        full = _reconciled(platform, scenario, scope, region, session)
        return PlatformAnalysis(
            full.scenario, full.results, full.totals, full.warnings, full.peers, full.notes
        )
    # Everyone else: the whole platform only (totals of a scope or region, set beside the
    # platform's, would give away the companies outside it), their own (or granted)
    # companies' rows, no warnings (they name companies), and totals and quartiles only where
    # enough companies they cannot see make them up (else their own rows, subtracted, would
    # leave one or two peers' figures).
    full = _reconciled(platform, scenario, None, None, session)
    names = _own_names(viewer, session)
    visible = full.results[full.results[col.COMPANY].isin(names)]
    totals, peers = _fixed_set(full, platform, session)
    unseen = _unseen(totals, visible[visible[col.ACTIVITY].notna()])
    totals = totals[
        (totals[col.COMPANIES] >= access.MIN_GROUP) & ((unseen == 0) | (unseen >= access.MIN_GROUP))
    ]
    peers = peers[_unseen(peers, visible[visible[col.INTENSITY].notna()]) >= access.MIN_PEERS]
    return PlatformAnalysis(
        full.scenario,
        visible.reset_index(drop=True),
        totals.reset_index(drop=True),
        (),
        peers.reset_index(drop=True),
        full.notes,
    )


def _own_names(viewer: Viewer, session: Session) -> set[str]:
    """The names of the companies the viewer belongs to or was granted."""
    return company_names(access.own_companies(viewer), session=session)


def _fixed_set(
    full: _Full, platform: Platform, session: Session
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The totals and quartiles of the years where every company of the platform's accepted
    submissions is in them; none where this scenario left a company out. Totals over
    different sets of companies (two scenarios, or a year before and after one company's
    plan ends) would give away the difference: one company's figures."""
    everyone = accepted_trajectories(platform, session=session)
    results = full.results
    if set(results[col.COMPANY]) != set(everyone[col.COMPANY]):
        return full.totals.iloc[0:0], full.peers.iloc[0:0]
    with_activity = results.loc[results[col.ACTIVITY].notna(), col.COMPANY].nunique()
    with_intensity = results.loc[results[col.INTENSITY].notna(), col.COMPANY].nunique()
    return (
        full.totals[full.totals[col.COMPANIES] == with_activity],
        full.peers[full.peers[col.COMPANIES] == with_intensity],
    )


def _unseen(table: pd.DataFrame, visible: pd.DataFrame) -> pd.Series:
    """Per row of ``table`` (year, companies), how many of its companies are not in
    ``visible`` that year."""
    seen = visible.groupby(col.YEAR)[col.COMPANY].nunique()
    return table[col.COMPANIES] - table[col.YEAR].map(seen).fillna(0).astype(int)


def companies_behind(
    platform: Platform, *, scenario: str, viewer: Viewer, session: Session
) -> int | None:
    """How many companies are behind their SDA target in their latest reported year (a count,
    so no company is named); None where nothing can be reconciled, or where the viewer, who
    does not see every company, would learn a peer's status from it (fewer than MIN_GROUP
    reconciled companies besides their own)."""
    try:
        results = _reconciled(platform, scenario, None, None, session).results
    except (InputError, ReconcileError):
        return None
    if results.empty:
        return None
    if not access.sees_all_companies_of(viewer, platform.id):
        names = _own_names(viewer, session)
        unseen = set(results[col.COMPANY]) - names
        if len(unseen) < access.MIN_GROUP:
            return None
    reported = results[results[col.KIND] == col.REPORTED]
    latest = reported.sort_values(col.YEAR).groupby(col.COMPANY).tail(1)
    return int((latest[col.STATUS] == col.BEHIND).sum())
