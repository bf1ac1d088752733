"""Committed demand against expected near-zero supply (roadmap.domain.demand), worked on paper."""

from __future__ import annotations

import pytest

from roadmap.domain.demand import (
    Balance,
    DemandError,
    Signal,
    balance,
    check_utilisation,
    committed,
    in_words,
)

# In t Steel per year:
#   carmaker offtake 1.0 Mt from 2027 to 2035; appliance pledge 0.5 Mt in 2030 only;
#   builder target share 2.0 Mt from 2030 to 2050.
SIGNALS = [
    Signal(1_000_000, 2027, 2035),
    Signal(500_000, 2030, 2030),
    Signal(2_000_000, 2030, 2050),
]
# Projected capacity (the pipeline's projection by milestone): 2025 1.0 Mt, 2030 4.0 Mt,
# 2035 4.0 Mt, 2040 5.0 Mt.
CAPACITY = {2030: 4_000_000.0, 2025: 1_000_000.0, 2035: 4_000_000.0, 2040: 5_000_000.0}


def test_committed_demand_counts_the_signals_covering_the_year() -> None:
    assert committed(SIGNALS, 2025) == (0.0, 0)
    assert committed(SIGNALS, 2030) == (3_500_000.0, 3)  # 1.0 + 0.5 + 2.0
    assert committed(SIGNALS, 2035) == (3_000_000.0, 2)  # 1.0 + 2.0
    assert committed(SIGNALS, 2040) == (2_000_000.0, 1)


def test_the_balance_at_each_milestone() -> None:
    # Supply = capacity x 0.85: 2025 0.85 Mt, 2030 3.4 Mt, 2035 3.4 Mt, 2040 4.25 Mt.
    # 2030: 3.4 - 3.5 = -0.1 Mt (short); 2035: 3.4 - 3.0 = +0.4 Mt; 2040: 4.25 - 2.0 = 2.25 Mt.
    rows = balance(SIGNALS, CAPACITY, 0.85)
    assert [r.year for r in rows] == [2025, 2030, 2035, 2040]
    assert [r.demand for r in rows] == [0.0, 3_500_000.0, 3_000_000.0, 2_000_000.0]
    assert [r.supply for r in rows] == [850_000.0, 3_400_000.0, 3_400_000.0, 4_250_000.0]
    assert [round(r.difference) for r in rows] == [850_000, -100_000, 400_000, 2_250_000]


def mt(value: float) -> str:
    return f"{value / 1e6:g} Mt"


def test_the_balance_in_words() -> None:
    short, spare = balance(SIGNALS, {2030: 4e6, 2040: 5e6}, 0.85)
    assert in_words(short, 0.85, mt) == (
        "2030: committed demand 3.5 Mt, expected near-zero supply 3.4 Mt "
        "(capacity 4 Mt at 85% utilisation): 0.1 Mt short."
    )
    assert in_words(spare, 0.85, mt).endswith(": 2.25 Mt to spare.")
    even = Balance(2030, 2e6, 2.5e6, 2e6, 1)
    assert in_words(even, 0.8, mt).endswith(": supply meets demand exactly.")
    assert in_words(Balance(2025, 0, 0, 0, 0), 0.85, mt).endswith(
        ": nothing committed and nothing expected."
    )


@pytest.mark.parametrize("utilisation", [0, -0.1, 1.2, float("nan")])
def test_a_utilisation_that_is_no_share_is_refused(utilisation: float) -> None:
    with pytest.raises(DemandError, match="is not a share above 0 and at most 1"):
        check_utilisation(utilisation)


def test_a_signal_ending_before_it_starts_is_refused() -> None:
    with pytest.raises(DemandError, match="ends in 2029, before it starts in 2030"):
        balance([Signal(1.0, 2030, 2029)], CAPACITY, 0.85)
