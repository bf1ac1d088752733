"""``make serve``: gunicorn with two workers in production mode against DATABASE_URL, after
migrating it; it refuses to start without the database's address or the secret key."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from roadmap import migrate
from roadmap.db import make_engine
from tests.conftest import ROOT
from tests.network import free_port

VENV = Path(sys.executable).parent.parent
pytestmark = pytest.mark.skipif(
    shutil.which("make") is None, reason="make is not installed (apt-get install make)"
)


def _make_serve(env: dict[str, str], **kwargs) -> subprocess.Popen:
    """make serve with this interpreter's venv, which is installed already (-o: never
    reinstalled from here)."""
    command = ["make", "-C", str(ROOT), "-o", f"{VENV}/.installed-stamp", "serve", f"VENV={VENV}"]
    return subprocess.Popen(command, env=env, text=True, start_new_session=True, **kwargs)


def _environment(**settings: str) -> dict[str, str]:
    """This environment without its Roadmap settings, then ``settings``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ROADMAP_")}
    env.pop("DATABASE_URL", None)
    return {**env, **settings}


def test_serve_needs_the_databases_address():
    done = _make_serve(_environment(), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = done.communicate(timeout=60)
    assert done.returncode != 0
    assert "make serve: set DATABASE_URL" in err


def test_serve_refuses_to_start_without_the_secret_key(database_url, tmp_path):
    env = _environment(DATABASE_URL=database_url, ROADMAP_INSTANCE_PATH=str(tmp_path))
    done = _make_serve(env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = done.communicate(timeout=120)
    assert done.returncode != 0
    assert "error: ROADMAP_SECRET_KEY is not set." in err
    engine = make_engine(database_url)
    assert migrate.current(engine) is None  # refused before migrating anything
    engine.dispose()


@pytest.mark.slow
def test_serve_runs_two_gunicorn_workers_on_the_migrated_database(database_url, tmp_path):
    port = free_port()
    log = tmp_path / "serve.log"
    env = _environment(
        DATABASE_URL=database_url,
        ROADMAP_SECRET_KEY="s" * 64,
        ROADMAP_INSTANCE_PATH=str(tmp_path / "instance"),  # the checkout's stays untouched
        PORT=str(port),
    )
    with log.open("w") as output:
        server = _make_serve(env, stdout=output, stderr=subprocess.STDOUT)
    try:
        status, body = _wait_for(f"http://127.0.0.1:{port}/healthz", server)
        assert status == 200, body
        assert f'"revision":"{migrate.head()}"' in body.replace(" ", "")
        text = log.read_text()
        while text.count("Booting worker with pid") < 2 and server.poll() is None:
            time.sleep(0.2)
            text = log.read_text()
        assert text.count("Booting worker with pid") == 2
        assert "GET /healthz 200" in text  # the app's own request line, on stderr
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def _wait_for(url: str, server: subprocess.Popen, seconds: float = 60) -> tuple[int, str]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert server.poll() is None, "make serve stopped"
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - localhost
                return response.status, response.read().decode()
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"{url} did not answer within {seconds} s")
