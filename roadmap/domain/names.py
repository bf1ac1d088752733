"""The rules for names and scopes that people type, written once: the file checks
(roadmap.domain.validate) apply them to whole columns, the forms to one field.

A name is refused when it starts like a spreadsheet formula ("=", "+", "-", "@", a tab or a
carriage return): echoed into an export it would run, and the file checks refuse it, so a
pathway stored under such a name could never be reconciled.
"""

from __future__ import annotations

import re

MAX_TEXT_LENGTH = 200
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
FORMULA_MESSAGE = "starts like a spreadsheet formula"
# Every scope the data contract knows: scopes 1, 2 and 3 alone or together, in this order.
SCOPES = ("S1", "S2", "S3", "S1S2", "S1S3", "S2S3", "S1S2S3")
SCOPE_MESSAGE = "scope must be one of " + ", ".join(SCOPES)
_SCOPE_SPELLING = re.compile(r"[\s+]")


def name_problem(text: str) -> str | None:
    """Why ``text`` (already stripped) cannot be a name, or None where it can."""
    if not text:
        return "value is missing"
    if len(text) > MAX_TEXT_LENGTH:
        return f"longer than {MAX_TEXT_LENGTH} characters"
    if text.startswith(FORMULA_START):
        return FORMULA_MESSAGE
    return None


def normal_scope(text: str) -> str:
    """The scope as stored: upper case, without blanks or "+" ("s1 + s2" is "S1S2"). It is one
    of SCOPES only where ``scope_problem`` finds nothing."""
    return _SCOPE_SPELLING.sub("", text.upper())


def scope_problem(text: str) -> str | None:
    """Why ``text`` is not a scope (naming the scopes there are), or None where it is one."""
    return None if normal_scope(text) in SCOPES else SCOPE_MESSAGE
