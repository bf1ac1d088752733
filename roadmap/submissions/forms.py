from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    DateField,
    FieldList,
    FormField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, ValidationError

from roadmap.domain.review import decision_message_problem
from roadmap.domain.rounds import round_problems
from roadmap.models import ASSURANCE_LEVELS
from roadmap.web.fields import ScopeField
from roadmap.web.trajectory_table import MAX_FORM_ROWS, YearRow

EMPTY_ROWS_ADDED = 5


class SubmissionForm(FlaskForm):
    platform = SelectField("Platform", coerce=int, validators=[DataRequired()])
    assurance = SelectField("Assurance", choices=[SelectChoice(a) for a in ASSURANCE_LEVELS])
    # Blank region and scope are the platform's own. Units are checked by the data-contract
    # rules, row by row, as for uploads (an intensity-only trajectory has no activity unit).
    region = StringField("Region", validators=[Length(max=100)])
    scope = ScopeField("Scope")
    activity_unit = StringField("Activity unit", validators=[Length(max=100)])
    emissions_unit = StringField("Emissions unit", default="t CO2e", validators=[Length(max=100)])
    intensity_unit = StringField("Intensity unit", validators=[Length(max=100)])
    rows = FieldList(FormField(YearRow), min_entries=1, max_entries=MAX_FORM_ROWS)
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
            SelectChoice("request_changes", "Request changes (the member resubmits)"),
            SelectChoice("reject", "Reject"),
        ],
        validators=[DataRequired()],
    )
    reason = TextAreaField(
        "Message (required to request changes or reject)", validators=[Length(max=2000)]
    )

    def validate_reason(self, field: TextAreaField) -> None:
        problem = decision_message_problem(self.decision.data or "", field.data)
        if problem is not None:
            raise ValidationError(problem)


class RoundForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=100)])
    reported_up_to = IntegerField(
        "Reported years up to", validators=[InputRequired(), NumberRange(1990, 2100)]
    )
    plan_to = IntegerField("Plan to", validators=[InputRequired(), NumberRange(1990, 2100)])
    opens_on = DateField("Opens on", validators=[InputRequired()])
    deadline = DateField("Deadline", validators=[InputRequired()])

    def validate(self, extra_validators=None) -> bool:  # type: ignore[no-untyped-def,override]
        if not super().validate(extra_validators):
            return False
        problems = round_problems(
            reported_up_to=self.reported_up_to.data,
            plan_to=self.plan_to.data,
            opens_on=self.opens_on.data,
            deadline=self.deadline.data,
        )
        for name, message in problems.items():
            getattr(self, name).errors = [*getattr(self, name).errors, message]
        return not problems


class RoundActionForm(FlaskForm):
    """Close or publish a round: the CSRF token only."""
