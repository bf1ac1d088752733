"""Benchmark: the app under load, served by gunicorn (2 workers) on a database of its own.

Run on demand (never in the test suite):

    .venv/bin/python benchmarks/bench_load.py [--seconds 10] [--sqlite]

It drops and recreates the PostgreSQL database ``roadmap_bench`` on 127.0.0.1:5432 (or, with
``--sqlite``, uses a SQLite file in a temporary folder), migrates it, seeds the demo data,
adds a member (with an API token) for each demo steel company, starts gunicorn with 2 workers
on a free port and measures, at 10 concurrent connections for ``--seconds`` each: the home
page, the public steel dashboard, the steel coordinator's dashboard (signed in: session
cookie) and the API's steel reconciliation (the coordinator's bearer token). Each is warmed
first (every worker builds its pages once), so the figures are the warm ones.

Then 20 submitters post new versions through the API for 30 s (each a steel company's member;
several per company at once) and the database is checked: no 5xx answers, and each company's
versions are 1..n with no gap and no repeat, as many new ones as posts answered 201.

Load comes from wrk (``apt-get install -y wrk`` on Debian/Ubuntu, ``brew install wrk`` on
macOS, or https://github.com/wg/wrk) where it is installed; else from a Python load generator
(threads, one persistent http.client connection each), which itself uses CPU on this machine
and so reads lower. The table printed compares each figure with its goal; see
benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PASSWORD = "roadmap-demo-2026"  # the demo users' (roadmap.seed.DEMO_PASSWORD)
COORDINATOR = "coordinator.steel@example.org"
POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432"
RECONCILIATION = "/api/v1/platforms/steel/reconciliation?scenario=" + quote("TPI 1.5 Degrees")
# Goals (issue 13, "Load"): a warm dashboard at least a quarter of the home page's throughput
# in the same run, and every p99 under 300 ms.
DASHBOARD_SHARE = 0.25
P99_MS = 300.0


@dataclass
class Load:
    name: str
    requests: int
    rps: float
    p50_ms: float
    p99_ms: float
    bad: int  # answers that are not 2xx or 3xx (and connection errors)


def prepare_database(args: argparse.Namespace, folder: str) -> str:
    """A new, empty database; its URL."""
    if args.sqlite:
        return f"sqlite:///{folder}/bench.sqlite3"
    import psycopg

    with psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=postgres") as server:
        server.autocommit = True
        server.execute(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')
        server.execute(f'CREATE DATABASE "{args.database}"')
    return f"{POSTGRES}/{args.database}"


def seed_database(url: str) -> tuple[dict[str, str], dict[str, str]]:
    """Migrate and seed; a member with an API token for each steel company. Returns company id
    -> token (and "coordinator" -> the steel coordinator's token), and company id -> name."""
    from sqlmodel import select

    from roadmap import create_app, migrate
    from roadmap.accounts.operations import create_api_token, create_user
    from roadmap.accounts.queries import user_by_email
    from roadmap.db import get_engine, get_session
    from roadmap.models import Company, Platform, Submission
    from roadmap.seed import seed

    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "benchmark"})
    tokens, names = {}, {}
    with app.app_context():
        migrate.upgrade(get_engine())
        session = get_session()
        seed(Path(app.config["DATA_DIR"]), session=session)
        steel = session.exec(select(Platform).where(Platform.slug == "steel")).one()
        companies = session.exec(
            select(Company)
            .join(Submission, Submission.company_id == Company.id)
            .where(Submission.platform_id == steel.id)
            .distinct()
        ).all()
        for company in companies:
            user = create_user(
                session=session,
                email=f"bench{company.id}@bench.example",
                password=PASSWORD,
                role="company",
                company_id=company.id,
            )
            tokens[str(company.id)] = create_api_token(user, "bench", session=session)[1]
            names[str(company.id)] = company.name
        coordinator = user_by_email(COORDINATOR, session=session)
        tokens["coordinator"] = create_api_token(coordinator, "bench", session=session)[1]
        session.commit()
    get_engine(app).dispose()
    return tokens, names


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server(url: str, port: int, log: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "ROADMAP_SECRET_KEY": "benchmark",
        "PYTHONPATH": str(ROOT),
    }
    command = [sys.executable, "-m", "gunicorn", "--workers", "2", "--bind"]
    server = subprocess.Popen(
        [*command, f"127.0.0.1:{port}", "wsgi:app"],
        cwd=ROOT,
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if request(port, "GET", "/")[0] == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit(f"gunicorn did not answer on port {port}; see {log}")


def request(
    port: int, method: str, path: str, body: bytes | None = None, headers: dict | None = None
) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        answer = connection.getresponse()
        return answer.status, dict(answer.getheaders()), answer.read()
    finally:
        connection.close()


def session_cookie(port: int, email: str) -> str:
    """Sign in through the form; the cookie header that carries the session."""
    status, headers, page = request(port, "GET", "/auth/login")
    cookie = headers["Set-Cookie"].split(";")[0]
    token = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', page).group(1).decode()
    form = f"email={quote(email)}&password={quote(PASSWORD)}&csrf_token={quote(token)}"
    status, headers, _ = request(
        port,
        "POST",
        "/auth/login",
        form.encode(),
        {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie},
    )
    if status != 302:
        raise SystemExit(f"{email} could not sign in ({status})")
    return headers["Set-Cookie"].split(";")[0]


def warm(port: int, path: str, headers: dict[str, str]) -> None:
    """Enough requests, two at a time, that each worker has built its pages once."""
    for _ in range(4):
        pair = [
            threading.Thread(target=request, args=(port, "GET", path), kwargs={"headers": headers})
            for _ in range(2)
        ]
        for thread in pair:
            thread.start()
        for thread in pair:
            thread.join()


def with_wrk(name: str, port: int, path: str, headers: dict, args: argparse.Namespace) -> Load:
    command = ["wrk", "--latency", "-t", "2", "-c", str(args.connections)]
    command += ["-d", f"{args.seconds}s", "--timeout", "30s"]
    for key, value in headers.items():
        command += ["-H", f"{key}: {value}"]
    out = subprocess.run(
        [*command, f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True, check=True
    ).stdout
    total = int(re.search(r"(\d+) requests in", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return Load(
        name,
        total,
        float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        _wrk_ms(re.search(r"\s50%\s+([\d.]+\w+)", out).group(1)),
        _wrk_ms(re.search(r"\s99%\s+([\d.]+\w+)", out).group(1)),
        (int(bad.group(1)) if bad else 0) + (sum(map(int, errors.groups())) if errors else 0),
    )


def _wrk_ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(\w+)", text).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def with_python(name: str, port: int, path: str, headers: dict, args: argparse.Namespace) -> Load:
    """``args.connections`` threads, each with one persistent connection, for
    ``args.seconds``: every request's latency."""
    latencies: list[float] = []
    bad = Counter[int]()
    lock = threading.Lock()
    stop = time.perf_counter() + args.seconds

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine, failed = [], 0
        while (start := time.perf_counter()) < stop:
            try:
                connection.request("GET", path, headers=headers)
                answer = connection.getresponse()
                answer.read()
                failed += answer.status >= 400
                if answer.will_close:
                    connection.close()
            except (OSError, http.client.HTTPException):
                failed += 1
                connection.close()
            mine.append(time.perf_counter() - start)
        with lock:
            latencies.extend(mine)
            bad[0] += failed

    began = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(args.connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    latencies.sort()
    return Load(
        name,
        len(latencies),
        len(latencies) / elapsed,
        latencies[len(latencies) // 2] * 1000,
        latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000,
        bad[0],
    )


@dataclass
class Submitted:
    posts: Counter[str]  # company id -> 201 answers
    statuses: Counter[int]
    seconds: float


def submit_concurrently(
    port: int, tokens: dict[str, str], names: dict[str, str], args: argparse.Namespace
) -> Submitted:
    """``args.submitters`` threads, the i-th posting for the i-th steel company in turn, for
    ``args.submit_seconds``: each post a new version of that company's demo trajectory."""
    companies = sorted(key for key in tokens if key != "coordinator")
    rows = _demo_rows(names)
    posts, statuses = Counter[str](), Counter[int]()
    lock = threading.Lock()
    stop = time.monotonic() + args.submit_seconds

    def submitter(company: str) -> None:
        headers = {
            "Authorization": f"Bearer {tokens[company]}",
            "Content-Type": "application/json",
        }
        sent = 0
        while time.monotonic() < stop:
            sent += 1
            changed = [dict(row) for row in rows[company]]
            # A different last figure each time, so each post is a new version's own data.
            changed[-1]["emissions"] = changed[-1]["emissions"] * (1 + sent * 1e-6)
            body = json.dumps({"platform": "steel", "rows": changed}).encode()
            try:
                path = f"/api/v1/companies/{company}/submissions"
                status = request(port, "POST", path, body, headers)[0]
            except (OSError, http.client.HTTPException):
                status = 0
            with lock:
                statuses[status] += 1
                posts[company] += status == 201

    began = time.monotonic()
    threads = [
        threading.Thread(target=submitter, args=(companies[i % len(companies)],))
        for i in range(args.submitters)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Submitted(posts, statuses, time.monotonic() - began)


def _demo_rows(names: dict[str, str]) -> dict[str, list[dict]]:
    """Each steel company's demo rows (its stored version 1), as the API takes them."""
    from roadmap.domain.ingest import read_table

    table = read_table(ROOT / "data" / "demo" / "trajectories_steel.csv")
    rows = {}
    for company, name in names.items():
        records = table[table["company"] == name].to_dict("records")
        rows[company] = [
            {
                **r,
                "year": int(r["year"]),
                "activity": float(r["activity"]),
                "emissions": float(r["emissions"]),
            }
            for r in records
        ]
    return rows


def versions_problems(url: str, submitted: Submitted) -> list[str]:
    """Where the stored versions are not 1..n per company, or the new ones are not as many as
    the posts answered 201 (each company had one version before)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as connection:
        found = connection.execute(
            text(
                "SELECT s.company_id, s.version FROM submission s JOIN platform p "
                "ON p.id = s.platform_id WHERE p.slug = 'steel' ORDER BY 1, 2"
            )
        ).all()
    engine.dispose()
    versions: dict[str, list[int]] = {}
    for company, version in found:
        versions.setdefault(str(company), []).append(version)
    problems = []
    for company, stored in sorted(versions.items()):
        if stored != list(range(1, len(stored) + 1)):
            problems.append(f"company {company}: versions {stored} are not 1..{len(stored)}")
        if len(stored) - 1 != submitted.posts[company]:
            problems.append(
                f"company {company}: {len(stored) - 1} new versions stored, "
                f"{submitted.posts[company]} posts answered 201"
            )
    return problems


def report(loads: list[Load], submitted: Submitted, problems: list[str], tool: str) -> bool:
    home = next(load for load in loads if load.name == "home")
    print(f"\nLoad generator: {tool}\n")
    print("| page | requests | req/s | p50 (ms) | p99 (ms) | errors | goal | met |")
    print("|---|---:|---:|---:|---:|---:|---|---|")
    passed = True
    for load in loads:
        goals = [(f"p99 < {P99_MS:.0f} ms", load.p99_ms < P99_MS), ("no errors", load.bad == 0)]
        if "dashboard" in load.name:
            share = load.rps / home.rps
            goals.insert(0, (f">= 1/4 of home ({share:.2f})", share >= DASHBOARD_SHARE))
        met = all(ok for _, ok in goals)
        passed &= met
        print(
            f"| {load.name} | {load.requests:,} | {load.rps:,.1f} | {load.p50_ms:.1f} "
            f"| {load.p99_ms:.1f} | {load.bad} | {'; '.join(g for g, _ in goals)} "
            f"| {'pass' if met else 'FAIL'} |"
        )
    total = sum(submitted.statuses.values())
    server_errors = sum(
        n for status, n in submitted.statuses.items() if status >= 500 or not status
    )
    ok = server_errors == 0 and not problems
    passed &= ok
    answers = ", ".join(
        f"{status or 'no answer'}: {n}" for status, n in sorted(submitted.statuses.items())
    )
    print(
        f"| submissions ({len(submitted.posts)} companies) | {total:,} "
        f"| {total / submitted.seconds:,.1f} | | | {server_errors} "
        f"| no 5xx; versions 1..n, one per 201 | {'pass' if ok else 'FAIL'} |"
    )
    print(f"\nSubmission answers: {answers}")
    for problem in problems:
        print(f"version problem: {problem}")
    return passed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=10, help="per page measured")
    parser.add_argument("--connections", type=int, default=10)
    parser.add_argument("--submitters", type=int, default=20)
    parser.add_argument("--submit-seconds", type=int, default=30)
    parser.add_argument("--sqlite", action="store_true", help="a SQLite file, not PostgreSQL")
    parser.add_argument("--database", default="roadmap_bench", help="PostgreSQL database name")
    parser.add_argument("--generator", choices=("auto", "wrk", "python"), default="auto")
    args = parser.parse_args()
    tool = args.generator
    if tool == "auto":
        tool = "wrk" if shutil.which("wrk") else "python"
        if tool == "python":
            print(
                "wrk is not installed (apt-get install -y wrk, or brew install wrk): using the "
                "Python load generator, which reads lower.",
                file=sys.stderr,
            )
    measure = with_wrk if tool == "wrk" else with_python
    with tempfile.TemporaryDirectory() as folder:
        url = prepare_database(args, folder)
        tokens, names = seed_database(url)
        port = free_port()
        log = Path(folder) / "gunicorn.log"
        server = start_server(url, port, log)
        try:
            cookie = session_cookie(port, COORDINATOR)
            pages = [
                ("home", "/", {}),
                ("public dashboard", "/platforms/steel/dashboard", {}),
                ("coordinator dashboard", "/platforms/steel/dashboard", {"Cookie": cookie}),
                (
                    "API reconciliation",
                    RECONCILIATION,
                    {"Authorization": f"Bearer {tokens['coordinator']}"},
                ),
            ]
            loads = []
            for name, path, headers in pages:
                warm(port, path, headers)
                loads.append(measure(name, port, path, headers, args))
                print(f"measured {name}", file=sys.stderr)
            submitted = submit_concurrently(port, tokens, names, args)
        finally:
            server.terminate()
            server.wait(timeout=30)
            if (Path(folder) / "gunicorn.log").stat().st_size:
                errors = [line for line in log.read_text().splitlines() if "Traceback" in line]
                if errors:
                    print(f"gunicorn logged {len(errors)} tracebacks", file=sys.stderr)
        problems = versions_problems(url, submitted)
    passed = report(loads, submitted, problems, tool)
    sys.exit(0 if passed else 1)


if __name__ == "__main__":
    main()
