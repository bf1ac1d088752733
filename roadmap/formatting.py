"""How a figure reads, in one place: one rule per quantity, for pages (Jinja filters), charts
(d3 formats for Plotly's hovers and axes) and spreadsheets (XLSX number formats over the full
stored value). Never scientific notation; thousands separated (Babel, English).

- intensities: 3 significant digits (0.000123456 -> "0.000123", 1234.5 -> "1,230");
- emissions: t, kt or Mt by size with the unit shown ("38.0 Mt CO2e"), whole tonnes in
  tables whose header says "t CO2e";
- activity: whole units from a thousand up, else 3 significant digits;
- percentages: one decimal ("12.3%"); temperatures: two decimals ("1.65 °C");
- years behind: one decimal; counts and years: whole numbers (years without separator).

What a form shows to edit never comes through here: it shows the exact stored value
(``roadmap.domain.numbers``). CSV downloads keep the stored values unrounded.
"""

from __future__ import annotations

import functools
import math
import numbers
import re
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
from babel.core import Locale
from babel.numbers import NumberPattern, parse_pattern

LOCALE = "en"
_LOCALE = Locale.parse(LOCALE)
SIGNIFICANT = 3

# The kinds of quantity; a table column's kind comes from its header (``kind_of_header``).
INTENSITY = "intensity"
EMISSIONS = "emissions"  # t CO2e
ACTIVITY = "activity"
QUANTITY = "quantity"  # any other figure with a unit (a KPI's plants, Mt/yr, ...)
PERCENT = "percent"  # a number of percent (12.3 for 12.3%)
FRACTION = "fraction"  # a share (0.123 for 12.3%)
DEGREES = "degrees"
DURATION = "duration"  # years behind
COUNT = "count"
YEAR = "year"
TEXT = "text"

_DECIMALS = {PERCENT: 1, FRACTION: 1, DEGREES: 2, DURATION: 1, COUNT: 0, YEAR: 0, EMISSIONS: 0}

# Plotly (d3-format) hover and axis formats from the same rule. d3's "r" is decimal notation
# rounded to significant digits, never exponent; emissions are drawn scaled to t, kt or Mt
# (``emissions_scale``) and read to one decimal there.
D3_FORMATS = {
    INTENSITY: f",.{SIGNIFICANT}r",
    EMISSIONS: ",.1f",
    ACTIVITY: f",.{SIGNIFICANT}r",
    QUANTITY: f",.{SIGNIFICANT}~r",
    PERCENT: ",.1f",
    FRACTION: ",.1%",
    DEGREES: ",.2f",
    DURATION: ",.1f",
    COUNT: ",.0f",
    YEAR: "d",
}
# Chart axes: ticks are round numbers; up to six significant digits, trailing zeros dropped,
# never an exponent (plotly's default writes 1e-6 or 1µ).
D3_AXIS = ",~r"

# Number formats of XLSX cells: the cell holds the full stored value, the format only says how
# it reads. Intensities and small activities get their decimals per cell (``xlsx_format``).
XLSX_FORMATS = {
    INTENSITY: "#,##0.00",
    EMISSIONS: "#,##0",
    ACTIVITY: "#,##0",
    QUANTITY: "#,##0.###",
    PERCENT: "#,##0.0",
    FRACTION: "0.0%",
    DEGREES: "0.00",
    DURATION: "0.0",
    COUNT: "#,##0",
    YEAR: "0",
}

# The data contract's column names (CLI outputs, API) and their kinds.
_CONTRACT_KINDS = {
    "year": YEAR,
    "next_milestone": YEAR,
    "activity": ACTIVITY,
    "emissions": EMISSIONS,
    "excess_emissions": EMISSIONS,
    "cumulative_excess": EMISSIONS,
    "fair_share_emissions": EMISSIONS,
    "sector_curve_emissions": EMISSIONS,
    "gap_emissions": EMISSIONS,
    "intensity": INTENSITY,
    "sector_intensity": INTENSITY,
    "target_intensity": INTENSITY,
    "gap": INTENSITY,
    "gap_pct": FRACTION,
    "required_rate": FRACTION,
    "coverage": FRACTION,
    "years_behind": DURATION,
    "companies": COUNT,
    "quartile": COUNT,
    "implied_temperature": DEGREES,
    "temperature": DEGREES,
}
_UNIT = re.compile(r"\((?P<unit>(?:[^()]|\([^()]*\))*)\)\s*$")  # the last "(...)", one level deep


def kind_of_header(header: object) -> str:
    """The kind of quantity of a table column, from its header: a display header with its
    unit in brackets ("Emissions (t CO2e)", "Gap to target (% of target)", "Year") or a data
    contract column name ("gap_pct"). A unit of emissions per something ("t CO2e/(t Steel)")
    makes an intensity, any other unit a quantity; no unit, text."""
    name = str(header).strip()
    if name.lower() in _CONTRACT_KINDS:
        return _CONTRACT_KINDS[name.lower()]
    lowered = name.lower()
    if lowered in ("year", "companies") or lowered.startswith("peer quartile"):
        return YEAR if lowered == "year" else COUNT
    match = _UNIT.search(name)
    if match is None:
        return TEXT
    unit = match.group("unit").strip()
    if unit in ("year", "years") or unit.startswith("year"):
        return YEAR if unit == "year" else DURATION
    if unit.startswith("%"):
        return PERCENT
    if unit in ("°C", "degC"):
        return DEGREES
    if unit in ("t CO2e", "t CO2"):
        return EMISSIONS
    if lowered.startswith("activity"):
        return ACTIVITY
    return INTENSITY if "CO2" in unit and "/" in unit else QUANTITY


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _fixed(value: float, decimals: int) -> str:
    """``value`` rounded to ``decimals`` places, thousands separated, never in exponent form
    and never "-0"."""
    # Halves away from zero, as spreadsheets and plotly.js round (2.5 -> 3, 0.125 -> 0.13).
    rounded = Decimal(repr(float(value))).quantize(_quantum(decimals), ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)
    if LOCALE == "en":
        # In English, what babel's format_decimal writes for this rounded value is Python's
        # own grouping (tested against babel): a seventh of its time per cell.
        return format(rounded, f",.{decimals}f")
    # Babel's format_decimal, with the pattern parsed and the locale read once.
    return _pattern(decimals).apply(rounded, _LOCALE, decimal_quantization=True)


@functools.cache
def _pattern(decimals: int) -> NumberPattern:
    return parse_pattern("#,##0" + ("." + "0" * decimals if decimals > 0 else ""))


@functools.cache
def _quantum(decimals: int) -> Decimal:
    return Decimal(1).scaleb(-decimals)


def significant_decimals(value: float, digits: int = SIGNIFICANT) -> int:
    """How many decimals show ``digits`` significant digits of ``value`` (0 from
    10 ** digits up): 0.000123456 -> 6, 2.5 -> 2, 1234.5 -> 0."""
    if value == 0 or not math.isfinite(value):
        return digits - 1
    exponent = math.floor(math.log10(abs(value)))
    decimals = digits - 1 - exponent
    # Rounding may carry into a new digit (0.9996 -> 1.00): count from the rounded value.
    rounded = round(abs(value), max(decimals, 0))
    if rounded and math.floor(math.log10(rounded)) > exponent:
        decimals -= 1
    return max(decimals, 0)


def significant(value: float, digits: int = SIGNIFICANT) -> str:
    """``value`` to ``digits`` significant digits: 0.000123456 -> "0.000123", 1234.5 ->
    "1,230", 2 -> "2.00"."""
    number = float(value)
    if number == 0:
        return "0"
    decimals = significant_decimals(number, digits)
    if decimals == 0:
        exponent = math.floor(math.log10(abs(number))) if number else 0
        step = 10 ** max(exponent + 1 - digits, 0)
        return _fixed(round(number / step) * step, 0)
    return _fixed(number, decimals)


def _finite(value: object) -> float | None:
    if _missing(value) or isinstance(value, bool) or not isinstance(value, numbers.Real):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def intensity(value: object) -> str:
    """An intensity to 3 significant digits (the unit is said beside it)."""
    number = _finite(value)
    return "" if number is None else significant(number)


def activity(value: object) -> str:
    """Activity: whole units from a thousand up (12,345,678), else 3 significant digits."""
    number = _finite(value)
    if number is None:
        return ""
    return _fixed(number, 0) if abs(number) >= 1000 else significant(number)


EMISSION_SCALES = ((1e6, "Mt"), (1e3, "kt"), (1.0, "t"))


def emissions_scale(largest: float) -> tuple[float, str]:
    """The divisor and unit prefix that write emissions of magnitude ``largest`` (t): Mt from
    a million tonnes up, kt from a thousand, else t."""
    size = abs(largest) if math.isfinite(largest) else 0.0
    return next(((d, u) for d, u in EMISSION_SCALES if size >= d), (1.0, "t"))


def tonnes(value: object, gas: str = "CO2e") -> str:
    """Emissions in t, kt or Mt by size, unit shown: 37977712 -> "38.0 Mt CO2e", 6509.7 ->
    "6.5 kt CO2e"; under a thousand tonnes as ``quantity`` writes them: 512.4 -> "512 t
    CO2e", 17.5 -> "17.5 t CO2e"."""
    number = _finite(value)
    if number is None:
        return ""
    divisor, prefix = emissions_scale(number)
    text = quantity(number) if prefix == "t" else _fixed(number / divisor, 1)
    return f"{text} {prefix} {gas}".rstrip()


def megatonnes(value: object, gas: str = "CO2e") -> str:
    """Emissions in Mt for headlines, one decimal (37977712 -> "38.0 Mt CO2e"); below
    0.05 Mt, as ``tonnes`` writes them (12345 -> "12.3 kt CO2e"), so nothing reads as zero."""
    number = _finite(value)
    if number is None:
        return ""
    if number != 0 and abs(number) < 50_000:
        return tonnes(number, gas)
    return f"{_fixed(number / 1e6, 1)} Mt {gas}".rstrip()


def quantity(value: object) -> str:
    """Any other figure with a unit: up to 3 significant digits without trailing zeros, the
    whole part in full: 70.0 -> "70", 2.5 -> "2.5", 0.0001234 -> "0.000123", 12345.6 ->
    "12,346"."""
    number = _finite(value)
    if number is None:
        return ""
    if abs(number) >= 1000:
        return _fixed(number, 0)
    text = significant(number)
    return text.rstrip("0").rstrip(".") if "." in text else text


def percent(value: object, signed: bool = False) -> str:
    """A share as a percentage to one decimal: 0.123 -> "12.3%", 12.345 -> "1,234.5%";
    ``signed`` writes "+" before a positive value."""
    number = _finite(value)
    if number is None:
        return ""
    text = _fixed(number * 100, 1)
    return ("+" if signed and not text.startswith("-") and text != "0.0" else "") + text + "%"


def degrees(value: object) -> str:
    """A temperature to two decimals: 1.6543 -> "1.65 °C"."""
    number = _finite(value)
    return "" if number is None else f"{_fixed(number, 2)} °C"


def count(value: object) -> str:
    """A count, whole and thousands separated: 1234 -> "1,234"."""
    number = _finite(value)
    return "" if number is None else _fixed(number, 0)


def years(value: object) -> str:
    """Years behind, to one decimal: 3.99 -> "4.0"."""
    number = _finite(value)
    return "" if number is None else _fixed(number, 1)


def year(value: object) -> str:
    """A calendar year, whole, without separator: 2030.0 -> "2030"."""
    number = _finite(value)
    return "" if number is None else str(int(round(number)))


def as_kind(value: object, kind: str) -> str:
    """``value`` written by the rule of ``kind`` without unit (a table's header carries it);
    text as it is, blank where missing."""
    if _missing(value):
        return ""
    if _finite(value) is None:
        return str(value)
    if kind == INTENSITY:
        return intensity(value)
    if kind == ACTIVITY:
        return activity(value)
    if kind == QUANTITY:
        return quantity(value)
    if kind == FRACTION:
        return percent(value)
    if kind == YEAR:
        return year(value)
    if kind in _DECIMALS:
        return _fixed(float(value), _DECIMALS[kind])  # type: ignore[arg-type]
    return significant(float(value))  # type: ignore[arg-type]


def cell(value: object, header: object = "") -> str:
    """A table cell as text by its column's header (``kind_of_header``)."""
    return as_kind(value, kind_of_header(header))


def table_rows(frame: pd.DataFrame) -> list[list[str]]:
    """The rows of ``frame`` as text, each cell as ``cell`` writes it: the kind worked out
    once per column, not per cell."""
    kinds = [kind_of_header(name) for name in frame.columns]
    columns = [
        [as_kind(value, kind) for value in frame.iloc[:, i].tolist()]
        for i, kind in enumerate(kinds)
    ]
    return [list(row) for row in zip(*columns, strict=True)]


def xlsx_format(kind: str, value: object) -> str | None:
    """The number format of an XLSX cell of ``kind`` holding ``value``; None for text.
    Intensities (and activity under a thousand) get the decimals of 3 significant digits
    of their own value, as the page shows them."""
    number = _finite(value)
    if number is None or kind == TEXT:
        return None
    if kind == INTENSITY or (kind == ACTIVITY and abs(number) < 1000):
        decimals = significant_decimals(number)
        return "#,##0" + ("." + "0" * decimals if decimals else "")
    return XLSX_FORMATS.get(kind, "#,##0.00")
