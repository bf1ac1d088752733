"""Figures written as text without losing anything: what a form shows to edit must read back
as the very number that is stored."""

from __future__ import annotations

import math
from decimal import Decimal

import numpy as np


def exact_text(value: float | None) -> str:
    """The shortest decimal that reads back as exactly ``value`` (a double), never in
    scientific notation: 37977712.0 -> "37977712", 0.1 + 0.2 -> "0.30000000000000004",
    1e-7 -> "0.0000001". "" for None and NaN; "inf" and "-inf" for infinities (which
    validation refuses, so they are shown as they are)."""
    if value is None:
        return ""
    number = float(value)
    if math.isnan(number):
        return ""
    if math.isinf(number):
        return "inf" if number > 0 else "-inf"
    return np.format_float_positional(number, unique=True, trim="-")


def exact_grouped(value: float | None) -> str:
    """``exact_text`` with thousands separators in the whole part, for reading:
    37977712.3456789 -> "37,977,712.3456789"."""
    text = exact_text(value)
    if not text or text[-1] == "f":
        return text
    sign = "-" if text.startswith("-") else ""
    whole, _, fraction = text.lstrip("-").partition(".")
    return f"{sign}{int(whole):,}" + (f".{fraction}" if fraction else "")


def exact_difference(new: float | None, old: float | None) -> str:
    """``new - old`` as the exact difference of the two decimals ``exact_grouped`` shows, with
    its sign (150 - 149.9 -> "-0.1", where the doubles' own difference is
    -0.09999999999999432); "" where either is missing."""
    a, b = exact_text(new), exact_text(old)
    if not a or not b or a.endswith("f") or b.endswith("f"):
        return ""
    difference = Decimal(a) - Decimal(b)
    if difference == 0:
        return "0"
    text = format(difference, "f")
    sign = "+" if difference > 0 else "-"
    whole, _, fraction = text.lstrip("-").partition(".")
    fraction = fraction.rstrip("0")
    return f"{sign}{int(whole):,}" + (f".{fraction}" if fraction else "")
