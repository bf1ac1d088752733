"""Signing in (throttled) and out, setting a password from an admin's one-time link, a user's
own API tokens, and the admin's user management."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask import session as flask_session
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from roadmap.accounts import operations, passwords, queries
from roadmap.accounts.forms import (
    LoginForm,
    NewPasswordForm,
    SectorLeaveForm,
    TokenForm,
    UserForm,
)
from roadmap.db import get_session
from roadmap.extensions import SIGN_IN_KEY, current_viewer, limiter, sign_in_limit
from roadmap.web.util import confirmation, confirmed, or_404

bp = Blueprint("accounts", __name__)


# --- signing in and out --------------------------------------------------------------------


def _safe_next(target: str | None) -> str:
    """Only a path on this site: never an open redirect."""
    if (
        target
        and target.startswith("/")
        and not target.startswith("//")
        and not urlsplit(target).netloc
    ):
        return target
    return url_for("platforms.home")


@bp.route("/auth/login", methods=["GET", "POST"])
@limiter.limit(sign_in_limit, methods=["POST"])
def login() -> str | Response | tuple[str, int]:
    form = LoginForm(next=request.args.get("next", ""))
    if not form.validate_on_submit():
        return render_template("accounts/login.html", form=form)
    session = get_session()
    email = passwords.normalise_email(form.email.data or "")
    address = request.remote_addr or ""
    until = passwords.throttled_until(email, session=session)
    if until is not None:
        form.password.errors = [f"Too many failed sign-ins; try again after {until:%H:%M} UTC."]
        return render_template("accounts/login.html", form=form), 429
    user = passwords.authenticate(email, form.password.data or "", address, session=session)
    session.commit()
    if user is None:
        form.password.errors = ["Email or password is not right."]
        return render_template("accounts/login.html", form=form), 200
    secret = operations.start_sign_in(user, session=session)
    session.commit()
    login_user(user)
    flask_session[SIGN_IN_KEY] = secret
    return redirect(_safe_next(form.next.data))


@bp.post("/auth/logout")
@login_required
def logout() -> Response:
    session = get_session()
    operations.end_sign_in(flask_session.pop(SIGN_IN_KEY, ""), session=session)
    session.commit()
    logout_user()
    flash("You are signed out.", "info")
    return redirect(url_for("platforms.home"))


@bp.route("/auth/reset/<token>", methods=["GET", "POST"])
def reset(token: str) -> str | Response:
    session = get_session()
    reset_link = or_404(queries.password_reset(token, session=session))
    form = NewPasswordForm()
    if not form.validate_on_submit():
        return render_template("accounts/reset.html", form=form)
    operations.use_password_reset(
        reset_link,
        form.password.data or "",
        keep_tokens=bool(form.keep_tokens.data),
        session=session,
    )
    session.commit()
    flash("Your password is set; please sign in.", "info")
    return redirect(url_for("accounts.login"))


# --- a user's own API tokens ---------------------------------------------------------------


def _tokens_page(form: TokenForm, secret: str | None = None) -> str:
    return render_template(
        "accounts/tokens.html",
        form=form,
        secret=secret,
        tokens=queries.api_tokens(current_user, session=get_session()),
    )


@bp.get("/account/tokens")
@login_required
def tokens() -> str:
    return _tokens_page(TokenForm())


@bp.post("/account/tokens")
@login_required
def create_token() -> str | tuple[str, int]:
    session = get_session()
    form = TokenForm()
    if not form.validate_on_submit():
        return _tokens_page(form), 422
    _, secret = operations.create_api_token(current_user, form.name.data or "", session=session)
    session.commit()
    flash(f"Token {form.name.data} created.", "info")
    return _tokens_page(TokenForm(formdata=None), secret)


@bp.post("/account/tokens/<int:token_id>/revoke")
@login_required
def revoke_token(token_id: int) -> Response | str:
    session = get_session()
    token = or_404(queries.api_token_of(current_user, token_id, session=session))
    if not confirmed():
        return confirmation(
            title=f"Revoke the API token {token.name}?",
            consequence=f"Programs using the token {token.name} (starting {token.prefix}…) "
            "lose access at once; a revoked token cannot be used again.",
            confirm_label="Revoke the token",
            cancel_url=url_for("accounts.tokens"),
        )
    operations.revoke_api_token(token, session=session)
    session.commit()
    flash(f"Token {token.name} revoked.", "info")
    return redirect(url_for("accounts.tokens"))


# --- the admin's user management -----------------------------------------------------------


def admin_required(view: Callable[..., Any]) -> Callable[..., Any]:
    @wraps(view)
    @login_required
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not current_viewer().is_admin:
            abort(404)
        return view(*args, **kwargs)

    return wrapped


def _user_form() -> UserForm:
    session = get_session()
    form = UserForm()
    form.company.choices = [SelectChoice(0, "(none)")] + [
        SelectChoice(c.id, c.name) for c in queries.company_choices(session=session)
    ]
    form.platforms.choices = [
        SelectChoice(p.id, p.name) for p in queries.platform_choices(session=session)
    ]
    return form


@bp.get("/admin/users")
@admin_required
def users() -> str:
    return render_template(
        "accounts/users.html", users=queries.users(session=get_session()), form=_user_form()
    )


@bp.post("/admin/users")
@admin_required
def create_user() -> str | Response | tuple[str, int]:
    session = get_session()
    form = _user_form()
    if form.validate_on_submit() and queries.user_by_email(form.email.data or "", session=session):
        form.email.errors = ["A user with this email exists."]
    elif form.validate_on_submit():
        user = operations.create_user(
            session=session,
            email=form.email.data or "",
            password=form.password.data or "",
            role=form.role.data,
            name=form.name.data or "",
            company_id=form.company.data or None,
            platform_ids=form.platforms.data if form.role.data == "coordinator" else [],
            may_create_sectors=bool(form.may_create_sectors.data),
        )
        session.commit()
        flash(f"{user.email} can now sign in as {user.role}.", "info")
        return redirect(url_for("accounts.users"))
    return render_template(
        "accounts/users.html", users=queries.users(session=session), form=form
    ), 422


@bp.post("/admin/users/<int:user_id>/sectors")
@admin_required
def sector_leave(user_id: int) -> Response:
    session = get_session()
    user = or_404(queries.user(user_id, session=session))
    form = SectorLeaveForm()
    if not form.validate_on_submit():
        abort(400)
    if user.role != "coordinator":
        flash(
            f"Only coordinators are given leave to create sectors; {user.email} is {user.role}.",
            "error",
        )
        return redirect(url_for("accounts.users"))
    operations.set_sector_leave(user, bool(form.allow.data), session=session)
    session.commit()
    verb = "may now" if user.may_create_sectors else "may no longer"
    flash(f"{user.email} {verb} create sectors.", "info")
    return redirect(url_for("accounts.users"))


@bp.post("/admin/users/<int:user_id>/reset")
@admin_required
def reset_link(user_id: int) -> str:
    session = get_session()
    user = or_404(queries.user(user_id, session=session))
    secret = operations.create_password_reset(user, created_by=current_user, session=session)
    session.commit()
    link = url_for("accounts.reset", token=secret, _external=True)
    return render_template("accounts/reset_link.html", user=user, link=link)
