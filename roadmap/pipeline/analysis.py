"""What the project pipeline means for a platform, as far as a viewer may see it: KPIs computed
from it (actuals from status dates, a projection to each target year weighted by status), the
capacity by status, start year and technology, the gap to each pipeline KPI's targets, and
committed demand against expected near-zero supply."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date

import pandas as pd
from sqlmodel import Session, select

from roadmap.accounts.access import Viewer
from roadmap.domain import demand as demand_domain
from roadmap.domain import pipeline as domain
from roadmap.domain.units import UnitError, conversion_factor
from roadmap.formatting import quantity as number_text
from roadmap.models import DemandSignal, PipelineWeight, Platform
from roadmap.pipeline.numbers import PlatformPipeline, platform_pipeline
from roadmap.platforms.queries import KpiView

MILESTONE_STEP = 5


def weights_for(platform: Platform, *, session: Session) -> dict[str, float]:
    """The platform's status weights: its own where its coordinators set them, else the
    defaults (roadmap.domain.pipeline.DEFAULT_WEIGHTS)."""
    stored = session.exec(
        select(PipelineWeight).where(PipelineWeight.platform_id == platform.id)
    ).all()
    return domain.weights_with({w.status: w.weight for w in stored})


def display_unit(unit: str) -> tuple[str, float]:
    """Capacities are kept in the activity unit (t Steel) and shown in millions of it (Mt
    Steel) where pint reads that; the unit and the factor from the activity unit."""
    shown = f"M{unit}" if unit.startswith("t ") else unit
    try:
        return shown, conversion_factor(unit, shown)
    except UnitError:
        return unit, 1.0


def kpi_factor(kpi_unit: str, measure: str, activity_unit: str) -> float:
    """What turns the measure into the KPI's unit: capacity from the activity unit (per year)
    into the KPI's (e.g. t Steel -> Mt Steel); plants are counted as they are."""
    if measure == domain.CAPACITY_OPERATING:
        return conversion_factor(activity_unit, kpi_unit)
    return 1.0


def milestones(platform: Platform, today: date | None = None) -> list[int]:
    """The five-year milestones from the next one to the platform's net-zero year (2050 where
    it has none)."""
    year = (today or date.today()).year
    first = -(-year // MILESTONE_STEP) * MILESTONE_STEP
    last = max(platform.net_zero_year or 2050, first)
    return list(range(first, last + 1, MILESTONE_STEP))


def with_pipeline(
    kpis: list[KpiView],
    platform: Platform,
    viewer: Viewer,
    *,
    session: Session,
    today: date | None = None,
) -> list[KpiView]:
    """``kpis`` with those computed from the pipeline filled in for this viewer: actuals by
    year from the status dates (from the first year a project reached a status to this year)
    and the projection to each target year, with the weights used."""
    if not any(k.kpi.source in domain.MEASURES for k in kpis):
        return kpis
    counted = platform_pipeline(platform, viewer, session=session)
    weights = weights_for(platform, session=session)
    this_year = (today or date.today()).year
    projects = [c.numbers for c in counted.projects]
    filled = []
    for view in kpis:
        measure = view.kpi.source
        if measure not in domain.MEASURES:
            filled.append(view)
            continue
        if counted.withheld:
            filled.append(replace(view, actuals={}, note=withheld_note(counted)))
            continue
        try:
            factor = kpi_factor(view.kpi.unit, measure, counted.unit)
        except UnitError:
            note = f"Not computed: its unit {view.kpi.unit} is not an amount of {counted.unit}."
            filled.append(replace(view, actuals={}, note=note))
            continue
        reached = [y for p in projects for y in p.reached.values()]
        years = range(min(reached), this_year + 1) if reached else range(0)
        actuals = {y: v * factor for y, v in domain.actuals(projects, measure, years).items()}
        projection = {
            y: v * factor
            for y, v in domain.projection(projects, measure, sorted(view.targets), weights).items()
        }
        note = f"From {len(projects)} projects" + (
            f", of which those of {counted.unseen_companies} companies as published "
            f"{counted.published_at:%Y-%m-%d}"
            if counted.unseen_companies and counted.published_at
            else ""
        )
        filled.append(
            replace(view, actuals=actuals, projection=projection, weights=weights, note=note)
        )
    return filled


def withheld_note(counted: PlatformPipeline) -> str:
    return (
        f"Not shown to you: it would be made of the projects of {counted.unseen_companies} "
        "companies you cannot see, and fewer than three companies' figures are never shown "
        "as a total."
    )


# --- the pipeline page ------------------------------------------------------------------


@dataclass(frozen=True)
class PipelineSummary:
    counted: PlatformPipeline
    weights: dict[str, float]
    unit: str  # the unit capacities are shown in (e.g. Mt Steel)
    by_status_year: pd.DataFrame  # Start year, Status, Capacity
    by_technology: pd.DataFrame  # Technology, Status, Capacity
    kpi_gaps: list[tuple[KpiView, pd.DataFrame, list[str]]]  # table and words per KPI
    balance: pd.DataFrame  # Year, Demand, Capacity, Supply, Balance
    balance_words: list[str]
    uncounted_signals: list[str]  # signals left out of demand, with why
    utilisation: float


def summary(
    platform: Platform,
    viewer: Viewer,
    kpis: list[KpiView],
    *,
    session: Session,
    today: date | None = None,
) -> PipelineSummary:
    counted = platform_pipeline(platform, viewer, session=session)
    weights = weights_for(platform, session=session)
    unit, factor = display_unit(counted.unit)
    rows = [] if counted.withheld else counted.projects
    frame = pd.DataFrame(
        {
            "Start year": [c.numbers.start_year for c in rows],
            "Status": [c.numbers.status for c in rows],
            "Technology": [c.technology for c in rows],
            "Capacity": [c.numbers.capacity * factor for c in rows],
        }
    )
    by_status_year = (
        frame.groupby(["Start year", "Status"], as_index=False)["Capacity"].sum()
        if len(frame)
        else frame[["Start year", "Status", "Capacity"]]
    )
    by_technology = (
        frame.groupby(["Technology", "Status"], as_index=False)["Capacity"].sum()
        if len(frame)
        else frame[["Technology", "Status", "Capacity"]]
    )
    gaps = [
        _kpi_gap(view)
        for view in with_pipeline(kpis, platform, viewer, session=session, today=today)
        if view.kpi.source in domain.MEASURES
    ]
    years = milestones(platform, today)
    capacity = {
        y: v * factor
        for y, v in domain.projection(
            [c.numbers for c in rows], domain.CAPACITY_OPERATING, years, weights
        ).items()
    }
    signals, uncounted = demand_signals(platform, counted.unit, factor, session=session)
    utilisation = demand_domain.check_utilisation(platform.supply_utilisation)
    balance = demand_domain.balance(signals, capacity, utilisation) if not counted.withheld else []
    amount = _amount(unit)
    return PipelineSummary(
        counted=counted,
        weights=weights,
        unit=unit,
        by_status_year=by_status_year,
        by_technology=by_technology,
        kpi_gaps=gaps,
        balance=pd.DataFrame(
            {
                "Year": [b.year for b in balance],
                f"Committed demand ({unit})": [b.demand for b in balance],
                f"Projected capacity ({unit})": [b.capacity for b in balance],
                f"Expected supply ({unit})": [b.supply for b in balance],
                f"Supply - demand ({unit})": [b.difference for b in balance],
            }
        ),
        balance_words=[demand_domain.in_words(b, utilisation, amount) for b in balance],
        uncounted_signals=uncounted,
        utilisation=utilisation,
    )


def _amount(unit: str) -> Callable[[float], str]:
    return lambda value: f"{number_text(value)} {unit}"


def _kpi_gap(view: KpiView) -> tuple[KpiView, pd.DataFrame, list[str]]:
    """At each target year: target, projection and what is missing (for a KPI that should
    go up) or too much (one that should go down)."""
    years = sorted(view.targets)
    up = view.kpi.direction == "increase"
    table = pd.DataFrame(
        {
            "Year": years,
            f"Target ({view.kpi.unit})": [view.targets[y] for y in years],
            f"Pipeline projection ({view.kpi.unit})": [view.projection.get(y) for y in years],
        }
    )
    words = []
    for year in years:
        target, projected = view.targets[year], view.projection.get(year)
        if projected is None:
            continue
        gap = (target - projected) if up else (projected - target)
        if math.isclose(target, projected, rel_tol=1e-9, abs_tol=1e-12):
            gap = 0.0  # a sum of weighted capacities meets the target up to rounding
        head = (
            f"{year}: the pipeline projects {number_text(projected)} {view.kpi.unit}, "
            f"target {number_text(target)} {view.kpi.unit}"
        )
        if gap > 0:
            words.append(f"{head}: {number_text(gap)} {view.kpi.unit} short.")
        else:
            words.append(f"{head}: on track.")
    return view, table, words


def demand_signals(
    platform: Platform, unit: str, factor: float, *, session: Session
) -> tuple[list[demand_domain.Signal], list[str]]:
    """The platform's demand signals in the activity unit (volumes scaled by ``factor`` to the
    shown unit), and those left out, each with why."""
    rows = session.exec(
        select(DemandSignal)
        .where(DemandSignal.platform_id == platform.id)
        .order_by(DemandSignal.id)
    ).all()
    signals, uncounted = [], []
    for row in rows:
        try:
            volume = row.volume * conversion_factor(row.volume_unit, unit) * factor
        except UnitError:
            uncounted.append(
                f"{row.buyer} ({row.product}): {row.volume_unit} is not an amount of {unit}"
            )
            continue
        signals.append(demand_domain.Signal(volume, row.year, row.until_year or row.year))
    return signals, uncounted
