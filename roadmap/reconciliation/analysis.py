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
from roadmap.domain import commitments as cm
from roadmap.domain.aggregate import platform_aggregate
from roadmap.domain.dashboard import (
    QUARTILE_COLUMNS,
    behind_in_latest_reported,
    peer_quartiles,
)
from roadmap.domain.dashboard import latest_reported_year as latest_reported
from roadmap.domain.errors import InputError, ReconcileError
from roadmap.domain.matching import resolve_scenario
from roadmap.domain.reconcile import ReconcileParams, Reconciliation, reconcile
from roadmap.domain.temperature import implied_temperatures
from roadmap.memo import Memo
from roadmap.models import Platform
from roadmap.reconciliation.scenarios import (
    canonical,
    platform_params,
    scenarios_stamp,
    sector_pathways,
)
from roadmap.submissions.queries import (
    accepted_assurance,
    accepted_stamp,
    accepted_trajectories,
)


@dataclass(frozen=True)
class PlatformAnalysis:
    scenario: str
    results: pd.DataFrame  # company rows the viewer may see (data contract + details)
    aggregate: pd.DataFrame  # platform totals over every accepted company (anonymous figures)
    warnings: tuple[str, ...]
    # Peer quartiles of intensity per year over every company (years with too few withheld).
    peers: pd.DataFrame
    # Implied temperature rise (col.TEMPERATURE_COLUMNS): the companies the viewer may see and
    # the sector's score where, like a total, no one company can be worked out from it.
    temperatures: pd.DataFrame
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
    temperatures: pd.DataFrame
    notes: tuple[str, ...] = ()


# About 1.5 million rows of results (some hundreds of MB at most) per process.
_memo = Memo(budget=1_500_000)


def _stamp(platform: Platform, session: Session, published: bool) -> tuple[Any, ...]:
    """What the platform's reconciliation depends on: its scenarios and its accepted
    submissions (live) or its last publication."""
    return (
        *scenarios_stamp(platform, session=session),
        *accepted_stamp(platform, session=session, published=published),
    )


def _reconciled(
    platform: Platform,
    scenario: str,
    scope: str | None,
    region: str | None,
    session: Session,
    *,
    published: bool,
) -> _Full:
    """The platform's whole reconciliation (every company) from its live accepted figures or
    its last publication, computed once per change of the data and kept for the requests
    that follow."""

    def make() -> _Full:
        pathways = sector_pathways(platform, session=session)
        trajectories = accepted_trajectories(platform, session=session, published=published)
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
                pd.DataFrame(columns=col.TEMPERATURE_COLUMNS),
            )
        params = platform_params(platform, scenario)
        outcome, left_out = _reconcile_leaving_out(pathways, trajectories, params)
        totals, notes = platform_aggregate(outcome.results)
        peers = peer_quartiles(outcome.results, min_group=access.MIN_GROUP)
        scores = implied_temperatures(outcome.results, pathways, outcome.scenario)
        warnings = left_out + outcome.warnings + notes + scores.notes
        return _Full(
            outcome.scenario, outcome.results, totals, warnings, peers, scores.table, outcome.notes
        )

    # One entry per scenario however it is spelt ("tpi 1.5 degrees"); an unknown one raises.
    scenario = canonical(platform, scenario, session=session) or scenario
    key = (
        "reconciled",
        scenario,
        scope,
        region,
        published,
        platform.treat_co2_as_co2e,
        *_stamp(platform, session, published),
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
    requests: read them, do not modify them.

    The platform's coordinators and admins read its live accepted figures; everyone else its
    last published round (``access.sees_live_figures``), but for their own (or granted)
    companies' rows, which are live."""
    if access.sees_live_figures(viewer, platform.id):
        full = _reconciled(platform, scenario, scope, region, session, published=False)
        return PlatformAnalysis(
            full.scenario,
            full.results,
            full.totals,
            full.warnings,
            full.peers,
            full.temperatures,
            full.notes,
        )
    # Everyone else: the whole platform only (totals of a scope or region, set beside the
    # platform's, would give away the companies outside it), their own (or granted)
    # companies' rows, no warnings (they name companies), and totals and quartiles only where
    # enough companies they cannot see make them up (else their own rows, subtracted, would
    # leave one or two peers' figures).
    full = _reconciled(platform, scenario, None, None, session, published=True)
    names = _own_names(viewer, session)
    # Who is in the published totals is judged on the published rows of one's own companies.
    published_own = full.results[full.results[col.COMPANY].isin(names)]
    totals, peers = _fixed_set(full, platform, session)
    unseen = _unseen(totals, published_own[published_own[col.ACTIVITY].notna()])
    totals = totals[
        (totals[col.COMPANIES] >= access.MIN_GROUP) & ~access.small_group_hidden(unseen)
    ]
    peers = peers[
        _unseen(peers, published_own[published_own[col.INTENSITY].notna()]) >= access.MIN_PEERS
    ]
    visible = _own_live_rows(platform, full, names, session) if names else published_own
    return PlatformAnalysis(
        full.scenario,
        visible.reset_index(drop=True),
        totals.reset_index(drop=True),
        (),
        peers.reset_index(drop=True),
        _scores_seen(full, names, whole=_everyone_in(full, platform, session)),
        full.notes,
    )


def every_company(platform: Platform, *, scenario: str, session: Session) -> pd.DataFrame:
    """Every company's results on ``platform`` against ``scenario``, unscoped: for figures
    computed over the whole platform (the stage gates), never shown company by company to
    anyone who may not see them. Raises InputError or ReconcileError as ``analyse_platform``.
    Gates read what everyone sees: the last published round. Do not modify the frame
    returned."""
    return _reconciled(platform, scenario, None, None, session, published=True).results


def counted_rows(
    platform: Platform, company: str, *, scenario: str, viewer: Viewer, session: Session
) -> pd.DataFrame:
    """The rows of ``company`` inside the platform totals ``viewer`` is shown
    (``analyse_platform``): live for those who see live figures, its last publication for
    everyone else. For a company the caller has checked the viewer may see (its own, granted,
    or coordinated): what a what-if plan replaces in the platform's gap. Do not modify."""
    published = not access.sees_live_figures(viewer, platform.id)
    full = _reconciled(platform, scenario, None, None, session, published=published)
    return full.results[full.results[col.COMPANY] == company]


def _own_live_rows(
    platform: Platform, published: _Full, names: set[str], session: Session
) -> pd.DataFrame:
    """The live reconciliation's rows of one's own companies (their own data is no leak);
    their published rows where the live figures cannot be reconciled."""
    try:
        live = _reconciled(platform, published.scenario, None, None, session, published=False)
    except (InputError, ReconcileError):
        return published.results[published.results[col.COMPANY].isin(names)]
    return live.results[live.results[col.COMPANY].isin(names)]


def _scores_seen(full: _Full, names: set[str], *, whole: bool) -> pd.DataFrame:
    """The temperature scores a viewer who does not see every company may see: their own
    companies', and a sector's score under the rule for totals (it is a ratio of two totals):
    over at least MIN_GROUP companies, of which the viewer cannot see none or at least
    MIN_GROUP, and only where the totals are over every company (``whole``)."""
    scores = full.temperatures
    companies = scores[scores[col.LEVEL] == col.LEVEL_COMPANY]
    own = companies[companies[col.COMPANY].isin(names)]
    counted = companies.groupby(col.SECTOR)[col.COMPANY].nunique()
    unseen = counted - own.groupby(col.SECTOR)[col.COMPANY].nunique().reindex(
        counted.index, fill_value=0
    )
    allowed = counted.index[(counted >= access.MIN_GROUP) & ~access.small_group_hidden(unseen)]
    sectors = scores[(scores[col.LEVEL] == col.LEVEL_SECTOR) & scores[col.SECTOR].isin(allowed)]
    return pd.concat([own, sectors if whole else sectors.iloc[0:0]]).reset_index(drop=True)


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
    results = full.results
    if not _everyone_in(full, platform, session):
        return full.totals.iloc[0:0], full.peers.iloc[0:0]
    with_activity = results.loc[results[col.ACTIVITY].notna(), col.COMPANY].nunique()
    with_intensity = results.loc[results[col.INTENSITY].notna(), col.COMPANY].nunique()
    return (
        full.totals[full.totals[col.COMPANIES] == with_activity],
        full.peers[full.peers[col.COMPANIES] == with_intensity],
    )


def _everyone_in(full: _Full, platform: Platform, session: Session) -> bool:
    """Whether the (published) reconciliation holds every company of the platform's last
    publication (none left out by this scenario)."""
    everyone = accepted_trajectories(platform, session=session, published=True)
    return set(full.results[col.COMPANY]) == set(everyone[col.COMPANY])


def _unseen(table: pd.DataFrame, visible: pd.DataFrame) -> pd.Series:
    """Per row of ``table`` (year, companies), how many of its companies are not in
    ``visible`` that year."""
    seen = visible.groupby(col.YEAR)[col.COMPANY].nunique()
    return table[col.COMPANIES] - table[col.YEAR].map(seen).fillna(0).astype(int)


def companies_behind(
    platform: Platform, *, scenario: str, viewer: Viewer, session: Session
) -> int | None:
    """How many companies are behind their SDA target in their latest reported year (a count,
    so no company is named); None where ``behind_of`` says nothing."""
    found = behind_of(platform, scenario=scenario, viewer=viewer, session=session)
    return None if found is None else found[0]


def behind_of(
    platform: Platform, *, scenario: str, viewer: Viewer, session: Session
) -> tuple[int, int] | None:
    """(companies behind their SDA target in their latest reported year, companies with a
    reported year) on the whole platform; None where nothing can be reconciled, or where the
    viewer, who does not see every company, would learn a peer's status from it (the
    small-group rule, ``access.small_group_hidden``, on the companies counted). Live figures
    for the platform's coordinators, the last publication for everyone else."""
    live = access.sees_live_figures(viewer, platform.id)
    try:
        results = _reconciled(platform, scenario, None, None, session, published=not live).results
    except (InputError, ReconcileError):
        return None
    if results.empty:
        return None
    behind = behind_in_latest_reported(results)
    if not live:
        # Judged on the companies counted (those with a reported year), not all reconciled.
        unseen = set(behind.index) - _own_names(viewer, session)
        if access.small_group_hidden(len(unseen)):
            return None
    return int(behind.sum()), len(behind)


def latest_reported_year(
    platform: Platform, *, scenario: str, session: Session, published: bool
) -> int | None:
    """The latest year any company of the platform reported (not planned) in its live figures
    or its last publication: the year of the dashboards' headline figures."""
    try:
        results = _reconciled(platform, scenario, None, None, session, published=published).results
    except (InputError, ReconcileError):
        return None
    return latest_reported(results)


def assurance_shares(
    platform: Platform,
    *,
    scenario: str,
    viewer: Viewer,
    session: Session,
    scope: str | None = None,
    region: str | None = None,
) -> pd.DataFrame | None:
    """The share of the platform's reconciled activity (each company's latest reported year)
    under each assurance level of the accepted versions used (``commitments.
    assurance_shares``). Those who see every company get it under their scope and region.
    Everyone else gets it over the whole platform, and only where each level's companies
    pass the small-group rule (``access.small_group_hidden``) and the scenario left no
    company out (else a share would be one or two peers' activity); None where it is
    withheld. Raises as ``analyse_platform``."""
    live = access.sees_live_figures(viewer, platform.id)
    assurance = accepted_assurance(platform, session=session, published=not live)
    if live:
        results = _reconciled(platform, scenario, scope, region, session, published=False).results
        return cm.assurance_shares(results, assurance)
    full = _reconciled(platform, scenario, None, None, session, published=True)
    everyone = accepted_trajectories(platform, session=session, published=True)
    if set(full.results[col.COMPANY]) != set(everyone[col.COMPANY]):
        return None
    table = cm.assurance_shares(full.results, assurance)
    own = cm.latest_activity(
        full.results[full.results[col.COMPANY].isin(_own_names(viewer, session))]
    )
    seen = own[col.COMPANY].map(assurance).fillna(cm.ASSURANCE_LEVELS[0]).value_counts()
    unseen = table[col.COMPANIES] - table["level"].map(seen).fillna(0).astype(int)
    if access.small_group_hidden(unseen).any():
        return None
    return table
