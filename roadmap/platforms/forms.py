from __future__ import annotations

import math

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from roadmap.domain.demand import COMMITMENTS
from roadmap.domain.milestones import on_grid
from roadmap.domain.pipeline import MEASURES, TYPED
from roadmap.models import (
    ACTION_KINDS,
    ACTION_STATUSES,
    KPI_DIRECTIONS,
    POLICY_STATUSES,
    SIGNATORY_KINDS,
    TARGET_KINDS,
    VALIDATIONS,
)
from roadmap.web.fields import ExactFloatField, ScopeField, refuse_formula

YEAR = [NumberRange(1990, 2100, "A year between 1990 and 2100.")]


def choices(values: tuple[str, ...]) -> list[SelectChoice]:
    return [SelectChoice(v) for v in values]


class PlatformForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=200)])
    slug = StringField("Short name in addresses", validators=[DataRequired(), Length(max=80)])
    sector = SelectField("Sector", coerce=int)
    region = StringField("Region", default="Global", validators=[DataRequired(), Length(max=100)])
    scope = ScopeField("Emissions scope", default="S1S2", validators=[DataRequired()])
    vision = TextAreaField("Shared vision statement", validators=[Length(max=4000)])
    net_zero_year = IntegerField("Net-zero year", validators=[Optional(), *YEAR])
    coverage_target = ExactFloatField(
        "Share of activity company targets must cover (0-1)",
        default=0.5,
        validators=[NumberRange(0, 1)],
    )
    is_public = BooleanField("Public: anyone may see its roadmap and aggregate figures")
    treat_co2_as_co2e = BooleanField(
        "Compare figures in CO2 and CO2e as one quantity (TPI publishes CO2, OECM CO2e); "
        "the dashboards say so where it is applied"
    )

    def validate_slug(self, field: StringField) -> None:
        slug = (field.data or "").strip()
        if not slug.replace("-", "").isalnum() or slug != slug.lower():
            raise ValidationError("Lower-case letters, digits and hyphens only.")


class SignatoryForm(FlaskForm):
    organisation = StringField("Organisation", validators=[DataRequired(), Length(max=200)])
    kind = SelectField("Type", choices=choices(SIGNATORY_KINDS))
    joined_on = DateField("Joined on", validators=[DataRequired()])


class CompanyTargetForm(FlaskForm):
    company_id = SelectField("Company", coerce=int)
    target_year = IntegerField("Target year (a milestone)", validators=[DataRequired(), *YEAR])
    kind = SelectField("Target", choices=choices(TARGET_KINDS))
    value = ExactFloatField(
        "Value (intensity in the sector unit, or reduction 0-1)",
        validators=[InputRequired(message="A value is needed."), NumberRange(min=0)],
    )
    scope = ScopeField("Scope", default="S1S2", validators=[DataRequired()])
    net_zero_year = IntegerField("Net-zero year", validators=[Optional(), *YEAR])
    validation = SelectField("Validation", choices=choices(VALIDATIONS))

    def validate_target_year(self, field: IntegerField) -> None:
        if field.data is not None and field.data % 5:
            raise ValidationError("Tie the target to a milestone: a year on the 5-year grid.")

    def validate_value(self, field: ExactFloatField) -> None:
        if self.kind.data == "absolute reduction" and field.data is not None and field.data > 1:
            raise ValidationError("A reduction is a share between 0 and 1.")


class DemandSignalForm(FlaskForm):
    buyer = StringField("Buyer", validators=[DataRequired(), Length(max=200)])
    product = StringField("Product", validators=[DataRequired(), Length(max=200)])
    commitment = SelectField("Commitment", choices=choices(COMMITMENTS))
    volume = ExactFloatField("Volume per year", validators=[InputRequired(), NumberRange(min=0)])
    volume_unit = StringField(
        "Unit (an amount of the sector's product, e.g. t Steel)",
        validators=[DataRequired(), Length(max=50)],
    )
    year = IntegerField("From year", validators=[DataRequired(), *YEAR])
    until_year = IntegerField("Until year (blank: that year only)", validators=[Optional(), *YEAR])

    def validate_until_year(self, field: IntegerField) -> None:
        if field.data is not None and self.year.data is not None and field.data < self.year.data:
            raise ValidationError(f"It ends before it starts ({self.year.data}).")


class PolicyAskForm(FlaskForm):
    rule = StringField("The rule to change", validators=[DataRequired(), Length(max=500)])
    jurisdiction = StringField("Jurisdiction", validators=[DataRequired(), Length(max=200)])
    status = SelectField("Status", choices=choices(POLICY_STATUSES))


class ActionForm(FlaskForm):
    title = StringField("Action", validators=[DataRequired(), Length(max=200)])
    kind = SelectField("Kind", choices=choices(ACTION_KINDS))
    owner = StringField("Owner", validators=[DataRequired(), Length(max=200)])
    status = SelectField("Status", choices=choices(ACTION_STATUSES))
    milestone_year = IntegerField("Milestone it serves", validators=[DataRequired(), *YEAR])
    due_on = DateField("Due", validators=[Optional()])


class MilestoneRow(Form):
    year = IntegerField("Year", validators=[Optional()])
    intensity = ExactFloatField("Intensity", validators=[Optional()])
    activity = ExactFloatField("Sector activity", validators=[Optional()])


class PathwayForm(FlaskForm):
    scenario = StringField(
        "Pathway name", validators=[DataRequired(), Length(max=200), refuse_formula]
    )
    reference = SelectField("Start from a published scenario", default="")
    base_year = IntegerField("Base year", validators=[DataRequired(), *YEAR])
    target_year = IntegerField("Target year", validators=[DataRequired(), *YEAR])
    intensity_unit = StringField("Intensity unit", validators=[DataRequired(), Length(max=100)])
    activity_unit = StringField("Sector activity unit", validators=[Length(max=100)])
    published = BooleanField("Published")
    rows = FieldList(FormField(MilestoneRow), min_entries=1, max_entries=40)
    fill = SubmitField("Fill the milestone years")
    save = SubmitField("Save the pathway")


class PathwayImportForm(FlaskForm):
    file = FileField(
        "Pathway file (.csv or .xlsx)",
        validators=[
            FileRequired("Choose a file."),
            FileAllowed(["csv", "xlsx"], "Only .csv or .xlsx."),
        ],
    )
    scenario = StringField(
        "Scenario in the file", validators=[DataRequired(), Length(max=200), refuse_formula]
    )
    base_year = IntegerField("Base year", validators=[DataRequired(), *YEAR])
    target_year = IntegerField("Target year", validators=[DataRequired(), *YEAR])


class KpiForm(FlaskForm):
    name = StringField("KPI", validators=[DataRequired(), Length(max=200)])
    unit = StringField("Unit", validators=[DataRequired(), Length(max=50)])
    direction = SelectField("Better when it goes", choices=choices(KPI_DIRECTIONS))
    source = SelectField(
        "Actuals",
        choices=[SelectChoice(TYPED, "typed in: actuals recorded by hand")]
        + [SelectChoice(m, f"computed from the project pipeline: {m}") for m in MEASURES],
        default=TYPED,
    )
    targets = StringField(
        "Five-year targets, e.g. 2025: 5, 2030: 20, 2050: 100",
        validators=[DataRequired(), Length(max=500)],
    )

    def parsed_targets(self) -> dict[int, float]:
        """The targets as {year: value}; raises ValueError with a message for the field."""
        out: dict[int, float] = {}
        for part in (self.targets.data or "").split(","):
            year_text, sep, value_text = part.partition(":")
            try:
                year, value = int(year_text.strip()), float(value_text.strip())
            except ValueError as error:
                raise ValueError(f"'{part.strip()}' is not 'year: value'") from error
            if not math.isfinite(value):
                raise ValueError(f"'{part.strip()}': the value is not a finite number")
            if not sep or not on_grid(year):
                raise ValueError(f"{year} is not on the 5-year grid")
            if not 1990 <= year <= 2100:
                raise ValueError(f"{year} is not a year between 1990 and 2100")
            if year in out:
                raise ValueError(f"{year} is given twice")
            out[year] = value
        return out

    def validate_targets(self, field: StringField) -> None:
        try:
            self.parsed_targets()
        except ValueError as error:
            raise ValidationError(str(error)) from error


class KpiActualForm(FlaskForm):
    kpi_id = SelectField("KPI", coerce=int)
    year = IntegerField("Year", validators=[DataRequired(), *YEAR])
    value = ExactFloatField("Value", validators=[InputRequired(message="A value is needed.")])
