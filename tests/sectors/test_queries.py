"""Reads of sectors and stored pathways, and the import that fills them
(roadmap.sectors.queries, roadmap.sectors.operations)."""

from __future__ import annotations

from sqlmodel import select

from roadmap.domain import columns as col
from roadmap.models import PathwayPoint, Scenario
from roadmap.sectors import operations as sector_operations
from roadmap.sectors import queries as sector_queries
from tests.domain.helpers import PATHWAY_HEADER, pathways

SOURCED = f"""{PATHWAY_HEADER},source,licence,release_date
Cement,Net zero,Global,S1,2020,0.6,t CO2e/(t Cement),,,Test agency,CC-BY-4.0,2024-05
Cement,Net zero,Global,S1,2050,0.05,t CO2e/(t Cement),,,Test agency,CC-BY-4.0,2024-05
"""


def test_pathways_stamp_changes_with_an_import_that_adds_and_only_then(session):
    empty = sector_queries.pathways_stamp(session=session)
    assert empty == (0, None)
    sector_operations.import_pathways(pathways(), session=session)
    after_first = sector_queries.pathways_stamp(session=session)
    assert after_first[0] == 2 and after_first != empty
    sector_operations.import_pathways(pathways(), session=session)  # nothing new
    assert sector_queries.pathways_stamp(session=session) == after_first
    sector_operations.import_pathways(pathways(SOURCED), session=session)
    after_cement = sector_queries.pathways_stamp(session=session)
    assert after_cement[0] == 3 and after_cement != after_first


def test_importing_a_stored_pathway_again_with_other_figures_leaves_it_as_it_was(session):
    sector_operations.import_pathways(pathways(), session=session)
    stored = sector_queries.pathways_frame(session=session)
    revised = (
        PATHWAY_HEADER
        + "\n"
        + "\n".join(
            [
                "Steel,Test 1.5,Global,S1S2,2020,9.0,t CO2e/(t Steel),,",  # stored: 2.0
                "Steel,Test 1.5,Europe,S1S2,2020,1.9,t CO2e/(t Steel),,",  # new region
                "Steel,Test 1.5,Europe,S1S2,2050,0.0,t CO2e/(t Steel),,",
            ]
        )
    )
    result = sector_operations.import_pathways(pathways(revised), session=session)
    assert (result.added, result.skipped) == (1, 1)
    after = sector_queries.pathways_frame(session=session)
    global_15 = (after[col.SCENARIO] == "Test 1.5") & (after[col.REGION] == "Global")
    assert after.loc[global_15, col.INTENSITY].tolist() == [2.0, 1.0, 0.0]
    assert len(after) == len(stored) + 2
    assert len(session.exec(select(Scenario)).all()) == 2  # "Test 1.5" is not made twice


def test_pathways_frame_round_trips_the_metadata_and_missing_activity(session):
    sector_operations.import_pathways(pathways(SOURCED), session=session)
    frame = sector_queries.pathways_frame(session=session)
    assert frame[[col.SOURCE, col.LICENCE, col.RELEASE_DATE]].drop_duplicates().values.tolist() == [
        ["Test agency", "CC-BY-4.0", "2024-05"]
    ]
    assert frame[col.ACTIVITY].isna().all() and frame[col.ACTIVITY].dtype == "float64"
    assert frame[[col.YEAR, col.INTENSITY]].values.tolist() == [[2020, 0.6], [2050, 0.05]]
    assert frame.attrs["source"] == "stored pathways"


def test_pathways_frame_of_named_sectors_leaves_the_others_out(session):
    sector_operations.import_pathways(pathways(), session=session)
    sector_operations.import_pathways(pathways(SOURCED), session=session)
    cement = sector_queries.pathways_frame(session=session, sectors=["Cement"])
    assert set(cement[col.SECTOR]) == {"Cement"} and len(cement) == 2
    both = sector_queries.pathways_frame(session=session, sectors=["Cement", "Steel"])
    assert len(both) == 8
    nothing = sector_queries.pathways_frame(session=session, sectors=["Glass"])
    assert nothing.empty and list(nothing.columns) == list(both.columns)


def test_pathways_frame_is_ordered_by_sector_scenario_region_scope_and_year(session):
    shuffled = (
        PATHWAY_HEADER
        + "\n"
        + "\n".join(
            [
                "Steel,B,Global,S1S2,2050,0.5,t CO2e/(t Steel),,",
                "Steel,A,Global,S1S2,2050,0.2,t CO2e/(t Steel),,",
                "Steel,B,Global,S1S2,2020,2.0,t CO2e/(t Steel),,",
                "Steel,A,Europe,S1S2,2020,1.5,t CO2e/(t Steel),,",
                "Alu,A,Global,S1,2020,9.0,t CO2e/(t Aluminium),,",
            ]
        )
    )
    sector_operations.import_pathways(pathways(shuffled), session=session)
    frame = sector_queries.pathways_frame(session=session)
    keys = frame[[col.SECTOR, col.SCENARIO, col.REGION, col.YEAR]]
    assert list(keys.itertuples(index=False, name=None)) == [
        ("Alu", "A", "Global", 2020),
        ("Steel", "A", "Europe", 2020),
        ("Steel", "A", "Global", 2050),
        ("Steel", "B", "Global", 2020),
        ("Steel", "B", "Global", 2050),
    ]
    stored_points = session.exec(select(PathwayPoint)).all()
    assert sorted(frame[col.ROW]) == sorted(p.id for p in stored_points)


def test_sectors_are_made_once_and_listed_by_name(session):
    steel = sector_operations.get_or_create_sector("Steel", "t CO2e/(t Steel)", session=session)
    again = sector_operations.get_or_create_sector("Steel", "kg CO2e/(t Steel)", session=session)
    sector_operations.get_or_create_sector("Aluminium", "t CO2e/(t Aluminium)", session=session)
    assert again.id == steel.id and again.intensity_unit == "t CO2e/(t Steel)"
    assert [s.name for s in sector_queries.sectors(session=session)] == ["Aluminium", "Steel"]
    assert sector_queries.sector_named("Glass", session=session) is None
    assert sector_queries.sector_named("Steel", session=session) is steel


def test_scenario_temperature_and_budget_are_stored_and_read_back(session):
    rated = f"""{PATHWAY_HEADER},temperature,global_budget
Cement,Net zero,Global,S1,2020,0.6,t CO2e/(t Cement),,,1.7,900
Cement,Net zero,Global,S1,2050,0.05,t CO2e/(t Cement),,,1.7,900
"""
    sector_operations.import_pathways(pathways(rated), session=session)
    stored = session.exec(select(Scenario).where(Scenario.name == "Net zero")).one()
    assert (stored.temperature, stored.global_budget) == (1.7, 900.0)
    frame = sector_queries.pathways_frame(session=session)
    assert frame[[col.TEMPERATURE, col.GLOBAL_BUDGET]].drop_duplicates().values.tolist() == [
        [1.7, 900.0]
    ]


def test_a_scenario_stored_without_temperature_gets_it_from_a_later_import(session):
    sector_operations.import_pathways(pathways(SOURCED), session=session)
    frame = sector_queries.pathways_frame(session=session)
    assert frame[col.TEMPERATURE].isna().all() and frame[col.TEMPERATURE].dtype == "float64"
    rated = f"""{PATHWAY_HEADER},temperature
Cement,Net zero,Global,S1,2020,0.6,t CO2e/(t Cement),,,1.5
Cement,Net zero,Global,S1,2050,0.05,t CO2e/(t Cement),,,1.5
"""
    result = sector_operations.import_pathways(pathways(rated), session=session)
    assert (result.added, result.skipped) == (0, 1)
    stored = session.exec(select(Scenario).where(Scenario.name == "Net zero")).one()
    assert (stored.temperature, stored.global_budget) == (1.5, None)
