"""How roadmap.backup writes each kind of value and reads it back (the module's table)."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from roadmap.backup import decode, encode

MOMENT = datetime(2026, 3, 1, 9, 30, 15, 123456, tzinfo=UTC)


@pytest.mark.parametrize(
    ("kind", "value", "written"),
    [
        ("int", 2147483647, 2147483647),
        ("bool", False, False),
        ("float", 0.1 + 0.2, 0.30000000000000004),
        ("float", 1.7976931348623157e308, 1.7976931348623157e308),
        ("float", math.inf, "Infinity"),
        ("float", -math.inf, "-Infinity"),
        ("datetime", MOMENT, "2026-03-01T09:30:15.123456+00:00"),
        # SQLite hands back timestamps in UTC without an offset.
        ("datetime", MOMENT.replace(tzinfo=None), "2026-03-01T09:30:15.123456+00:00"),
        ("date", date(2024, 2, 29), "2024-02-29"),
        ("bytes", b"\x00\xff", "AP8="),
        ("str", 'é "x"\n', 'é "x"\n'),
        ("json", {"a": [1, None]}, {"a": [1, None]}),
        ("int", None, None),
    ],
)
def test_values_are_written_and_read_back_the_same(kind, value, written):
    assert encode(kind, value) == written
    restored = decode(kind, written)
    expected = value.replace(tzinfo=UTC) if kind == "datetime" and value.tzinfo is None else value
    assert restored == expected and type(restored) is type(expected)


def test_not_a_number_reads_back_as_not_a_number():
    assert encode("float", math.nan) == "NaN" and math.isnan(decode("float", "NaN"))


def test_a_timestamp_at_another_offset_is_read_as_the_same_instant_in_utc():
    restored = decode("datetime", "2026-03-01T11:30:15.123456+02:00")
    assert restored == MOMENT and restored.utcoffset() == timedelta(0)
    assert encode("datetime", MOMENT.astimezone(timezone(timedelta(hours=-5)))) == (
        "2026-03-01T09:30:15.123456+00:00"
    )


@pytest.mark.parametrize(
    ("kind", "written", "message"),
    [
        ("int", "1", '"1" is not of type int'),
        ("int", True, "true is not of type int"),
        ("float", "1.5", "'1.5' is not a number"),
        ("bool", 1, "1 is not of type bool"),
        ("datetime", "2026-03-01T09:30:15", "has no UTC offset"),
        ("date", "29 February", "Invalid isoformat string"),
        ("bytes", "not base64!", "'not base64!' is not base64"),
    ],
)
def test_a_value_that_does_not_fit_its_column_is_refused(kind, written, message):
    with pytest.raises(ValueError, match=message):
        decode(kind, written)
