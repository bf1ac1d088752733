"""The form of a new sector. The rules are in roadmap/domain/new_sector.py, shared with the API;
the form only reads the fields and fills in the usual units where they are left blank."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from roadmap.domain.new_sector import NewSector, new_sector, parse_aliases


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


class SectorForm(FlaskForm):
    name = StringField(
        "Sector name", validators=[DataRequired(), Length(max=100)], filters=[_strip]
    )
    unit = StringField(
        "Product unit", validators=[DataRequired(), Length(max=40)], filters=[_strip]
    )
    aliases = StringField("Other names of the unit (optional)", validators=[Length(max=200)])
    activity_unit = StringField(
        "Activity unit (optional)", validators=[Length(max=100)], filters=[_strip]
    )
    intensity_unit = StringField(
        "Intensity unit (optional)", validators=[Length(max=100)], filters=[_strip]
    )

    def new_sector(self) -> NewSector:
        return new_sector(
            self.name.data or "",
            self.unit.data or "",
            self.activity_unit.data or "",
            self.intensity_unit.data or "",
            parse_aliases(self.aliases.data or ""),
        )
