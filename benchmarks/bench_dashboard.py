"""Benchmark: the platform dashboard of a platform with N synthetic Steel companies.

Run on demand (never in the test suite):

    .venv/bin/python benchmarks/bench_dashboard.py [--companies 500] [--repeat 20] [--changes 5]

It builds a fresh database (a SQLite file in a temporary folder), migrates it, imports
the TPI pathways, stores one accepted submission of 32 years (2019-2050) for each of N
companies, then requests ``/platforms/bench/dashboard`` through Flask's test client: as the
platform's coordinator (every company named: the heaviest page) and anonymously (the public
variant). For each it reports the first request's time (the coordinator's is cold: nothing
is cached yet; the anonymous one then reuses the reconciliation), the server time (best and
median of ``--repeat`` requests after one warm-up), the first request after a change of the
data (median over ``--changes`` changes, each a new accepted version of one company), the HTML
size (plotly.js is a separate, cached file and not counted) and how many chart traces the page
carries, of which WebGL. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench_reconcile import load_pathways, synthetic_trajectories, timed

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlmodel import select  # noqa: E402

from roadmap import create_app, migrate  # noqa: E402
from roadmap.accounts.operations import create_user  # noqa: E402
from roadmap.db import get_engine, get_session  # noqa: E402
from roadmap.domain import columns as col  # noqa: E402
from roadmap.models import Platform  # noqa: E402
from roadmap.sectors.operations import get_or_create_sector, import_pathways  # noqa: E402
from roadmap.submissions.operations import create_submissions  # noqa: E402
from tests.factories import PlatformFactory, bind  # noqa: E402

PASSWORD = "benchmark passphrase"
COORDINATOR = "coordinator@bench.example"


def build(app, n_companies: int):  # type: ignore[no-untyped-def]
    pathways = load_pathways()
    with app.app_context():
        migrate.upgrade(get_engine())
        session = get_session()
        bind(session)
        import_pathways(pathways, session=session)
        sector = get_or_create_sector("Steel", "t CO2e/(t Steel)", session=session)
        platform = PlatformFactory(
            slug="bench",
            name="Benchmark steel",
            sector_id=sector.id,
            is_public=True,
            # The synthetic figures are in t CO2e, the TPI Steel curves in t CO2: read as
            # the same, as the demo steel platform does.
            treat_co2_as_co2e=True,
        )
        trajectories = synthetic_trajectories(n_companies, pathways, first_year=2019)
        create_submissions(
            trajectories, platform=platform, source="benchmark", status="accepted", session=session
        )
        create_user(
            session=session,
            email=COORDINATOR,
            password=PASSWORD,
            role="coordinator",
            platform_ids=[platform.id],
        )
        session.commit()
        bind(None)
    return trajectories


def change(app, trajectories, k: int) -> None:  # type: ignore[no-untyped-def]
    """A new accepted version of one company (the k-th), its last emissions figure 0.1 %
    higher: stored as accepted straight away, it changes the live figures and the published
    ones (the Initial round) alike."""
    companies = trajectories[col.COMPANY].unique()
    rows = trajectories[trajectories[col.COMPANY] == companies[k % len(companies)]].copy()
    rows.loc[rows.index[-1], col.EMISSIONS] *= 1 + 0.001 * (k + 1)
    with app.app_context():
        session = get_session()
        platform = session.exec(select(Platform).where(Platform.slug == "bench")).one()
        create_submissions(
            rows, platform=platform, source="benchmark", status="accepted", session=session
        )
        session.commit()


def after_changes(app, trajectories, clients, changes: int) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """Per viewer, the median time of the first request after a change of the data."""
    times: dict[str, list[float]] = {label: [] for label in clients}
    for k in range(changes):
        for label, client in clients.items():
            change(app, trajectories, len(times[label]) + k * len(clients))
            start = time.perf_counter()
            page = client.get("/platforms/bench/dashboard")
            times[label].append(time.perf_counter() - start)
            assert page.status_code == 200, page.status_code
    return {label: statistics.median(seconds) * 1000 for label, seconds in times.items()}


def measure(client, label: str, repeat: int) -> dict[str, object]:  # type: ignore[no-untyped-def]
    url = "/platforms/bench/dashboard"
    start = time.perf_counter()
    page = client.get(url)
    first = time.perf_counter() - start
    assert page.status_code == 200, page.status_code
    html = page.get_data()
    best, median = timed(lambda: client.get(url).get_data(), repeat)
    traces = len(re.findall(rb'"type":"(?:scatter|scattergl|heatmap|bar|waterfall)"', html))
    webgl = html.count(b'"type":"scattergl"')
    return {
        "viewer": label,
        "first_ms": first * 1000,
        "best_ms": best * 1000,
        "median_ms": median * 1000,
        "html_kb": len(html) / 1024,
        "traces": traces,
        "webgl": webgl,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--companies", type=int, nargs="+", default=[500])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument(
        "--changes", type=int, default=5, help="data changes timed (first request after each)"
    )
    args = parser.parse_args()
    rows = []
    for n in args.companies:
        with tempfile.TemporaryDirectory() as folder:
            app = create_app(
                {
                    "WTF_CSRF_ENABLED": False,
                    "SECRET_KEY": "benchmark",
                    "DATABASE_URL": f"sqlite:///{folder}/bench.sqlite3",
                }
            )
            trajectories = build(app, n)
            anonymous = app.test_client()
            coordinator = app.test_client()
            signed = coordinator.post(
                "/auth/login", data={"email": COORDINATOR, "password": PASSWORD}
            )
            assert signed.status_code == 302, "the coordinator could not sign in"
            clients = {"coordinator": coordinator, "anonymous": anonymous}
            measured = [
                {"companies": n, **measure(client, label, args.repeat)}
                for label, client in clients.items()
            ]
            changed = after_changes(app, trajectories, clients, args.changes)
            rows += [{**r, "changed_ms": changed[str(r["viewer"])]} for r in measured]
    print(
        "| companies | viewer | first request (ms) | server time best / median (ms) "
        "| first after a change, median (ms) | HTML (KB) | traces | WebGL |"
    )
    print("|---:|---|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(
            f"| {r['companies']:,} | {r['viewer']} | {r['first_ms']:.0f} "
            f"| {r['best_ms']:.0f} / {r['median_ms']:.0f} | {r['changed_ms']:.0f} "
            f"| {r['html_kb']:,.0f} | {r['traces']} | {r['webgl']} |"
        )


if __name__ == "__main__":
    main()
