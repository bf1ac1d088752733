"""The near-zero project pipeline as numbers: what is operating (or being built) each year, and
what the pipeline promises at each milestone.

Pure functions over ``PipelineProject`` values; the caller has converted every capacity into
one unit (the platform's activity unit per year) and read the status dates as years.

- **Actuals** come from the dates a project reached each status: a plant counts as operating in
  year Y once it started operating in Y or before, and stops counting from the year it was
  cancelled (a plant that closes is recorded as cancelled).
- **Projection**: at a milestone year M, each project that is not cancelled and expects to start
  by M counts with the weight of its current status (a project at final investment decision is
  far likelier to run than one only announced). The weights are stated with every projection
  shown; ``DEFAULT_WEIGHTS`` are the platform's unless its coordinators set their own.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

STATUSES = (
    "announced",
    "feasibility",
    "final investment decision",
    "construction",
    "operating",
    "cancelled",
)

# Likelihood that a project at this status runs by its expected start year.
DEFAULT_WEIGHTS: Mapping[str, float] = {
    "announced": 0.1,
    "feasibility": 0.3,
    "final investment decision": 0.8,
    "construction": 0.9,
    "operating": 1.0,
    "cancelled": 0.0,
}

# What a KPI can be computed from: near-zero capacity operating (in the activity unit per
# year), and the number of near-zero plants operating or under construction.
CAPACITY_OPERATING = "near-zero capacity operating"
PLANTS_BUILT_OR_BUILDING = "near-zero plants operating or under construction"
MEASURES = (CAPACITY_OPERATING, PLANTS_BUILT_OR_BUILDING)
# A KPI whose actuals are recorded by hand (the other sources are MEASURES).
TYPED = "typed"

# Technology routes offered per sector (by the sector's name folded to lower case); any other
# sector, or a route not listed, is entered as text.
ROUTES: Mapping[str, tuple[str, ...]] = {
    "steel": ("hydrogen DRI-EAF", "scrap EAF", "BF-BOF with CCUS", "natural-gas DRI with CCUS"),
    "cement": ("CCUS kiln", "alternative binders", "electrified kiln", "oxyfuel kiln with CCUS"),
    "aluminium": ("inert anode smelter", "renewable-powered smelter", "recycling"),
    "chemicals": ("green ammonia", "electric steam cracker", "bio-based feedstock"),
    "shipping": ("ammonia vessel", "methanol vessel", "hydrogen vessel", "battery-electric vessel"),
    "aviation": ("sustainable aviation fuel plant", "hydrogen aircraft", "electric aircraft"),
    "trucking": ("battery-electric truck", "hydrogen fuel-cell truck"),
}


def routes_for(sector_name: str) -> tuple[str, ...]:
    return ROUTES.get(sector_name.strip().lower(), ())


class PipelineError(ValueError):
    """Weights that are not a likelihood for every status."""


@dataclass(frozen=True)
class PipelineProject:
    status: str
    start_year: int  # the year it is expected to start (or started) operating
    capacity: float  # in the platform's activity unit per year
    # The year each status was reached, where its date is known.
    reached: Mapping[str, int] = field(default_factory=dict)

    def reached_by(self, status: str, year: int) -> bool:
        when = self.reached.get(status)
        return when is not None and when <= year

    def cancelled_by(self, year: int) -> bool:
        return self.reached_by("cancelled", year) or (
            self.status == "cancelled" and "cancelled" not in self.reached
        )


def operating_in(project: PipelineProject, year: int) -> bool:
    return project.reached_by("operating", year) and not project.cancelled_by(year)


def built_or_building_in(project: PipelineProject, year: int) -> bool:
    started = project.reached_by("construction", year) or project.reached_by("operating", year)
    return started and not project.cancelled_by(year)


def actual(projects: Iterable[PipelineProject], measure: str, year: int) -> float:
    """The measure at the end of ``year``, from the status dates."""
    projects = list(projects)
    if measure == CAPACITY_OPERATING:
        return float(sum(p.capacity for p in projects if operating_in(p, year)))
    if measure == PLANTS_BUILT_OR_BUILDING:
        return float(sum(1 for p in projects if built_or_building_in(p, year)))
    raise PipelineError(f"unknown pipeline measure {measure!r}; known: {', '.join(MEASURES)}")


def actuals(
    projects: Iterable[PipelineProject], measure: str, years: Iterable[int]
) -> dict[int, float]:
    projects = list(projects)
    return {year: actual(projects, measure, year) for year in years}


def check_weights(weights: Mapping[str, float]) -> dict[str, float]:
    """Every status with a weight between 0 and 1; operating is 1 and cancelled 0 by meaning."""
    problems = []
    checked: dict[str, float] = {}
    for status in STATUSES:
        value = weights.get(status)
        if value is None:
            problems.append(f"{status}: a weight is needed")
        elif not 0 <= value <= 1:  # also refuses NaN
            problems.append(f"{status}: {value} is not between 0 and 1")
        else:
            checked[status] = float(value)
    if not problems and (checked["operating"] != 1 or checked["cancelled"] != 0):
        problems.append("operating counts with weight 1 and cancelled with weight 0")
    if problems:
        raise PipelineError("; ".join(problems))
    return checked


def projected(
    projects: Iterable[PipelineProject],
    measure: str,
    year: int,
    weights: Mapping[str, float] = DEFAULT_WEIGHTS,
) -> float:
    """The measure the pipeline promises at ``year``: every project not cancelled that expects
    to start by then, weighted by its current status."""
    weights = check_weights(weights)
    total = 0.0
    for p in projects:
        if p.status == "cancelled" or p.start_year > year:
            continue
        if measure == CAPACITY_OPERATING:
            total += p.capacity * weights[p.status]
        elif measure == PLANTS_BUILT_OR_BUILDING:
            total += weights[p.status]
        else:
            raise PipelineError(
                f"unknown pipeline measure {measure!r}; known: {', '.join(MEASURES)}"
            )
    return total


def projection(
    projects: Iterable[PipelineProject],
    measure: str,
    years: Iterable[int],
    weights: Mapping[str, float] = DEFAULT_WEIGHTS,
) -> dict[int, float]:
    projects = list(projects)
    return {year: projected(projects, measure, year, weights) for year in years}


def weights_with(stored: Mapping[str, float]) -> dict[str, float]:
    """A platform's weights: its stored ones over the defaults, checked."""
    return check_weights({**DEFAULT_WEIGHTS, **stored})
