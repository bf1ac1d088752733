"""The rules of one project record (a near-zero plant of the pipeline), written once: the form,
the file import and the API build a ``ProjectValues`` and ask ``project_problems`` what is
wrong with it, each problem named by its field (the file's column of the same name).

- Status dates: a date is when a status was reached, so none lies after ``today``; the dates
  given follow the order of the statuses (announced, feasibility, final investment decision,
  construction, operating), none is given for a status not reached yet, and "cancelled" may
  end a project at any point (its date is not before any other).
- Capacity is per year in the sector's activity unit, so its unit must convert into that unit
  ("Mt Steel" on a steel platform; "t Cement" is refused there); an expected intensity, where
  given, has a unit that converts into the sector's intensity unit.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from urllib.parse import urlsplit

from roadmap.domain import names, units
from roadmap.domain.cells import LARGEST, MAX_YEAR, MIN_YEAR, SMALLEST
from roadmap.domain.pipeline import STATUSES

# The column of each status's date, in the order of the statuses (as the table stores them).
DATE_COLUMNS = {
    "announced": "announced_on",
    "feasibility": "feasibility_on",
    "final investment decision": "fid_on",
    "construction": "construction_on",
    "operating": "operating_on",
    "cancelled": "cancelled_on",
}
# The import file's header, in this order (the export writes the same columns).
COLUMNS = (
    "company",
    "name",
    "country",
    "technology",
    "status",
    *DATE_COLUMNS.values(),
    "start_year",
    "capacity",
    "capacity_unit",
    "expected_intensity",
    "intensity_unit",
    "source_url",
    "public",
)
REQUIRED_COLUMNS = ("company", "name", "technology", "status", "start_year", "capacity")
# Longest text of each field, as the table stores it.
MAX_LENGTHS = {
    "company": names.MAX_TEXT_LENGTH,
    "name": names.MAX_TEXT_LENGTH,
    "country": 100,
    "technology": 100,
    "capacity_unit": 100,
    "intensity_unit": 100,
    "source_url": 500,
}
TRUE_WORDS = ("true", "yes", "y", "1")
FALSE_WORDS = ("false", "no", "n", "0", "")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
_YEAR = re.compile(r"[+-]?\d{1,9}")

Problems = list[tuple[str, str]]  # (field, message)


@dataclass(frozen=True)
class ProjectValues:
    """One project as sent, typed; ``dates`` holds the date of each status reached (by status
    name), capacity is per year in ``capacity_unit``."""

    name: str
    technology: str
    status: str
    start_year: int | None
    capacity: float | None
    capacity_unit: str
    country: str = ""
    dates: dict[str, date | None] = field(default_factory=dict)
    expected_intensity: float | None = None
    intensity_unit: str = ""
    source_url: str = ""
    is_public: bool = False

    def columns(self) -> dict[str, object]:
        """The values under the table's column names."""
        return {
            "name": self.name,
            "country": self.country,
            "technology": self.technology,
            "status": self.status,
            **{DATE_COLUMNS[s]: self.dates.get(s) for s in STATUSES},
            "start_year": self.start_year,
            "capacity": self.capacity,
            "capacity_unit": self.capacity_unit,
            "expected_intensity": self.expected_intensity,
            "intensity_unit": self.intensity_unit,
            "source_url": self.source_url,
            "is_public": self.is_public,
        }


def project_problems(
    values: ProjectValues, *, activity_unit: str, intensity_unit: str, today: date
) -> Problems:
    """Every problem of ``values`` as (field, message); none where the project may be stored.
    ``activity_unit`` and ``intensity_unit`` are the sector's; ``today`` bounds the dates."""
    return [
        *_text_problems(values),
        *_status_problems(values, today),
        *_year_problems(values.start_year),
        *_capacity_problems(values, activity_unit),
        *_intensity_problems(values, intensity_unit),
        *_url_problems(values.source_url),
    ]


def text_problem(field_name: str, text: str, *, required: bool) -> str | None:
    """Why a text field cannot be stored as it is (missing, too long, a formula, a control
    character), or None."""
    if not text:
        return "value is missing" if required else None
    limit = MAX_LENGTHS.get(field_name, names.MAX_TEXT_LENGTH)
    if len(text) > limit:
        return f"longer than {limit} characters"
    if _CONTROL.search(text):
        return "contains a control character (a tab, line break or NUL)"
    if field_name != "source_url" and text.startswith(names.FORMULA_START):
        return f"{names.FORMULA_MESSAGE} (=, +, -, @): begin with a letter or digit"
    return None


def _text_problems(values: ProjectValues) -> Problems:
    checked = [
        ("name", values.name, True),
        ("technology", values.technology, True),
        ("country", values.country, False),
    ]
    return [
        (name, problem)
        for name, text, required in checked
        if (problem := text_problem(name, text, required=required))
    ]


def _status_problems(values: ProjectValues, today: date) -> Problems:
    if values.status not in STATUSES:
        return [("status", "must be one of " + ", ".join(STATUSES))]
    problems: Problems = []
    given = [(s, d) for s in STATUSES if (d := values.dates.get(s)) is not None]
    for status, when in given:
        if when > today:
            problems.append(
                (
                    DATE_COLUMNS[status],
                    f"{when.isoformat()} is after today: a status date is "
                    "when the project reached it",
                )
            )
    reached = STATUSES[: STATUSES.index(values.status) + 1]
    for status, _ in given:
        if status not in reached and status != "cancelled":
            problems.append(
                (
                    DATE_COLUMNS[status],
                    f"the project is at '{values.status}': a date is only "
                    f"for a status reached ('{status}' is not)",
                )
            )
    if "cancelled" in values.dates and values.dates["cancelled"] and values.status != "cancelled":
        problems.append(("cancelled_on", "a cancellation date needs the status 'cancelled'"))
    # The order is judged among the dates a status reached may have (the others are refused).
    problems += _order_problems([(s, d) for s, d in given if s in reached or s == "cancelled"])
    return problems


def _order_problems(given: list[tuple[str, date]]) -> Problems:
    """Each date not before the date of any earlier status (cancelled, last, after all)."""
    problems: Problems = []
    latest: tuple[str, date] | None = None
    for status, when in given:
        if latest is not None and when < latest[1]:
            problems.append(
                (
                    DATE_COLUMNS[status],
                    f"{when.isoformat()} is before the '{latest[0]}' date "
                    f"{latest[1].isoformat()}: the statuses come in order",
                )
            )
        else:
            latest = (status, when)
    return problems


def _year_problems(year: int | None) -> Problems:
    if year is None:
        return [("start_year", "value is missing")]
    if not MIN_YEAR <= year <= MAX_YEAR:
        return [("start_year", f"year outside {MIN_YEAR}-{MAX_YEAR}")]
    return []


def _figure_problem(value: float, *, positive: bool) -> str | None:
    if not math.isfinite(value):
        return "not a finite number"
    if positive and value <= 0:
        return "must be greater than zero"
    if value < 0:
        return "must not be negative"
    if value != 0 and not SMALLEST <= value <= LARGEST:
        return "implausible magnitude: between one billionth and 10^18 in its unit"
    return None


def _unit_problem(unit: str, target: str, what: str, field_name: str) -> str | None:
    problem = text_problem(field_name, unit, required=True)
    if problem:
        return "unit is missing" if problem == "value is missing" else problem
    try:
        units.parse_unit(unit)
    except units.UnitError as error:
        return str(error)
    if not units.compatible(unit, target):
        return f"'{unit}' does not convert into the sector's {what} '{target}'"
    return None


def example_unit(activity_unit: str) -> str:
    """A capacity unit to suggest: millions of the activity unit where that reads ("Mt Steel"),
    else the activity unit itself."""
    bigger = f"M{activity_unit}"
    return bigger if units.compatible(bigger, activity_unit) else activity_unit


def _capacity_problems(values: ProjectValues, activity_unit: str) -> Problems:
    problems: Problems = []
    if values.capacity is None:
        problems.append(("capacity", "value is missing"))
    elif problem := _figure_problem(values.capacity, positive=True):
        problems.append(("capacity", problem))
    unit = _unit_problem(values.capacity_unit, activity_unit, "activity unit", "capacity_unit")
    if unit:
        if "does not convert" in unit:
            unit += f" (capacity is per year in it, e.g. '{example_unit(activity_unit)}')"
        problems.append(("capacity_unit", unit))
    return problems


def _intensity_problems(values: ProjectValues, intensity_unit: str) -> Problems:
    if values.expected_intensity is None:
        if values.intensity_unit:
            return [("expected_intensity", "give the expected intensity with its unit, or neither")]
        return []
    problems: Problems = []
    if problem := _figure_problem(values.expected_intensity, positive=False):
        problems.append(("expected_intensity", problem))
    unit = _unit_problem(values.intensity_unit, intensity_unit, "intensity unit", "intensity_unit")
    if unit:
        problems.append(("intensity_unit", unit))
    return problems


def _url_problems(url: str) -> Problems:
    if problem := text_problem("source_url", url, required=False):
        return [("source_url", problem)]
    if not url:
        return []
    try:
        parts = urlsplit(url)
    except ValueError:
        parts = None
    if parts is None or parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return [("source_url", "a web address starting with http:// or https://")]
    if " " in url:
        return [("source_url", "a web address has no spaces")]
    return []


# --- one cell of a file -----------------------------------------------------------------------


def parse_date(text: str) -> date:
    """A date as YYYY-MM-DD (a spreadsheet's date cell reads as YYYY-MM-DDT00:00:00)."""
    if len(text) > 19:
        raise ValueError(text)
    if "T" in text:
        moment = datetime.fromisoformat(text)
        if moment.time() != datetime.min.time():
            raise ValueError(text)
        return moment.date()
    if len(text) != 10:
        raise ValueError(text)
    return date.fromisoformat(text)


def parse_number(text: str) -> float:
    """A decimal number as people write it (no "nan", "inf", "1_000" or hex): ValueError
    otherwise."""
    if len(text) > 40 or not _NUMBER.fullmatch(text):
        raise ValueError(text)
    return float(text)


def parse_year(text: str) -> int:
    if not _YEAR.fullmatch(text):
        number = parse_number(text)
        if not number.is_integer():
            raise ValueError(text)
        return int(number)
    return int(text)


def parse_flag(text: str) -> bool:
    word = text.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError(text)
