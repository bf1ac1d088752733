"""Submitting a trajectory, the same way by form, upload or API: validate the rows with the
data-contract rules, check they belong to the company and platform, store a new version."""

from __future__ import annotations

import hashlib

import pandas as pd
from sqlmodel import Session

from roadmap import operations
from roadmap.domain import columns as col
from roadmap.domain.ingest import read_bytes, table_from_records
from roadmap.domain.validate import check_submission, validate_trajectories
from roadmap.models import Company, Platform, Sector, Submission, User

FORM_COLUMNS = col.TRAJECTORY_COLUMNS


def checked_rows(
    text: pd.DataFrame, *, company: Company, platform: Platform, session: Session
) -> pd.DataFrame:
    """Typed rows of a text table, or InputError listing every problem by row and column."""
    sector = session.get(Sector, platform.sector_id)
    assert sector is not None
    typed = validate_trajectories(text)
    check_submission(
        typed, company=company.name, sector=sector.name, intensity_unit=sector.intensity_unit
    )
    return typed


def rows_from_upload(data: bytes, *, filename: str, max_rows: int) -> pd.DataFrame:
    suffix = "." + filename.rsplit(".", 1)[-1] if "." in filename else ""
    return read_bytes(data, suffix=suffix, name=filename, max_rows=max_rows)


def rows_from_records(
    records: list[dict[str, str]], *, company: Company, platform: Platform, sector: str, name: str
) -> pd.DataFrame:
    """A text table from form or JSON records; company, sector, region and scope default to
    the submission's own."""
    defaults = {
        col.COMPANY: company.name,
        col.SECTOR: sector,
        col.REGION: platform.region,
        col.SCOPE: platform.scope,
    }
    filled = [{**defaults, **{k: v for k, v in r.items() if v not in (None, "")}} for r in records]
    return table_from_records(filled, columns=FORM_COLUMNS, name=name)


def checksum(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def submit(
    typed: pd.DataFrame,
    *,
    company: Company,
    platform: Platform,
    source: str,
    user: User,
    assurance: str,
    session: Session,
    filename: str = "",
    file_checksum: str | None = None,
) -> Submission:
    """Store checked rows as the company's next version on the platform (flushes)."""
    (created,) = operations.create_submissions(
        typed,
        platform=platform,
        source=source,
        filename=filename,
        assurance=assurance,
        submitted_by=user,
        checksum=file_checksum,
        session=session,
    )
    return created
