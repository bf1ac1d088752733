"""What an upload's preview draws before the file is accepted: the new trajectory's intensity,
its SDA target and the company's previous accepted version, all from the reconciliation engine
against one of the platform's scenarios."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlmodel import Session

from roadmap.domain import columns as col
from roadmap.domain.errors import InputError, ReconcileError
from roadmap.domain.reconcile import ReconcileParams, reconcile
from roadmap.models import Company, Platform
from roadmap.reconciliation.scenarios import (
    no_scenario_message,
    platform_params,
    scenario_for,
    sector_pathways,
)
from roadmap.submissions import charts, queries


@dataclass(frozen=True)
class Preview:
    """``table``: year, new, target, previous (intensities in ``unit``; NaN where a line has no
    value). ``reason``: why nothing could be drawn (no scenario, or the engine's problem)."""

    scenario: str | None
    unit: str
    table: pd.DataFrame
    previous_version: int | None
    reason: str | None = None


def upload_preview(
    typed: pd.DataFrame,
    *,
    company: Company,
    platform: Platform,
    preferred_scenario: str,
    session: Session,
) -> Preview:
    """The preview of checked rows (``rules.checked_rows``) for ``company`` on ``platform``
    against ``preferred_scenario`` (or the sector's first scenario)."""
    unit = platform.sector.intensity_unit
    empty = pd.DataFrame(columns=["year", charts.NEW, charts.TARGET, charts.PREVIOUS])
    scenario = scenario_for(platform, preferred_scenario, session=session)
    previous = queries.accepted_version(company.id, platform.id, session=session)
    version = previous.version if previous is not None else None
    if scenario is None:
        reason = no_scenario_message(platform)
        return Preview(None, unit, empty, version, reason)
    pathways = sector_pathways(platform, session=session)
    # As the platform's reconciliation does (analysis), so the preview draws what will count.
    params = platform_params(platform, scenario)
    try:
        new, warnings = _intensities(pathways, typed, params)
    except (InputError, ReconcileError) as error:
        return Preview(scenario, unit, empty, version, f"No target can be drawn: {error}")
    if new.empty:
        reason = "No target can be drawn: " + ("; ".join(warnings) or "no year to reconcile")
        return Preview(scenario, unit, empty, version, reason)
    table = new.rename(columns={col.INTENSITY: charts.NEW, col.TARGET_INTENSITY: charts.TARGET})
    table[charts.PREVIOUS] = float("nan")
    if previous is not None:
        stored = queries.submission_trajectory_frame(
            previous, company=company, platform=platform, session=session
        )
        try:
            old = _intensities(pathways, stored, params)[0][["year", col.INTENSITY]]
        except (InputError, ReconcileError):
            old = pd.DataFrame(columns=["year", col.INTENSITY])
        table = table.drop(columns=charts.PREVIOUS).merge(
            old.rename(columns={col.INTENSITY: charts.PREVIOUS}), on="year", how="outer"
        )
    return Preview(scenario, unit, table.sort_values("year").reset_index(drop=True), version)


def _intensities(
    pathways: pd.DataFrame, trajectory: pd.DataFrame, params: ReconcileParams
) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """Year, intensity and SDA target of one company's trajectory, in the sector's unit, and
    the engine's warnings (why a year range is left out)."""
    outcome = reconcile(pathways, trajectory, params)
    frame = outcome.results[[col.YEAR, col.INTENSITY, col.TARGET_INTENSITY]].astype("float64")
    frame[col.YEAR] = frame[col.YEAR].astype("int64")
    return frame.rename(columns={col.YEAR: "year"}), outcome.warnings
