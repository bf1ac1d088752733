"""The editable year table of a trajectory, shared by the submission form and the what-if
sandbox: its row form, reading it into data-contract records (text as typed, judged by the
same rules as an upload), putting each problem back next to its field, and filling it from a
stored version or from checked rows."""

from __future__ import annotations

from typing import Any

import pandas as pd
from wtforms import Form, SelectChoice, SelectField, StringField
from wtforms.validators import Length

from roadmap.domain import columns as col
from roadmap.domain.cells import MAX_YEAR, MIN_YEAR
from roadmap.domain.errors import InputError
from roadmap.domain.numbers import exact_text

NUMBER_LENGTH = 400
# Every year a trajectory may hold, so that any stored version opens in the table.
MAX_FORM_ROWS = MAX_YEAR - MIN_YEAR + 1
# The per-row fields of the table that a problem may be attached to.
ROW_COLUMNS = (
    col.YEAR,
    col.KIND,
    col.ACTIVITY,
    col.EMISSIONS,
    col.INTENSITY,
    col.CLINKER_RATIO,
    col.KG_PER_PASSENGER,
)
DEFAULT_YEARS = [(y, "reported") for y in range(2019, 2025)] + [
    (y, "planned") for y in range(2025, 2051, 5)
]
# The table's own fields beside its rows (the forms that hold a table name them so).
TOP_FIELDS = (col.REGION, col.SCOPE, col.ACTIVITY_UNIT, col.EMISSIONS_UNIT, col.INTENSITY_UNIT)


class YearRow(Form):
    """One year of the editable table (a nested form: the outer form carries the CSRF token)."""

    year = StringField("Year", validators=[Length(max=10)])
    # The data-contract check (roadmap.domain.validate) judges the kind, as for uploads.
    kind = SelectField(
        "Kind", choices=[SelectChoice("reported"), SelectChoice("planned")], validate_choice=False
    )
    # Long enough for any double written out in full (roadmap.domain.numbers.exact_text).
    activity = StringField("Activity", validators=[Length(max=NUMBER_LENGTH)])
    emissions = StringField("Emissions", validators=[Length(max=NUMBER_LENGTH)])
    intensity = StringField("Intensity", validators=[Length(max=NUMBER_LENGTH)])
    # What turns a figure per tonne of clinker, or per passenger-km, into the sector's unit.
    clinker_ratio = StringField(
        "Clinker ratio (t clinker/t cement)", validators=[Length(max=NUMBER_LENGTH)]
    )
    kg_per_passenger = StringField("kg per passenger", validators=[Length(max=NUMBER_LENGTH)])
    # Only where a version gives emissions in more than one unit; else the form's own unit.
    emissions_unit = StringField("Emissions unit", validators=[Length(max=100)])

    def is_blank(self) -> bool:
        return not any(
            (f.data or "").strip()
            for f in (
                self.year,
                self.activity,
                self.emissions,
                self.intensity,
                self.clinker_ratio,
                self.kg_per_passenger,
            )
        )


def records(form: Any) -> tuple[list[dict[str, str]], list[int]]:
    """Non-blank table rows as data-contract records, and the form row of each record. The
    text goes on as typed: the data-contract rules read it, as they read an upload."""
    found, form_rows = [], []
    for index, entry in enumerate(form.rows.entries):
        row = entry.form
        if row.is_blank():
            continue
        found.append(
            {
                col.REGION: form.region.data or "",
                col.SCOPE: form.scope.data or "",
                col.YEAR: row.year.data or "",
                col.KIND: row.kind.data or "",
                col.ACTIVITY: row.activity.data or "",
                col.ACTIVITY_UNIT: form.activity_unit.data or "",
                col.EMISSIONS: row.emissions.data or "",
                col.EMISSIONS_UNIT: row.emissions_unit.data or form.emissions_unit.data or "",
                col.INTENSITY: row.intensity.data or "",
                col.INTENSITY_UNIT: form.intensity_unit.data or "",
                col.CLINKER_RATIO: row.clinker_ratio.data or "",
                col.KG_PER_PASSENGER: row.kg_per_passenger.data or "",
            }
        )
        form_rows.append(index)
    return found, form_rows


def attach(form: Any, form_rows: list[int], error: InputError) -> list[str]:
    """Put each problem next to its field; return those that belong to no single field."""
    loose = []
    top = {name: getattr(form, name) for name in TOP_FIELDS}
    for problem in error.problems:
        if problem.column in top:
            field = top[problem.column]
        elif (
            problem.row is not None
            and 1 <= problem.row <= len(form_rows)
            and problem.column in ROW_COLUMNS
        ):
            field = getattr(form.rows.entries[form_rows[problem.row - 1]].form, problem.column)
        else:
            loose.append(
                f"Row {problem.row}: {problem.message}" if problem.row else problem.message
            )
            continue
        field.errors = [*field.errors, problem.message]
    if not form_rows:
        loose.append("Fill in at least one year.")
    return loose


def fill_default(form: Any) -> None:
    """An empty table on the five-year grid."""
    _clear(form)
    for year, kind in DEFAULT_YEARS:
        form.rows.append_entry({"year": str(year), "kind": kind})


def fill_from_points(form: Any, where: Any, points: pd.DataFrame) -> None:
    """The table of rows ``points`` (TRAJECTORY_POINT columns, as stored or as checked), with
    the region and scope of ``where`` (a submission, or a row of checked rows): every figure
    written exactly, so an unchanged table gives the same rows back."""
    _clear(form)
    form.region.data, form.scope.data = where.region, where.scope
    emission_units = list(dict.fromkeys(points[col.EMISSIONS_UNIT]))
    per_row = len(emission_units) > 1
    form.activity_unit.data = _first(points[col.ACTIVITY_UNIT])
    form.emissions_unit.data = "" if per_row else _first(points[col.EMISSIONS_UNIT])
    form.intensity_unit.data = _first(points[col.INTENSITY_UNIT])
    for point in points.itertuples(index=False):
        form.rows.append_entry(
            {
                "year": str(point.year),
                "kind": point.kind,
                "activity": exact_text(point.activity),
                "emissions": exact_text(point.emissions),
                "intensity": exact_text(point.intensity),
                "clinker_ratio": exact_text(point.clinker_ratio),
                "kg_per_passenger": exact_text(point.kg_per_passenger),
                "emissions_unit": point.emissions_unit if per_row else "",
            }
        )


def _clear(form: Any) -> None:
    while form.rows.entries:
        form.rows.pop_entry()


def _first(units: pd.Series) -> str:
    """The unit of a column's rows (one per column, but for emissions: see ``fill_from_points``)."""
    given = [u for u in units if isinstance(u, str) and u]
    return str(given[0]) if given else ""


ROW_FIELDS = (*ROW_COLUMNS, col.EMISSIONS_UNIT)


def table_of(form: Any) -> dict[str, Any]:
    """The table as typed (region, scope, units and its non-blank rows), to keep as a draft."""
    return {
        **{name: getattr(form, name).data or "" for name in TOP_FIELDS},
        "rows": [
            {name: entry.form[name].data or "" for name in ROW_FIELDS}
            for entry in form.rows.entries
            if not entry.form.is_blank()
        ],
    }


def fill_from_table(form: Any, table: dict[str, Any]) -> None:
    """The table ``table_of`` gave, back in the form."""
    _clear(form)
    for name in TOP_FIELDS:
        getattr(form, name).data = str(table.get(name, ""))
    for row in table.get("rows", []):
        form.rows.append_entry({name: str(row.get(name, "")) for name in ROW_FIELDS})
    if not form.rows.entries:
        form.rows.append_entry()
