"""The ``roadmap`` commands that run in the app (Flask's group): ``run``, ``db``, ``seed``,
``import-pathways``, ``export``, ``send-mail``, ``remind``, ``backup``, ``restore``; and
``reconcile`` (roadmap/cli_reconcile.py), which ``roadmap`` runs without loading this module.

Commands that write to the database commit once, at the end. Bad input exits with status 2 and
a message naming file, row and column; nothing is written.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click
from flask.cli import AppGroup, FlaskGroup, with_appcontext

from roadmap import create_app
from roadmap.cli_backup import backup_command, restore_command
from roadmap.cli_errors import fail
from roadmap.cli_reconcile import reconcile_command
from roadmap.config import ConfigurationError
from roadmap.domain.errors import InputError, ReconcileError

if TYPE_CHECKING:
    from flask import Flask

# Each command imports what it uses (pandas, SQLAlchemy, Alembic, Plotly) in its body, so
# that `roadmap --help` does not pay for the web app's libraries.


class _Commands(FlaskGroup):
    """Lists and finds this module's commands without building the app (FlaskGroup would
    build it to look for commands registered on it, and these are the same ones)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        self._load_plugin_commands()
        return sorted(click.Group.list_commands(self, ctx))

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        # One of ours needs neither the app nor the plugins' commands (Flask-Limiter's).
        return click.Group.get_command(self, ctx, name) or super().get_command(ctx, name)


def create_command_app() -> Flask:
    """The app a command runs in; a setting it cannot start without ends the command with the
    setting's message (status 1) instead of a traceback."""
    try:
        return create_app()
    except ConfigurationError as error:
        raise SystemExit(f"error: {error}") from None


@click.group(cls=_Commands, create_app=create_command_app)
def main() -> None:
    """Roadmap: sector decarbonisation platforms."""


def register_commands(app: Flask) -> None:
    for command in _commands():
        app.cli.add_command(command)


def _commands() -> tuple[click.Command, ...]:
    return (
        db,
        seed_command,
        import_pathways_command,
        reconcile_command,
        export_command,
        send_mail_command,
        remind_command,
        backup_command,
        restore_command,
    )


@click.group(cls=AppGroup)
def db() -> None:
    """Create or migrate the database schema (Alembic)."""


@db.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    """Migrate the database to REVISION (default: the newest)."""
    from flask import current_app

    from roadmap import migrate
    from roadmap.config import write_secret_key
    from roadmap.db import get_engine

    Path(current_app.instance_path).mkdir(parents=True, exist_ok=True)
    write_secret_key(current_app.instance_path)
    migrate.upgrade(get_engine(), revision)
    click.echo(f"database at revision {migrate.current(get_engine())}")


@db.command("downgrade")
@click.argument("revision")
def db_downgrade(revision: str) -> None:
    """Migrate the database back to REVISION (``base`` empties it)."""
    from roadmap import migrate
    from roadmap.db import get_engine

    migrate.downgrade(get_engine(), revision)
    click.echo(f"database at revision {migrate.current(get_engine())}")


@db.command("current")
def db_current() -> None:
    """Print the database's revision."""
    from roadmap import migrate
    from roadmap.db import get_engine

    click.echo(migrate.current(get_engine()) or "empty (run: roadmap db upgrade)")


@click.command("seed")
@with_appcontext
def seed_command() -> None:
    """Load the sector pathways in data/pathways and the fictional demo platforms."""
    from flask import current_app

    from roadmap.db import get_session
    from roadmap.seed import seed

    session = get_session()
    try:
        report = seed(Path(current_app.config["DATA_DIR"]), session=session)
    except InputError as error:
        fail(error)
    session.commit()
    click.echo(f"pathways: {report.pathways_added} added, {report.pathways_skipped} already there")
    click.echo(
        f"demo platforms added: {', '.join(report.platforms_added) or 'none (present)'}; "
        f"submissions: {report.submissions_added}"
    )
    click.echo(f"demo users added: {', '.join(report.users_added) or 'none (present)'}")


@click.command("import-pathways")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@with_appcontext
def import_pathways_command(files: tuple[Path, ...]) -> None:
    """Store pathway FILES (.csv or .xlsx, DESIGN.md data contract) in the database."""
    from roadmap.db import get_session
    from roadmap.domain.validate import read_pathway_files
    from roadmap.sectors.operations import import_pathways

    session = get_session()
    try:
        report = import_pathways(read_pathway_files(list(files)), session=session)
    except InputError as error:
        fail(error)
    session.commit()
    click.echo(f"pathways: {report.added} added, {report.skipped} already there")


EXPORT_FORMATS = ("csv", "xlsx", "png", "svg")


@click.command("export")
@click.argument("slug")
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(path_type=Path, file_okay=False),
    help="Folder to write into (created if missing).",
)
@click.option("--scenario", default=None, help="Scenario (default: the configured one).")
@click.option("--start", default="", help="First year shown.")
@click.option("--end", default="", help="Last year shown.")
@click.option(
    "--format",
    "formats",
    multiple=True,
    type=click.Choice(EXPORT_FORMATS),
    help="Repeat for several; default: all four. PNG and SVG need Chromium.",
)
@click.option(
    "--live",
    is_flag=True,
    help="Live figures, every company by name, as the platform's coordinators see them "
    "(default: the last published round, as everyone else sees it).",
)
@with_appcontext
def export_command(
    slug: str,
    out_dir: Path,
    scenario: str | None,
    start: str,
    end: str,
    formats: tuple[str, ...],
    live: bool,
) -> None:
    """Write platform SLUG's dashboard to a folder: every table as CSV/XLSX (units in the
    headers, and a Figures column saying which figures: published or live) and every chart
    as PNG/SVG, named SLUG-NAME.FORMAT. All files are written or none."""
    from roadmap.config import default_scenario
    from roadmap.db import get_session
    from roadmap.files import write_files
    from roadmap.platforms.queries import platform_by_slug
    from roadmap.reconciliation import exports
    from roadmap.reconciliation.dashboards import NoData
    from roadmap.reconciliation.filters import Filters
    from roadmap.reconciliation.platform_export import platform_export

    session = get_session()
    platform = platform_by_slug(slug, session=session)
    if platform is None:
        fail(ReconcileError(f"no platform '{slug}'"))
    assert platform is not None
    filters, problems = Filters.from_args({"scenario": scenario or "", "start": start, "end": end})
    if problems:
        fail(ReconcileError("; ".join(problems)))
    try:
        made = platform_export(
            platform,
            filters,
            live=live,
            formats=formats or EXPORT_FORMATS,
            out_dir=out_dir,
            default_scenario=default_scenario(),
            session=session,
        )
    except NoData as error:
        fail(ReconcileError("\n".join([str(error), *map(str, error.problems)])))
    except exports.ExportUnavailable as error:
        fail(error)
    out_dir.mkdir(parents=True, exist_ok=True)
    write_files(made.files)
    click.echo(
        f"{platform.name} against {made.scenario}, {made.figures}: "
        f"{len(made.files)} files in {out_dir}"
    )


@click.command("send-mail")
@with_appcontext
def send_mail_command() -> None:
    """Send the emails waiting in the outbox (run it from cron). Exits with status 1 while
    any message could not be delivered; it stays in the outbox for the next run."""
    from roadmap.config import mail_settings
    from roadmap.db import get_session
    from roadmap.notifications.mail import deliver
    from roadmap.notifications.queries import unsent_messages

    session = get_session()
    settings = mail_settings()
    if not settings.server:
        waiting = len(unsent_messages(session=session))
        click.echo(f"no mail server set (ROADMAP_MAIL_SERVER); {waiting} message(s) wait")
        raise SystemExit(1 if waiting else 0)
    report = deliver(session=session, settings=settings)
    click.echo(
        f"sent {report.sent}; {report.failed} could not be delivered (kept in the outbox)"
        + (f"; {report.skipped} being sent by another process" if report.skipped else "")
    )
    if report.failed:
        raise SystemExit(1)


@click.command("remind")
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="The day to remind as of (default: today, UTC).",
)
@with_appcontext
def remind_command(today: datetime | None) -> None:
    """Remind the members of companies that have not submitted in an open reporting round
    whose deadline is seven days away (run it daily from cron, before ``send-mail``)."""
    from roadmap.db import get_session
    from roadmap.submissions import round_operations

    day = today.date() if today is not None else datetime.now(UTC).date()
    session = get_session()
    told = round_operations.remind_members(day, session=session)
    session.commit()
    click.echo(f"reminders queued: {told}")


for _command in _commands():
    main.add_command(_command)


if __name__ == "__main__":  # python -m roadmap.cli_app
    main()
