"""Installing: the built wheel carries templates/ and data/ and works from any folder, and a
data folder that is missing or empty is named, never a pandas error."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import textwrap
from pathlib import Path

import pytest
from sqlmodel import select

from roadmap.models import Platform, Sector
from tests.conftest import ROOT

# What a wheel is built from: the package, the two shipped folders and the build files.
SOURCES = ("roadmap", "templates", "data", "pyproject.toml", "setup.py", "README.md")


def test_seed_names_a_missing_data_folder(app, session, tmp_path):
    app.config["DATA_DIR"] = str(tmp_path / "nowhere")
    result = app.test_cli_runner().invoke(args=["seed"])
    assert result.exit_code == 2
    assert f"error: {tmp_path / 'nowhere'}: no such data folder" in result.output
    assert "No objects to concatenate" not in result.output
    assert session.exec(select(Sector)).all() == []


def test_seed_names_each_missing_part_of_an_empty_data_folder(app, session, tmp_path):
    (tmp_path / "data" / "pathways").mkdir(parents=True)
    app.config["DATA_DIR"] = str(tmp_path / "data")
    result = app.test_cli_runner().invoke(args=["seed"])
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.startswith("error:")]
    demo = tmp_path / "data" / "demo"
    assert lines == [
        *(
            f"error: {demo / name}: demo data file missing (the data/ folder of the "
            "repository, shipped in the package; ROADMAP_DATA_DIR)"
            for name in (
                "platforms.csv",
                "providers.json",
                "sectors.csv",
                "stages.json",
                "users.csv",
            )
        ),
        f"error: {tmp_path / 'data' / 'pathways'}: no pathway files (*.csv) (the data/ folder "
        "of the repository, shipped in the package; ROADMAP_DATA_DIR)",
    ]
    assert session.exec(select(Platform)).all() == []


def test_a_checkout_finds_templates_and_data_at_its_top(app):
    assert Path(app.template_folder) == ROOT / "templates"
    assert Path(app.config["DATA_DIR"]) == ROOT / "data"


def _clean_environment() -> dict[str, str]:
    """This environment without what points at the checkout (PYTHONPATH would make it win)."""
    ours = ("PYTHONPATH", "ROADMAP_INSTANCE_PATH", "ROADMAP_DATA_DIR")
    return {key: value for key, value in os.environ.items() if key not in ours}


def _run(args: list[str], *, cwd: Path, env: dict[str, str]) -> str:
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"{args}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def _build_wheel(tmp_path: Path) -> Path:
    """Build from a copy of the sources, so the checkout gets no build/ folder; offline: pip
    uses the setuptools already installed and downloads nothing."""
    source = tmp_path / "source"
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(
                ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__")
            )
        else:
            shutil.copy2(ROOT / name, source / name)
    dist = tmp_path / "dist"
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--no-input"]
    _run(
        [*pip, "wheel", str(source), "--no-deps", "--no-build-isolation", "--no-index"]
        + ["--wheel-dir", str(dist)],
        cwd=tmp_path,
        env=_clean_environment(),
    )
    (wheel,) = dist.glob("roadmap-*.whl")
    return wheel


def _venv_with(wheel: Path, tmp_path: Path) -> Path:
    """A fresh venv holding the wheel, not editable; its dependencies come from this
    interpreter's site-packages (a path line only: the editable install's hook is not run)."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    _run(
        [sys.executable, "-m", "pip", "--disable-pip-version-check", "--python", str(python)]
        + ["install", "--no-deps", "--no-index", str(wheel)],
        cwd=tmp_path,
        env=_clean_environment(),
    )
    # Only now: pip, seeing this interpreter's roadmap, would count the wheel as installed.
    Path(purelib, "outer-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return venv


SERVE = textwrap.dedent(
    """
    import roadmap
    from roadmap import create_app
    app = create_app()
    client = app.test_client()
    home = client.get("/")
    css = client.get("/static/roadmap.css")
    print(roadmap.__file__)
    print(app.template_folder)
    print(home.status_code, css.status_code, css.mimetype)
    print("Steel (demo platform)" in home.get_data(as_text=True))
    """
)


@pytest.mark.slow
def test_the_built_wheel_migrates_seeds_and_serves_from_any_folder(database_url, tmp_path):
    wheel = _build_wheel(tmp_path)
    venv = _venv_with(wheel, tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**_clean_environment(), "DATABASE_URL": database_url}
    roadmap = str(venv / "bin" / "roadmap")

    assert "database at revision" in _run([roadmap, "db", "upgrade"], cwd=elsewhere, env=env)
    seeded = _run([roadmap, "seed"], cwd=elsewhere, env=env)
    assert "demo platforms added: steel, cement, shipping, glass, aluminium" in seeded
    module, templates, statuses, found = _run(
        [str(venv / "bin" / "python"), "-c", SERVE], cwd=elsewhere, env=env
    ).splitlines()

    site = Path(module).parent
    assert site.is_relative_to(venv)
    assert Path(templates) == site / "templates"
    assert statuses == "200 200 text/css"
    assert found == "True"
    # An installed package keeps its instance folder (the secret key) under the venv.
    assert (venv / "var" / "roadmap-instance" / "secret_key").is_file()
    assert list(elsewhere.iterdir()) == []
