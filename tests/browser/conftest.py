"""Browser tests: the app served on a free local port, driven through Playwright in Debian's
Chromium (../shared/SETUP.md). Without Chromium they skip, saying why; in CI
(ROADMAP_REQUIRE_BROWSER=1) a missing Chromium is an error instead."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect
from werkzeug.serving import make_server

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# A page with charts parses plotly.js (3.5 MB) before its body; on a busy shared machine that
# alone can take five seconds, Playwright's default wait.
expect.set_options(timeout=15_000)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if Path(CHROMIUM).exists():
        return
    if os.environ.get("ROADMAP_REQUIRE_BROWSER"):
        raise pytest.UsageError(
            f"ROADMAP_REQUIRE_BROWSER is set but {CHROMIUM} is missing (apt-get install chromium)"
        )
    skip = pytest.mark.skip(
        reason=f"no Chromium at {CHROMIUM}: apt-get install chromium, or set CHROMIUM_PATH"
    )
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):  # type: ignore[no-untyped-def]
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture
def live_server(app) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """The test's app served on 127.0.0.1 in a thread; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)
