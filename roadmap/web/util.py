"""Small helpers for views: 404 for what the viewer may not see, the error summary of a
refused form, and the confirmation step before an irreversible action."""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple, TypeVar

from flask import abort, render_template, request
from wtforms import Field, FieldList, Form, FormField

T = TypeVar("T")

# The value a confirmation page posts back with the form it asked about.
CONFIRMED = "yes"
# Fields that carry no value a user typed: never linked from the summary nor posted back.
_HIDDEN_TYPES = ("CSRFTokenField", "HiddenField", "SubmitField")


def or_404(found: T | None) -> T:
    """The object, or a 404 page: what the viewer may not see does not exist for them."""
    if found is None:
        abort(404)
    return found


class FieldError(NamedTuple):
    """One refused field of a form, for the error summary: the element id its link targets,
    the label to read and the message."""

    field_id: str
    label: str
    message: str


def field_errors(*forms: Form | None) -> list[FieldError]:
    """Every error of the forms' visible fields in page order, nested tables included (a row
    of a table is named "Emissions, row 3", as the table's own labels name it)."""
    return [error for form in forms if form is not None for error in _errors(form, "")]


def _errors(form: Form, suffix: str) -> Iterator[FieldError]:
    for field in form:
        if isinstance(field, FieldList):
            for number, entry in enumerate(field.entries, start=1):
                yield from _entry_errors(entry, f", row {number}")
        elif isinstance(field, FormField):
            yield from _errors(field.form, suffix)
        elif field.type not in _HIDDEN_TYPES:
            yield from _leaf_errors(field, suffix)


def _entry_errors(entry: Field, suffix: str) -> Iterator[FieldError]:
    if isinstance(entry, FormField):
        yield from _errors(entry.form, suffix)
    else:
        yield from _leaf_errors(entry, suffix)


def _leaf_errors(field: Field, suffix: str) -> Iterator[FieldError]:
    # A group of radio buttons has no element of its own id: the link goes to the first.
    target = f"{field.id}-0" if field.type == "RadioField" else str(field.id)
    for message in field.errors:
        if isinstance(message, str):
            yield FieldError(target, f"{field.label.text}{suffix}", message)


def confirmed() -> bool:
    """True when the request comes from the confirmation page's Confirm button."""
    return request.form.get("confirmed") == CONFIRMED


def confirmation(*, title: str, consequence: str, confirm_label: str, cancel_url: str) -> str:
    """The page that asks before an irreversible action: it says what will happen and posts
    the same form again (its fields, a fresh CSRF token and ``confirmed=yes``) to the same
    address; Cancel goes back without changing anything."""
    posted = [
        (name, value)
        for name, value in request.form.items(multi=True)
        if name not in ("csrf_token", "confirmed")
    ]
    return render_template(
        "confirm.html",
        title=title,
        consequence=consequence,
        confirm_label=confirm_label,
        cancel_url=cancel_url,
        action=request.path,
        posted=posted,
        confirmed_value=CONFIRMED,
    )
