"""Dashboards: a platform's (named for its coordinators, anonymised for everyone else), a
consultant's benchmark of client companies, the downloads of every chart (PNG, SVG) and table
(CSV, XLSX), and the printable company and benchmark reports. The company dashboard is shown on
the company's page (roadmap.companies) and downloaded from here."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial

from flask import Blueprint, Response, abort, render_template, request, url_for
from flask_login import login_required

from roadmap.companies.queries import (
    client_platforms,
    companies_named,
    company_platforms,
    platforms_with_companies,
)
from roadmap.companies.queries import company as visible_company
from roadmap.config import default_scenario
from roadmap.db import get_session
from roadmap.extensions import current_viewer
from roadmap.memo import Memo
from roadmap.models import Company, Platform
from roadmap.platforms.queries import platform as visible_platform
from roadmap.platforms.queries import platforms as visible_platforms
from roadmap.reconciliation import dashboards, exports, kept
from roadmap.reconciliation.dashboards import Dashboard, NoData, attempt, pick_platform
from roadmap.reconciliation.filters import Filters
from roadmap.web.security import render_to_keep, with_nonce
from roadmap.web.util import or_404

bp = Blueprint("reconciliation", __name__)
FORMATS = "any(png, svg, csv, xlsx)"


def filters_from_request() -> tuple[Filters, list[str]]:
    return Filters.from_args(request.args)


def _platform(slug: str) -> Platform:
    return or_404(visible_platform(slug, session=get_session(), viewer=current_viewer()))


def platform_board(platform: Platform, filters: Filters) -> Dashboard:
    """The platform dashboard as kept between requests (``kept``); NoData where it cannot be
    drawn."""
    board, reason = kept.platform_board(
        platform,
        filters,
        viewer=current_viewer(),
        session=get_session(),
        default_scenario=default_scenario(),
    )
    if board is None:
        assert reason is not None
        raise NoData(reason.message, reason.problems)
    return board


# The rendered body of each kept dashboard (its charts' HTML and JSON, its tables formatted),
# weighed in KB: some tens of MB per process.
_pages = Memo(budget=50_000, weight=lambda html: 1 + len(html) // 1024)


@bp.get("/platforms/<slug>/dashboard")
def platform(slug: str) -> tuple[str, int]:
    item = _platform(slug)
    filters, problems = filters_from_request()
    session, viewer = get_session(), current_viewer()
    key = kept.board_key(
        item, filters, viewer=viewer, session=session, default_scenario=default_scenario()
    )
    board, reason = kept.platform_board(
        item, filters, viewer=viewer, session=session, default_scenario=default_scenario(), key=key
    )
    if board is None:
        assert reason is not None
        problems_url = url_for("reconciliation.platform_problems", slug=slug, **filters.args())
        page = render_template(
            "reconciliation/empty.html", platform=item, reason=reason, problems_url=problems_url
        )
        return page, 200
    body = _pages.get(
        session,
        (*key, tuple(problems)),
        lambda: render_to_keep(lambda: _board_body(item, board, problems)),
    )
    page = render_template("reconciliation/platform.html", platform=item, body=with_nonce(body))
    return page, 200


@bp.get("/platforms/<slug>/dashboard-problems.csv")
def platform_problems(slug: str) -> Response:
    """Every problem that keeps the platform's dashboard from being drawn under the request's
    filters, as CSV; 404 where it can be drawn or the viewer may not read them (the problems
    are kept only for those who see every company)."""
    item = _platform(slug)
    filters, _ = filters_from_request()
    board, reason = kept.platform_board(
        item,
        filters,
        viewer=current_viewer(),
        session=get_session(),
        default_scenario=default_scenario(),
    )
    if board is not None or reason is None or not reason.problems:
        abort(404)
    return Response(
        exports.problems_csv(reason.problems),
        content_type=exports.TABLE_TYPES["csv"],
        headers={"Content-Disposition": f'attachment; filename="{slug}-problems.csv"'},
    )


def _board_body(platform: Platform, board: Dashboard, problems: list[str]) -> str:
    return render_template(
        "reconciliation/_platform_board.html",
        platform=platform,
        board=board,
        problems=problems,
        export=lambda name, kind: url_for(
            "reconciliation.platform_export",
            slug=platform.slug,
            name=name,
            kind=kind,
            **board.filters.args(),
        ),
    )


@bp.get(f"/platforms/<slug>/dashboard/<name>.<{FORMATS}:kind>")
def platform_export(slug: str, name: str, kind: str) -> Response:
    item = _platform(slug)
    return _export(lambda f: platform_board(item, f), name, kind, f"{slug}-{name}")


def company_board(company: Company, platform: Platform, filters: Filters) -> Dashboard:
    return dashboards.company_dashboard(
        company,
        platform,
        filters,
        viewer=current_viewer(),
        session=get_session(),
        default_scenario=default_scenario(),
    )


def company_choice(company: Company) -> tuple[list[Platform], Platform | None]:
    """The platforms the company's dashboard can show and the one asked for (``platform`` in
    the URL; else, or where it is not one of them, the first)."""
    choices = company_platforms(company.id, session=get_session(), viewer=current_viewer())
    return choices, pick_platform(choices, request.args.get("platform"))


def _company(company_id: int) -> Company:
    return or_404(visible_company(company_id, session=get_session(), viewer=current_viewer()))


@bp.get(f"/companies/<int:company_id>/dashboard/<name>.<{FORMATS}:kind>")
@login_required
def company_export(company_id: int, name: str, kind: str) -> Response:
    company = _company(company_id)
    _, chosen = company_choice(company)
    if chosen is None:
        abort(404)
    return _export(
        lambda f: company_board(company, chosen, f), name, kind, f"company-{company_id}-{name}"
    )


@bp.get("/companies/<int:company_id>/report")
@login_required
def company_report(company_id: int) -> str:
    """One printable page per platform the company is on: chart and milestone table."""
    company = _company(company_id)
    filters, _ = filters_from_request()
    choices, _ = company_choice(company)
    shown = [p for p in choices if p.slug == request.args.get("platform")] or choices
    return _report(company.name, [partial(company_board, company, p, filters) for p in shown])


def benchmark_board(platform: Platform, filters: Filters) -> Dashboard:
    return dashboards.benchmark_dashboard(
        platform,
        request.args.getlist("company"),
        filters,
        viewer=current_viewer(),
        session=get_session(),
        default_scenario=default_scenario(),
    )


def _benchmark_platform() -> tuple[list[Platform], Platform | None]:
    """The platforms to choose from and the one asked for (404 for one the viewer may not
    see); where none is asked for, the first where a company the viewer may see (for a
    consultant, a client) has data, else the first."""
    session, viewer = get_session(), current_viewer()
    choices = visible_platforms(session=session, viewer=viewer)
    wanted = request.args.get("platform")
    if wanted:
        return choices, or_404(next((p for p in choices if p.slug == wanted), None))
    with_data = platforms_with_companies(session=session, viewer=viewer)
    return choices, (with_data or choices or [None])[0]


@bp.get("/benchmark/")
@login_required
def benchmark() -> str:
    choices, chosen = _benchmark_platform()
    filters, problems = filters_from_request()
    board, reason = attempt(lambda: benchmark_board(chosen, filters)) if chosen else (None, None)
    # Only companies the viewer may choose are kept (and echoed back in the page).
    picked = [n for n in request.args.getlist("company") if board and n in board.companies]
    clients = dashboards.client_positions(
        client_platforms(session=get_session(), viewer=current_viewer()),
        chosen=chosen,
        filters=filters,
        viewer=current_viewer(),
        session=get_session(),
        default_scenario=default_scenario(),
    )
    query = {
        "platform": chosen.slug if chosen else None,
        "company": picked,
        **(board.filters.args() if board else {}),
    }
    return render_template(
        "reconciliation/benchmark.html",
        platforms=choices,
        platform=chosen,
        board=board,
        reason=reason,
        problems=problems,
        chosen=picked,
        clients=clients,
        export=lambda name, kind: url_for(
            "reconciliation.benchmark_export", name=name, kind=kind, **query
        ),
        report_url=url_for("reconciliation.benchmark_report", **query),
    )


@bp.get(f"/benchmark/<name>.<{FORMATS}:kind>")
@login_required
def benchmark_export(name: str, kind: str) -> Response:
    _, chosen = _benchmark_platform()
    if chosen is None:
        abort(404)
    return _export(lambda f: benchmark_board(chosen, f), name, kind, f"benchmark-{name}")


@bp.get("/benchmark/report")
@login_required
def benchmark_report() -> str:
    """One printable page per chosen client company."""
    _, chosen = _benchmark_platform()
    if chosen is None:
        abort(404)
    filters, _ = filters_from_request()
    wanted = request.args.getlist("company")
    companies = companies_named(wanted, session=get_session(), viewer=current_viewer())
    return _report(
        f"Benchmark on {chosen.name}",
        [partial(company_board, c, chosen, filters) for c in companies],
    )


def _report(title: str, builds: list[Callable[[], Dashboard]]) -> str:
    """A printable report: one page per dashboard, or the reason it cannot be drawn."""
    pages = [board or reason for board, reason in map(attempt, builds)]
    return render_template(
        "reconciliation/report.html", title=title, pages=pages, today=date.today()
    )


def _export(build: Callable[[Filters], Dashboard], name: str, kind: str, stem: str) -> Response:
    """The chart or table ``name`` of the dashboard ``build`` makes under the request's
    filters, as a download."""
    filters, _ = filters_from_request()
    board, _ = attempt(lambda: build(filters))
    if board is None:
        abort(404)
    if kind in exports.IMAGE_TYPES:
        figure = board.charts.get(name) or abort(404)
        try:
            body = exports.figure_bytes(figure, kind)
        except exports.ExportUnavailable as error:
            return Response(str(error), status=503, mimetype="text/plain")
        mimetype = exports.IMAGE_TYPES[kind]
    else:
        table = board.tables.get(name) or abort(404)
        body = exports.table_bytes(table.frame, kind, title=table.title)
        mimetype = exports.TABLE_TYPES[kind]
    return Response(
        body,
        content_type=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{stem}.{kind}"'},
    )
