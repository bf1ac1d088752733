"""The ``roadmap`` command. ``roadmap reconcile`` reads and writes files only: it runs without
loading Flask (roadmap/cli_reconcile.py). Every other command, and ``roadmap`` alone or with
``--help``, is Flask's command group of the app (roadmap/cli_app.py), loaded on demand."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

import click

from roadmap.cli_reconcile import reconcile_command

# The commands that need no app, by name.
STANDALONE = {"reconcile": reconcile_command}


class _Entry(click.Group):
    """Dispatches on the command's name before anything else is loaded."""

    def main(  # type: ignore[override]
        self, args: Sequence[str] | None = None, prog_name: str | None = None, **extra: Any
    ) -> Any:
        argv = list(sys.argv[1:] if args is None else args)
        if argv[:1] and argv[0] in STANDALONE:
            return super().main(argv, prog_name=prog_name or "roadmap", **extra)
        from roadmap.cli_app import main as app_main

        return app_main.main(argv, prog_name=prog_name or "roadmap", **extra)


@click.group(cls=_Entry)
def main() -> None:
    """Roadmap: sector decarbonisation platforms."""


for _name, _command in STANDALONE.items():
    main.add_command(_command, _name)


if __name__ == "__main__":  # python -m roadmap.cli
    main()
