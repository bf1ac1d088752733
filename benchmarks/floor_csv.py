"""The floor for `roadmap reconcile` end to end: pandas alone reading the trajectory CSV and
writing a result table of the same rows, nothing computed (see benchmarks/README.md).

    .venv/bin/python benchmarks/floor_csv.py TRAJECTORIES.csv RESULTS.csv OUT.csv

RESULTS.csv (a file `roadmap reconcile` wrote) is only the rows to write: the script prints
the seconds it spent loading it, so that the caller can take them off the process's time.
"""

from __future__ import annotations

import sys
import time

import pandas as pd


def main() -> None:
    trajectories, results, out = sys.argv[1:4]
    pd.read_csv(trajectories, dtype=str, keep_default_na=False)
    start = time.perf_counter()
    table = pd.read_csv(results, keep_default_na=False, na_values=[""])
    loading = time.perf_counter() - start
    table.to_csv(out, index=False, lineterminator="\n")
    print(f"{loading:.3f}")


if __name__ == "__main__":
    main()
