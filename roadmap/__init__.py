"""Roadmap: sector decarbonisation platforms, company pathways reconciled against the sector
curve (SBTi SDA, as PACTA computes it).

Flask is imported inside ``create_app`` so that ``roadmap.domain`` stays importable without it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app. Registers configuration, the database, blueprints and commands; it does
    no work (no table creation, no seeding, no network)."""
    from flask import Flask

    from roadmap import config, db
    from roadmap.web import request_log, units

    app = Flask(
        __name__,
        instance_path=config.instance_path(),
        template_folder=str(config.shipped_folder("templates")),
    )
    app.config.from_object(config.Defaults)
    app.config["DATABASE_URL"] = config.database_url(app.instance_path)
    app.config.from_prefixed_env("ROADMAP")
    if test_config:
        app.config.update(test_config)
    app.config["SECRET_KEY"] = config.require_secret_key(app.config, app.instance_path)
    db.init_app(app)
    units.init_app(app)  # the unit registry asks the database for sectors' units
    request_log.init_app(app)  # first: its clock starts before, its line is written after all
    app.url_map.converters["int"] = _database_int_converter()
    register_extensions(app)
    register_blueprints(app)
    register_commands(app)
    return app


# 0 to 2**31 - 1 = 2147483647, written out: up to nine digits, or ten no larger.
_DATABASE_INT = (
    r"(?:\d{1,9}|1\d{9}|20\d{8}|21[0-3]\d{7}|214[0-6]\d{6}|2147[0-3]\d{5}|21474[0-7]\d{4}"
    r"|214748[0-2]\d{3}|2147483[0-5]\d{2}|21474836[0-3]\d|214748364[0-7])"
)


def _database_int_converter() -> type:
    """URL ids as the database stores them (a 32-bit integer on PostgreSQL): a larger number
    matches no route and answers 404 instead of reaching the database. The bound is in the
    pattern, not only in the conversion: where one path has a GET and a POST route, a number
    refused only on conversion would answer 405 (the other method's route matched)."""
    from werkzeug.routing import IntegerConverter

    class DatabaseIntConverter(IntegerConverter):
        regex = _DATABASE_INT

        def __init__(
            self,
            url_map: Any,
            fixed_digits: int = 0,
            min: int | None = None,
            max: int | None = 2**31 - 1,
            signed: bool = False,
        ) -> None:
            super().__init__(url_map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)

    return DatabaseIntConverter


def register_extensions(app: Flask) -> None:
    from roadmap import extensions
    from roadmap.notifications import mail

    extensions.init_app(app)
    mail.init_app(app)


def register_blueprints(app: Flask) -> None:
    """One blueprint per feature, and the pages' shared parts (roadmap.web)."""
    from roadmap import web
    from roadmap.accounts.views import bp as accounts
    from roadmap.api import (
        pipeline_summary_views,  # noqa: F401  (routes on the API bp)
        pipeline_views,  # noqa: F401  (routes on the API bp)
        provider_views,  # noqa: F401  (routes on the API bp)
        review_views,  # noqa: F401  (routes on the API bp)
        sector_views,  # noqa: F401  (routes on the API bp)
        whatif_views,  # noqa: F401  (routes on the API bp)
    )
    from roadmap.api.views import bp as api
    from roadmap.companies.views import bp as companies
    from roadmap.notifications.views import bp as notifications
    from roadmap.pipeline.overview_views import bp as pipeline_overview
    from roadmap.pipeline.views import bp as pipeline
    from roadmap.platforms import (  # noqa: F401  (routes on its bp)
        copy_views,
        overview_views,
        pathway_views,
        record_views,
    )
    from roadmap.platforms.views import bp as platforms
    from roadmap.providers.views import bp as providers
    from roadmap.reconciliation.views import bp as reconciliation
    from roadmap.sectors.views import bp as sectors
    from roadmap.submissions.round_views import bp as rounds
    from roadmap.submissions.views import bp as submissions
    from roadmap.whatif.views import bp as whatif

    for blueprint in (
        platforms,
        accounts,
        companies,
        submissions,
        rounds,
        reconciliation,
        sectors,
        notifications,
        whatif,
        pipeline,
        pipeline_overview,
        providers,
        api,
    ):
        app.register_blueprint(blueprint)
    web.init_app(app)


def register_commands(app: Flask) -> None:
    from roadmap.cli_app import register_commands as register

    register(app)
