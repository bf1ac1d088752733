"""`roadmap reconcile`: company trajectories reconciled against a sector scenario, from files
to files. It needs no database and no web app, so neither Flask nor SQLAlchemy is imported:
the command starts with pandas, numpy and the unit registry only."""

from __future__ import annotations

from pathlib import Path

import click

from roadmap.cli_errors import fail
from roadmap.cli_units import stored_units_on_a_miss
from roadmap.domain.errors import InputError, ReconcileError
from roadmap.domain.params import ADJUSTMENTS, EXTENSIONS, METHODS


def _output_path(value: Path | None, option: str) -> Path | None:
    from roadmap.files import WRITABLE_SUFFIXES

    if value is None:
        return None
    if value.suffix.lower() not in WRITABLE_SUFFIXES:
        fail(ReconcileError(f"{option} {value}: use a .csv or .xlsx file name"))
    if not value.parent.resolve().is_dir():
        fail(ReconcileError(f"{option} {value}: folder {value.parent} does not exist"))
    return value


@click.command("reconcile")
@click.option(
    "--pathways",
    "pathway_files",
    multiple=True,
    required=True,
    type=click.Path(path_type=Path),
    help="Pathway file (.csv/.xlsx); may repeat.",
)
@click.option(
    "--trajectories",
    required=True,
    type=click.Path(path_type=Path),
    help="Company trajectories (.csv/.xlsx).",
)
@click.option("--scenario", required=True, help='Scenario name, e.g. "TPI 1.5 Degrees".')
@click.option(
    "--base-year",
    type=int,
    default=None,
    help="Default: the first year of the scenario's pathway for each sector.",
)
@click.option(
    "--method",
    type=click.Choice(METHODS),
    default=METHODS[0],
    show_default=True,
    help="sda: SBTi SDA convergence; sda-market-share: with the market-share factor "
    "(needs sector activity in the pathway).",
)
@click.option(
    "--adjust-scenario",
    type=click.Choice(ADJUSTMENTS),
    default=ADJUSTMENTS[0],
    show_default=True,
    help="market: rescale the scenario to the companies' weighted base-year "
    "intensity, as PACTA's target_sda does.",
)
@click.option(
    "--treat-co2-as-co2e",
    is_flag=True,
    help="State that figures in CO2 and in CO2e may be compared as the same quantity "
    "(TPI publishes CO2, OECM CO2e); without it a trajectory on the other basis than the "
    "pathway's is refused. When used, stderr says which figures were relabelled.",
)
@click.option(
    "--out",
    required=True,
    type=click.Path(path_type=Path),
    help="Results, one row per company and year (.csv/.xlsx).",
)
@click.option(
    "--aggregate",
    type=click.Path(path_type=Path),
    default=None,
    help="Platform totals, one row per sector, scenario and year (.csv/.xlsx).",
)
@click.option(
    "--temperature",
    "temperature_file",
    type=click.Path(path_type=Path),
    default=None,
    help="Implied temperature rise, one row per company and per sector (.csv/.xlsx).",
)
@click.option(
    "--extend",
    type=click.Choice(EXTENSIONS),
    default=EXTENSIONS[0],
    show_default=True,
    help="flat: hold a plan that ends before the scenario's last year at its last intensity "
    "and activity to that year (TPI's convention), for the rows and the scores.",
)
@click.option(
    "--with-details",
    is_flag=True,
    help="Add units, region, scope, kind, required rate and next milestone columns "
    "after the data-contract columns.",
)
def reconcile_command(
    pathway_files: tuple[Path, ...],
    trajectories: Path,
    scenario: str,
    base_year: int | None,
    method: str,
    adjust_scenario: str,
    treat_co2_as_co2e: bool,
    out: Path,
    aggregate: Path | None,
    temperature_file: Path | None,
    extend: str,
    with_details: bool,
) -> None:
    """Reconcile company trajectories against a sector scenario (SBTi SDA)."""
    from roadmap.domain import columns as col
    from roadmap.domain.aggregate import platform_aggregate
    from roadmap.domain.reconcile import ReconcileParams, reconcile
    from roadmap.domain.temperature import implied_temperatures
    from roadmap.domain.validate import read_reconcile_inputs
    from roadmap.files import write_tables

    stored_units_on_a_miss()
    out_path = _output_path(out, "--out")
    aggregate_path = _output_path(aggregate, "--aggregate")
    temperature_path = _output_path(temperature_file, "--temperature")
    try:
        params = ReconcileParams(
            scenario,
            base_year,
            method,
            adjust_scenario,
            extend,
            treat_co2_as_co2e=treat_co2_as_co2e,
        )
        pathways, companies = read_reconcile_inputs(list(pathway_files), trajectories, scenario)
        result = reconcile(pathways, companies, params)
    except (InputError, ReconcileError) as error:
        fail(error)
    result_columns = col.RESULT_COLUMNS + (col.RESULT_DETAIL_COLUMNS if with_details else [])
    tables = {out_path: result.results[result_columns]}
    warnings = list(result.warnings)
    if aggregate_path is not None:
        totals, notes = platform_aggregate(result.results)
        warnings += notes
        aggregate_columns = col.AGGREGATE_COLUMNS + (
            col.AGGREGATE_DETAIL_COLUMNS if with_details else []
        )
        tables[aggregate_path] = totals[aggregate_columns]
    if temperature_path is not None:
        scores = implied_temperatures(result.results, pathways, result.scenario)
        warnings += scores.notes
        tables[temperature_path] = scores.table
    for warning in warnings:
        click.echo(f"warning: {warning}", err=True)
    for note in result.notes:
        click.echo(f"note: {note}", err=True)
    write_tables(tables)
    companies_done = result.results[col.COMPANY_KEY].drop_duplicates()
    units = result.results.drop_duplicates(col.SECTOR)
    click.echo(
        f"reconciled {len(companies_done)} companies against {result.scenario}: "
        f"{len(result.results)} rows in {out_path}",
        err=True,
    )
    for row in units.itertuples(index=False):
        click.echo(
            f"  {row.sector}: intensity in {row.intensity_unit}, activity in "
            f"{row.activity_unit or '(intensity only)'}, emissions in {row.emissions_unit}",
            err=True,
        )
