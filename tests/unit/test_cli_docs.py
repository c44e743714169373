"""docs/cli.md is the reference Typer generates from today's commands: a changed option or help
text without `uv run python scripts/cli_docs.py` fails here."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("cli_docs", ROOT / "scripts" / "cli_docs.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_committed_cli_reference_is_up_to_date() -> None:
    script = _script()
    expected = script.render()
    assert "### `mpp call next`" in expected  # sanity: the whole tree was walked
    committed = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert committed == expected, f"docs/cli.md is out of date: run `{script.REGENERATE}`"
