"""Sign in (throttled), sign out, and setting a password from an admin's one-time link."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import login_required, login_user, logout_user
from werkzeug.wrappers import Response

from roadmap import operations, security
from roadmap.db import get_session
from roadmap.web.auth.forms import LoginForm, NewPasswordForm

bp = Blueprint("auth", __name__, url_prefix="/auth")


def _safe_next(target: str | None) -> str:
    """Only a path on this site: never an open redirect."""
    if (
        target
        and target.startswith("/")
        and not target.startswith("//")
        and not urlsplit(target).netloc
    ):
        return target
    return url_for("home.index")


@bp.route("/login", methods=["GET", "POST"])
def login() -> str | Response | tuple[str, int]:
    form = LoginForm(next=request.args.get("next", ""))
    if not form.validate_on_submit():
        return render_template("auth/login.html", form=form)
    session = get_session()
    email = security.normalise_email(form.email.data or "")
    address = request.remote_addr or ""
    until = security.throttled_until(email, address, session=session)
    if until is not None:
        form.password.errors = [f"Too many failed sign-ins; try again after {until:%H:%M} UTC."]
        return render_template("auth/login.html", form=form), 429
    user = security.authenticate(email, form.password.data or "", address, session=session)
    session.commit()
    if user is None:
        form.password.errors = ["Email or password is not right."]
        return render_template("auth/login.html", form=form), 200
    login_user(user)
    return redirect(_safe_next(form.next.data))


@bp.post("/logout")
@login_required
def logout() -> Response:
    logout_user()
    flash("You are signed out.", "info")
    return redirect(url_for("home.index"))


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset(token: str) -> str | Response:
    session = get_session()
    reset_link = operations.find_password_reset(token, session=session)
    if reset_link is None:
        abort(404)
    form = NewPasswordForm()
    if not form.validate_on_submit():
        return render_template("auth/reset.html", form=form)
    operations.use_password_reset(reset_link, form.password.data or "", session=session)
    session.commit()
    flash("Your password is set; please sign in.", "info")
    return redirect(url_for("auth.login"))
