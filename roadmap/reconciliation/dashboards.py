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
from roadmap.domain import commitments as cm
from roadmap.domain import dashboard as dash
from roadmap.domain.errors import InputError, Problem, ReconcileError
from roadmap.domain.keys import first_seen
from roadmap.domain.stages import Criterion
from roadmap.models import Company, Platform
from roadmap.reconciliation import analysis, charts
from roadmap.reconciliation.filters import Filters, Options
from roadmap.reconciliation.headlines import Headline, company_headlines, platform_headlines
from roadmap.reconciliation.scenarios import scenario_for, sector_pathways
from roadmap.reconciliation.tables import (
    MILESTONE_TABLE,
    RESULT_TABLE,
    TEMPERATURE_TABLE,
    Table,
    curves_table,
    result_table,
)
from roadmap.submissions.queries import (
    accepted_assurance,
    accepted_version,
    figures_for,
    unpublished_changes,
)

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
    # The figures at the top (headlines.Headline); a later one (a temperature score) is
    # appended to the list.
    headlines: list[Headline] = field(default_factory=list)
    checklist: list[Criterion] = field(default_factory=list)

    def add(self, name: str, figure: go.Figure, table: Table) -> None:
        """A chart and the table that is its text alternative, under one name."""
        self.charts[name] = figure
        self.tables[name] = table


class NoData(Exception):
    """Nothing can be drawn (no scenario for the sector, or the reconciliation refused the
    data); the message says why, ``problems`` (for those who may read them) every row's."""

    def __init__(self, message: str, problems: tuple[Problem, ...] = ()):
        super().__init__(message)
        self.problems = problems


# A page lists this many of the reconciliation's problems; the rest are counted and
# downloaded (a 500-company platform gave one per row, a 4.5 MB page).
SHOWN_PROBLEMS = 20


@dataclass(frozen=True)
class Unavailable:
    """Why a dashboard cannot be drawn: the message, and every problem behind it."""

    message: str
    problems: tuple[Problem, ...] = ()

    def __str__(self) -> str:
        return self.message

    @property
    def shown(self) -> tuple[Problem, ...]:
        return self.problems[:SHOWN_PROBLEMS]

    @property
    def more(self) -> int:
        """How many problems are not listed on the page."""
        return max(0, len(self.problems) - SHOWN_PROBLEMS)

    def full(self) -> str:
        """The message and every problem, one a line (for the command line)."""
        return "\n".join([self.message, *map(str, self.problems)])


def attempt(build: Callable[[], Dashboard]) -> tuple[Dashboard | None, Unavailable | None]:
    """The dashboard ``build`` makes, or None and the reason nothing can be drawn."""
    try:
        return build(), None
    except NoData as error:
        return None, Unavailable(str(error), error.problems)


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
        scopes=sorted({*trajectories[col.SCOPE].unique(), platform.scope}) if named else [],
        regions=sorted({*trajectories[col.REGION].unique(), platform.region}) if named else [],
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
    trajectories = figures_for(viewer, platform, session=session)
    named = access.sees_all_companies_of(viewer, platform.id)
    options = _options(platform, pathways, trajectories, named=named)
    if not options.scenarios:
        raise NoData(
            f"No scenario is stored for {sector.name} yet. Once the platform publishes a "
            "roadmap pathway of its own (stage 2, milestone editor), its companies are "
            "reconciled against it."
        )
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
        raise _unreconciled(error, chosen, named=named) from error
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
    if access.sees_live_figures(viewer, platform.id):
        notes.extend(unpublished_changes(platform, session=session))
    notes += result.notes
    return Run(result, filters, options, filters.years(curves), unit, notes, named)


def _unreconciled(error: InputError | ReconcileError, chosen: str, *, named: bool) -> NoData:
    """Why the engine refused the platform's data. Its problems name submissions' rows and
    values: for those who see every company only."""
    head = f"These submissions cannot be reconciled against {chosen}"
    if not named:
        return NoData(f"{head}; the platform's coordinators can see why.")
    if isinstance(error, InputError):
        count = len(error.problems)
        return NoData(f"{head}: {count} problem{'s' * (count != 1)}.", tuple(error.problems))
    return NoData(f"{head}: {error}")


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
    every_year = result.results[result.results[col.COMPANY] == company.name]
    rows = filters.years(every_year)
    quartiles = filters.years(result.peers)
    board = new_board(
        run,
        f"{company.name} on {platform.name}",
        named=True,
        companies=[company.name] if not rows.empty else [],
    )
    board.headlines = company_headlines(every_year, company.name) + platform_headlines(
        platform, result, named=run.named, viewer=viewer, session=session
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
        **temperature_summary(result.temperatures, company=company.name),
    }
    if quartiles.empty:
        board.notes.append(NO_QUARTILES)
    _credibility_sections(board, company, platform, result.results, session=session)
    return board


def _credibility_sections(
    board: Dashboard,
    company: Company,
    platform: Platform,
    results: pd.DataFrame,
    *,
    session: Session,
) -> None:
    """The assurance of the version the company's results use, and its benchmark label and
    gap at TPI's assessment years (over its whole plan, whatever the year filter)."""
    used = accepted_version(company.id, platform.id, session=session)  # type: ignore[arg-type]
    if used is not None:
        board.summary["version"] = used.version
        board.summary["assurance"] = used.assurance
    rows = results[results[col.COMPANY] == company.name]
    table = cm.at_assessment_years(rows)
    span = f"{int(rows[col.YEAR].min())}-{int(rows[col.YEAR].max())}"
    table[col.STATUS] = table[col.STATUS].where(
        table["in_plan"], f"outside its reconciled years ({span})"
    )
    table[col.BENCHMARK_ALIGNMENT] = table[col.BENCHMARK_ALIGNMENT].where(table["in_plan"], "")
    board.tables["assessment_years"] = result_table(
        "At TPI's assessment years: the lowest-temperature benchmark met and the gap to its "
        "SDA target",
        table,
        [col.YEAR, col.BENCHMARK_ALIGNMENT, col.GAP, col.GAP_PCT, col.STATUS],
        board.unit,
    )


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
        companies=first_seen(rows[col.COMPANY]),
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
    # The assurance of each client's figures, shown beside them.
    levels = accepted_assurance(platform, session=session)
    board.summary["assurance"] = {name: levels.get(name, "") for name in board.companies}
    board.tables["results"] = result_table("Clients by year", rows, RESULT_TABLE, unit)
    scores = result.temperatures
    board.tables["temperature"] = result_table(
        "Implied temperature rise of each client",
        scores[scores[col.COMPANY].isin(company_names)],
        TEMPERATURE_TABLE,
        unit,
    )
    if quartiles.empty:
        board.notes.append(NO_QUARTILES)
    return board


def temperature_summary(scores: pd.DataFrame, *, company: str | None = None) -> dict[str, object]:
    """The implied temperature rise of ``company``, or of the sector (the platform) where no
    company is named, with the years it covers; None where there is none to show."""
    if company is None:
        rows = scores[scores[col.LEVEL] == col.LEVEL_SECTOR]
    else:
        rows = scores[(scores[col.LEVEL] == col.LEVEL_COMPANY) & (scores[col.COMPANY] == company)]
    rows = rows[rows[col.IMPLIED_TEMPERATURE].notna()]
    if rows.empty:
        return {"temperature": None}
    first = rows.iloc[0]
    return {
        "temperature": float(first[col.IMPLIED_TEMPERATURE]),
        "temperature_years": f"{int(first[col.BASE_YEAR])}-{int(first[col.END_YEAR])}",
    }


@dataclass(frozen=True)
class ClientPosition:
    """Where one of the viewer's own companies stands on one platform, at its latest
    reported year, against ``scenario``; or, with no figures, the ``reason`` why."""

    company: Company
    platform: Platform
    scenario: str | None = None
    unit: str | None = None
    year: int | None = None
    status: str | None = None
    gap: float | None = None
    gap_pct: float | None = None
    years_behind: float | None = None
    reason: str | None = None


def client_positions(
    pairs: list[tuple[Company, Platform]],
    *,
    chosen: Platform | None,
    filters: Filters,
    viewer: Viewer,
    session: Session,
    default_scenario: str,
) -> list[ClientPosition]:
    """Each (company, platform) of ``pairs`` at the company's latest reported year: on the
    ``chosen`` platform under ``filters`` (its scenario), elsewhere against the default
    scenario. A platform that cannot be reconciled gives its reason instead of figures."""
    platforms = {platform.id: platform for _, platform in pairs}
    positions: list[ClientPosition] = []
    for platform in platforms.values():
        companies = [c for c, p in pairs if p.id == platform.id]
        wanted = filters if chosen is not None and platform.id == chosen.id else Filters()
        try:
            run = analyse_run(
                platform, wanted, viewer=viewer, session=session, default_scenario=default_scenario
            )
        except NoData as error:
            positions += [ClientPosition(c, platform, reason=str(error)) for c in companies]
            continue
        results = run.result.results
        names = [c.name for c in companies]
        latest = dash.latest_positions(results[results[col.COMPANY].isin(names)])
        rows = latest.set_index(col.COMPANY)
        for company in companies:
            if company.name not in rows.index:
                reason = "Left out of this platform's reconciliation (see its dashboard)."
                positions.append(
                    ClientPosition(company, platform, run.result.scenario, reason=reason)
                )
                continue
            row = rows.loc[company.name]
            positions.append(
                ClientPosition(
                    company,
                    platform,
                    scenario=run.result.scenario,
                    unit=run.unit,
                    year=int(row[col.YEAR]),
                    status=str(row[col.STATUS]),
                    gap=float(row[col.GAP]),
                    gap_pct=float(row[col.GAP_PCT]),
                    years_behind=float(row[col.YEARS_BEHIND]),
                )
            )
    return sorted(positions, key=lambda p: (p.company.name, p.platform.name))
