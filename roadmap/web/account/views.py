"""A user's own API tokens: list, create (the secret is shown once), revoke."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from roadmap import operations, queries
from roadmap.db import get_session
from roadmap.models import ApiToken

bp = Blueprint("account", __name__, url_prefix="/account")


class TokenForm(FlaskForm):
    name = StringField("What the token is for", validators=[DataRequired(), Length(max=100)])


@bp.get("/tokens")
@login_required
def tokens() -> str:
    return render_template(
        "account/tokens.html",
        form=TokenForm(),
        tokens=queries.api_tokens(current_user, session=get_session()),
    )


@bp.post("/tokens")
@login_required
def create_token() -> str | tuple[str, int]:
    session = get_session()
    form = TokenForm()
    if not form.validate_on_submit():
        return render_template(
            "account/tokens.html",
            form=form,
            tokens=queries.api_tokens(current_user, session=session),
        ), 422
    _, secret = operations.create_api_token(current_user, form.name.data or "", session=session)
    session.commit()
    return render_template(
        "account/tokens.html",
        form=TokenForm(formdata=None),
        secret=secret,
        tokens=queries.api_tokens(current_user, session=session),
    )


@bp.post("/tokens/<int:token_id>/revoke")
@login_required
def revoke_token(token_id: int) -> Response:
    session = get_session()
    token = session.get(ApiToken, token_id)
    if token is None or token.user_id != current_user.id:
        abort(404)
    operations.revoke_api_token(token, session=session)
    session.commit()
    flash("Token revoked.", "info")
    return redirect(url_for("account.tokens"))
