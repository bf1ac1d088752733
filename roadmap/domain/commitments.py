"""Credible targets (DESIGN.md, "Temperature and credibility"): a company's stated target
judged against its own SDA target and against its own plan, the assurance behind the figures,
and the label and gap at TPI's assessment years.

Everything here reads the reconciliation's results (``reconcile``); no target or gap is
re-derived. Intensities are in the results' intensity unit.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from roadmap.domain import columns as col
from roadmap.domain import metrics, units
from roadmap.domain.benchmarks import ASSESSMENT_YEARS

INTENSITY_TARGET = "intensity"
ABSOLUTE_REDUCTION = "absolute reduction"
# A target's validation, weakest first: the words of roadmap.models.VALIDATIONS (a test
# checks they agree; the domain imports no tables).
VALIDATIONS = ("self-declared", "third-party verified", "SBTi-validated")
VERIFIED = frozenset(VALIDATIONS[1:])
# A submission's assurance, weakest first; "limited" and "reasonable" are a third party's.
ASSURANCE_LEVELS = ("self-reported", "limited assurance", "reasonable assurance")

NOT_ALIGNED = col.NOT_ALIGNED
CANNOT_ASSESS = "cannot assess"

# The columns ``assess_targets`` takes and adds.
TARGET_ID = "target_id"
TARGET_YEAR = "target_year"
TARGET_KIND = "kind"
TARGET_VALUE = "value"
TARGET_SCOPE = "scope"
VALIDATION = "validation"
STATED_INTENSITY = "stated_intensity"  # the target as an intensity in the results' unit
SDA_TARGET = "sda_target"
PLAN_INTENSITY = "plan_intensity"
SAY_DO_GAP = "say_do_gap"
SAY_DO_GAP_PCT = "say_do_gap_pct"
ASSESSMENT = "assessment"
REASON = "reason"
COUNTS = "counts_for_gate"
TARGET_COLUMNS = [TARGET_ID, col.COMPANY, TARGET_YEAR, TARGET_KIND, TARGET_VALUE, TARGET_SCOPE]
ASSESSED_COLUMNS = [
    *TARGET_COLUMNS,
    STATED_INTENSITY,
    SDA_TARGET,
    PLAN_INTENSITY,
    SAY_DO_GAP,
    SAY_DO_GAP_PCT,
    ASSESSMENT,
    REASON,
]


def assess_targets(targets: pd.DataFrame, results: pd.DataFrame, *, unit: str) -> pd.DataFrame:
    """Each company target (``TARGET_COLUMNS``; ``value`` an intensity in ``unit``, or for an
    absolute reduction the share 0-1 cut from the company's emissions in the base year) against
    its company's reconciliation ``results``, one row per target in ``ASSESSED_COLUMNS``:

    - ``stated_intensity``: the target as an intensity in the results' unit. An absolute
      reduction r becomes (1 - r) E(b) / A(t): its emissions budget over the activity the
      company plans in the target year t, with b the reconciliation's base year.
    - ``sda_target``: the company's own SDA target T(t); ``plan_intensity``: its plan C(t).
    - ``assessment``: ``aligned`` where the stated intensity is at or below T(t) (within the
      same rounding as the reconciliation's status), else ``not aligned``.
    - ``say_do_gap`` = stated - C(t) (negative: the plan does not reach the target) and
      ``say_do_gap_pct`` = say_do_gap / C(t).

    A target that cannot be judged (its company has no reconciled figures, its year lies
    outside the reconciled years, another scope, a unit that does not convert, an absolute
    reduction of a company that gave intensities only) is ``cannot assess``, with the reason.
    """
    frame = targets[TARGET_COLUMNS].reset_index(drop=True).copy()
    if frame.empty:
        return pd.DataFrame(columns=ASSESSED_COLUMNS)
    result_unit = str(results[col.INTENSITY_UNIT].iloc[0]) if not results.empty else unit
    factor = units.conversion_factor(unit, result_unit) if _converts(unit, result_unit) else np.nan
    base = _base_rows(results)
    merged = frame.merge(
        results[
            [col.COMPANY, col.YEAR, col.SCOPE, col.ACTIVITY, col.INTENSITY, col.TARGET_INTENSITY]
        ].rename(columns={col.YEAR: TARGET_YEAR, col.SCOPE: "plan_scope"}),
        on=[col.COMPANY, TARGET_YEAR],
        how="left",
    ).merge(base, on=col.COMPANY, how="left")
    absolute = merged[TARGET_KIND] == ABSOLUTE_REDUCTION
    stated = np.where(
        absolute,
        (1 - merged[TARGET_VALUE]) * merged["base_emissions"] / merged[col.ACTIVITY],
        merged[TARGET_VALUE] * factor,
    )
    plan = merged[col.INTENSITY].to_numpy(dtype=float)
    sda = merged[col.TARGET_INTENSITY].to_numpy(dtype=float)
    frame[STATED_INTENSITY] = stated
    frame[SDA_TARGET] = sda
    frame[PLAN_INTENSITY] = plan
    frame[SAY_DO_GAP] = stated - plan
    with np.errstate(divide="ignore", invalid="ignore"):
        # A plan at zero intensity has no relative gap.
        frame[SAY_DO_GAP_PCT] = np.where(plan > 0, (stated - plan) / plan, np.nan)
    frame[ASSESSMENT] = np.where(metrics.is_aligned(stated, sda), col.ALIGNED, NOT_ALIGNED)
    frame[REASON] = ""
    reasons = _reasons(merged, unit, result_unit)
    unknown = reasons != ""
    frame.loc[unknown, ASSESSMENT] = CANNOT_ASSESS
    frame.loc[unknown, REASON] = reasons[unknown]
    numbers = [STATED_INTENSITY, SDA_TARGET, PLAN_INTENSITY, SAY_DO_GAP, SAY_DO_GAP_PCT]
    frame.loc[unknown, numbers] = np.nan
    return frame[ASSESSED_COLUMNS]


def _converts(source: str, target: str) -> bool:
    return bool(source) and bool(target) and units.compatible(source, target)


def _base_rows(results: pd.DataFrame) -> pd.DataFrame:
    """Per company, its base year and reconciled years and its emissions in the base year."""
    grouped = results.sort_values(col.YEAR).groupby(col.COMPANY)
    return pd.DataFrame(
        {
            "base_year": grouped[col.YEAR].first(),
            "last_year": grouped[col.YEAR].last(),
            "base_emissions": grouped[col.EMISSIONS].first(),
        }
    ).reset_index()


def _reasons(merged: pd.DataFrame, unit: str, result_unit: str) -> pd.Series:
    """Why each target cannot be assessed ("" where it can), the first reason that applies."""
    company, year = merged[col.COMPANY], merged[TARGET_YEAR]
    first, last = merged["base_year"], merged["last_year"]
    span = first.astype("Int64").astype(str) + "-" + last.astype("Int64").astype(str)
    absolute = merged[TARGET_KIND] == ABSOLUTE_REDUCTION
    rules = [
        (
            first.isna(),
            company + " has no reconciled figures (no accepted submission, or it could not "
            "be reconciled against this scenario)",
        ),
        (
            merged[col.INTENSITY].isna(),
            year.astype(str) + " lies outside " + company + "'s reconciled years (" + span + ")",
        ),
        (
            merged[TARGET_SCOPE] != merged["plan_scope"],
            "the target is for scope " + merged[TARGET_SCOPE].astype(str) + ", the company's "
            "figures for " + merged["plan_scope"].astype(str),
        ),
        (
            absolute & (merged["base_emissions"].isna() | merged[col.ACTIVITY].isna()),
            "an absolute reduction needs the company's emissions and activity; it gave "
            "intensities only",
        ),
        (
            ~absolute & pd.Series(not _converts(unit, result_unit), index=merged.index),
            f"the target's unit {unit} does not convert to the figures' unit {result_unit}",
        ),
    ]
    reasons = pd.Series("", index=merged.index, dtype=object)
    for applies, text in reversed(rules):  # the first rule that applies wins
        reasons = reasons.mask(applies, text)
    return reasons


def counts_for_gate(assessment: pd.Series, validation: pd.Series) -> pd.Series:
    """Whether each target counts for the stage-3 gate: aligned with the company's own SDA
    target and validated by a third party (``third-party verified`` or ``SBTi-validated``)."""
    return (assessment == col.ALIGNED) & validation.isin(VERIFIED)


def latest_activity(results: pd.DataFrame) -> pd.DataFrame:
    """Each company's activity in its latest reported year (planned years are not yet
    activity), in the results' activity unit: company, year, activity. Companies that gave
    intensities only have none and are left out."""
    rows = results[(results[col.KIND] == col.REPORTED) & results[col.ACTIVITY].notna()]
    latest = rows.sort_values(col.YEAR).groupby(col.COMPANY).tail(1)
    return latest[[col.COMPANY, col.YEAR, col.ACTIVITY]].reset_index(drop=True)


def assurance_shares(results: pd.DataFrame, assurance: Mapping[str, str]) -> pd.DataFrame:
    """The share of reconciled activity (each company's latest reported year) under each
    assurance level of the submissions used: level, activity, share, companies; one row per
    level in ``ASSURANCE_LEVELS`` (0 where none), in that order. Empty where no company
    reports activity."""
    latest = latest_activity(results)
    columns = ["level", col.ACTIVITY, "share", col.COMPANIES]
    if latest.empty or float(latest[col.ACTIVITY].sum()) == 0:
        return pd.DataFrame(columns=columns)
    latest["level"] = latest[col.COMPANY].map(assurance).fillna(ASSURANCE_LEVELS[0])
    grouped = latest.groupby("level")
    table = pd.DataFrame(
        {
            col.ACTIVITY: grouped[col.ACTIVITY].sum(),
            col.COMPANIES: grouped[col.COMPANY].nunique(),
        }
    ).reindex(ASSURANCE_LEVELS, fill_value=0)
    table["share"] = table[col.ACTIVITY] / float(latest[col.ACTIVITY].sum())
    return table.rename_axis("level").reset_index()[columns]


def at_assessment_years(
    rows: pd.DataFrame, years: tuple[int, ...] = ASSESSMENT_YEARS
) -> pd.DataFrame:
    """One company's results at TPI's assessment years: year, benchmark_alignment, gap,
    gap_pct, status and ``in_plan`` (False, with no figures, where the year lies outside its
    reconciled years)."""
    wanted = pd.DataFrame({col.YEAR: list(years)})
    picked = rows[
        [col.YEAR, col.BENCHMARK_ALIGNMENT, col.GAP, col.GAP_PCT, col.STATUS, col.INTENSITY]
    ]
    table = wanted.merge(picked, on=col.YEAR, how="left")
    table["in_plan"] = table[col.INTENSITY].notna()
    return table.drop(columns=[col.INTENSITY])
