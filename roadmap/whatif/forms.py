"""The sandbox's table (the same rows as a submission), its file upload, and submitting a
draft."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    FieldList,
    FormField,
    HiddenField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
)
from wtforms.validators import DataRequired, Length

from roadmap.models import ASSURANCE_LEVELS
from roadmap.web.fields import ScopeField
from roadmap.web.trajectory_table import MAX_FORM_ROWS, YearRow

EMPTY_ROWS_ADDED = 5


class SandboxForm(FlaskForm):
    platform = SelectField("Platform", coerce=int, validators=[DataRequired()])
    name = StringField("Draft name", default="What-if plan", validators=[Length(max=100)])
    draft = HiddenField()
    region = StringField("Region", validators=[Length(max=100)])
    scope = ScopeField("Scope")
    activity_unit = StringField("Activity unit", validators=[Length(max=100)])
    emissions_unit = StringField("Emissions unit", validators=[Length(max=100)])
    intensity_unit = StringField("Intensity unit", validators=[Length(max=100)])
    rows = FieldList(FormField(YearRow), min_entries=1, max_entries=MAX_FORM_ROWS)
    recompute = SubmitField("Reconcile this plan")
    catch_up = SubmitField("Fill in the catch-up plan")
    add_rows = SubmitField(f"Add {EMPTY_ROWS_ADDED} rows")
    save = SubmitField("Save as a private draft")


class SandboxUploadForm(FlaskForm):
    platform = SelectField("Platform", coerce=int, validators=[DataRequired()])
    file = FileField(
        "Replace the rows with a file (.csv or .xlsx, the columns of a submission)",
        validators=[
            FileRequired("Choose a file."),
            FileAllowed(["csv", "xlsx"], "Only .csv or .xlsx."),
        ],
    )


class SubmitDraftForm(FlaskForm):
    assurance = SelectField("Assurance", choices=[SelectChoice(a) for a in ASSURANCE_LEVELS])
    submit = SubmitField("Submit as a new version")


class DeleteDraftForm(FlaskForm):
    """The CSRF token only (the confirmation page posts ``confirmed``)."""
