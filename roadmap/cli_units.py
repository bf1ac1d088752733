"""Units of stored sectors for ``roadmap reconcile``, which reads files and needs no database:
looked for in the configured database only when a unit cannot be read (and the database layer
imported only then, so that the command starts as fast as it did)."""

from __future__ import annotations

from pathlib import Path

import click

from roadmap import create_app
from roadmap.config import ConfigurationError


def stored_units_on_a_miss() -> None:
    """`reconcile` reads files and needs no database; but a unit it cannot read may be the
    product unit of a sector made in the browser. Then, and only then, it looks in the
    configured database, where there is one (the commands that run in the app get this from
    ``create_app``)."""
    from roadmap.domain import units

    context = click.get_current_context()

    def look() -> bool:
        units.on_unknown_unit(None)  # once
        from flask.cli import ScriptInfo
        from sqlalchemy import make_url

        script = context.find_object(ScriptInfo)

        from roadmap.db import get_engine
        from roadmap.sectors.stored_units import look_again

        try:
            app = script.load_app() if script else create_app()
        except (SystemExit, ConfigurationError):  # no configuration to find a database by
            return False
        url = make_url(app.config["DATABASE_URL"])
        if url.get_backend_name() == "sqlite" and not Path(url.database or "").is_file():
            return False  # never made: no sector there, and none to be made by looking
        return look_again(get_engine(app), {})

    units.on_unknown_unit(look)
