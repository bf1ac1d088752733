"""The dashboards' content: for a platform, a company and a consultant's benchmark, the charts
and their tables (with units in the headers) under the filters in the URL, scoped to the
viewer. Every figure comes from the reconciliation engine through ``analysis``; the platform
dashboard itself is in ``platform_dashboard``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

import pandas as pd
import plotly.graph_objects as go
from sqlmodel import Session

from roadmap.accounts import access
from roadmap.accounts.access import Viewer
from roadmap.domain import columns as col
from roadmap.domain import dashboard as dash
from roadmap.domain.errors import InputError, ReconcileError
from roadmap.domain.stages import Criterion
from roadmap.models import Company, Platform
from roadmap.reconciliation import analysis, charts
from roadmap.reconciliation.filters import Filters, Options
from roadmap.reconciliation.scenarios import scenario_for, sector_pathways
from roadmap.reconciliation.tables import (
    MILESTONE_TABLE,
    RESULT_TABLE,
    Table,
    curves_table,
    result_table,
)
from roadmap.submissions.queries import accepted_trajectories

NO_QUARTILES = (
    "Peer quartiles are not shown: they need at least "
    f"{access.MIN_GROUP} companies, {access.MIN_PEERS} besides those you may see by name, in "
    "every year, and no company left out of the scenario."
)


@dataclass
class Dashboard:
    title: str
    filters: Filters
    options: Options
    scenario: str
    unit: str
    charts: dict[str, go.Figure] = field(default_factory=dict)
    tables: dict[str, Table] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    named: bool = False  # the viewer sees every company by name
    companies: list[str] = field(default_factory=list)  # the companies drawn, by name
    summary: dict[str, object] = field(default_factory=dict)
    checklist: list[Criterion] = field(default_factory=list)

    def add(self, name: str, figure: go.Figure, table: Table) -> None:
        """A chart and the table that is its text alternative, under one name."""
        self.charts[name] = figure
        self.tables[name] = table


class NoData(Exception):
    """Nothing can be drawn (no scenario for the sector, or the reconciliation refused the
    data); the message says why."""


def attempt(build: Callable[[], Dashboard]) -> tuple[Dashboard | None, str | None]:
    """The dashboard ``build`` makes, or None and the reason nothing can be drawn."""
    try:
        return build(), None
    except NoData as error:
        return None, str(error)


def pick_platform(choices: list[Platform], wanted: str | None) -> Platform | None:
    """The platform of slug ``wanted`` among ``choices``; else, or where it is not one of
    them, the first; None where there is no choice."""
    found = next((p for p in choices if p.slug == wanted), None)
    return found or (choices[0] if choices else None)


def _options(
    platform: Platform, pathways: pd.DataFrame, trajectories: pd.DataFrame, *, named: bool
) -> Options:
    """The filters' choices. Scope and region are offered only to those who see every
    company: see ``analysis.analyse_platform``."""
    years = pd.concat([pathways[col.YEAR], trajectories[col.YEAR]]).astype(int)
    return Options(
        scenarios=sorted(pathways[col.SCENARIO].unique()),
        scopes=sorted(set(trajectories[col.SCOPE]) | {platform.scope}) if named else [],
        regions=sorted(set(trajectories[col.REGION]) | {platform.region}) if named else [],
        first_year=int(years.min()) if not years.empty else None,
        last_year=int(years.max()) if not years.empty else None,
    )


@dataclass(frozen=True)
class Run:
    result: analysis.PlatformAnalysis
    filters: Filters  # as applied: the scenario resolved
    options: Options
    curves: pd.DataFrame  # every scenario's curve in ``unit``, inside the year range
    unit: str
    notes: list[str]  # about filters that could not be applied, and about units
    named: bool  # the viewer sees every company of the platform by name


def analyse_run(
    platform: Platform,
    filters: Filters,
    *,
    viewer: Viewer,
    session: Session,
    default_scenario: str,
) -> Run:
    """The platform's reconciliation under ``filters``, reading each table once. An unknown
    scenario falls back to the default; an unknown scope or region is ignored, said in a note;
    scope and region apply only for those who see every company (``analyse_platform``)."""
    sector = platform.sector
    pathways = sector_pathways(platform, session=session)
    trajectories = accepted_trajectories(platform, session=session)
    named = access.sees_all_companies_of(viewer, platform.id)
    options = _options(platform, pathways, trajectories, named=named)
    if not options.scenarios:
        raise NoData(f"No scenario is stored for {sector.name} yet.")
    chosen = scenario_for(platform, filters.scenario or default_scenario, session=session)
    assert chosen is not None
    notes = []
    for label, value, known in (
        ("Scope", filters.scope, options.scopes),
        ("Region", filters.region, options.regions),
    ):
        if value is not None and value not in known:
            notes.append(
                f"{label} '{value[:40]}' is not among this platform's choices; it is ignored."
                if named
                else f"{label} filters are for the platform's coordinators; the whole "
                "platform is shown."
            )
    filters = replace(
        filters,
        scenario=chosen,
        scope=filters.scope if filters.scope in options.scopes else None,
        region=filters.region if filters.region in options.regions else None,
    )
    try:
        result = analysis.analyse_platform(
            platform,
            scenario=chosen,
            viewer=viewer,
            session=session,
            scope=filters.scope,
            region=filters.region,
        )
    except (InputError, ReconcileError) as error:
        # The engine's message names submissions' rows and values: for coordinators only.
        detail = f": {error}" if named else "; the platform's coordinators can see why."
        raise NoData(f"These submissions cannot be reconciled against {chosen}{detail}") from error
    scenario_rows = pathways[pathways[col.SCENARIO] == result.scenario]
    unit = (
        str(result.results[col.INTENSITY_UNIT].iloc[0])
        if not result.results.empty
        else str(scenario_rows[col.INTENSITY_UNIT].iloc[0])
    )
    curves = dash.scenario_curves(
        pathways,
        sector=sector.name,
        scope=filters.scope or platform.scope,
        region=filters.region or platform.region,
        unit=unit,
        any_basis=platform.treat_co2_as_co2e,
    )
    notes += result.notes
    return Run(result, filters, options, filters.years(curves), unit, notes, named)


def new_board(run: Run, title: str, *, named: bool, companies: list[str]) -> Dashboard:
    """An empty dashboard under the run's filters, with its notes."""
    return Dashboard(
        title=title,
        filters=run.filters,
        options=run.options,
        scenario=run.result.scenario,
        unit=run.unit,
        named=named,
        companies=companies,
        notes=list(run.notes),
    )


def company_dashboard(
    company: Company,
    platform: Platform,
    filters: Filters,
    *,
    viewer: Viewer,
    session: Session,
    default_scenario: str,
) -> Dashboard:
    """One company on one platform: its trajectory against its SDA target and every scenario
    curve, its gap, years behind and the reduction needed at each milestone, and where it
    stands among its (anonymous) peers."""
    run = analyse_run(
        platform, filters, viewer=viewer, session=session, default_scenario=default_scenario
    )
    result, filters, curves, unit = run.result, run.filters, run.curves, run.unit
    rows = filters.years(result.results[result.results[col.COMPANY] == company.name])
    quartiles = filters.years(result.peers)
    board = new_board(
        run,
        f"{company.name} on {platform.name}",
        named=True,
        companies=[company.name] if not rows.empty else [],
    )
    board.add(
        "trajectory",
        charts.trajectories_figure(
            rows,
            curves,
            title=f"{company.name} against its SDA target and the sector curves",
            unit=unit,
            scenario=result.scenario,
            quartiles=quartiles,
            targets=True,
        ),
        curves_table(curves, unit, quartiles=quartiles, companies=rows, targets=True),
    )
    if rows.empty:
        board.notes.append(
            f"{company.name} has no accepted submission on {platform.name} under these filters."
        )
        return board
    milestones = dash.at_milestones(rows, quartiles)
    board.tables["milestones"] = result_table(
        "Gap, years behind and reduction needed at each milestone",
        milestones,
        MILESTONE_TABLE[1:],  # one company: no company column
        unit,
    )
    board.tables["results"] = result_table("Reconciliation by year", rows, RESULT_TABLE, unit)
    reported = dash.latest_reported_year(rows)
    latest = rows[rows[col.YEAR] == reported] if reported is not None else rows.head(1)
    first = dash.with_quartiles(latest.head(1), quartiles).iloc[0]
    board.summary = {
        "year": int(first[col.YEAR]),
        "status": first[col.STATUS],
        "gap": float(first[col.GAP]),
        "gap_pct": float(first[col.GAP_PCT]),
        "years_behind": float(first[col.YEARS_BEHIND]),
        "required_rate": first[col.REQUIRED_RATE],
        "next_milestone": first[col.NEXT_MILESTONE],
        "quartile": None if pd.isna(first[dash.QUARTILE]) else int(first[dash.QUARTILE]),
        "peers": int(first[col.COMPANIES]),
    }
    if quartiles.empty:
        board.notes.append(NO_QUARTILES)
    return board


def benchmark_dashboard(
    platform: Platform,
    company_names: list[str],
    filters: Filters,
    *,
    viewer: Viewer,
    session: Session,
    default_scenario: str,
) -> Dashboard:
    """A consultant's chosen clients side by side on one platform (one sector) against the
    sector curves and the peer quartiles. Only companies the viewer may see can be chosen."""
    run = analyse_run(
        platform, filters, viewer=viewer, session=session, default_scenario=default_scenario
    )
    result, filters, curves, unit = run.result, run.filters, run.curves, run.unit
    visible = filters.years(result.results)
    rows = visible[visible[col.COMPANY].isin(company_names)]
    quartiles = filters.years(result.peers)
    board = new_board(
        run,
        f"Benchmark on {platform.name}",
        named=True,
        companies=list(dict.fromkeys(rows[col.COMPANY])),
    )
    board.summary["choices"] = sorted(visible[col.COMPANY].unique())
    board.add(
        "benchmark",
        charts.trajectories_figure(
            rows,
            curves,
            title="Clients against the sector curves and their peers",
            unit=unit,
            scenario=result.scenario,
            quartiles=quartiles,
        ),
        curves_table(curves, unit, quartiles=quartiles, companies=rows),
    )
    if rows.empty:
        board.notes.append("Choose one or more client companies to compare.")
        return board
    milestones = dash.at_milestones(rows, quartiles).sort_values([col.COMPANY, col.YEAR])
    board.tables["milestones"] = result_table(
        "Clients at each milestone", milestones, MILESTONE_TABLE, unit
    )
    board.tables["results"] = result_table("Clients by year", rows, RESULT_TABLE, unit)
    if quartiles.empty:
        board.notes.append(NO_QUARTILES)
    return board
