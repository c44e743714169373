"""Write docs/cli.md, the `mpp` command reference, from the Typer app itself.

    uv run python scripts/cli_docs.py           # rewrite docs/cli.md
    uv run python scripts/cli_docs.py --check   # exit 1 when docs/cli.md is out of date

The text is Typer's own generator, exactly what
`uv run typer mpp_tui.cli.main utils docs --name mpp` prints, run in-process, with one line on
top saying where it comes from. tests/unit/test_cli_docs.py fails when the committed file and
the commands disagree.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "docs" / "cli.md"
TITLE = "`mpp` command reference"
REGENERATE = "uv run python scripts/cli_docs.py"
NOTE = f"<!-- Generated from the Typer app by `{REGENERATE}`; do not edit by hand. -->"


def render() -> str:
    """The Markdown reference of every `mpp` command, as Typer documents it."""
    from typer.cli import app as typer_cli
    from typer.testing import CliRunner

    args = ["mpp_tui.cli.main", "utils", "docs", "--name", "mpp", "--title", TITLE]
    result = CliRunner().invoke(typer_cli, args)
    if result.exit_code != 0:
        raise RuntimeError(f"typer utils docs failed ({result.exit_code}): {result.output}")
    return f"{NOTE}\n\n{result.stdout.strip()}\n"


def main(argv: list[str]) -> int:
    text = render()
    if "--check" in argv:
        if TARGET.read_text(encoding="utf-8") != text:
            sys.stderr.write(f"{TARGET.relative_to(ROOT)} is out of date: {REGENERATE}\n")
            return 1
        return 0
    TARGET.write_text(text, encoding="utf-8")
    sys.stdout.write(f"wrote {TARGET.relative_to(ROOT)}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
