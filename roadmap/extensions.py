"""The app's shared extensions, one instance each (CSRF protection and the login manager), and
the request's viewer (who is asking), shared by the web pages and the API."""

from __future__ import annotations

import math
from typing import Any

from flask import Flask, g
from flask.json.provider import DefaultJSONProvider
from flask_login import LoginManager, current_user
from flask_wtf.csrf import CSRFProtect

from roadmap.accounts.access import ANONYMOUS, Viewer, viewer_for
from roadmap.accounts.passwords import use_hash_method
from roadmap.accounts.queries import active_user
from roadmap.db import get_session
from roadmap.models import User

login_manager = LoginManager()
login_manager.login_view = "accounts.login"
login_manager.login_message = "Please sign in to see this page."
login_manager.session_protection = "strong"
csrf = CSRFProtect()


class FiniteJSONProvider(DefaultJSONProvider):
    """JSON with no NaN or Infinity (which are not JSON, and which clients' parsers refuse):
    a figure that is not a finite number is sent as null, meaning "no value"."""

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        return super().dumps(_finite(obj), **{**kwargs, "allow_nan": False})


def _finite(value: Any) -> Any:
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(item) for item in value]
    return value


def init_app(app: Flask) -> None:
    app.json = FiniteJSONProvider(app)
    use_hash_method(app.config.get("PASSWORD_HASH_METHOD"))
    login_manager.init_app(app)
    csrf.init_app(app)
    app.before_request(forget_viewer)


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    return active_user(int(user_id), session=get_session()) if user_id.isdigit() else None


def forget_viewer() -> None:
    """Start each request without a cached viewer: the app context, and so ``g``, can outlive
    one request (in tests, or a CLI command serving several)."""
    g.pop("viewer", None)
    g.pop("api_user", None)


def current_viewer() -> Viewer:
    """The Viewer of this request: the API's token user, else the signed-in user, else
    anonymous. Computed once per request."""
    if "viewer" not in g:
        user = g.get("api_user")
        if user is None and current_user.is_authenticated:
            user = current_user
        g.viewer = viewer_for(user, session=get_session()) if user is not None else ANONYMOUS
    return g.viewer
