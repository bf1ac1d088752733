"""The sandbox reconciled as you type: the page's script posts the form after each change with
``LIVE_HEADER`` and gets back JSON (the outcome's HTML and its figure's data) instead of a whole
page. Without the script the form posts and the page reloads, with the same figures.

The HTML carries no script (the Content-Security-Policy runs only scripts with the nonce of the
page that asked); the page's own script draws the figure from the data."""

from __future__ import annotations

import json
from typing import Any

from flask import render_template, request
from flask_wtf import FlaskForm
from wtforms import Field, FieldList, FormField

from roadmap.models import Company
from roadmap.whatif import outcome

LIVE_HEADER = "X-Roadmap-Live"


def wanted() -> bool:
    return request.headers.get(LIVE_HEADER) == "outcome"


def answer(company: Company, result: outcome.Outcome) -> dict[str, Any]:
    figure = result.figure
    return {
        "ok": True,
        "html": render_template(
            "whatif/_outcome.html", company=company, result=result, figure=None, live=True
        ),
        "figure": json.loads(figure.to_json()) if figure is not None else None,
    }


def refusal(form: FlaskForm, problems: list[str]) -> dict[str, Any]:
    """Why the table was not reconciled: the problems of its rows (each naming its row and
    column, as the page puts them next to their fields), or of the form's own fields."""
    messages = list(problems)
    for label, field in _leaves(form, ""):
        messages += [f"{label}: {error}" for error in field.errors if isinstance(error, str)]
    return {"ok": False, "problems": list(dict.fromkeys(messages)) or [NOT_RECONCILED]}


NOT_RECONCILED = "The plan could not be reconciled."


def _leaves(fields: Any, where: str) -> list[tuple[str, Field]]:
    """Every field of a form with the label the page reads it by ("Emissions, row 3"), those
    inside the table's rows included."""
    found: list[tuple[str, Field]] = []
    for field in fields:
        if isinstance(field, FieldList):
            for number, entry in enumerate(field.entries, start=1):
                found += _leaves(entry, f", row {number}")
        elif isinstance(field, FormField):
            found += _leaves(field, where)
        else:
            found.append((f"{field.label.text}{where}", field))
    return found
