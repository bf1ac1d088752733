"""What a dashboard shows, read from and written to the URL so a view can be shared, and the
values each filter can take."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from roadmap.domain import columns as col

YEAR_MIN, YEAR_MAX = 1900, 2200


@dataclass(frozen=True)
class Filters:
    """What a dashboard shows, read from and written to the URL so a view can be shared."""

    scenario: str | None = None
    scope: str | None = None
    region: str | None = None
    start: int | None = None
    end: int | None = None

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> tuple[Filters, list[str]]:
        """The filters in ``args`` and a message for each value that cannot be used (which is
        then ignored, as if absent)."""
        problems: list[str] = []
        years: dict[str, int | None] = {}
        for key, label in (("start", "From year"), ("end", "To year")):
            text = (args.get(key) or "").strip()
            years[key] = None
            if not text:
                continue
            if not re.fullmatch(r"[0-9]{1,4}", text) or not YEAR_MIN <= int(text) <= YEAR_MAX:
                problems.append(
                    f"{label} '{text[:20]}' is not a year from {YEAR_MIN} to {YEAR_MAX}; "
                    "it is ignored."
                )
                continue
            years[key] = int(text)
        start, end = years["start"], years["end"]
        if start is not None and end is not None and start > end:
            problems.append(f"From year {start} is after to year {end}; the range is ignored.")
            start = end = None
        return cls(
            scenario=(args.get("scenario") or "").strip() or None,
            scope=(args.get("scope") or "").strip() or None,
            region=(args.get("region") or "").strip() or None,
            start=start,
            end=end,
        ), problems

    def args(self) -> dict[str, str]:
        """The filters as URL query arguments (only those set)."""
        values = {
            "scenario": self.scenario,
            "scope": self.scope,
            "region": self.region,
            "start": self.start,
            "end": self.end,
        }
        return {k: str(v) for k, v in values.items() if v is not None}

    def years(self, frame: pd.DataFrame) -> pd.DataFrame:
        """The rows of ``frame`` inside the year range."""
        if frame.empty:
            return frame
        keep = pd.Series(True, index=frame.index)
        if self.start is not None:
            keep &= frame[col.YEAR] >= self.start
        if self.end is not None:
            keep &= frame[col.YEAR] <= self.end
        return frame[keep]


@dataclass(frozen=True)
class Options:
    """The values each filter can take on this dashboard."""

    scenarios: list[str]
    scopes: list[str]
    regions: list[str]
    first_year: int | None
    last_year: int | None
