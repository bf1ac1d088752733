"""Column names of the data contract (DESIGN.md, "Data contract"), written once."""

COMPANY = "company"
SECTOR = "sector"
SCENARIO = "scenario"
REGION = "region"
SCOPE = "scope"
YEAR = "year"
KIND = "kind"
ACTIVITY = "activity"
ACTIVITY_UNIT = "activity_unit"
EMISSIONS = "emissions"
EMISSIONS_UNIT = "emissions_unit"
INTENSITY = "intensity"
INTENSITY_UNIT = "intensity_unit"
# Per-row conversion figures (roadmap.domain.conversion): t clinker per t cement, and the
# mass per passenger that turns passenger-km into tonne-km.
CLINKER_RATIO = "clinker_ratio"
KG_PER_PASSENGER = "kg_per_passenger"
SOURCE = "source"
LICENCE = "licence"
RELEASE_DATE = "release_date"
# A scenario's benchmark temperature (degC) and, optionally, its global CO2 budget (Gt CO2).
TEMPERATURE = "temperature"
GLOBAL_BUDGET = "global_budget"

# Reconciliation output.
SECTOR_INTENSITY = "sector_intensity"
TARGET_INTENSITY = "target_intensity"
GAP = "gap"
GAP_PCT = "gap_pct"
STATUS = "status"
YEARS_BEHIND = "years_behind"
EXCESS_EMISSIONS = "excess_emissions"
CUMULATIVE_EXCESS = "cumulative_excess"
BENCHMARK_ALIGNMENT = "benchmark_alignment"
REQUIRED_RATE = "required_rate"
NEXT_MILESTONE = "next_milestone"

# Temperature score output (DESIGN.md "Temperature and credibility").
LEVEL = "level"
BASE_YEAR = "base_year"
END_YEAR = "end_year"
CUMULATIVE_EMISSIONS = "cumulative_emissions"
CUMULATIVE_BUDGET = "cumulative_budget"
BUDGET_RATIO = "budget_ratio"
IMPLIED_TEMPERATURE = "implied_temperature"
TEMPERATURE_COLUMNS = [
    LEVEL,
    COMPANY,
    SECTOR,
    SCENARIO,
    BASE_YEAR,
    END_YEAR,
    CUMULATIVE_EMISSIONS,
    CUMULATIVE_BUDGET,
    BUDGET_RATIO,
    IMPLIED_TEMPERATURE,
]
LEVEL_COMPANY = "company"
LEVEL_SECTOR = "sector"

# Platform aggregate output.
FAIR_SHARE_EMISSIONS = "fair_share_emissions"
SECTOR_CURVE_EMISSIONS = "sector_curve_emissions"
GAP_EMISSIONS = "gap_emissions"
COVERAGE = "coverage"
COMPANIES = "companies"  # how many companies a platform total sums

# The 1-based line of the source file a row came from (header = line 1), kept so that an
# error found late (an unknown sector, a unit that does not fit) can still name its place.
ROW = "_row"

PATHWAY_REQUIRED = [SECTOR, SCENARIO, REGION, SCOPE, YEAR, INTENSITY, INTENSITY_UNIT]

TRAJECTORY_REQUIRED = [COMPANY, SECTOR, REGION, SCOPE, YEAR, KIND]
TRAJECTORY_ABSOLUTE = [ACTIVITY, ACTIVITY_UNIT, EMISSIONS, EMISSIONS_UNIT]
COMPANY_KEY = [COMPANY, SECTOR, REGION, SCOPE]
# One year of a trajectory as stored, and a whole trajectory row of the data contract.
TRAJECTORY_POINT = [
    YEAR,
    KIND,
    ACTIVITY,
    ACTIVITY_UNIT,
    EMISSIONS,
    EMISSIONS_UNIT,
    INTENSITY,
    INTENSITY_UNIT,
    CLINKER_RATIO,
    KG_PER_PASSENGER,
]
TRAJECTORY_COLUMNS = COMPANY_KEY + TRAJECTORY_POINT

RESULT_COLUMNS = [
    COMPANY,
    SECTOR,
    SCENARIO,
    YEAR,
    ACTIVITY,
    EMISSIONS,
    INTENSITY,
    SECTOR_INTENSITY,
    TARGET_INTENSITY,
    GAP,
    GAP_PCT,
    STATUS,
    YEARS_BEHIND,
    EXCESS_EMISSIONS,
    CUMULATIVE_EXCESS,
    BENCHMARK_ALIGNMENT,
]
RESULT_DETAIL_COLUMNS = [
    REGION,
    SCOPE,
    KIND,
    ACTIVITY_UNIT,
    EMISSIONS_UNIT,
    INTENSITY_UNIT,
    REQUIRED_RATE,
    NEXT_MILESTONE,
]
AGGREGATE_COLUMNS = [
    SECTOR,
    SCENARIO,
    YEAR,
    ACTIVITY,
    EMISSIONS,
    INTENSITY,
    FAIR_SHARE_EMISSIONS,
    SECTOR_CURVE_EMISSIONS,
    GAP_EMISSIONS,
]
AGGREGATE_DETAIL_COLUMNS = [ACTIVITY_UNIT, EMISSIONS_UNIT, INTENSITY_UNIT, COVERAGE, COMPANIES]

REPORTED = "reported"
PLANNED = "planned"
KINDS = (REPORTED, PLANNED)
ALIGNED = "aligned"
BEHIND = "behind"
NOT_ALIGNED = "not aligned"
