"""`mpp report`: figures over any date range, and the monthly report per agency."""

from __future__ import annotations

import typer

app = typer.Typer(
    help="Laporan / reports: visitors, waits and service times over a date range; SKM.",
    invoke_without_command=True,
)


def register(root: typer.Typer) -> None:
    """Add `mpp report` (its subcommands register themselves on `app`)."""
    root.add_typer(app, name="report")
