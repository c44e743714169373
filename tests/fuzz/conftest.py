"""The fuzz suites' report: how many cases each input got, printed at the end of the run.

The table ("fuzz cases tried per input") is printed whenever a fuzz test ran; with
``MPP_FUZZ_REPORT=path.json`` the same figures are also written as JSON
(``{"input": {"sqlite": n, "postgres": n, "-": n}}``) for the README or CI.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.figures import record
from tests.fuzz.support import NO_DB, TALLY

BACKENDS = ("sqlite", "postgres", NO_DB)
LABELS = {"sqlite": "on SQLite", "postgres": "on PostgreSQL", NO_DB: "without a database"}


def fuzz_table() -> dict[str, dict[str, int]]:
    """The tally as {input: {backend: cases}}, inputs sorted by name."""
    table: dict[str, dict[str, int]] = {}
    for (name, backend), n in sorted(TALLY.items()):
        table.setdefault(name, {})[backend] = n
    return table


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Print the tally (and write it where MPP_FUZZ_REPORT says)."""
    if not TALLY:
        return
    table = fuzz_table()
    width = max(len(name) for name in table)
    tr = terminalreporter
    tr.section("fuzz cases tried per input")
    tr.write_line(f"{'input':<{width}}  {'sqlite':>8}  {'postgres':>8}  {'no db':>8}")
    for name, counts in table.items():
        cells = "  ".join(f"{counts.get(b, 0) or '':>8}" for b in BACKENDS)
        tr.write_line(f"{name:<{width}}  {cells}")
    total = sum(TALLY.values())
    tr.write_line(f"{'total':<{width}}  {total:>8}")
    for name, counts in table.items():
        spelled = ", ".join(f"{counts[b]} {LABELS[b]}" for b in BACKENDS if counts.get(b))
        record(f"fuzz/{name}: {spelled}")
    record(f"fuzz/total: {total} cases")
    target = os.environ.get("MPP_FUZZ_REPORT")
    if target:
        Path(target).write_text(json.dumps(table, indent=1, sort_keys=True), encoding="utf-8")
        tr.write_line(f"written to {target}")
