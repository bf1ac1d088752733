"""`roadmap reconcile` and `roadmap --help` load only what they use: not the web app, its
database layer, its charts or its workbooks (the start-up time is measured in benchmarks/)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("plotly", "sqlalchemy", "sqlmodel", "alembic", "openpyxl", "roadmap.models", "roadmap.web")


def loaded_after(args: list[str], tmp_path: Path) -> dict[str, object]:
    """Run the `roadmap` command in a fresh interpreter; the modules it had loaded, by prefix,
    and its exit code."""
    script = (
        "import json, sys\n"
        "from roadmap.cli import main\n"
        f"sys.argv = ['roadmap', *{args!r}]\n"
        "try:\n"
        "    main()\n"
        "except SystemExit as done:\n"
        "    code = done.code\n"
        f"heavy = {HEAVY!r}\n"
        "loaded = [h for h in heavy if any(m == h or m.startswith(h + '.') for m in sys.modules)]\n"
        "print(json.dumps({'code': code, 'loaded': loaded}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_reconcile_loads_no_web_app_database_or_charts(tmp_path: Path) -> None:
    trajectories = tmp_path / "t.csv"
    trajectories.write_text(
        "company,sector,region,scope,year,activity,activity_unit,emissions,emissions_unit,kind\n"
        "Alpha,Steel,Global,S1S2,2019,100,t Steel,200,t CO2,reported\n"
        "Alpha,Steel,Global,S1S2,2020,100,t Steel,190,t CO2,reported\n"
    )
    out = tmp_path / "out.csv"
    args = [
        "reconcile",
        "--pathways",
        str(ROOT / "data" / "pathways" / "tpi.csv"),
        "--trajectories",
        str(trajectories),
        "--scenario",
        "TPI 1.5 Degrees",
        "--out",
        str(out),
    ]
    report = loaded_after(args, tmp_path)
    assert report == {"code": 0, "loaded": []}
    assert out.read_text().splitlines()[1].startswith("Alpha,Steel,TPI 1.5 Degrees,2019,100.0,")


def test_help_builds_no_app(tmp_path: Path) -> None:
    assert loaded_after(["--help"], tmp_path) == {"code": 0, "loaded": []}
