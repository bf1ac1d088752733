"""Admins manage users and make one-time password-reset links."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlmodel import select
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from roadmap import operations, queries
from roadmap.db import get_session
from roadmap.models import Company, Platform, User
from roadmap.web.admin.forms import UserForm
from roadmap.web.context import current_viewer

bp = Blueprint("admin", __name__, url_prefix="/admin")


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
        SelectChoice(c.id, c.name)
        for c in session.exec(select(Company).order_by(Company.name)).all()
    ]
    form.platforms.choices = [
        SelectChoice(p.id, p.name)
        for p in session.exec(select(Platform).order_by(Platform.name)).all()
    ]
    return form


@bp.get("/users")
@admin_required
def users() -> str:
    return render_template(
        "admin/users.html", users=queries.users(session=get_session()), form=_user_form()
    )


@bp.post("/users")
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
        )
        session.commit()
        flash(f"{user.email} can now sign in as {user.role}.", "info")
        return redirect(url_for("admin.users"))
    return render_template("admin/users.html", users=queries.users(session=session), form=form), 422


@bp.post("/users/<int:user_id>/reset")
@admin_required
def reset_link(user_id: int) -> str:
    session = get_session()
    user = session.get(User, user_id)
    if user is None:
        abort(404)
    secret = operations.create_password_reset(user, created_by=current_user, session=session)
    session.commit()
    link = url_for("auth.reset", token=secret, _external=True)
    return render_template("admin/reset_link.html", user=user, link=link)
