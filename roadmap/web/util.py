"""Small helpers for views."""

from __future__ import annotations

from typing import TypeVar

from flask import abort

T = TypeVar("T")


def or_404(found: T | None) -> T:
    """The object, or a 404 page: what the viewer may not see does not exist for them."""
    if found is None:
        abort(404)
    return found
