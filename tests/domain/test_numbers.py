"""Exact text of stored figures: no digit lost, no scientific notation."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from roadmap.domain.numbers import exact_difference, exact_grouped, exact_text


@pytest.mark.parametrize(
    ("value", "text", "grouped"),
    [
        (37977712.0, "37977712", "37,977,712"),
        (37977712.345678901, "37977712.3456789", "37,977,712.3456789"),
        (0.1 + 0.2, "0.30000000000000004", "0.30000000000000004"),
        (1e-7, "0.0000001", "0.0000001"),
        (1e16, "10000000000000000", "10,000,000,000,000,000"),
        (-1234.5, "-1234.5", "-1,234.5"),
        (0.0, "0", "0"),
        (250.0, "250", "250"),
        (None, "", ""),
        (math.nan, "", ""),
    ],
)
def test_exact_text(value, text, grouped):
    assert exact_text(value) == text
    assert exact_grouped(value) == grouped


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_exact_text_reads_back_as_the_same_double(value):
    text = exact_text(value)
    assert "e" not in text
    assert float(text) == value
    assert float(exact_grouped(value).replace(",", "")) == value


@pytest.mark.parametrize(
    ("new", "old", "text"),
    [
        (150.0, 149.9, "+0.1"),  # the doubles' own difference is 0.09999999999999432
        (120.0, 150.0, "-30"),
        (250.0, 250.0, "0"),
        (37977712.5, 1.25, "+37,977,711.25"),
        (None, 1.0, ""),
        (math.nan, 1.0, ""),
    ],
)
def test_exact_difference(new, old, text):
    assert exact_difference(new, old) == text
