"""Production mode (ROADMAP_ENV=production): the app does not start without a secret key given
in the environment; development and tests keep the instance file's key."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from roadmap import create_app
from roadmap.cli import main
from roadmap.config import ConfigurationError
from roadmap.db import get_engine


@pytest.fixture
def environment(monkeypatch, tmp_path, migrated_database_url):
    """A clean ROADMAP_* environment, with an instance folder of the test's own."""
    monkeypatch.delenv("ROADMAP_SECRET_KEY", raising=False)
    monkeypatch.delenv("ROADMAP_ENV", raising=False)
    monkeypatch.setenv("ROADMAP_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.setenv("DATABASE_URL", migrated_database_url)
    return monkeypatch


def test_production_refuses_to_start_without_a_secret_key(environment, tmp_path):
    environment.setenv("ROADMAP_ENV", "production")
    (tmp_path / "instance").mkdir()
    (tmp_path / "instance" / "secret_key").write_text("a key from the instance folder")
    with pytest.raises(ConfigurationError) as refused:
        create_app()
    assert str(refused.value).startswith(
        "ROADMAP_SECRET_KEY is not set. In production (ROADMAP_ENV=production) the app needs"
    )


def test_production_starts_with_the_key_of_the_environment(environment):
    environment.setenv("ROADMAP_ENV", "production")
    environment.setenv("ROADMAP_SECRET_KEY", "k" * 64)
    app = create_app()
    assert app.config["SECRET_KEY"] == "k" * 64
    assert app.config["ENV"] == "production"
    assert not app.debug and not app.testing
    assert app.test_client().get("/").status_code == 200
    get_engine(app).dispose()


def test_development_reads_the_instance_files_key(environment, tmp_path):
    (tmp_path / "instance").mkdir()
    (tmp_path / "instance" / "secret_key").write_text("a key from the instance folder\n")
    app = create_app()
    assert app.instance_path == str(tmp_path / "instance")
    assert app.config["ENV"] == "development"
    assert app.config["SECRET_KEY"] == "a key from the instance folder"
    get_engine(app).dispose()


def test_a_command_in_production_stops_with_the_message(environment):
    environment.setenv("ROADMAP_ENV", "production")
    result = CliRunner().invoke(main, ["db", "current"])
    assert result.exit_code == 1
    assert result.output.startswith("error: ROADMAP_SECRET_KEY is not set.")
    assert "Traceback" not in result.output
