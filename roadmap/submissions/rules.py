"""A submission's rows, read the same way from a form, an upload or the API and checked with
the data-contract rules: they must belong to the company and the platform's sector."""

from __future__ import annotations

import pandas as pd

from roadmap.domain import columns as col
from roadmap.domain.ingest import read_bytes, table_from_records
from roadmap.domain.validate import submission_problems, validate_trajectories
from roadmap.models import Company, Platform

FORM_COLUMNS = col.TRAJECTORY_COLUMNS


def checked_rows(text: pd.DataFrame, *, company: Company, platform: Platform) -> pd.DataFrame:
    """Typed rows of a text table, or InputError listing every problem by row and column: the
    data-contract checks and whether each row belongs here (company, sector, series, units),
    all in one list."""
    sector = platform.sector
    return validate_trajectories(
        text,
        also=lambda typed: submission_problems(
            typed, company=company.name, sector=sector.name, intensity_unit=sector.intensity_unit
        ),
    )


def rows_from_upload(data: bytes, *, filename: str, max_rows: int) -> pd.DataFrame:
    suffix = "." + filename.rsplit(".", 1)[-1] if "." in filename else ""
    return read_bytes(data, suffix=suffix, name=filename, max_rows=max_rows)


def rows_from_records(
    records: list[dict[str, str]], *, company: Company, platform: Platform, name: str
) -> pd.DataFrame:
    """A text table from form or JSON records; company, sector, region and scope default to
    the submission's own."""
    defaults = {
        col.COMPANY: company.name,
        col.SECTOR: platform.sector.name,
        col.REGION: platform.region,
        col.SCOPE: platform.scope,
    }
    filled = [{**defaults, **{k: v for k, v in r.items() if v not in (None, "")}} for r in records]
    return table_from_records(filled, columns=FORM_COLUMNS, name=name)
