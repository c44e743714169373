"""`mpp survey` (the SKM survey screen) and `mpp report skm`."""

from __future__ import annotations

import typer


def register(root: typer.Typer, report_app: typer.Typer) -> None:
    """Add `mpp survey` to the root and `skm` to `mpp report`."""
