"""The dashboards' content: for a platform, a company and a consultant's benchmark, the charts
and their tables (with units in the headers) under the filters in the URL, scoped to the
viewer. Every figure comes from the reconciliation engine through ``roadmap.analysis``."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import pandas as pd
import plotly.graph_objects as go
from sqlmodel import Session

from roadmap import access, analysis, charts, platforms
from roadmap.access import Viewer
from roadmap.domain import columns as col
from roadmap.domain import dashboard as dash
from roadmap.domain.errors import InputError, ReconcileError
from roadmap.domain.stages import Criterion
from roadmap.models import Company, Platform, Sector

# Charts that would grow past a readable size show the largest items; their tables hold all.
HEATMAP_LIMIT = 40
RANKING_LIMIT = 25
WATERFALL_LIMIT = 20
YEAR_MIN, YEAR_MAX = 1900, 2200
NO_QUARTILES = (
    "Peer quartiles are not shown: they need at least "
    f"{access.MIN_GROUP} companies, {access.MIN_PEERS} besides those you may see by name, in "
    "every year, and no company left out of the scenario."
)


@dataclass(frozen=True)
class Filters:
    """What a dashboard shows, read from and written to the URL so a view can be shared."""

    scenario: str | None = None
    scope: str | None = None
    region: str | None = None
    start: int | None = None
    end: int | None = None

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> tuple[Filters, list[str]]:
        """The filters in ``args`` and a message for each value that cannot be used (which is
        then ignored, as if absent)."""
        problems: list[str] = []
        years: dict[str, int | None] = {}
        for key, label in (("start", "From year"), ("end", "To year")):
            text = (args.get(key) or "").strip()
            years[key] = None
            if not text:
                continue
            if not re.fullmatch(r"[0-9]{1,4}", text) or not YEAR_MIN <= int(text) <= YEAR_MAX:
                problems.append(
                    f"{label} '{text[:20]}' is not a year from {YEAR_MIN} to {YEAR_MAX}; "
                    "it is ignored."
                )
                continue
            years[key] = int(text)
        start, end = years["start"], years["end"]
        if start is not None and end is not None and start > end:
            problems.append(f"From year {start} is after to year {end}; the range is ignored.")
            start = end = None
        return cls(
            scenario=(args.get("scenario") or "").strip() or None,
            scope=(args.get("scope") or "").strip() or None,
            region=(args.get("region") or "").strip() or None,
            start=start,
            end=end,
        ), problems

    def args(self) -> dict[str, str]:
        """The filters as URL query arguments (only those set)."""
        values = {
            "scenario": self.scenario,
            "scope": self.scope,
            "region": self.region,
            "start": self.start,
            "end": self.end,
        }
        return {k: str(v) for k, v in values.items() if v is not None}

    def years(self, frame: pd.DataFrame) -> pd.DataFrame:
        """The rows of ``frame`` inside the year range."""
        if frame.empty:
            return frame
        keep = pd.Series(True, index=frame.index)
        if self.start is not None:
            keep &= frame[col.YEAR] >= self.start
        if self.end is not None:
            keep &= frame[col.YEAR] <= self.end
        return frame[keep]


@dataclass(frozen=True)
class Options:
    """The values each filter can take on this dashboard."""

    scenarios: list[str]
    scopes: list[str]
    regions: list[str]
    first_year: int | None
    last_year: int | None


@dataclass(frozen=True)
class Table:
    title: str
    frame: pd.DataFrame  # headers carry their units


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


def _sector(platform: Platform, session: Session) -> Sector:
    sector = session.get(Sector, platform.sector_id)
    assert sector is not None
    return sector


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
class _Run:
    result: analysis.PlatformAnalysis
    filters: Filters  # as applied: the scenario resolved
    options: Options
    curves: pd.DataFrame  # every scenario's curve in ``unit``, inside the year range
    unit: str
    notes: list[str]  # about filters that could not be applied
    named: bool  # the viewer sees every company of the platform by name


def _analyse(
    platform: Platform,
    filters: Filters,
    *,
    viewer: Viewer,
    session: Session,
    default_scenario: str,
) -> _Run:
    """The platform's reconciliation under ``filters``, reading each table once. An unknown
    scenario falls back to the default; an unknown scope or region is ignored, said in a note;
    scope and region apply only for those who see every company (``analyse_platform``)."""
    sector = _sector(platform, session)
    pathways = analysis.sector_pathways(platform, session=session)
    trajectories = analysis.platform_trajectories(platform, session=session)
    named = access.sees_all_companies_of(viewer, platform.id)
    options = _options(platform, pathways, trajectories, named=named)
    if not options.scenarios:
        raise NoData(f"No scenario is stored for {sector.name} yet.")
    chosen = analysis.scenario_for(platform, filters.scenario or default_scenario, session=session)
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
    )
    return _Run(result, filters, options, filters.years(curves), unit, notes, named)


def _board(run: _Run, title: str, *, named: bool, companies: list[str]) -> Dashboard:
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


def _headers(unit: str, activity_unit: str = "activity") -> dict[str, str]:
    return {
        col.COMPANY: "Company",
        col.YEAR: "Year",
        col.KIND: "Kind",
        col.ACTIVITY: f"Activity ({activity_unit})",
        col.EMISSIONS: "Emissions (t CO2e)",
        col.INTENSITY: f"Intensity ({unit})",
        col.SECTOR_INTENSITY: f"Sector curve ({unit})",
        col.TARGET_INTENSITY: f"SDA target ({unit})",
        col.GAP: f"Gap to target ({unit})",
        col.GAP_PCT: "Gap to target (% of target)",
        col.STATUS: "Status",
        col.YEARS_BEHIND: "Years behind (years)",
        col.EXCESS_EMISSIONS: "Excess emissions (t CO2e)",
        col.CUMULATIVE_EXCESS: "Cumulative excess emissions (t CO2e)",
        col.BENCHMARK_ALIGNMENT: "Most ambitious scenario met",
        col.REQUIRED_RATE: "Reduction needed to next milestone (% a year)",
        col.NEXT_MILESTONE: "Next milestone (year)",
        dash.QUARTILE: "Peer quartile (1 = lowest intensity)",
        col.COVERAGE: "Coverage of sector activity (%)",
        col.COMPANIES: "Companies",
    }


def _percent(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    frame = frame.copy()
    for name in columns:
        frame[name] = (frame[name].astype(float) * 100).round(2)
    return frame


def _table(title: str, rows: pd.DataFrame, columns: list[str], unit: str) -> Table:
    activity_unit = (
        str(rows[col.ACTIVITY_UNIT].dropna().iloc[0])
        if col.ACTIVITY_UNIT in rows and rows[col.ACTIVITY_UNIT].notna().any()
        else "activity"
    )
    present = [c for c in columns if c in rows]
    percent = [c for c in (col.GAP_PCT, col.REQUIRED_RATE, col.COVERAGE) if c in present]
    frame = _percent(rows[present], *percent)
    return Table(title, frame.rename(columns=_headers(unit, activity_unit)).reset_index(drop=True))


def _curves_table(
    curves: pd.DataFrame,
    unit: str,
    *,
    aggregate: pd.DataFrame | None = None,
    quartiles: pd.DataFrame | None = None,
    companies: pd.DataFrame | None = None,
    targets: bool = False,
) -> Table:
    """The sector curves, the platform aggregate, the peer quartiles and each company's
    intensity (and SDA target, with ``targets``) by year: the text alternative of a
    trajectory chart. Beyond the chart's WebGL threshold the companies are left to the
    results table, which holds them all."""
    wide = curves.pivot(index=col.YEAR, columns=col.SCENARIO, values=col.INTENSITY)
    wide.columns = [f"{name} ({unit})" for name in wide.columns]
    if aggregate is not None and not aggregate.empty:
        wide = wide.join(
            aggregate.set_index(col.YEAR)[col.INTENSITY].rename(f"Platform aggregate ({unit})"),
            how="outer",
        )
    if quartiles is not None and not quartiles.empty:
        peers = quartiles.set_index(col.YEAR)[[dash.Q1, dash.MEDIAN, dash.Q3]]
        peers.columns = [
            f"Peers' lower quartile ({unit})",
            f"Peers' median ({unit})",
            f"Peers' upper quartile ({unit})",
        ]
        wide = wide.join(peers, how="outer")
    if companies is not None and 0 < companies[col.COMPANY].nunique() <= charts.WEBGL_OVER:
        for value, label in ((col.INTENSITY, ""), (col.TARGET_INTENSITY, ": SDA target")):
            if value == col.TARGET_INTENSITY and not targets:
                continue
            own = companies.pivot(index=col.YEAR, columns=col.COMPANY, values=value)
            own.columns = [f"{name}{label} ({unit})" for name in own.columns]
            wide = wide.join(own, how="outer")
    wide.index.name = "Year"
    return Table("The chart's lines by year", wide.reset_index())


RESULT_TABLE = [
    col.COMPANY,
    col.YEAR,
    col.KIND,
    col.ACTIVITY,
    col.EMISSIONS,
    col.INTENSITY,
    col.SECTOR_INTENSITY,
    col.TARGET_INTENSITY,
    col.GAP,
    col.GAP_PCT,
    col.STATUS,
    col.YEARS_BEHIND,
    col.EXCESS_EMISSIONS,
    col.CUMULATIVE_EXCESS,
    col.BENCHMARK_ALIGNMENT,
    col.REQUIRED_RATE,
    col.NEXT_MILESTONE,
]
MILESTONE_TABLE = [
    col.COMPANY,
    col.YEAR,
    col.KIND,
    col.INTENSITY,
    col.TARGET_INTENSITY,
    col.GAP,
    col.GAP_PCT,
    col.STATUS,
    col.YEARS_BEHIND,
    col.REQUIRED_RATE,
    col.NEXT_MILESTONE,
    dash.QUARTILE,
]


def platform_dashboard(
    platform: Platform,
    filters: Filters,
    *,
    viewer: Viewer,
    session: Session,
    default_scenario: str,
) -> Dashboard:
    """The platform dashboard. Who may see every company (its coordinators, admins) gets
    them by name; anyone else gets the anonymised variant: sector curves, the platform
    aggregate and peer quartiles where enough companies make them up, and only the
    companies the viewer belongs to or was granted."""
    run = _analyse(
        platform, filters, viewer=viewer, session=session, default_scenario=default_scenario
    )
    result, filters, curves, unit = run.result, run.filters, run.curves, run.unit
    results = filters.years(result.results)
    aggregate = filters.years(result.aggregate)
    quartiles = filters.years(result.peers)
    named = run.named
    board = _board(
        run,
        f"{platform.name}: where each company stands",
        named=named,
        companies=list(dict.fromkeys(results[col.COMPANY])),
    )
    if not named:
        board.notes.append(
            "Companies other than your own are not named. The platform's totals and quartiles "
            f"are shown only where at least {access.MIN_GROUP} companies you cannot see make "
            f"up a total ({access.MIN_PEERS} for quartiles), and only for years and scenarios "
            "that include every company, so that no one company's figures can be worked out."
        )
    board.notes.extend(result.warnings)
    board.add(
        "trajectories",
        charts.trajectories_figure(
            results,
            curves,
            title=f"Company intensities against the {platform.scope} sector curves",
            unit=unit,
            scenario=result.scenario,
            aggregate=aggregate,
            quartiles=quartiles,
        ),
        _curves_table(curves, unit, aggregate=aggregate, quartiles=quartiles, companies=results),
    )
    if not results.empty:
        _company_sections(board, results, aggregate, quartiles, unit)
    _coverage_section(board, platform, aggregate)
    view = platforms.platform_view(platform, session=session)
    _kpi_section(board, view.kpis)
    board.checklist = platforms.checklist(view)
    board.summary["companies"] = (
        int(aggregate[col.COMPANIES].max()) if not aggregate.empty else None
    )
    return board


def _company_sections(
    board: Dashboard,
    results: pd.DataFrame,
    aggregate: pd.DataFrame,
    quartiles: pd.DataFrame,
    unit: str,
) -> None:
    """Heat map by milestone, ranking to the next milestone and the waterfall of
    contributions, for the companies the viewer may see."""
    reported = dash.latest_reported_year(results)
    now = reported if reported is not None else int(results[col.YEAR].min())
    milestone = min(dash.next_milestone(now), int(results[col.YEAR].max()))
    ranked = dash.ranking(results, milestone)
    board.summary["milestone"] = milestone
    board.summary["reported_year"] = reported
    years = dash.milestone_years(results[col.YEAR])
    at_milestones = dash.at_milestones(results, quartiles).sort_values([col.COMPANY, col.YEAR])
    shown = results
    companies = results[col.COMPANY].nunique()
    if companies > HEATMAP_LIMIT:
        # Furthest behind as the ranking counts it: cumulative excess to the next milestone.
        shown = results[results[col.COMPANY].isin(ranked[col.COMPANY].head(HEATMAP_LIMIT))]
        board.notes.append(
            f"The heat map shows the {HEATMAP_LIMIT} companies with the largest cumulative excess "
            f"emissions to {milestone}, of {companies}; its table and the results download hold "
            "them all."
        )
    if years:
        board.add(
            "heatmap",
            charts.gap_heatmap(shown, years, unit=unit),
            _table("Gap to SDA target by milestone", at_milestones, MILESTONE_TABLE, unit),
        )
    if not ranked.empty:
        board.add(
            "ranking",
            charts.ranking_figure(ranked, milestone, limit=RANKING_LIMIT),
            _table(
                f"Companies by cumulative excess emissions to {milestone}",
                ranked,
                [col.COMPANY, col.YEAR, col.CUMULATIVE_EXCESS, col.STATUS, col.YEARS_BEHIND],
                unit,
            ),
        )
    parts = dash.contributions(
        results, aggregate, now, min_group=access.MIN_GROUP, limit=WATERFALL_LIMIT
    )
    if not parts.empty:
        table = parts.rename(
            columns={
                dash.LABEL: "Company",
                col.EXCESS_EMISSIONS: "Excess emissions (t CO2e)",
                col.COMPANIES: "Companies",
            }
        )
        board.add(
            "waterfall",
            charts.contribution_waterfall(
                parts, now, whole=_covers_platform(parts, aggregate, now)
            ),
            Table(f"Contributions to the platform's gap in {now}", table),
        )
    board.tables["results"] = _table(
        "Reconciliation by company and year", results, RESULT_TABLE, unit
    )


def _covers_platform(parts: pd.DataFrame, aggregate: pd.DataFrame, year: int) -> bool:
    """Whether the contributions hold every company of the platform's total in ``year``."""
    total = aggregate.loc[aggregate[col.YEAR] == year, col.COMPANIES]
    return not total.empty and int(parts[col.COMPANIES].sum()) == int(total.iloc[0])


def _coverage_section(board: Dashboard, platform: Platform, aggregate: pd.DataFrame) -> None:
    if aggregate.empty or col.COVERAGE not in aggregate or aggregate[col.COVERAGE].isna().all():
        board.notes.append(
            f"Coverage of sector activity: the {board.scenario} pathway gives no sector activity "
            "to compare the submissions with."
        )
        return
    rows = aggregate[aggregate[col.COVERAGE].notna()]
    board.add(
        "coverage",
        charts.coverage_figure(rows),
        _table(
            "Coverage of sector activity by submissions",
            rows,
            [col.YEAR, col.ACTIVITY, col.COVERAGE, col.COMPANIES],
            board.unit,
        ),
    )


def _kpi_section(board: Dashboard, kpis: list[platforms.KpiView]) -> None:
    for view in kpis:
        kpi = view.kpi
        name = f"kpi-{kpi.id}"
        years = sorted(set(view.targets) | set(view.actuals))
        table = pd.DataFrame(
            {
                "Year": years,
                f"Target ({kpi.unit})": [view.targets.get(y) for y in years],
                f"Actual ({kpi.unit})": [view.actuals.get(y) for y in years],
            }
        )
        board.add(
            name,
            charts.kpi_figure(kpi.name, kpi.unit, view.targets, view.actuals),
            Table(f"{kpi.name} ({kpi.direction}): targets and actuals", table),
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
    run = _analyse(
        platform, filters, viewer=viewer, session=session, default_scenario=default_scenario
    )
    result, filters, curves, unit = run.result, run.filters, run.curves, run.unit
    rows = filters.years(result.results[result.results[col.COMPANY] == company.name])
    quartiles = filters.years(result.peers)
    board = _board(
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
        _curves_table(curves, unit, quartiles=quartiles, companies=rows, targets=True),
    )
    if rows.empty:
        board.notes.append(
            f"{company.name} has no accepted submission on {platform.name} under these filters."
        )
        return board
    milestones = dash.at_milestones(rows, quartiles)
    board.tables["milestones"] = _table(
        "Gap, years behind and reduction needed at each milestone",
        milestones,
        MILESTONE_TABLE[1:],  # one company: no company column
        unit,
    )
    board.tables["results"] = _table("Reconciliation by year", rows, RESULT_TABLE, unit)
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
    run = _analyse(
        platform, filters, viewer=viewer, session=session, default_scenario=default_scenario
    )
    result, filters, curves, unit = run.result, run.filters, run.curves, run.unit
    visible = filters.years(result.results)
    rows = visible[visible[col.COMPANY].isin(company_names)]
    quartiles = filters.years(result.peers)
    board = _board(
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
        _curves_table(curves, unit, quartiles=quartiles, companies=rows),
    )
    if rows.empty:
        board.notes.append("Choose one or more client companies to compare.")
        return board
    milestones = dash.at_milestones(rows, quartiles).sort_values([col.COMPANY, col.YEAR])
    board.tables["milestones"] = _table(
        "Clients at each milestone", milestones, MILESTONE_TABLE, unit
    )
    board.tables["results"] = _table("Clients by year", rows, RESULT_TABLE, unit)
    if quartiles.empty:
        board.notes.append(NO_QUARTILES)
    return board
