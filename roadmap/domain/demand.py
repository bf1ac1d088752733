"""Committed near-zero demand against the supply the project pipeline promises.

A demand signal commits a buyer to a volume per year (in the sector's activity unit, converted
by the caller) from its first to its last year. At each milestone year:

- committed demand D(y) = the sum of the volumes of the signals that cover y;
- expected near-zero supply S(y) = u x C(y), where C(y) is the pipeline's projected capacity
  (roadmap.domain.pipeline.projection, weighted by status) and u the stated utilisation, the
  share of its capacity a plant is expected to run at;
- the balance S(y) - D(y): a surplus where positive, a shortfall where negative.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

COMMITMENTS = ("offtake agreement", "procurement pledge", "target share of purchases")


class DemandError(ValueError):
    """A utilisation that is not a share, or a signal that ends before it starts."""


@dataclass(frozen=True)
class Signal:
    volume: float  # per year, in the sector's activity unit
    first_year: int
    last_year: int

    def covers(self, year: int) -> bool:
        return self.first_year <= year <= self.last_year


@dataclass(frozen=True)
class Balance:
    year: int
    demand: float
    capacity: float  # projected near-zero capacity
    supply: float  # capacity x utilisation
    signals: int  # how many signals make up the demand

    @property
    def difference(self) -> float:
        """Supply minus demand: a surplus where positive, a shortfall where negative."""
        return self.supply - self.demand


def check_utilisation(utilisation: float) -> float:
    if not (0 < utilisation <= 1):  # also refuses NaN
        raise DemandError(f"utilisation {utilisation} is not a share above 0 and at most 1")
    return float(utilisation)


def committed(signals: Iterable[Signal], year: int) -> tuple[float, int]:
    """The volume committed for ``year`` and the number of signals it comes from."""
    covering = [s for s in signals if s.covers(year)]
    return float(sum(s.volume for s in covering)), len(covering)


def balance(
    signals: Iterable[Signal], capacity: Mapping[int, float], utilisation: float
) -> list[Balance]:
    """Demand against supply at each year of ``capacity`` (the projected capacity by
    milestone year), in year order."""
    utilisation = check_utilisation(utilisation)
    signals = list(signals)
    for s in signals:
        if s.last_year < s.first_year:
            raise DemandError(f"a signal ends in {s.last_year}, before it starts in {s.first_year}")
    out = []
    for year in sorted(capacity):
        demand, count = committed(signals, year)
        out.append(Balance(year, demand, capacity[year], capacity[year] * utilisation, count))
    return out


def in_words(row: Balance, utilisation: float, amount: Callable[[float], str]) -> str:
    """One milestone's balance as a sentence; ``amount`` writes a volume with its unit."""
    head = (
        f"{row.year}: committed demand {amount(row.demand)}, expected near-zero supply "
        f"{amount(row.supply)} (capacity {amount(row.capacity)} at "
        f"{utilisation * 100:.0f}% utilisation)"
    )
    if row.demand == 0 and row.supply == 0:
        return f"{head}: nothing committed and nothing expected."
    if math.isclose(row.supply, row.demand, rel_tol=1e-9, abs_tol=1e-9):
        return f"{head}: supply meets demand exactly."
    if row.difference < 0:
        return f"{head}: {amount(-row.difference)} short."
    return f"{head}: {amount(row.difference)} to spare."
