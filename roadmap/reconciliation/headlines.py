"""The figures at the top of a dashboard: how many companies are behind, the platform's gap in
its latest reported year and cumulated, and its coverage of the sector, each as the viewer may
see it (the anonymisation rules of ``analysis``), written by the one rule of
``roadmap.formatting``."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlmodel import Session

import roadmap.formatting as fmt
from roadmap.accounts import access
from roadmap.accounts.access import Viewer
from roadmap.domain import columns as col
from roadmap.domain import dashboard as dash
from roadmap.models import Platform
from roadmap.reconciliation import analysis


@dataclass(frozen=True)
class Headline:
    key: str  # behind, gap, cumulative_gap, coverage, ... (a stable name for pages and tests)
    label: str
    value: str
    detail: str = ""


def temperature_headline(summary: dict, scenario: str) -> Headline:
    """The implied temperature rise (``temperature_summary``) as a headline figure, or why it
    is not shown."""
    value = summary.get("temperature")
    if value is None:
        return Headline(
            "temperature",
            "Implied temperature rise",
            "not shown",
            "this scenario gives no benchmark temperature or budget, or too few companies make "
            "it up for it to be shared without giving one away",
        )
    return Headline(
        "temperature",
        "Implied temperature rise",
        f"{fmt.degrees(value)}",
        f"emissions over {summary['temperature_years']} against the SDA budgets under "
        f"{scenario}; budget method (README)",
    )


def gap_words(tonnes: float) -> str:
    """A platform's or company's gap (t CO2e over its fair share) said in words, in Mt:
    10e6 -> "10.0 Mt CO2e behind the curve", -2e6 -> "2.0 Mt CO2e ahead of the curve"; an
    unknown gap (NaN) is said so, never "on the curve"."""
    if tonnes != tonnes:
        return "not known"
    if tonnes > 0:
        return f"{fmt.megatonnes(tonnes)} behind the curve"
    if tonnes < 0:
        return f"{fmt.megatonnes(-tonnes)} ahead of the curve"
    return "on the curve"


def platform_headlines(
    platform: Platform,
    result: analysis.PlatformAnalysis,
    *,
    named: bool,
    viewer: Viewer,
    session: Session,
) -> list[Headline]:
    """The platform's headline figures. Who sees every company counts them under the
    dashboard's scope and region; anyone else gets the whole platform's count only where at
    least MIN_GROUP companies they cannot see are in it, and the totals ``result`` holds for
    them (``analysis.analyse_platform``)."""
    if named:
        behind = dash.behind_in_latest_reported(result.results)
        counts = (int(behind.sum()), len(behind)) if len(behind) else None
        year = dash.latest_reported_year(result.results)
    else:
        counts = analysis.behind_of(
            platform, scenario=result.scenario, viewer=viewer, session=session
        )
        year = analysis.latest_reported_year(
            platform,
            scenario=result.scenario,
            session=session,
            published=not access.sees_live_figures(viewer, platform.id),
        )
    items = [_behind(counts, named)]
    figures = dash.platform_headline(result.aggregate, year)
    if year is not None:
        items.extend(_totals(figures, year, named))
    return items


def _behind(counts: tuple[int, int] | None, named: bool) -> Headline:
    label = "Companies behind their SDA target"
    if counts is None:
        why = (
            "no reported year to judge yet"
            if named
            else f"shown where at least {access.MIN_GROUP} companies you cannot see are counted"
        )
        return Headline("behind", label, "not shown", why)
    behind, of = counts
    return Headline(
        "behind",
        label,
        f"{fmt.count(behind)} of {fmt.count(of)}",
        "each in its latest reported year",
    )


def _totals(figures: dash.PlatformHeadline, year: int, named: bool) -> list[Headline]:
    withheld = "" if named else "withheld: too few companies make up this total"
    items = []
    if figures.gap is None:
        items.append(Headline("gap", f"Platform gap in {year}", "not shown", withheld))
    else:
        items.append(
            Headline(
                "gap",
                f"Platform gap in {year}",
                gap_words(figures.gap),
                "emissions less the companies' fair share of the sector curve",
            )
        )
    if figures.cumulative_gap is not None:
        items.append(
            Headline(
                "cumulative_gap",
                f"Cumulated gap {figures.since}–{year}",
                gap_words(figures.cumulative_gap),
                "the yearly gaps added up",
            )
        )
    if figures.coverage is not None:
        items.append(
            Headline(
                "coverage",
                f"Coverage in {year}",
                fmt.percent(figures.coverage),
                "of the sector's activity in the scenario",
            )
        )
    return items


def company_headlines(rows: pd.DataFrame, company: str) -> list[Headline]:
    """A company's own excess emissions in its latest reported year and cumulated from the
    base year (its rows, every year)."""
    year = dash.latest_reported_year(rows)
    at = rows[(rows[col.YEAR] == year) & rows[col.EXCESS_EMISSIONS].notna()]
    if year is None or at.empty:
        return []
    first = int(rows[col.YEAR].min())
    return [
        Headline(
            "company_gap",
            f"{company} in {year}",
            gap_words(float(at[col.EXCESS_EMISSIONS].iloc[0])),
            "its emissions less its fair share (SDA target × activity)",
        ),
        Headline(
            "company_cumulative_gap",
            f"{company}, {first}–{year}",
            gap_words(float(at[col.CUMULATIVE_EXCESS].iloc[0])),
            "the yearly gaps added up",
        ),
    ]
