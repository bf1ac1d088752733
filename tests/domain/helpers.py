"""Small tables for domain tests, written as CSV text so they pass the same validation."""

from __future__ import annotations

import pandas as pd

from roadmap.domain.ingest import read_bytes
from roadmap.domain.validate import validate_pathways, validate_trajectories

PATHWAY_HEADER = "sector,scenario,region,scope,year,intensity,intensity_unit,activity,activity_unit"
TRAJECTORY_HEADER = (
    "company,sector,region,scope,year,activity,activity_unit,emissions,emissions_unit,kind"
)

# Two scenarios for one sector. "Test 1.5": S = 2.0 (2020), 1.0 (2030), 0.0 (2050), so
# S(2025) = 1.5 and S(2040) = 0.5; sector activity 1000 -> 2000 (2030) -> 2000 (2050).
# "Test 2": 2.0, 1.6 (2030), 1.0 (2050). Benchmark temperatures 1.5 and 2.0 degC.
PATHWAYS = f"""{PATHWAY_HEADER},temperature
Steel,Test 1.5,Global,S1S2,2020,2.0,t CO2e/(t Steel),1000,t Steel,1.5
Steel,Test 1.5,Global,S1S2,2030,1.0,t CO2e/(t Steel),2000,t Steel,1.5
Steel,Test 1.5,Global,S1S2,2050,0.0,t CO2e/(t Steel),2000,t Steel,1.5
Steel,Test 2,Global,S1S2,2020,2.0,t CO2e/(t Steel),,,2.0
Steel,Test 2,Global,S1S2,2030,1.6,t CO2e/(t Steel),,,2.0
Steel,Test 2,Global,S1S2,2050,1.0,t CO2e/(t Steel),,,2.0
"""

# Alpha: activity 100 t flat; emissions 250 (2020), 205 (2025), 150 (2030), 50 (2050):
# C = 2.5, 2.05, 1.5, 0.5. Delta: activity 300 flat, emissions 450 (2020) -> 0 (2050).
COMPANIES = f"""{TRAJECTORY_HEADER}
Alpha,Steel,Global,S1S2,2020,100,t Steel,250,t CO2e,reported
Alpha,Steel,Global,S1S2,2025,100,t Steel,205,t CO2e,planned
Alpha,Steel,Global,S1S2,2030,100,t Steel,150,t CO2e,planned
Alpha,Steel,Global,S1S2,2050,100,t Steel,50,t CO2e,planned
Delta,Steel,Global,S1S2,2020,300,t Steel,450,t CO2e,reported
Delta,Steel,Global,S1S2,2050,300,t Steel,0,t CO2e,planned
"""


def pathways(text: str = PATHWAYS) -> pd.DataFrame:
    return validate_pathways(read_bytes(text.encode(), suffix=".csv", name="pathways.csv"))


def trajectories(text: str = COMPANIES) -> pd.DataFrame:
    return validate_trajectories(read_bytes(text.encode(), suffix=".csv", name="companies.csv"))


def row(results: pd.DataFrame, company: str, year: int) -> pd.Series:
    """The one result row of ``company`` in ``year``."""
    match = results[(results["company"] == company) & (results["year"] == year)]
    assert len(match) == 1, f"{company} {year}: {len(match)} rows"
    return match.iloc[0]
