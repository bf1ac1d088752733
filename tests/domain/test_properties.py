"""Properties of the SDA reconciliation that hold for any pathway and company (hypothesis)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from roadmap.domain import columns as col
from roadmap.domain.aggregate import platform_aggregate
from roadmap.domain.reconcile import ReconcileParams, reconcile

YEARS = list(range(2020, 2051, 5))
intensity = st.floats(min_value=0.01, max_value=10.0, allow_nan=False)
activity = st.floats(min_value=1.0, max_value=1e6, allow_nan=False)


def pathway_frame(values: list[float]) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            col.SECTOR: "Steel",
            col.SCENARIO: "S",
            col.REGION: "Global",
            col.SCOPE: "S1S2",
            col.YEAR: YEARS,
            col.INTENSITY: values,
            col.INTENSITY_UNIT: "t CO2e/(t Steel)",
            col.ACTIVITY: np.nan,
            col.ACTIVITY_UNIT: "",
            col.SOURCE: "",
            col.LICENCE: "",
            col.RELEASE_DATE: "",
            col.ROW: range(2, 2 + len(YEARS)),
        }
    )
    frame.attrs["source"] = "pathways"
    return frame


def company_frame(companies: list[tuple[list[float], list[float]]]) -> pd.DataFrame:
    rows = []
    for n, (intensities, activities) in enumerate(companies):
        for year, c, a in zip(YEARS, intensities, activities, strict=True):
            rows.append(
                {
                    col.COMPANY: f"C{n}",
                    col.SECTOR: "Steel",
                    col.REGION: "Global",
                    col.SCOPE: "S1S2",
                    col.YEAR: year,
                    col.KIND: "planned",
                    col.ACTIVITY: a,
                    col.ACTIVITY_UNIT: "t Steel",
                    col.EMISSIONS: c * a,
                    col.EMISSIONS_UNIT: "t CO2e",
                    col.INTENSITY: np.nan,
                    col.INTENSITY_UNIT: "",
                }
            )
    frame = pd.DataFrame(rows)
    frame[col.ROW] = range(2, 2 + len(frame))
    frame.attrs["source"] = "companies"
    return frame


curve = st.lists(intensity, min_size=len(YEARS), max_size=len(YEARS))
company = st.tuples(curve, st.lists(activity, min_size=len(YEARS), max_size=len(YEARS)))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenario=curve, companies=st.lists(company, min_size=1, max_size=4))
def test_target_meets_the_company_at_base_and_the_sector_at_the_end(scenario, companies):
    # Where S(b) = S(N), DESIGN.md sets p = 1 and T stays at C(b): T(N) = S(N) needs S(b) != S(N).
    assume(scenario[0] != scenario[-1])
    results = reconcile(
        pathway_frame(scenario), company_frame(companies), ReconcileParams("S")
    ).results
    base = results[results[col.YEAR] == 2020]
    final = results[results[col.YEAR] == 2050]
    np.testing.assert_allclose(base[col.TARGET_INTENSITY], base[col.INTENSITY], rtol=1e-12)
    assert (base[col.STATUS] == "aligned").all()
    assert (base[col.YEARS_BEHIND] == 0).all()
    np.testing.assert_allclose(final[col.TARGET_INTENSITY], scenario[-1], rtol=1e-12)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    scenario=curve,
    base=intensity,
    activities=st.lists(activity, min_size=len(YEARS), max_size=len(YEARS)),
)
def test_a_company_exactly_on_its_target_has_no_gap(scenario, base, activities):
    # T(t) = (C(b) - S(N)) * (S(t) - S(N)) / (S(b) - S(N)) + S(N) at the given years; T is
    # linear between them as S is, so the company on T is on it every year.
    s_b, s_n = scenario[0], scenario[-1]
    spread = s_b - s_n
    on_target = [(base - s_n) * ((s - s_n) / spread if spread else 1.0) + s_n for s in scenario]
    assume(min(on_target) > 0)  # a target below zero cannot be a company's intensity
    results = reconcile(
        pathway_frame(scenario), company_frame([(on_target, activities)]), ReconcileParams("S")
    ).results
    given_years = results[results[col.YEAR].isin(YEARS)]
    np.testing.assert_allclose(given_years[col.GAP], 0, atol=1e-9 * max(on_target))
    assert (given_years[col.YEARS_BEHIND] == 0).all()
    assert (given_years[col.STATUS] == "aligned").all()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenario=curve, companies=st.lists(company, min_size=1, max_size=5))
def test_company_contributions_add_up_to_the_platform_gap(scenario, companies):
    results = reconcile(
        pathway_frame(scenario), company_frame(companies), ReconcileParams("S")
    ).results
    totals, _ = platform_aggregate(results)
    by_year = results.groupby(col.YEAR)[col.EXCESS_EMISSIONS].sum().to_numpy()
    scale = max(1.0, float(totals[col.EMISSIONS].abs().max()))
    np.testing.assert_allclose(totals[col.GAP_EMISSIONS], by_year, atol=1e-9 * scale)
    np.testing.assert_allclose(
        totals[col.EMISSIONS] - totals[col.FAIR_SHARE_EMISSIONS],
        totals[col.GAP_EMISSIONS],
        atol=1e-9 * scale,
    )


@settings(max_examples=40, deadline=None)
@given(scenario=curve, companies=st.lists(company, min_size=1, max_size=3))
def test_years_behind_is_between_zero_and_years_since_base(scenario, companies):
    results = reconcile(
        pathway_frame(scenario), company_frame(companies), ReconcileParams("S")
    ).results
    since_base = results[col.YEAR] - 2020
    assert (results[col.YEARS_BEHIND] >= 0).all()
    assert (results[col.YEARS_BEHIND] <= since_base + 1e-9).all()
    behind = results[col.STATUS] == "behind"
    assert (results.loc[behind, col.YEARS_BEHIND] > 0).all()
