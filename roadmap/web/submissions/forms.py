from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    FieldList,
    Form,
    FormField,
    HiddenField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, ValidationError

from roadmap.models import ASSURANCE_LEVELS

EMPTY_ROWS_ADDED = 5


class YearRow(Form):
    """One year of the editable table (a nested form: the outer form carries the CSRF token)."""

    year = StringField("Year", validators=[Length(max=10)])
    # The data-contract check (roadmap.domain.validate) judges the kind, as for uploads.
    kind = SelectField(
        "Kind", choices=[SelectChoice("reported"), SelectChoice("planned")], validate_choice=False
    )
    activity = StringField("Activity", validators=[Length(max=40)])
    emissions = StringField("Emissions", validators=[Length(max=40)])

    def is_blank(self) -> bool:
        return not any(
            (self.year.data or "").strip() or (f.data or "").strip()
            for f in (self.activity, self.emissions)
        )


class SubmissionForm(FlaskForm):
    platform = SelectField("Platform", coerce=int, validators=[DataRequired()])
    assurance = SelectField("Assurance", choices=[SelectChoice(a) for a in ASSURANCE_LEVELS])
    activity_unit = StringField("Activity unit", validators=[DataRequired(), Length(max=100)])
    emissions_unit = StringField(
        "Emissions unit", default="t CO2e", validators=[DataRequired(), Length(max=100)]
    )
    rows = FieldList(FormField(YearRow), min_entries=1, max_entries=200)
    add_rows = SubmitField(f"Add {EMPTY_ROWS_ADDED} rows")
    submit = SubmitField("Submit this trajectory")


class UploadForm(FlaskForm):
    platform = SelectField("Platform", coerce=int, validators=[DataRequired()])
    assurance = SelectField("Assurance", choices=[SelectChoice(a) for a in ASSURANCE_LEVELS])
    file = FileField(
        "Trajectory file (.csv or .xlsx)",
        validators=[
            FileRequired("Choose a file."),
            FileAllowed(["csv", "xlsx"], "Only .csv or .xlsx."),
        ],
    )


class AcceptUploadForm(FlaskForm):
    checksum = HiddenField(validators=[DataRequired()])
    assurance = HiddenField(validators=[DataRequired()])


class ReviewForm(FlaskForm):
    decision = RadioField(
        "Decision",
        choices=[
            SelectChoice("accept", "Accept for the platform's reconciliation"),
            SelectChoice("reject", "Reject"),
        ],
        validators=[DataRequired()],
    )
    reason = TextAreaField("Reason (required to reject)", validators=[Length(max=2000)])

    def validate_reason(self, field: TextAreaField) -> None:
        if self.decision.data == "reject" and not (field.data or "").strip():
            raise ValidationError("Say why the submission is rejected.")
