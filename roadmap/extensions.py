"""The app's shared extensions, one instance each (CSRF protection and the login manager), and
the request's viewer (who is asking), shared by the web pages and the API."""

from __future__ import annotations

import math
from typing import Any

from flask import Flask, current_app, g, session
from flask.json.provider import DefaultJSONProvider
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager, current_user
from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

from roadmap.accounts.access import ANONYMOUS, Viewer, viewer_for
from roadmap.accounts.passwords import use_hash_method
from roadmap.accounts.queries import signed_in_user
from roadmap.db import get_session
from roadmap.models import User

login_manager = LoginManager()
login_manager.login_view = "accounts.login"
login_manager.login_message = "Please sign in to see this page."
login_manager.session_protection = "strong"
csrf = CSRFProtect()
# Limits per client address (the sign-in routes set theirs); the address is what ProxyFix
# made of X-Forwarded-For when PROXY_COUNT is set.
limiter = Limiter(key_func=get_remote_address, default_limits=[])


def sign_in_limit() -> str:
    return str(current_app.config["SIGN_IN_RATE_LIMIT"])


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
    proxies = int(app.config.get("PROXY_COUNT") or 0)
    if proxies:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies
        )
    limiter.init_app(app)
    use_hash_method(app.config.get("PASSWORD_HASH_METHOD"))
    login_manager.init_app(app)
    csrf.init_app(app)
    app.before_request(forget_viewer)


# Where the browser session keeps the secret of its signed-in session (accounts.SignIn).
SIGN_IN_KEY = "sign_in"


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """The user of this browser session, while its signed-in session has not ended."""
    if not user_id.isdigit():
        return None
    secret = session.get(SIGN_IN_KEY, "")
    return signed_in_user(int(user_id), secret, session=get_session())


def forget_viewer() -> None:
    """Start each request without a cached viewer: the app context, and so ``g``, can outlive
    one request (in tests, or a CLI command serving several)."""
    g.pop("viewer", None)
    g.pop("api_user", None)
    g.pop("_login_user", None)  # Flask-Login's user of the request, kept in ``g`` too


def current_viewer() -> Viewer:
    """The Viewer of this request: the API's token user, else the signed-in user, else
    anonymous. Computed once per request."""
    if "viewer" not in g:
        user = g.get("api_user")
        if user is None and current_user.is_authenticated:
            user = current_user
        g.viewer = viewer_for(user, session=get_session()) if user is not None else ANONYMOUS
    return g.viewer
