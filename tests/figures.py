"""Figures the README quotes from a test run (kills survived, restarts, fuzz cases tried).

A test calls :func:`record`; when MPP_TEST_FIGURES names a file (``.ci/run`` sets it and prints
the file after the tests), the line is appended there. Without it nothing is written.
"""

from __future__ import annotations

import os


def record(line: str) -> None:
    """Append one line of figures for the run's summary."""
    path = os.environ.get("MPP_TEST_FIGURES")
    if not path:
        return
    with open(path, "a", encoding="utf-8") as out:
        out.write(line.rstrip("\n") + "\n")
