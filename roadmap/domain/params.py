"""What a reconciliation is asked to do, importable without pandas (the command line reads the
choices before it knows whether it will compute anything)."""

from __future__ import annotations

from dataclasses import dataclass

from roadmap.domain.errors import ReconcileError

SDA = "sda"
SDA_MARKET_SHARE = "sda-market-share"
METHODS = (SDA, SDA_MARKET_SHARE)
ADJUST_NONE = "none"
ADJUST_MARKET = "market"
ADJUSTMENTS = (ADJUST_NONE, ADJUST_MARKET)
EXTEND_NONE = "none"
EXTEND_FLAT = "flat"
EXTENSIONS = (EXTEND_NONE, EXTEND_FLAT)


@dataclass(frozen=True)
class ReconcileParams:
    """What to reconcile against. ``base_year`` None means the first year of the scenario's
    pathway for each sector. ``adjust_scenario="market"`` is the PACTA variant: the scenario
    is rescaled to the production-weighted mean intensity of the companies at the base year.
    ``extend="flat"`` holds a plan that ends before the scenario's final year N at its last
    activity and emissions (or intensity) to N, as TPI does; by default nothing is invented.
    ``treat_co2_as_co2e``: figures in CO2 and CO2e are relabelled to the scenario's basis
    instead of refused, and benchmarks of the other basis are ranked too; the notes say so."""

    scenario: str
    base_year: int | None = None
    method: str = SDA
    adjust_scenario: str = ADJUST_NONE
    extend: str = EXTEND_NONE
    # CO2 and CO2e figures may meet (relabelled, factor 1) only where the user says so.
    treat_co2_as_co2e: bool = False

    def __post_init__(self) -> None:
        if self.method not in METHODS:
            raise ReconcileError(f"unknown method '{self.method}'; use one of {METHODS}")
        if self.adjust_scenario not in ADJUSTMENTS:
            raise ReconcileError(f"unknown scenario adjustment '{self.adjust_scenario}'")
        if self.extend not in EXTENSIONS:
            raise ReconcileError(f"unknown extension '{self.extend}'; use one of {EXTENSIONS}")
