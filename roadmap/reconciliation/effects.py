"""What accepting a submission would change: the company's reconciliation with its accepted
version and with the new one, side by side, for the review page. Figures come from
roadmap.domain only."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
from sqlmodel import Session

from roadmap.domain import columns as col
from roadmap.domain import dashboard as dash
from roadmap.domain.errors import InputError, ReconcileError
from roadmap.domain.reconcile import ReconcileParams, reconcile
from roadmap.domain.review import effect_of_accepting
from roadmap.models import Platform, Submission
from roadmap.reconciliation import charts
from roadmap.reconciliation.scenarios import platform_params, scenario_for, sector_pathways
from roadmap.submissions.queries import accepted_trajectories, submission_trajectory_frame
from roadmap.submissions.round_queries import compared_version


@dataclass(frozen=True)
class Effect:
    scenario: str
    table: pd.DataFrame  # roadmap.domain.review.effect_of_accepting
    figure: go.Figure | None
    problem: str | None  # why the new version cannot be reconciled, where it cannot
    accepted_version: int | None  # the version that counts now


def effect_of(submission: Submission, *, preferred: str, session: Session) -> Effect:
    """The company's reconciliation against ``preferred`` (or the platform's first scenario)
    now and with ``submission`` accepted."""
    platform = submission.platform
    scenario = scenario_for(platform, preferred, session=session) or preferred
    company = submission.company.name
    live = accepted_trajectories(platform, session=session)
    current = live[live[col.COMPANY] == company]
    counted = compared_version(submission, session=session)
    accepted_version = (
        counted.version if counted is not None and counted.status == "accepted" else None
    )
    pathways = sector_pathways(platform, session=session)
    params = platform_params(platform, scenario)
    before = _reconciled(pathways, current, params)
    try:
        new_rows = submission_trajectory_frame(
            submission, company=submission.company, platform=platform, session=session
        )
        after = reconcile(pathways, new_rows, params)
    except (InputError, ReconcileError) as error:
        return Effect(
            scenario,
            effect_of_accepting(before, before.iloc[0:0]),
            None,
            str(error),
            accepted_version,
        )
    if after.results.empty:  # left out, with the engine's warning (no base-year value)
        return Effect(
            scenario,
            effect_of_accepting(before, after.results),
            None,
            "; ".join(after.warnings) or "nothing in it can be reconciled",
            accepted_version,
        )
    table = effect_of_accepting(before, after.results)
    return Effect(
        scenario,
        table,
        _figure(before, after.results, submission, accepted_version, pathways, platform),
        None,
        accepted_version,
    )


def _reconciled(
    pathways: pd.DataFrame, trajectories: pd.DataFrame, params: ReconcileParams
) -> pd.DataFrame:
    if trajectories.empty:
        return pd.DataFrame(columns=col.RESULT_COLUMNS)
    try:
        return reconcile(pathways, trajectories, params).results
    except (InputError, ReconcileError):
        return pd.DataFrame(columns=col.RESULT_COLUMNS)


def _figure(
    before: pd.DataFrame,
    after: pd.DataFrame,
    submission: Submission,
    accepted_version: int | None,
    pathways: pd.DataFrame,
    platform: Platform,
) -> go.Figure:
    """Both trajectories, each with its SDA target, against the sector curves."""
    company = submission.company.name
    unit = str(after[col.INTENSITY_UNIT].iloc[0])
    old = before.assign(**{col.COMPANY: f"{company} v{accepted_version} (accepted)"})
    new = after.assign(**{col.COMPANY: f"{company} v{submission.version} (under review)"})
    curves = dash.scenario_curves(
        pathways,
        sector=platform.sector.name,
        scope=submission.scope,
        region=submission.region,
        unit=unit,
    )
    return charts.trajectories_figure(
        pd.concat([old, new], ignore_index=True) if not before.empty else new,
        curves,
        title=f"{company}: version {submission.version} against the accepted version and the "
        "SDA target",
        unit=unit,
        scenario=str(after[col.SCENARIO].iloc[0]),
        targets=True,
    )
