"""One log line per request (logger ``roadmap.requests``): method, path, status, time taken,
the request id and the user id. The id is the client's or proxy's ``X-Request-ID`` when it is
sane, else a new one, and is sent back in the response's ``X-Request-ID``. No query string is
logged and a path's secret parts (a reset link's token) are left out; a user is named by id,
never by email."""

from __future__ import annotations

import logging
import re
import sys
import time
import uuid
from urllib.parse import quote

from flask import Flask, g, request
from werkzeug.wrappers import Response

from roadmap.config import ConfigurationError

logger = logging.getLogger("roadmap.requests")
HEADER = "X-Request-ID"
# Letters, digits and . _ : - (a UUID, a proxy's hex id, ...), up to 128 characters.
_SANE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,127}")
# Route arguments never written to the log.
SECRET_ARGUMENTS = frozenset({"token"})


def init_app(app: Flask) -> None:
    """Register before anything else, so that the clock starts first and the line is written
    last, after every other hook has shaped the response."""
    configure_logging(str(app.config.get("LOG_LEVEL") or "INFO"))
    app.before_request(_start)
    app.after_request(_finish)


def configure_logging(level: str) -> None:
    """The ``roadmap`` loggers at ``ROADMAP_LOG_LEVEL``; where nothing else has set up logging
    (gunicorn leaves the root logger alone), their lines go to stderr."""
    ours = logging.getLogger("roadmap")
    try:
        ours.setLevel(level.upper())
    except ValueError:
        raise ConfigurationError(
            f"ROADMAP_LOG_LEVEL={level!r} is not a log level: use DEBUG, INFO, WARNING or ERROR."
        ) from None
    if not ours.handlers and not logging.getLogger().handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        ours.addHandler(handler)


def request_id() -> str:
    if "request_id" not in g:
        supplied = request.headers.get(HEADER, "")
        g.request_id = supplied if _SANE_ID.fullmatch(supplied) else uuid.uuid4().hex
    return str(g.request_id)


def _start() -> None:
    # Forget the last request's: an app context, and so ``g``, can serve several (tests).
    g.pop("request_id", None)
    g.request_started = time.perf_counter()
    request_id()


def _finish(response: Response) -> Response:
    response.headers[HEADER] = request_id()
    started = g.get("request_started", time.perf_counter())
    duration = round((time.perf_counter() - started) * 1000, 1)
    fields = {
        "request_id": request_id(),
        "user_id": _user_id(),
        "method": request.method,
        "path": loggable_path(),
        "status": response.status_code,
        "duration_ms": duration,
    }
    logger.info(
        "%(method)s %(path)s %(status)s %(duration_ms).1f ms request_id=%(request_id)s "
        "user=%(user_id)s",
        {**fields, "user_id": fields["user_id"] or "-"},
        extra=fields,
    )
    return response


def _user_id() -> int | None:
    """The id of the user this request was made by (API token or signed-in session) where the
    request has looked them up; never loads them (a query) just to log."""
    user = g.get("api_user") or g.get("_login_user")
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return int(user.id)


def loggable_path() -> str:
    """The path without its query string; a route with a secret argument by its pattern
    (``/auth/reset/<token>``). Characters that could forge a log line are percent-encoded."""
    rule = request.url_rule
    if rule is not None and SECRET_ARGUMENTS & set(rule.arguments):
        return rule.rule
    return quote(request.path, safe="/:@!$&'()*+,;=-._~")
