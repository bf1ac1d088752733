"""Importing a platform's projects from a CSV or XLSX file (roadmap.domain.projects.COLUMNS):
read as text (roadmap.domain.ingest, with the uploads' limits), every cell checked and every
problem named by file, row and column, each row matched to a stored project by company and
name (an update) or new (an add). Nothing is written here: the caller stores the items whole
(operations.import_projects) or not at all."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import date

import pandas as pd
from sqlmodel import Session

from roadmap.accounts.access import Viewer
from roadmap.domain import columns as col
from roadmap.domain.errors import InputError, Problem
from roadmap.domain.ingest import read_bytes, require_columns
from roadmap.domain.matching import name_key
from roadmap.domain.pipeline import routes_for
from roadmap.domain.projects import (
    COLUMNS,
    DATE_COLUMNS,
    REQUIRED_COLUMNS,
    ProjectValues,
    example_unit,
    parse_date,
    parse_flag,
    parse_number,
    parse_year,
    project_problems,
    text_problem,
)
from roadmap.models import Company, Platform
from roadmap.pipeline import queries
from roadmap.pipeline.numbers import activity_unit
from roadmap.pipeline.operations import ImportItem

# How each column that is not text is read, and what a cell it cannot read is told.
_READERS = {
    **{column: (parse_date, "not a date (YYYY-MM-DD)") for column in DATE_COLUMNS.values()},
    "start_year": (parse_year, "not a whole year"),
    "capacity": (parse_number, "not a number"),
    "expected_intensity": (parse_number, "not a number"),
    "public": (parse_flag, "write yes or no"),
}


def read_project_file(data: bytes, *, filename: str, max_rows: int, max_bytes: int) -> pd.DataFrame:
    """The file as a text table (InputError: too large, unreadable, or a header that is not
    the documented one)."""
    if len(data) > max_bytes:
        raise InputError(
            [Problem(filename, None, None, f"larger than {max_bytes >> 10} KB; split the file")]
        )
    suffix = "." + filename.rsplit(".", 1)[-1] if "." in filename else ""
    frame = read_bytes(data, suffix=suffix, name=filename, max_rows=max_rows)
    problems = require_columns(frame, REQUIRED_COLUMNS, name=filename)
    problems += [
        Problem(filename, 1, column, "unknown column; the columns are " + ", ".join(COLUMNS))
        for column in frame.columns
        if column != col.ROW and column not in COLUMNS
    ]
    if problems:
        raise InputError(problems)
    if frame.empty:
        raise InputError([Problem(filename, None, None, "the file holds no projects")])
    return frame


def checked_items(
    frame: pd.DataFrame, platform: Platform, viewer: Viewer, *, session: Session, today: date
) -> list[ImportItem]:
    """Each row as an item to store, or InputError listing every problem of the file."""
    name = str(frame.attrs.get("source", "file"))
    companies = {
        name_key(c.name): c for c in queries.writable_companies(platform, viewer, session=session)
    }
    stored = queries.projects_by_key(platform, session=session)
    units = (activity_unit(platform), platform.sector.intensity_unit)
    problems: list[Problem] = []
    items: list[ImportItem] = []
    first_row: dict[tuple[int, str], int] = {}
    for record in frame.to_dict("records"):
        row = int(record[col.ROW])
        cells = {c: str(record.get(c, "")) for c in COLUMNS}
        found, row_problems = _row(cells, companies, units, today)
        problems += [Problem(name, row, column, message) for column, message in row_problems]
        if found is None:
            continue
        company, values = found
        key = (company.id or 0, name_key(values.name))
        if key in first_row:
            problems.append(
                Problem(
                    name,
                    row,
                    "name",
                    f"{company.name}'s '{values.name}' is already in row {first_row[key]}",
                )
            )
            continue
        first_row[key] = row
        project = stored.get(key)
        if project is not None:  # matched by the folded name: its stored spelling stays
            values = replace(values, name=project.name)
        items.append(ImportItem(row, company, values, project))
    if problems:
        raise InputError(problems)
    return items


def _row(
    cells: dict[str, str],
    companies: dict[str, Company],
    units: tuple[str, str],
    today: date,
) -> tuple[tuple[Company, ProjectValues] | None, list[tuple[str, str]]]:
    problems: list[tuple[str, str]] = []
    company = companies.get(name_key(cells["company"]))
    if problem := text_problem("company", cells["company"], required=True):
        problems.append(("company", problem))
    elif company is None:
        problems.append(
            (
                "company",
                f"'{cells['company']}' is not a company whose projects you may import "
                "here (" + (", ".join(c.name for c in companies.values()) or "none") + ")",
            )
        )
    typed: dict[str, object] = {}
    for column, (read, message) in _READERS.items():
        text = cells[column]
        if not text and column != "public":
            typed[column] = None
            continue
        try:
            typed[column] = read(text)  # type: ignore[operator]
        except (ValueError, OverflowError):
            problems.append((column, f"'{text[:40]}': {message}"))
            typed[column] = None
    values = ProjectValues(
        name=cells["name"],
        technology=cells["technology"],
        status=cells["status"],
        start_year=typed["start_year"],  # type: ignore[arg-type]
        capacity=typed["capacity"],  # type: ignore[arg-type]
        capacity_unit=cells["capacity_unit"],
        country=cells["country"],
        dates={s: typed[c] for s, c in DATE_COLUMNS.items()},  # type: ignore[misc]
        expected_intensity=typed["expected_intensity"],  # type: ignore[arg-type]
        intensity_unit=cells["intensity_unit"],
        source_url=cells["source_url"],
        is_public=bool(typed["public"]),
    )
    unread = {column for column, _ in problems}
    problems += [
        (column, message)
        for column, message in project_problems(
            values, activity_unit=units[0], intensity_unit=units[1], today=today
        )
        if column not in unread
    ]
    if problems or company is None:
        return None, problems
    return (company, values), problems


def template_csv(platform: Platform, companies: list[Company]) -> bytes:
    """The documented header and two example rows for this platform's sector: filled in, it
    imports as it is."""
    unit = activity_unit(platform)
    routes = routes_for(platform.sector.name) or ("describe the technology route",)
    company = companies[0].name if companies else "Your company"
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    example = dict.fromkeys(COLUMNS, "")
    example.update(
        company=company,
        name="Example plant (replace)",
        country="Sweden",
        technology=routes[0],
        status="final investment decision",
        announced_on="2024-03-01",
        fid_on="2025-06-30",
        start_year="2028",
        capacity="2.5",
        capacity_unit=example_unit(unit),
        expected_intensity="0.1",
        intensity_unit=platform.sector.intensity_unit,
        source_url="https://example.org/announcement",
        public="yes",
    )
    writer.writerow([example[c] for c in COLUMNS])
    second = dict.fromkeys(COLUMNS, "")
    second.update(
        company=company,
        name="Second example (replace)",
        technology=routes[-1],
        status="announced",
        start_year="2032",
        capacity="0.5",
        capacity_unit=example_unit(unit),
        public="no",
    )
    writer.writerow([second[c] for c in COLUMNS])
    return out.getvalue().encode("utf-8")
