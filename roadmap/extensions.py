"""The app's shared extensions, one instance each (CSRF protection and the login manager), and
the request's viewer (who is asking), shared by the web pages and the API."""

from __future__ import annotations

from flask import Flask, g
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


def init_app(app: Flask) -> None:
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
