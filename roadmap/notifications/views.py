"""A user's choice of the emails they receive (every event on until turned off)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from roadmap.config import mail_settings
from roadmap.db import get_session
from roadmap.notifications import operations, queries
from roadmap.notifications.events import events_for
from roadmap.notifications.forms import PreferencesForm

bp = Blueprint("notifications", __name__)


@bp.route("/account/notifications", methods=["GET", "POST"])
@login_required
def preferences() -> str | Response | tuple[str, int]:
    session = get_session()
    events = events_for(current_user.role)
    form = PreferencesForm()
    if form.validate_on_submit():
        operations.set_preferences(
            current_user,
            {e.name: bool(form[e.name].data) for e in events},
            session=session,
        )
        session.commit()
        flash("Your email choices are saved.", "info")
        return redirect(url_for("notifications.preferences"))
    if not form.is_submitted():
        off = queries.opted_out_events(current_user.id, session=session)
        for e in events:
            form[e.name].data = e.name not in off
    status = 400 if form.is_submitted() else 200
    return render_template(
        "notifications/preferences.html",
        form=form,
        events=events,
        mail_on=bool(mail_settings().server),
    ), status
