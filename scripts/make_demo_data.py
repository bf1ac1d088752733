"""Generate the fictional demo platforms and company trajectories in data/demo/.

The app needs believable data to show before any real company submits: a few companies per
sector whose intensities sit around the sector's TPI 1.5 Degrees curve and behave differently
(aligned, behind, catching up late, stalling), so every status and chart has something to show.
All companies are invented; every name ends with " (fictional)". A fixed seed makes the
output identical on every run.

    .venv/bin/python scripts/make_demo_data.py [--pathways FILE] [--out DIR]
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_PATHWAYS = REPO_ROOT / "data" / "pathways" / "tpi.csv"
DEFAULT_OUT = REPO_ROOT / "data" / "demo"

SEED = 20250601
CURVE_SCENARIO = "TPI 1.5 Degrees"
BASE_YEAR = 2019
STALL_YEAR = 2030
FINAL_YEAR = 2050
REPORTED_YEARS = np.arange(BASE_YEAR, 2025)
PLANNED_YEARS = np.arange(2025, FINAL_YEAR + 1, 5)

# Reported history wobbles a little around each company's path; the clip keeps an aligned
# company's wobble (at most 2 % between two years) below its yearly margin to the curve.
INTENSITY_NOISE_SD, INTENSITY_NOISE_CLIP = 0.005, 0.01
ACTIVITY_NOISE_SD, ACTIVITY_NOISE_CLIP = 0.01, 0.02
ACTIVITY_GROWTH_RANGE = (-0.01, 0.025)

# An aligned company keeps its intensity at a falling fraction of the curve (2.5 % a year, down
# to 85 % of its starting ratio); a late mover lands just under the curve's final value.
ALIGNED_CUT, ALIGNED_FLOOR = 0.025, 0.85
LATE_LANDING = 0.95

TRAJECTORY_COLUMNS = [
    "company",
    "sector",
    "region",
    "scope",
    "year",
    "activity",
    "activity_unit",
    "emissions",
    "emissions_unit",
    "kind",
]
PLATFORM_COLUMNS = [
    "slug",
    "name",
    "sector",
    "region",
    "scope",
    "stage",
    "net_zero_year",
    "vision",
    "is_public",
    "treat_co2_as_co2e",
    "trajectories",
]


@dataclass(frozen=True)
class Company:
    """One fictional company and how its intensity moves relative to the sector curve.

    behaviour: `aligned` (stays at or below the curve), `behind` (starts above it and cuts at a
    constant `rate` a year, too slowly), `late` (cuts at `rate` until 2030, then steeply to just
    under the curve's 2050 value) or `stall` (cuts at `rate` until 2030, then plans flat).
    base_ratio is its 2019 intensity over the curve's 2019 value.
    """

    name: str
    behaviour: str
    base_ratio: float
    rate: float = 0.0
    reports_in_millions: bool = False


@dataclass(frozen=True)
class SectorDemo:
    """A sector platform's demo set: units, activity scale and its companies.

    tonnes_per_unit converts intensity unit x activity unit into t CO2e (1e-6 for g/tkm x tkm).
    """

    slug: str
    sector: str
    scope: str
    activity_unit: str
    tonnes_per_unit: float
    activity_range: tuple[float, float]
    companies: tuple[Company, ...]
    region: str = "Global"
    emissions_unit: str = "t CO2e"
    # (year, intensity) of a sector with no published scenario (a sector made in the
    # browser): the curve its companies follow, linear between the years, instead of TPI's.
    curve: tuple[tuple[int, float], ...] = ()


SECTORS = (
    SectorDemo(
        slug="steel",
        sector="Steel",
        scope="S1S2",
        activity_unit="t Steel",
        tonnes_per_unit=1.0,
        activity_range=(4e6, 3.5e7),
        companies=(
            Company("Northwind Steel (fictional)", "aligned", 0.82),
            Company("Ashgrove Steelworks (fictional)", "aligned", 0.96),
            Company("Emberfield Steel (fictional)", "behind", 1.22, rate=0.02),
            # Reports in Mt Steel / Mt CO2e so that imports must convert units.
            Company("Cinderhill Metals (fictional)", "behind", 1.38, 0.012, True),
            Company("Forgecombe Steel (fictional)", "late", 1.12, rate=0.01),
            # The staller: cuts 4 % a year until 2030, then plans flat intensity to 2050.
            Company("Ironvale Works (fictional)", "stall", 1.05, rate=0.04),
        ),
    ),
    SectorDemo(
        slug="cement",
        sector="Cement",
        scope="S1",
        activity_unit="t Cement",
        tonnes_per_unit=1.0,
        activity_range=(3e6, 6e7),
        companies=(
            Company("Chalkridge Cement (fictional)", "aligned", 0.86),
            Company("Limebrook Cement (fictional)", "behind", 1.18, rate=0.015),
            Company("Kilnhaven Building Materials (fictional)", "behind", 1.34, rate=0.01),
            Company("Pebblemoor Cement (fictional)", "late", 1.08, rate=0.01),
            # The staller: cuts 3 % a year until 2030, then plans flat intensity to 2050.
            Company("Clinkerdale Cement (fictional)", "stall", 0.98, rate=0.03),
        ),
    ),
    SectorDemo(
        slug="shipping",
        sector="Shipping",
        scope="S1",
        activity_unit="tkm",
        tonnes_per_unit=1e-6,
        activity_range=(1e10, 8e10),
        companies=(
            Company("Gullwing Shipping (fictional)", "aligned", 0.84),
            Company("Kelpford Lines (fictional)", "late", 0.9, rate=0.01),
            Company("Brinecrest Bulk Carriers (fictional)", "behind", 1.26, rate=0.02),
            Company("Stormpetrel Tankers (fictional)", "behind", 1.4, rate=0.03),
            # The staller: cuts 4.5 % a year until 2030, then plans flat intensity to 2050.
            Company("Halyard Maritime (fictional)", "stall", 1.1, rate=0.045),
        ),
    ),
    # A sector made in the browser ("other industries"): no published scenario, the platform's
    # own roadmap (GLASS_ROADMAP, seeded from stages.json) is the curve.
    SectorDemo(
        slug="glass",
        sector="Glass",
        scope="S1S2",
        activity_unit="t Glass",
        tonnes_per_unit=1.0,
        activity_range=(2e5, 2e6),
        companies=(
            Company("Clearwater Glass (fictional)", "aligned", 0.9),
            Company("Fenwick Glassworks (fictional)", "behind", 1.2, rate=0.015),
            Company("Lumen Float Glass (fictional)", "late", 1.1, rate=0.01),
        ),
        curve=(
            (2019, 0.62),
            (2020, 0.6),
            (2025, 0.52),
            (2030, 0.42),
            (2035, 0.31),
            (2040, 0.2),
            (2045, 0.1),
            (2050, 0.03),
        ),
    ),
)

PLATFORMS = (
    (
        "steel",
        3,
        "The fictional members of this demo platform commit to near-zero-emission steel by 2050, "
        "with their first near-zero primary plants running before 2030.",
    ),
    (
        "cement",
        2,
        "The fictional members of this demo platform aim for net-zero cement and concrete by "
        "2050 through clinker substitution, alternative fuels and carbon capture.",
    ),
    (
        "shipping",
        1,
        "The fictional members of this demo platform aim for fleets running on zero-emission "
        "fuels by 2050.",
    ),
    (
        "glass",
        2,
        "The fictional members of this demo coalition aim for net-zero glass by 2050 through "
        "electric melting, more cullet and low-carbon fuels.",
    ),
    (
        "aluminium",
        1,
        "The fictional members of this demo platform aim for net-zero aluminium by 2050 on "
        "clean power and inert-anode smelting.",
    ),
)
PLATFORM_SCOPES = {"aluminium": ("Aluminium", "S1S2")}


def load_curve(pathways: Path, demo: SectorDemo) -> pd.Series:
    """Read the sector's TPI 1.5 Degrees intensity by year: the yardstick the companies follow
    (a sector with a curve of its own: that curve, linear between its years)."""
    if demo.curve:
        years, values = zip(*demo.curve, strict=True)
        every = np.arange(years[0], years[-1] + 1)
        return pd.Series(np.interp(every, years, values), index=every)
    frame = pd.read_csv(pathways)
    rows = frame[
        (frame["sector"] == demo.sector)
        & (frame["scenario"] == CURVE_SCENARIO)
        & (frame["region"] == demo.region)
        & (frame["scope"] == demo.scope)
    ]
    if rows.empty:
        raise ValueError(f"{pathways}: no {CURVE_SCENARIO} {demo.sector} {demo.scope} curve")
    return rows.set_index("year")["intensity"].sort_index()


def planned_intensity(company: Company, curve: pd.Series, years: np.ndarray) -> np.ndarray:
    """Noise-free intensity path of a company at the given years, in the curve's unit."""
    base = company.base_ratio * curve[BASE_YEAR]
    elapsed = years - BASE_YEAR
    if company.behaviour == "aligned":
        ratio = company.base_ratio * np.maximum(ALIGNED_FLOOR, 1 - ALIGNED_CUT * elapsed)
        return ratio * curve.loc[years].to_numpy()
    if company.behaviour == "behind":
        return base * (1 - company.rate) ** elapsed
    cut_until_stall = base * (1 - company.rate) ** np.minimum(elapsed, STALL_YEAR - BASE_YEAR)
    if company.behaviour == "stall":
        return cut_until_stall
    if company.behaviour == "late":
        at_stall = base * (1 - company.rate) ** (STALL_YEAR - BASE_YEAR)
        landing = LATE_LANDING * curve[FINAL_YEAR]
        share = np.clip((years - STALL_YEAR) / (FINAL_YEAR - STALL_YEAR), 0, 1)
        catching_up = at_stall * (landing / at_stall) ** share
        return np.where(years <= STALL_YEAR, cut_until_stall, catching_up)
    raise ValueError(f"{company.name}: unknown behaviour {company.behaviour!r}")


def clipped_noise(rng: np.random.Generator, size: int, sd: float, clip: float) -> np.ndarray:
    """Multiplicative wobble 1 + e, e normal but bounded so it cannot flip a behaviour."""
    return 1 + np.clip(rng.normal(0, sd, size), -clip, clip)


def round_significant(values: np.ndarray, digits: int = 6) -> np.ndarray:
    """Round to significant digits: the values span 1e0 to 1e10, so decimals would not do."""
    return np.array([float(f"{value:.{digits}g}") for value in values])


def reporting_units(company: Company, demo: SectorDemo) -> tuple[float, str, str]:
    """(scale from tonnes, activity unit, emissions unit) the company reports in.

    A company reporting in millions writes 'Mt Steel' / 'Mt CO2e'; only tonne-based units
    have that spelling, so anything else is refused.
    """
    units = (demo.activity_unit, demo.emissions_unit)
    if not company.reports_in_millions:
        return 1.0, *units
    if not all(unit.startswith("t ") for unit in units):
        raise ValueError(f"{company.name}: no million-tonne form of {units}")
    return 1e-6, *("M" + unit for unit in units)


def company_frame(
    company: Company, demo: SectorDemo, curve: pd.Series, rng: np.random.Generator
) -> pd.DataFrame:
    """One company's reported (2019-2024, with noise) and planned (2025-2050) rows."""
    years = np.concatenate([REPORTED_YEARS, PLANNED_YEARS])
    reported = years < PLANNED_YEARS[0]
    base_activity = rng.uniform(*demo.activity_range)
    growth = rng.uniform(*ACTIVITY_GROWTH_RANGE)
    activity = base_activity * (1 + growth) ** (years - BASE_YEAR)
    intensity = planned_intensity(company, curve, years)
    n_reported = int(reported.sum())
    activity[reported] *= clipped_noise(rng, n_reported, ACTIVITY_NOISE_SD, ACTIVITY_NOISE_CLIP)
    intensity[reported] *= clipped_noise(rng, n_reported, INTENSITY_NOISE_SD, INTENSITY_NOISE_CLIP)
    emissions = intensity * activity * demo.tonnes_per_unit
    scale, activity_unit, emissions_unit = reporting_units(company, demo)
    return pd.DataFrame(
        {
            "company": company.name,
            "sector": demo.sector,
            "region": demo.region,
            "scope": demo.scope,
            "year": years,
            "activity": round_significant(activity * scale),
            "activity_unit": activity_unit,
            "emissions": round_significant(emissions * scale),
            "emissions_unit": emissions_unit,
            "kind": np.where(reported, "reported", "planned"),
        },
        columns=TRAJECTORY_COLUMNS,
    )


def sector_frame(demo: SectorDemo, curve: pd.Series, rng: np.random.Generator) -> pd.DataFrame:
    """All companies of one sector, sorted by company then year."""
    frames = [company_frame(company, demo, curve, rng) for company in demo.companies]
    frame = pd.concat(frames, ignore_index=True)
    return frame.sort_values(["company", "year"], ignore_index=True)


def trajectories_name(slug: str) -> str:
    return f"trajectories_{slug}.csv"


def platforms_frame() -> pd.DataFrame:
    """One row per demo platform; only sectors with demo companies get a trajectories file."""
    demos = {demo.slug: demo for demo in SECTORS}
    rows = []
    for slug, stage, vision in PLATFORMS:
        demo = demos.get(slug)
        sector, scope = (demo.sector, demo.scope) if demo else PLATFORM_SCOPES[slug]
        rows.append(
            {
                "slug": slug,
                "name": f"{sector} (demo platform)",
                "sector": sector,
                "region": "Global",
                "scope": scope,
                "stage": stage,
                "net_zero_year": FINAL_YEAR,
                "vision": vision,
                # One private platform, so the demo shows what anonymous visitors do not see.
                "is_public": "false" if slug == "shipping" else "true",
                # The demo companies report CO2e and are drawn against TPI's curves, which are
                # CO2: the platforms state that the two may be compared (the dashboards say so).
                # Glass has its own roadmap, in CO2e like its companies.
                "treat_co2_as_co2e": "false" if slug == "glass" else "true",
                "trajectories": trajectories_name(slug) if demo else "",
            }
        )
    return pd.DataFrame(rows, columns=PLATFORM_COLUMNS)


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """Write with newline line ends so the files are byte-identical across platforms."""
    frame.to_csv(path, index=False, lineterminator="\n")
    print(f"wrote {path} ({len(frame)} rows)")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Where the TPI curves are read from and where the demo files go."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pathways", type=Path, default=DEFAULT_PATHWAYS, help="tpi.csv")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Write one trajectory file per sector and the platforms file, all from one seeded rng."""
    args = parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(SEED)
    for demo in SECTORS:
        curve = load_curve(args.pathways, demo)
        write_csv(sector_frame(demo, curve, rng), args.out / trajectories_name(demo.slug))
    write_csv(platforms_frame(), args.out / "platforms.csv")
    return 0


if __name__ == "__main__":
    sys.exit(main())
