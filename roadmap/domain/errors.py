"""Errors that name the place of bad input: file, row and column."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the input. ``row`` is the file's line (header = 1), or None when
    the problem concerns the whole file or a whole column."""

    file: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        place = self.file
        if self.row is not None:
            place += f", row {self.row}"
        if self.column:
            place += f", column '{self.column}'"
        return f"{place}: {self.message}"

    def as_dict(self) -> dict[str, object]:
        return {"row": self.row, "column": self.column, "message": self.message}


class InputError(ValueError):
    """Raised when input cannot be used; carries every problem found, not only the first."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = sorted(problems, key=lambda p: (p.file, p.row or 0, p.column or ""))
        super().__init__("\n".join(str(p) for p in self.problems))


class ReconcileError(ValueError):
    """Raised for a request that cannot be computed (for example an unknown scenario or a base
    year outside the pathway); the message says what to change."""
