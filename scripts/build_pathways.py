"""Convert the TPI and OECM sector benchmarks (os-climate/ITR JSON) into our pathway CSVs.

The app reads pathways in one long CSV format (see DESIGN.md, "Data contract"). The reference
figures arrive as ITR's JSON files, so this script is the one, repeatable step between the two:
it keeps only the MPP sectors, renames them to our sector names, checks every unit against the
one we expect, and writes each series with its source and licence on every row.

    .venv/bin/python scripts/build_pathways.py [--source DIR] [--out DIR]
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import re
import sys
from collections.abc import Iterator
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SOURCE = REPO_ROOT.parent / "shared" / "reference" / "benchmarks"
DEFAULT_OUT = REPO_ROOT / "data" / "pathways"

ITR_COMMIT = "b0a99bec687e391cd968fd15db388cac40b2c715"
LICENCE = "Apache-2.0 (os-climate/ITR data files)"
TPI_GLOB = "benchmark_EI_TPI_*.json"
OECM_INTENSITY_FILE = "benchmark_EI_OECM_PC.json"
OECM_PRODUCTION_FILE = "benchmark_production_OECM.json"

COLUMNS = [
    "sector",
    "scenario",
    "region",
    "scope",
    "year",
    "intensity",
    "intensity_unit",
    "activity",
    "activity_unit",
    "source",
    "licence",
    "release_date",
    "temperature",
]
SORT_KEY = ("sector", "scenario", "region", "scope")

# A reconciliation takes one benchmark per temperature in a sector (the labels rank by
# temperature), so of TPI's benchmarks only the newest release at each temperature is kept.
# Where two share a temperature and a release date, the one named here is kept, and why:
TIE_BREAKS = {
    # Both 2 degC airline benchmarks were released 2020-12-01, and both lie below TPI's newer
    # 1.5 Degrees curve for years (a 2 degC benchmark stricter than the 1.5 degC one):
    # High Efficiency in 2019-2038, Shift-Improve in 2019-2029. Shift-Improve contradicts it
    # less.
    ("Aviation", 2.0): "TPI 2 Degrees (Shift-Improve)",
}

# Source sector name -> our sector name. Anything not listed is not an MPP sector: skipped.
SECTOR_NAMES = {
    "Steel": "Steel",
    "Cement": "Cement",
    "Aluminum": "Aluminium",
    "Aluminium": "Aluminium",
    "Chemicals": "Chemicals",
    "Shipping": "Shipping",
    "Airlines": "Aviation",
    "Trucking": "Trucking",
}

# One unit per sector, written on the basis the source states: TPI publishes CO2, OECM CO2e,
# and the two are different quantities (Roadmap compares them only where the user says they
# may be treated as the same). Aviation's tonne-km are revenue tonne-km (RTK).
INTENSITY_UNITS = {
    "Steel": "t CO2e/(t Steel)",
    "Cement": "t CO2e/(t Cement)",
    "Aluminium": "t CO2e/(t Aluminium)",
    "Chemicals": "kg CO2e/USD",
    "Shipping": "g CO2e/tkm",
    "Aviation": "g CO2e/RTK",
    "Trucking": "g CO2e/tkm",
}

ACTIVITY_INDEX_UNIT = "dimensionless"
ACTIVITY_INDEX_DECIMALS = 6
# OECM's absolute 2019 production (field base_year_production): its unit as ITR writes it, the
# unit we write activity in, and the factor between them. With it, activity(t) is absolute
# production and coverage (company activity / sector activity) can be computed. Trucking keeps
# the index: its published base value is the same for Global, Europe and North America, which
# cannot be right.
BASE_PRODUCTION = {
    "Steel": ("Fe * megametric_ton", "Mt Steel", 1.0),
    "Cement": ("Cement * megametric_ton", "Mt Cement", 1.0),
    "Aluminium": ("Al * megametric_ton", "Mt Aluminium", 1.0),
    "Chemicals": ("USD * billion", "USD", 1e9),
}


def source_text_tpi(file_name: str) -> str:
    """Name the TPI benchmark file a row came from, so any figure can be traced back."""
    return (
        "TPI carbon performance benchmarks (Transition Pathway Initiative), "
        f"via os-climate/ITR {file_name} @ {ITR_COMMIT[:8]}"
    )


def source_text_oecm() -> str:
    """Name both OECM files: intensities come from one and the activity index from the other."""
    return (
        "One Earth Climate Model (OECM, University of Technology Sydney) 1.5-degree pathways, "
        f"via os-climate/ITR {OECM_INTENSITY_FILE} and {OECM_PRODUCTION_FILE} @ {ITR_COMMIT[:8]}"
    )


def normalise_unit(text: str) -> str:
    """Reduce a unit string to a comparable form: ITR spells the same unit several ways.

    Spaces and case are ignored, CO2 counts as CO2e, Aluminum as Aluminium and RTK as tkm, so
    that 't CO2 /(t Aluminum)' and 't CO2e/(t Aluminium)' compare equal (the basis is kept
    apart, by ``written_unit``).
    """
    unit = text.replace(" ", "").lower()
    unit = re.sub(r"co2(?!e)", "co2e", unit)
    return unit.replace("aluminum", "aluminium").replace("rtk", "tkm")


def written_unit(sector: str, found: str) -> str:
    """The sector's unit on the basis the source states: CO2 where its metric says CO2 (as
    TPI's do), CO2e where it says CO2e (as OECM's do)."""
    unit = INTENSITY_UNITS[sector]
    if re.search(r"CO2(?!e)", found):
        return re.sub(r"CO2e", "CO2", unit)
    return unit


def check_unit(found: str, expected: str, where: str) -> None:
    """Fail loudly when a source unit changes, rather than write values in the wrong unit."""
    if normalise_unit(found) != normalise_unit(expected):
        raise ValueError(f"{where}: unit {found!r} is not the expected {expected!r}")


def iter_series(path: Path) -> Iterator[tuple[str, dict]]:
    """Yield (scope, benchmark) for every series in one ITR benchmark file.

    Scope blocks are the top-level keys holding a dict with `benchmarks`; the other keys
    (temperature, budget, AFOLU flag) describe the file as a whole.
    """
    data = json.loads(path.read_text(encoding="utf-8"))
    for scope, block in data.items():
        if isinstance(block, dict) and "benchmarks" in block:
            for benchmark in block["benchmarks"]:
                yield scope, benchmark


def series_values(benchmark: dict) -> list[tuple[int, float]] | None:
    """Return the (year, value) pairs in year order, or None if any value is not finite.

    ITR writes e.g. the string '-inf' where a ratio blew up; such a series is unusable.
    """
    points = sorted((int(p["year"]), float(p["value"])) for p in benchmark["projections_nounits"])
    years = [year for year, _ in points]
    if len(set(years)) != len(years):
        raise ValueError(f"repeated year in series {describe(benchmark)}")
    if not all(math.isfinite(value) for _, value in points):
        return None
    return points


def describe(benchmark: dict, scope: str = "") -> str:
    """Short human name of a source series for error messages and notes."""
    parts = [benchmark["sector"], benchmark["scenario name"], benchmark["region"], scope]
    return " / ".join(part for part in parts if part)


def mpp_series(path: Path) -> Iterator[tuple[str, str, dict, list[tuple[int, float]]]]:
    """Yield (our sector, scope, benchmark, values) for each usable MPP series in a file.

    Checks the unit of every series kept and notes on stderr each one skipped as non-finite.
    """
    for scope, benchmark in iter_series(path):
        sector = SECTOR_NAMES.get(benchmark["sector"])
        if sector is None:
            continue
        where = f"{path.name}: {describe(benchmark, scope)}"
        check_unit(benchmark["benchmark_metric"], INTENSITY_UNITS[sector], where)
        values = series_values(benchmark)
        if values is None:
            print(f"note: skipped {where} (non-finite value)", file=sys.stderr)
            continue
        yield sector, scope, benchmark, values


def pathway_rows(
    sector: str,
    scope: str,
    benchmark: dict,
    values: list[tuple[int, float]],
    source: str,
    *,
    activity: dict[int, float] | None = None,
    activity_unit: str = "",
    temperature: float,
) -> list[dict]:
    """Build one output row per year of a series, with its unit and metadata on each row."""
    rows = []
    for year, value in values:
        rows.append(
            {
                "sector": sector,
                "scenario": benchmark["scenario name"],
                "region": benchmark["region"],
                "scope": scope,
                "year": year,
                "intensity": value,
                "intensity_unit": written_unit(sector, benchmark["benchmark_metric"]),
                "activity": None if activity is None else activity[year],
                "activity_unit": "" if activity is None else activity_unit,
                "source": source,
                "licence": LICENCE,
                "release_date": benchmark["release date"],
                "temperature": temperature,
            }
        )
    return rows


def tpi_rows(source_dir: Path) -> list[dict]:
    """Rows for every MPP series in all TPI benchmark files (TPI gives no activity)."""
    paths = sorted(source_dir.glob(TPI_GLOB))
    if not paths:
        raise FileNotFoundError(f"no {TPI_GLOB} in {source_dir}")
    rows = []
    for path in paths:
        temperature = file_temperature(path)
        for sector, scope, benchmark, values in mpp_series(path):
            rows += pathway_rows(
                sector,
                scope,
                benchmark,
                values,
                source_text_tpi(path.name),
                temperature=temperature,
            )
    return newest_per_temperature(rows)


def file_temperature(path: Path) -> float:
    """The file's benchmark temperature in degC (ITR writes e.g. '1.5 delta_degC')."""
    text = json.loads(path.read_text(encoding="utf-8"))["benchmark_temperature"]
    number, _, unit = str(text).partition(" ")
    if unit != "delta_degC":
        raise ValueError(f"{path.name}: benchmark temperature {text!r} is not in delta_degC")
    return float(number)


def newest_per_temperature(rows: list[dict]) -> list[dict]:
    """Keep, per sector and temperature, the scenario of the newest release (TIE_BREAKS where
    two share the newest date); say on stderr which were left out."""
    releases: dict[tuple[str, float], dict[str, str]] = {}
    for row in rows:
        releases.setdefault((row["sector"], row["temperature"]), {})[row["scenario"]] = row[
            "release_date"
        ]
    keep = set()
    for (sector, temperature), dates in sorted(releases.items()):
        newest = max(dates.values())
        latest = sorted(name for name, date in dates.items() if date == newest)
        chosen = TIE_BREAKS.get((sector, temperature)) if len(latest) > 1 else latest[0]
        if chosen not in latest:
            raise ValueError(
                f"{sector}: {', '.join(latest)} are all {temperature:g} degC benchmarks of "
                f"{newest}; name the one to keep in TIE_BREAKS"
            )
        keep.add((sector, chosen))
        for name in sorted(set(dates) - {chosen}):
            print(
                f"note: left out {sector} {name} ({dates[name]}): {chosen} ({newest}) is the "
                f"{temperature:g} degC benchmark kept",
                file=sys.stderr,
            )
    return [row for row in rows if (row["sector"], row["scenario"]) in keep]


def activity_index(growth: list[tuple[int, float]]) -> dict[int, float]:
    """Turn OECM's year-on-year growth rates g(t) into a production index with 2019 = 1.

    index(first year) = 1 (OECM's g there is 0), index(t) = index(t-1) * (1 + g(t)). The
    product runs at full precision and only the written value is rounded, so rounding errors
    do not accumulate along the years.
    """
    (first_year, first_growth), *_ = growth
    if first_growth != 0:
        raise ValueError(f"growth at {first_year} is {first_growth}, expected 0")
    index, level = {}, 1.0
    for year, rate in growth:
        if year != first_year:
            level *= 1.0 + rate
        index[year] = level
    return index


def absolute_production(
    sector: str, benchmark: dict, index: dict[int, float], where: str
) -> tuple[dict[int, float], str]:
    """Scale the index by OECM's base-year production where we trust it (BASE_PRODUCTION);
    otherwise keep the dimensionless index."""
    if sector not in BASE_PRODUCTION or "base_year_production" not in benchmark:
        return {year: round(level, ACTIVITY_INDEX_DECIMALS) for year, level in index.items()}, (
            ACTIVITY_INDEX_UNIT
        )
    source_unit, unit, factor = BASE_PRODUCTION[sector]
    number, _, found_unit = benchmark["base_year_production"].partition(" ")
    if found_unit != source_unit:
        raise ValueError(
            f"{where}: base-year production in '{found_unit}', expected '{source_unit}'"
        )
    base = float(number) * factor
    # Nine significant digits: finer than the source's own precision, free of float noise.
    return {year: float(f"{base * level:.9g}") for year, level in index.items()}, unit


def oecm_activity(source_dir: Path) -> dict[tuple[str, str], tuple[dict[int, float], str]]:
    """Sector activity per (our sector, region) from the OECM production file: absolute
    production where BASE_PRODUCTION says how, else the production index (2019 = 1)."""
    path = source_dir / OECM_PRODUCTION_FILE
    indexes: dict[tuple[str, str], tuple[dict[int, float], str]] = {}
    for scope, benchmark in iter_series(path):
        sector = SECTOR_NAMES.get(benchmark["sector"])
        if sector is None:
            continue
        where = f"{path.name}: {describe(benchmark, scope)}"
        check_unit(benchmark["benchmark_metric"], ACTIVITY_INDEX_UNIT, where)
        key = (sector, benchmark["region"])
        if key in indexes:
            raise ValueError(f"{where}: production growth given twice")
        values = series_values(benchmark)
        if values is None:
            raise ValueError(f"{where}: non-finite production growth")
        indexes[key] = absolute_production(sector, benchmark, activity_index(values), where)
    return indexes


def oecm_rows(source_dir: Path) -> list[dict]:
    """Rows for every MPP series in the OECM intensity file, each with its activity index."""
    indexes = oecm_activity(source_dir)
    path = source_dir / OECM_INTENSITY_FILE
    rows = []
    for sector, scope, benchmark, values in mpp_series(path):
        found = indexes.get((sector, benchmark["region"]))
        if found is None or any(year not in found[0] for year, _ in values):
            raise ValueError(f"{path.name}: no production growth for {describe(benchmark, scope)}")
        rows += pathway_rows(
            sector,
            scope,
            benchmark,
            values,
            source_text_oecm(),
            activity=found[0],
            activity_unit=found[1],
            temperature=file_temperature(path),
        )
    return rows


def check_unique_series(rows: list[dict], family: str) -> None:
    """Fail if a series appears in two files: silently keeping one would hide a source change."""
    seen: dict[tuple, str] = {}
    for row in rows:
        key = (*_key(row), row["year"])
        if key in seen:
            raise ValueError(
                f"{family}: series {key[:-1]} appears twice ({seen[key]}; {row['source']})"
            )
        seen[key] = row["source"]


def _key(row: dict) -> tuple:
    return tuple(row[column] for column in SORT_KEY)


def format_cell(value: object) -> str:
    """Write floats with repr (shortest exact form, so 1.662 stays 1.662), None as empty."""
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return str(value)


def write_pathways(rows: list[dict], path: Path) -> None:
    """Write rows sorted by series then year, with fixed columns and newline line ends.

    Sorting and fixed formatting make the output byte-identical on every run.
    """
    ordered = sorted(rows, key=lambda row: (*_key(row), row["year"]))
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        for row in ordered:
            writer.writerow(format_cell(row[column]) for column in COLUMNS)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Source and output folders; defaults work from a checkout next to ../shared."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE, help="ITR JSON folder")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Build tpi.csv and oecm.csv, each checked for repeated series before it is written."""
    args = parse_args(argv)
    for family, build in (("tpi", tpi_rows), ("oecm", oecm_rows)):
        rows = build(args.source)
        check_unique_series(rows, family)
        out = args.out / f"{family}.csv"
        write_pathways(rows, out)
        print(f"wrote {out} ({len(rows)} rows)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
