"""Form fields shared by the features' forms."""

from __future__ import annotations

import math
from typing import Any

from wtforms import Field, FloatField, StringField
from wtforms.validators import ValidationError

from roadmap.domain import names
from roadmap.domain.numbers import exact_text


class ExactFloatField(FloatField):
    """A number shown to edit exactly as stored (``exact_text``: every digit, never in
    scientific notation), so saving an unchanged form stores the same double; NaN and
    infinities are refused."""

    def _value(self) -> str:
        if self.raw_data:
            return str(self.raw_data[0])
        return exact_text(self.data) if self.data is not None else ""

    def process_formdata(self, valuelist: list[Any]) -> None:
        super().process_formdata(valuelist)
        if self.data is not None and not math.isfinite(self.data):
            self.data = None
            raise ValueError(self.gettext("Not a finite number."))


class ScopeField(StringField):
    """An emissions scope, stored as the data contract spells it ("s1 + s2" is "S1S2"); any
    other text is refused with the scopes there are (roadmap.domain.names)."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        super().process_formdata(valuelist)
        if self.data:
            self.data = names.normal_scope(self.data)

    def pre_validate(self, form: Any) -> None:
        problem = names.scope_problem(self.data or "")
        if self.data and problem:
            raise ValidationError(problem[:1].upper() + problem[1:] + ".")


def refuse_formula(form: Any, field: Field) -> None:
    """A validator: a name that starts like a spreadsheet formula is refused, as the file
    checks refuse it (roadmap.domain.names)."""
    text = (field.data or "").strip()
    if text and names.name_problem(text) == names.FORMULA_MESSAGE:
        raise ValidationError(
            "Starts like a spreadsheet formula (=, +, -, @): begin with a letter or digit."
        )
