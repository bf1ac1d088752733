"""How the ``roadmap`` commands report bad input: every problem on stderr, exit status 2."""

from __future__ import annotations

import click

from roadmap.domain.errors import InputError

MAX_PROBLEMS_SHOWN = 50
BAD_INPUT = 2


def fail(error: Exception) -> None:
    """Print every problem (up to a limit) to stderr and exit with status 2."""
    lines = [str(p) for p in error.problems] if isinstance(error, InputError) else [str(error)]
    for line in lines[:MAX_PROBLEMS_SHOWN]:
        click.echo(f"error: {line}", err=True)
    if len(lines) > MAX_PROBLEMS_SHOWN:
        click.echo(f"error: ... and {len(lines) - MAX_PROBLEMS_SHOWN} more problems", err=True)
    raise SystemExit(BAD_INPUT)
