"""WSGI entry point: ``gunicorn wsgi:app``."""

from roadmap import create_app

app = create_app()
