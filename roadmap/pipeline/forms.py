"""The project form (add and edit) and the import forms. The rules of a project are
roadmap.domain.projects': the form builds the same ``ProjectValues`` the file import and the
API build and shows each problem on its field."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from roadmap.domain.pipeline import STATUSES
from roadmap.domain.projects import DATE_COLUMNS, ProjectValues, project_problems
from roadmap.models import Project
from roadmap.web.fields import ExactFloatField

OTHER = "other"
STATUS_LABELS = {
    "announced": "Announced on",
    "feasibility": "Feasibility study started on",
    "final investment decision": "Final investment decision on",
    "construction": "Construction started on",
    "operating": "Operating since",
    "cancelled": "Cancelled on",
}


class ProjectForm(FlaskForm):
    company_id = SelectField("Company", coerce=int, validate_choice=True)
    name = StringField("Project name", validators=[DataRequired(), Length(max=200)])
    country = StringField("Country", validators=[Length(max=100)])
    technology = SelectField("Technology route", default=OTHER)
    technology_other = StringField(
        "Technology route, if not in the list", validators=[Length(max=100)]
    )
    status = SelectField("Status", choices=[SelectChoice(s) for s in STATUSES])
    announced_on = DateField(STATUS_LABELS["announced"], validators=[Optional()])
    feasibility_on = DateField(STATUS_LABELS["feasibility"], validators=[Optional()])
    fid_on = DateField(STATUS_LABELS["final investment decision"], validators=[Optional()])
    construction_on = DateField(STATUS_LABELS["construction"], validators=[Optional()])
    operating_on = DateField(STATUS_LABELS["operating"], validators=[Optional()])
    cancelled_on = DateField(STATUS_LABELS["cancelled"], validators=[Optional()])
    start_year = IntegerField(
        "Expected start year (or the year it started)",
        validators=[InputRequired("A year is needed.")],
    )
    capacity = ExactFloatField(
        "Capacity per year", validators=[InputRequired("A capacity is needed.")]
    )
    capacity_unit = StringField("Capacity unit (per year)", validators=[Length(max=100)])
    expected_intensity = ExactFloatField("Expected emissions intensity", validators=[Optional()])
    intensity_unit = StringField("Intensity unit", validators=[Length(max=100)])
    source_url = StringField("Source (a web address)", validators=[Length(max=500)])
    is_public = BooleanField("Public: anyone who may see the platform sees this project")

    def set_sector(self, routes: tuple[str, ...], activity_unit: str, intensity_unit: str) -> None:
        """The sector's technology routes to choose from and the units its figures convert
        into (the checks need them)."""
        self.technology.choices = [SelectChoice(r) for r in routes] + [
            SelectChoice(OTHER, "Another route (write it below)")
        ]
        self.routes, self.units = routes, (activity_unit, intensity_unit)

    def show(self, project: Project) -> None:
        """Prefill from a stored project: every value as stored."""
        if project.technology in self.routes:
            self.technology.data = project.technology
        else:
            self.technology.data, self.technology_other.data = OTHER, project.technology

    def technology_text(self) -> str:
        if self.technology.data == OTHER:
            return (self.technology_other.data or "").strip()
        return self.technology.data or ""

    def values(self) -> ProjectValues:
        return ProjectValues(
            name=(self.name.data or "").strip(),
            technology=self.technology_text(),
            status=self.status.data or "",
            start_year=self.start_year.data,
            capacity=self.capacity.data,
            capacity_unit=(self.capacity_unit.data or "").strip(),
            country=(self.country.data or "").strip(),
            dates={s: getattr(self, c).data for s, c in DATE_COLUMNS.items()},
            expected_intensity=self.expected_intensity.data,
            # The unit is prefilled with the sector's: without a figure it says nothing.
            intensity_unit=(self.intensity_unit.data or "").strip()
            if self.expected_intensity.data is not None
            else "",
            source_url=(self.source_url.data or "").strip(),
            is_public=bool(self.is_public.data),
        )

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        activity_unit, intensity_unit = self.units
        for name, message in project_problems(
            self.values(),
            activity_unit=activity_unit,
            intensity_unit=intensity_unit,
            today=date.today(),
        ):
            if name == "technology" and self.technology.data == OTHER:
                name = "technology_other"
            field = self[name]
            text = message[:1].upper() + message[1:] + "."
            if not field.errors:  # a field's own message (e.g. 'A year is needed.') first
                field.errors = [*field.errors, text]  # type: ignore[list-item]
            valid = False
        return valid


class ProjectImportForm(FlaskForm):
    file = FileField(
        "Project file (.csv or .xlsx)",
        validators=[
            FileRequired("Choose a file."),
            FileAllowed(["csv", "xlsx"], "Only .csv or .xlsx."),
        ],
    )


class ConfirmImportForm(FlaskForm):
    """The previewed file, posted back whole to be checked again and stored."""

    content = HiddenField(validators=[DataRequired()])
    filename = HiddenField(validators=[DataRequired(), Length(max=255)])
    checksum = HiddenField(validators=[DataRequired(), Length(max=64)])
