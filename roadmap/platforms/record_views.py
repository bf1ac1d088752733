"""Editing a platform's records in place (signatories, company targets, demand signals, policy
asks, actions, KPIs and their targets) and reading its history, filtered by kind and as CSV.
Each edit is kept in the history with its old and new values."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from roadmap.db import get_session
from roadmap.domain.numbers import exact_text
from roadmap.models import HISTORY_KINDS, Kpi, Platform
from roadmap.platforms import forms, operations, queries
from roadmap.platforms.views import RECORDS, _coordinated, bp, kpi_source_fits, record_fits
from roadmap.reconciliation.exports import table_bytes
from roadmap.web.util import or_404


def _record_form(kind: str, platform: Platform, record: Any) -> FlaskForm:
    """The kind's form, showing ``record`` on a first visit and what was sent on a post."""
    _, form_class = RECORDS[kind]
    form = form_class(obj=record) if request.method == "GET" else form_class()
    if kind == "targets":
        companies = queries.platform_companies(platform, session=get_session())
        if record.company_id not in {c.id for c in companies}:
            companies = [record.company, *companies]  # its company stays a choice
        form.company_id.choices = [SelectChoice(c.id, c.name) for c in companies]  # type: ignore[attr-defined]
    return form


@bp.route("/platforms/<slug>/records/<kind>/<int:record_id>/edit", methods=["GET", "POST"])
@login_required
def edit_record(slug: str, kind: str, record_id: int) -> Any:
    platform = _coordinated(slug)
    if kind not in RECORDS:
        abort(404)
    model, _ = RECORDS[kind]
    record = or_404(queries.record_of(model, platform, record_id, session=get_session()))
    form = _record_form(kind, platform, record)
    if request.method == "POST" and form.validate_on_submit() and record_fits(kind, form, platform):
        values = {name: f.data for name, f in form._fields.items() if name != "csrf_token"}
        changed = operations.update_record(
            record, platform, values, user=current_user, session=get_session()
        )
        get_session().commit()
        flash("Saved." if changed else "Nothing changed.", "info")
        return redirect(url_for("platforms.detail", slug=slug) + f"#{kind}")
    status = 422 if request.method == "POST" else 200
    return render_template(
        "platforms/record_edit.html", platform=platform, form=form, kind=kind, record=record
    ), status


def _targets_text(kpi: Kpi) -> str:
    return ", ".join(f"{v.year}: {exact_text(v.value)}" for v in kpi.values if v.is_target)


@bp.route("/platforms/<slug>/kpis/<int:kpi_id>/edit", methods=["GET", "POST"])
@login_required
def edit_kpi(slug: str, kpi_id: int) -> Any:
    platform = _coordinated(slug)
    kpi = or_404(queries.record_of(Kpi, platform, kpi_id, session=get_session()))
    if request.method == "GET":
        form = forms.KpiForm(obj=kpi)
        form.targets.data = _targets_text(kpi)
    else:
        form = forms.KpiForm()
    if request.method == "POST" and form.validate_on_submit() and kpi_source_fits(form, platform):
        changed = operations.update_kpi(
            kpi,
            platform,
            name=form.name.data or "",
            unit=form.unit.data or "",
            direction=form.direction.data,
            targets=form.parsed_targets(),
            source=form.source.data,
            user=current_user,
            session=get_session(),
        )
        get_session().commit()
        flash("Saved." if changed else "Nothing changed.", "info")
        return redirect(url_for("platforms.detail", slug=slug) + "#kpis")
    status = 422 if request.method == "POST" else 200
    return render_template(
        "platforms/record_edit.html", platform=platform, form=form, kind="kpis", record=kpi
    ), status


def _kind_filter() -> str | None:
    """The ``kind`` asked for, if one the history knows; any other value is a 404 (an empty
    list would read as "nothing happened")."""
    kind = request.args.get("kind") or None
    if kind is not None and kind not in HISTORY_KINDS:
        abort(404)
    return kind


@bp.get("/platforms/<slug>/history")
@login_required
def history(slug: str) -> str:
    platform = _coordinated(slug)
    kind = _kind_filter()
    return render_template(
        "platforms/history.html",
        platform=platform,
        entries=queries.history(platform, session=get_session(), kind=kind),
        kinds=HISTORY_KINDS,
        kind=kind,
    )


@bp.get("/platforms/<slug>/history.csv")
@login_required
def history_csv(slug: str) -> Response:
    platform = _coordinated(slug)
    kind = _kind_filter()
    frame = queries.history_frame(platform, session=get_session(), kind=kind)
    name = f"{platform.slug}-history" + (f"-{kind.replace(' ', '-')}" if kind else "")
    return Response(
        table_bytes(frame, "csv", title="History"),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
    )
