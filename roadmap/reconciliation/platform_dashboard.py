"""The platform dashboard: every company against the sector curves, the gap heat map by
milestone, the ranking to the next milestone, the waterfall of contributions, coverage, KPIs and
the stage checklist; named for the platform's coordinators, anonymised for everyone else."""

from __future__ import annotations

import pandas as pd
from sqlmodel import Session

from roadmap.accounts import access
from roadmap.accounts.access import Viewer
from roadmap.domain import columns as col
from roadmap.domain import dashboard as dash
from roadmap.domain.keys import first_seen
from roadmap.domain.milestones import milestone_years, next_milestone
from roadmap.models import Platform
from roadmap.pipeline.analysis import with_pipeline
from roadmap.platforms import queries as platform_queries
from roadmap.platforms.charts import kpi_figure
from roadmap.reconciliation import analysis, charts
from roadmap.reconciliation.dashboards import (
    Dashboard,
    Run,
    analyse_run,
    new_board,
    temperature_summary,
)
from roadmap.reconciliation.filters import Filters
from roadmap.reconciliation.headlines import gap_words, platform_headlines, temperature_headline
from roadmap.reconciliation.tables import (
    MILESTONE_TABLE,
    RESULT_TABLE,
    TEMPERATURE_TABLE,
    Table,
    curves_table,
    result_table,
)

# Charts that would grow past a readable size show the largest items; their tables hold all.
HEATMAP_LIMIT = 40
RANKING_LIMIT = 25
WATERFALL_LIMIT = 20


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
    run = analyse_run(
        platform, filters, viewer=viewer, session=session, default_scenario=default_scenario
    )
    result, filters, curves, unit = run.result, run.filters, run.curves, run.unit
    results = filters.years(result.results)
    aggregate = filters.years(result.aggregate)
    quartiles = filters.years(result.peers)
    named = run.named
    board = new_board(
        run,
        f"{platform.name}: where each company stands",
        named=named,
        companies=first_seen(results[col.COMPANY]),
    )
    if not named:
        board.notes.append(
            "Companies other than your own are not named. The platform's totals and quartiles "
            f"are shown only where at least {access.MIN_GROUP} companies you cannot see make "
            f"up a total ({access.MIN_PEERS} for quartiles), and only for years and scenarios "
            "that include every company, so that no one company's figures can be worked out."
        )
    board.notes.extend(result.warnings)
    board.headlines = platform_headlines(
        platform, result, named=named, viewer=viewer, session=session
    )
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
        curves_table(curves, unit, aggregate=aggregate, quartiles=quartiles, companies=results),
    )
    if not results.empty:
        _company_sections(board, results, aggregate, quartiles, unit)
    _temperature_section(board, result.temperatures)
    _coverage_section(board, aggregate)
    _assurance_section(board, platform, run, viewer=viewer, session=session)
    view = platform_queries.platform_view(
        platform, session=session, default_scenario=default_scenario
    )
    _kpi_section(board, with_pipeline(view.kpis, platform, viewer, session=session))
    board.checklist = platform_queries.checklist(view)
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
    milestone = min(next_milestone(now), int(results[col.YEAR].max()))
    ranked = dash.ranking(results, milestone)
    board.summary["milestone"] = milestone
    board.summary["reported_year"] = reported
    years = milestone_years(results[col.YEAR])
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
            result_table("Gap to SDA target by milestone", at_milestones, MILESTONE_TABLE, unit),
        )
    if not ranked.empty:
        board.add(
            "ranking",
            charts.ranking_figure(ranked, milestone, limit=RANKING_LIMIT),
            result_table(
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
        whole = _covers_platform(parts, aggregate, now)
        board.add(
            "waterfall",
            charts.contribution_waterfall(parts, now, whole=whole),
            Table(f"Contributions to the platform's gap in {now}", table),
        )
        total = float(parts[col.EXCESS_EMISSIONS].sum())
        who = "the platform is" if whole else "the companies shown are"
        why = {1: " (emitting more than", -1: " (emitting less than"}.get(
            (total > 0) - (total < 0), " (emitting exactly"
        )
        board.summary["waterfall_words"] = (
            f"In {now} {who} {gap_words(total)}{why} the fair share of the sector curve)."
        )
    board.tables["results"] = result_table(
        "Reconciliation by company and year", results, RESULT_TABLE, unit
    )


def _covers_platform(parts: pd.DataFrame, aggregate: pd.DataFrame, year: int) -> bool:
    """Whether the contributions hold every company of the platform's total in ``year``."""
    total = aggregate.loc[aggregate[col.YEAR] == year, col.COMPANIES]
    return not total.empty and int(parts[col.COMPANIES].sum()) == int(total.iloc[0])


def _temperature_section(board: Dashboard, scores: pd.DataFrame) -> None:
    """The platform's implied temperature rise as a headline figure; to those who see every
    company by name, each company's too. The scores come over each company's reconciled
    years, whatever years the filters show."""
    board.summary.update(temperature_summary(scores))
    board.headlines.append(temperature_headline(board.summary, board.scenario))
    companies = scores[scores[col.LEVEL] == col.LEVEL_COMPANY]
    if board.named and not companies.empty:
        board.tables["temperature"] = result_table(
            "Implied temperature rise by company", companies, TEMPERATURE_TABLE, board.unit
        )


def _coverage_section(board: Dashboard, aggregate: pd.DataFrame) -> None:
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
        result_table(
            "Coverage of sector activity by submissions",
            rows,
            [col.YEAR, col.ACTIVITY, col.COVERAGE, col.COMPANIES],
            board.unit,
        ),
    )


def _assurance_section(
    board: Dashboard, platform: Platform, run: Run, *, viewer: Viewer, session: Session
) -> None:
    """The share of reconciled activity under each assurance level of the figures used,
    withheld (with a note) where it would give away one or two peers' activity."""
    shares = analysis.assurance_shares(
        platform,
        scenario=run.result.scenario,
        viewer=viewer,
        session=session,
        scope=run.filters.scope,
        region=run.filters.region,
    )
    if shares is None:
        board.notes.append(
            "The share of activity under each assurance level is not shown: at some level "
            f"fewer than {access.MIN_GROUP} companies you cannot see would make it up."
        )
        return
    if shares.empty:
        return
    units = run.result.aggregate.get(col.ACTIVITY_UNIT, pd.Series(dtype=object)).dropna()
    activity_unit = str(units.iloc[0]) if not units.empty else "activity"
    table = pd.DataFrame(
        {
            "Assurance of the figures": shares["level"],
            f"Activity ({activity_unit})": shares[col.ACTIVITY].astype(float),
            "Share of reconciled activity (%)": (shares["share"].astype(float) * 100).round(2),
            "Companies": shares[col.COMPANIES].astype(int),
        }
    )
    board.tables["assurance"] = Table(
        "Reconciled activity by assurance of the accepted submissions used "
        "(each company's latest reported year)",
        table,
    )


def _kpi_section(board: Dashboard, kpis: list[platform_queries.KpiView]) -> None:
    for view in kpis:
        kpi = view.kpi
        name = f"kpi-{kpi.id}"
        years = sorted(set(view.targets) | set(view.actuals))
        columns = {
            "Year": years,
            f"Target ({kpi.unit})": [view.targets.get(y) for y in years],
            f"Actual ({kpi.unit})": [view.actuals.get(y) for y in years],
        }
        if view.projection:
            columns[f"Pipeline projection ({kpi.unit})"] = [view.projection.get(y) for y in years]
        table = pd.DataFrame(columns)
        board.add(
            name,
            kpi_figure(kpi.name, kpi.unit, view.targets, view.actuals, view.projection),
            Table(f"{kpi.name} ({kpi.direction}): targets and actuals", table),
        )
