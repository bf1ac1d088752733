from __future__ import annotations

import numpy as np
import pandas as pd

from roadmap.domain.versions import compare_versions


def version(rows):  # type: ignore[no-untyped-def]
    return pd.DataFrame(rows, columns=["year", "kind", "activity", "emissions", "intensity"])


def test_compare_two_versions_year_by_year():
    older = version(
        [(2020, "reported", 100.0, 250.0, np.nan), (2030, "planned", 100.0, 150.0, np.nan)]
    )
    newer = version(
        [
            (2020, "reported", 100.0, 250.0, np.nan),
            (2030, "planned", 100.0, 120.0, np.nan),
            (2040, "planned", 100.0, 80.0, np.nan),
        ]
    )
    table = compare_versions(older, newer)
    assert table["year"].tolist() == [2020, 2030, 2040]
    # 2030: 120 - 150 = -30 t; 2040 only in the newer version: changed, no difference.
    assert table["emissions_change"].tolist()[:2] == [0.0, -30.0]
    assert np.isnan(table["emissions_change"].iloc[2])
    assert table["changed"].tolist() == [False, True, True]


def test_intensity_only_versions_change_only_where_the_intensity_does():
    older = version(
        [(2020, "reported", np.nan, np.nan, 1.9), (2030, "planned", np.nan, np.nan, 1.2)]
    )
    newer = version(
        [(2020, "reported", np.nan, np.nan, 1.9), (2030, "planned", np.nan, np.nan, 1.1)]
    )
    assert compare_versions(older, newer)["changed"].tolist() == [False, True]
