"""/healthz: 200 while the database answers at the code's newest migration, 503 with the
reason when it is behind or cannot be reached; one query, no session, no cookie."""

from __future__ import annotations

from sqlalchemy import event

from roadmap import create_app, migrate
from roadmap.db import get_engine
from tests.network import free_port
from tests.world import sign_in


def _statements(app):
    """The SQL statements the app's engine sends while the list is being filled."""
    sent: list[str] = []
    event.listen(get_engine(app), "before_cursor_execute", lambda *a: sent.append(a[2]))
    return sent


def test_current_database_answers_200_with_one_query(app, client):
    sent = _statements(app)
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {
        "status": "ok",
        "database": "reachable",
        "revision": migrate.head(),
        "head": migrate.head(),
    }
    assert sent == ["SELECT version_num FROM alembic_version"]
    assert response.headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in response.headers


def test_a_signed_in_browser_gets_no_cookie_and_no_user_lookup(app, client, world):
    sign_in(client, world.member.email)
    sent = _statements(app)
    response = client.get("/healthz")
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    assert sent == ["SELECT version_num FROM alembic_version"]


def test_a_database_behind_the_code_answers_503_naming_both_revisions(bare_app):
    migrate.upgrade(get_engine(bare_app), "0009")
    response = bare_app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {
        "status": "unavailable",
        "database": "reachable",
        "revision": "0009",
        "head": migrate.head(),
        "reason": f"database at revision 0009, the code needs {migrate.head()}: "
        "run roadmap db upgrade",
    }
    assert migrate.head() != "0009"


def test_an_empty_database_answers_503_no_schema(bare_app):
    response = bare_app.test_client().get("/healthz")
    assert response.status_code == 503
    body = response.get_json()
    assert (body["database"], body["revision"]) == ("reachable", None)
    assert body["reason"] == "database has no schema: run roadmap db upgrade"


def test_an_unreachable_database_answers_503(tmp_path):
    """A PostgreSQL address where nothing listens (the port was free a moment ago)."""
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test",
            "DATABASE_URL": f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/x"
            "?connect_timeout=2",
        }
    )
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {
        "status": "unavailable",
        "database": "unreachable",
        "revision": None,
        "head": migrate.head(),
        "reason": "database unreachable",
    }
    get_engine(app).dispose()
