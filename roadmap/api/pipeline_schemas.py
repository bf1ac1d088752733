"""The bodies of /api/v1/platforms/<slug>/pipeline: a platform's near-zero project pipeline as
the caller may count it (roadmap.pipeline.analysis)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field, RootModel


class YearValue(BaseModel):
    year: int
    value: float


class CapacityByStartYear(BaseModel):
    start_year: int
    status: str
    capacity: float


class CapacityByTechnology(BaseModel):
    technology: str
    status: str
    capacity: float


class PipelineKpi(BaseModel):
    """A KPI computed from the pipeline: its targets, actuals from status dates and the
    projection to each target year weighted by status."""

    id: int
    name: str
    unit: str
    direction: str
    source: str = Field(description="the pipeline measure it is computed from")
    targets: list[YearValue]
    actuals: list[YearValue]
    projection: list[YearValue]
    note: str
    gaps: list[str] = Field(description="the gap at each target year, in words")


class DemandSupply(BaseModel):
    year: int
    committed_demand: float
    projected_capacity: float
    expected_supply: float = Field(description="projected capacity x utilisation")
    supply_minus_demand: float


class Pipeline(BaseModel):
    """Totals are withheld (empty lists) where they would be made of the projects of fewer
    than three companies the caller cannot see; confidential projects count as the platform's
    last published round saw them, except for its coordinators."""

    platform: str
    unit: str = Field(description="the unit capacities and volumes are given in, per year")
    projects_counted: int
    withheld: bool
    unseen_companies: int
    published_at: datetime | None
    weights: dict[str, float] = Field(description="likelihood by status used in projections")
    utilisation: float
    capacity_by_start_year: list[CapacityByStartYear]
    capacity_by_technology: list[CapacityByTechnology]
    kpis: list[PipelineKpi]
    demand_supply: list[DemandSupply]
    demand_supply_words: list[str]
    signals_not_counted: list[str]


class OverviewRow(BaseModel):
    """One platform side by side with the others (the page /overview): companies' figures from
    its last published round, null where not shown (the small-group rule)."""

    platform: str
    name: str
    sector: str
    stage: int
    in_stage_since: str = Field(description="YYYY-MM-DD")
    days_in_stage: int
    gate_criteria_met: int
    gate_criteria: int
    companies_behind: int | None
    companies_judged: int | None
    gap_year: int | None
    gap_share_of_fair_share: float | None
    kpis_on_track: int
    kpis_with_a_next_target: int
    actions: dict[str, int] = Field(description="implementation actions by status")


class OverviewList(RootModel[list[OverviewRow]]):
    """Every platform the caller may see, by name."""
