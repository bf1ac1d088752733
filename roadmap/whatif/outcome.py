"""What a sandbox's rows give: the company's reconciliation with them beside its newest
version's, its temperature score, and the platform's gap with the sandbox in place of the
company, as far as the viewer may see it. Figures come from roadmap.domain only; nothing is
stored."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go
from sqlmodel import Session

from roadmap.accounts.access import Viewer
from roadmap.domain import columns as col
from roadmap.domain import dashboard as dash
from roadmap.domain import milestones, whatif
from roadmap.domain.catchup import CatchUp, catch_up_plan
from roadmap.domain.errors import InputError, ReconcileError
from roadmap.domain.reconcile import ReconcileParams, reconcile
from roadmap.domain.temperature import implied_temperatures
from roadmap.models import Company, Platform, Submission
from roadmap.reconciliation import charts
from roadmap.reconciliation.analysis import analyse_platform, counted_rows
from roadmap.reconciliation.scenarios import (
    no_scenario_message,
    platform_params,
    scenario_for,
    sector_pathways,
)
from roadmap.submissions import queries


@dataclass(frozen=True)
class Outcome:
    """``sandbox``: the reconciliation rows of the sandbox (empty where it cannot be
    reconciled: ``problem`` says why). ``comparison``: domain.whatif.milestone_comparison.
    ``temperatures``: implied temperature rise of the submitted plan and of the sandbox (None
    where there is no score). ``platform_gap``: domain.whatif.platform_gap_with over the
    platform totals the viewer may see (empty where none)."""

    scenario: str | None
    unit: str
    submitted_version: int | None
    sandbox: pd.DataFrame
    comparison: pd.DataFrame
    temperatures: dict[str, float | None]
    platform_gap: pd.DataFrame
    figure: go.Figure | None = None
    problem: str | None = None
    warnings: tuple[str, ...] = field(default_factory=tuple)


def newest_version(
    company: Company, platform: Platform, *, viewer: Viewer, session: Session
) -> Submission | None:
    """The company's newest version on the platform the viewer may read (the plan a sandbox
    starts from and is set beside), or None."""
    rows = queries.submissions(
        session=session, viewer=viewer, company_id=company.id, platform_id=platform.id
    )
    return rows[0].submission if rows else None


def _params(platform: Platform, preferred: str, session: Session) -> ReconcileParams | None:
    scenario = scenario_for(platform, preferred, session=session)
    if scenario is None:
        return None
    return platform_params(platform, scenario)


def what_if(
    typed: pd.DataFrame,
    *,
    company: Company,
    platform: Platform,
    viewer: Viewer,
    preferred: str,
    session: Session,
) -> Outcome:
    """The outcome of checked rows (``rules.checked_rows``) of ``company`` on ``platform``,
    against ``preferred`` (or the sector's first scenario)."""
    unit = platform.sector.intensity_unit
    params = _params(platform, preferred, session)
    newest = newest_version(company, platform, viewer=viewer, session=session)
    version = newest.version if newest is not None else None
    empty = pd.DataFrame(columns=col.RESULT_COLUMNS + col.RESULT_DETAIL_COLUMNS)
    if params is None:
        problem = no_scenario_message(platform)
        return _nothing(unit, version, empty, problem)
    pathways = sector_pathways(platform, session=session)
    try:
        outcome = reconcile(pathways, typed, params)
    except (InputError, ReconcileError) as error:
        return _nothing(unit, version, empty, f"These rows cannot be reconciled: {error}")
    sandbox = outcome.results
    if sandbox.empty:
        reason = "; ".join(outcome.warnings) or "no year to reconcile"
        return _nothing(unit, version, empty, f"These rows cannot be reconciled: {reason}")
    submitted = _submitted(newest, company, platform, pathways, params, session)
    latest = typed.loc[typed[col.KIND] == col.REPORTED, col.YEAR]
    also = (int(latest.max()),) if not latest.empty else ()
    return Outcome(
        outcome.scenario,
        str(sandbox[col.INTENSITY_UNIT].iloc[0]),
        version,
        sandbox,
        whatif.milestone_comparison(submitted, sandbox, also=also),
        {
            whatif.SUBMITTED: _temperature(submitted, pathways, outcome.scenario),
            whatif.SANDBOX: _temperature(sandbox, pathways, outcome.scenario),
        },
        _platform_gap(platform, company, sandbox, outcome.scenario, viewer, session),
        _figure(submitted, sandbox, company, version, pathways, platform),
        None,
        outcome.warnings,
    )


def _nothing(unit: str, version: int | None, empty: pd.DataFrame, problem: str) -> Outcome:
    return Outcome(
        None,
        unit,
        version,
        empty,
        pd.DataFrame(columns=[col.YEAR]),
        {whatif.SUBMITTED: None, whatif.SANDBOX: None},
        pd.DataFrame(columns=[col.YEAR]),
        problem=problem,
    )


def _submitted(
    newest: Submission | None,
    company: Company,
    platform: Platform,
    pathways: pd.DataFrame,
    params: ReconcileParams,
    session: Session,
) -> pd.DataFrame:
    """The newest version's reconciliation; empty where there is none or it cannot be."""
    empty = pd.DataFrame(columns=col.RESULT_COLUMNS + col.RESULT_DETAIL_COLUMNS)
    if newest is None:
        return empty
    stored = queries.submission_trajectory_frame(
        newest, company=company, platform=platform, session=session
    )
    try:
        return reconcile(pathways, stored, params).results
    except (InputError, ReconcileError):
        return empty


def _temperature(results: pd.DataFrame, pathways: pd.DataFrame, scenario: str) -> float | None:
    if results.empty:
        return None
    table = implied_temperatures(results, pathways, scenario).table
    own = table.loc[table[col.LEVEL] == col.LEVEL_COMPANY, col.IMPLIED_TEMPERATURE]
    return float(own.iloc[0]) if len(own) and pd.notna(own.iloc[0]) else None


def _platform_gap(
    platform: Platform,
    company: Company,
    sandbox: pd.DataFrame,
    scenario: str,
    viewer: Viewer,
    session: Session,
) -> pd.DataFrame:
    """The platform's gap the viewer is shown (published for all but its coordinators, only
    years the small-group rule lets through), with the sandbox in place of the company."""
    try:
        seen = analyse_platform(platform, scenario=scenario, viewer=viewer, session=session)
        counted = counted_rows(
            platform, company.name, scenario=scenario, viewer=viewer, session=session
        )
    except (InputError, ReconcileError):
        return pd.DataFrame(columns=[col.YEAR])
    totals = seen.aggregate
    totals = totals[totals[col.YEAR].isin(milestones.milestone_years(totals[col.YEAR]))]
    return whatif.platform_gap_with(totals, counted, sandbox)


def catch_up(
    typed: pd.DataFrame, *, platform: Platform, preferred: str, session: Session
) -> CatchUp:
    """The catch-up plan of checked rows against ``preferred`` (or the sector's first
    scenario). Raises InputError or ReconcileError where the rows cannot be reconciled."""
    params = _params(platform, preferred, session)
    if params is None:
        raise ReconcileError(no_scenario_message(platform))
    results = reconcile(sector_pathways(platform, session=session), typed, params).results
    if results.empty:
        raise ReconcileError("no year of these rows can be reconciled")
    return catch_up_plan(typed, results)


def _figure(
    submitted: pd.DataFrame,
    sandbox: pd.DataFrame,
    company: Company,
    version: int | None,
    pathways: pd.DataFrame,
    platform: Platform,
) -> go.Figure:
    """The sandbox and the submitted plan, each with its SDA target, against the sector
    curves."""
    unit = str(sandbox[col.INTENSITY_UNIT].iloc[0])
    new = sandbox.assign(**{col.COMPANY: f"{company.name} (what-if)"})
    lines = new
    if not submitted.empty:
        old = submitted.assign(**{col.COMPANY: f"{company.name} v{version} (submitted)"})
        lines = pd.concat([old, new], ignore_index=True)
    first = sandbox.iloc[0]
    curves = dash.scenario_curves(
        pathways,
        sector=platform.sector.name,
        scope=str(first[col.SCOPE]),
        region=str(first[col.REGION]),
        unit=unit,
    )
    return charts.trajectories_figure(
        lines,
        curves,
        title=f"{company.name}: the what-if plan against the submitted one and the SDA target",
        unit=unit,
        scenario=str(sandbox[col.SCENARIO].iloc[0]),
        targets=True,
    )
