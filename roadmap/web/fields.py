"""Form fields shared by the features' forms."""

from __future__ import annotations

import math
from typing import Any

from wtforms import FloatField

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
