"""PostgreSQL stops and starts again under a running app: pages answer 503 with a plain page
(JSON under /api/), and once the server is back the app answers as before by itself.

The test runs a PostgreSQL server of its own (initdb and pg_ctl, from PATH or Debian's
/usr/lib/postgresql/N/bin, as the postgres user when run as root) on a free port in a temporary
folder. Without those programs it is skipped, saying why; with
ROADMAP_REQUIRE_POSTGRES_SERVER=1 (set by .ci/run) it fails instead."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from roadmap import create_app, migrate
from roadmap.accounts import operations as account_operations
from roadmap.db import get_engine, get_session
from roadmap.web import UNAVAILABLE
from tests.network import free_port
from tests.world import PASSWORD, sign_in


@dataclass
class Server:
    url: str
    control: list[str]

    def stop(self) -> None:
        subprocess.run([*self.control, "stop", "-m", "fast", "-w"], check=True, capture_output=True)

    def start(self) -> None:
        subprocess.run([*self.control, "start", "-w"], check=True, capture_output=True)


def _programs() -> tuple[str, str]:
    """initdb and pg_ctl from PATH, else from Debian's folder of the newest PostgreSQL."""
    debian = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
    search = os.pathsep.join([os.environ.get("PATH", ""), *(str(p) for p in reversed(debian))])
    initdb, pg_ctl = (shutil.which(name, path=search) for name in ("initdb", "pg_ctl"))
    if initdb and pg_ctl:
        return initdb, pg_ctl
    reason = (
        "initdb and pg_ctl (PostgreSQL's server programs) are neither on PATH nor in "
        "/usr/lib/postgresql/*/bin"
    )
    if os.environ.get("ROADMAP_REQUIRE_POSTGRES_SERVER") == "1":
        pytest.fail(f"{reason}, and ROADMAP_REQUIRE_POSTGRES_SERVER=1")
    pytest.skip(f"{reason}; set ROADMAP_REQUIRE_POSTGRES_SERVER=1 to make this a failure")


@pytest.fixture
def server() -> Iterator[Server]:
    initdb, pg_ctl = _programs()
    # PostgreSQL refuses to run as root: as root, run it as the postgres user, in a folder of
    # its own outside pytest's (which only root may enter).
    as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    folder = Path(tempfile.mkdtemp(prefix="roadmap-postgres-"))
    if as_postgres:
        shutil.chown(folder, "postgres", "postgres")
    data, port = folder / "data", free_port()
    subprocess.run(
        [*as_postgres, initdb, "-D", str(data), "-A", "trust", "-U", "postgres", "--no-sync"],
        check=True,
        capture_output=True,
    )
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off"
    control = [*as_postgres, pg_ctl, "-D", str(data), "-l", str(folder / "log"), "-o", options]
    running = Server(f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres", control)
    running.start()
    try:
        yield running
    finally:
        subprocess.run([*control, "stop", "-m", "immediate"], capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.slow
def test_pages_answer_503_while_postgresql_is_down_and_recover_when_it_returns(server):
    app = create_app({"TESTING": True, "SECRET_KEY": "test", "DATABASE_URL": server.url})
    migrate.upgrade(get_engine(app))
    with app.app_context():
        account_operations.create_user(
            session=get_session(), email="admin@example.org", password=PASSWORD, role="admin"
        )
        get_session().commit()
    client = app.test_client()
    sign_in(client, "admin@example.org")
    assert client.get("/").status_code == 200

    server.stop()
    page = client.get("/")
    assert page.status_code == 503
    assert page.headers["Retry-After"] == "30"
    text = page.get_data(as_text=True)
    assert "<h1>503: Service unavailable</h1>" in text and UNAVAILABLE in text
    assert "Traceback" not in text and "psycopg" not in text and "admin@example.org" not in text
    api = client.get("/api/v1/platforms")
    assert (api.status_code, api.get_json()) == (503, {"message": UNAVAILABLE})
    health = client.get("/healthz")
    assert (health.status_code, health.get_json()["database"]) == (503, "unreachable")

    server.start()
    assert client.get("/").status_code == 200  # the same app and pool, nothing restarted
    assert client.get("/healthz").status_code == 200
    assert client.get("/api/v1/platforms").status_code == 200
    get_engine(app).dispose()
