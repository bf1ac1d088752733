"""``roadmap backup FILE`` and ``roadmap restore FILE`` (format: roadmap.backup)."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from roadmap.cli_errors import fail

# roadmap.backup and roadmap.restore (SQLAlchemy, Alembic) are imported by the commands that
# use them, so that listing the commands stays light.


@click.command("backup")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@with_appcontext
def backup_command(file: Path) -> None:
    """Write every table of the database to FILE (a zip; README "Backup and restore"). FILE
    must not exist yet; it is written whole or not at all."""
    from roadmap.backup import BackupError, write_backup

    try:
        manifest = write_backup(current_app.config["DATABASE_URL"], file)
    except BackupError as error:
        fail(error)
    click.echo(
        f"backed up {manifest.rows} rows of {len(manifest.tables)} tables (schema revision "
        f"{manifest.schema_revision}) to {file}"
    )


@click.command("restore")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@with_appcontext
def restore_command(file: Path) -> None:
    """Restore the backup FILE into an empty database (one with no tables is migrated first).
    All of it is restored or, with a message saying why, nothing."""
    from roadmap.backup import BackupError
    from roadmap.restore import restore_backup

    try:
        manifest = restore_backup(current_app.config["DATABASE_URL"], file)
    except BackupError as error:
        fail(error)
    click.echo(
        f"restored {manifest.rows} rows of {len(manifest.tables)} tables (schema revision "
        f"{manifest.schema_revision}, backed up {manifest.created_at}) from {file}"
    )
