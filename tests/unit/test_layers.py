"""Import layering (DESIGN §2): domain, db and services never pull in the UI toolkit."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Imports every module of the given packages (walked with pkgutil), then reports what got loaded.
PROBE = """
import importlib, json, pkgutil, sys
imported = []
for name in sys.argv[1:]:
    package = importlib.import_module(name)
    imported.append(name)
    for info in pkgutil.walk_packages(package.__path__, prefix=name + "."):
        importlib.import_module(info.name)
        imported.append(info.name)
loaded = sorted({m.split(".")[0] for m in sys.modules})
print(json.dumps({"imported": imported, "top_level": loaded}))
"""


def probe(*packages: str) -> dict[str, list[str]]:
    """Import `packages` and all their modules in a clean interpreter."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *packages],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, list[str]] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_core_layers_do_not_import_textual() -> None:
    """Importing every module of domain, db and services loads no `textual`."""
    result = probe("mpp_tui.domain", "mpp_tui.db", "mpp_tui.services")
    # The walk really reached the modules that matter.
    for module in (
        "mpp_tui.domain.rules",
        "mpp_tui.db.tables",
        "mpp_tui.db.seed",
        "mpp_tui.db.migrate",
        "mpp_tui.services.queue",
        "mpp_tui.services.reads",
    ):
        assert module in result["imported"]
    assert "sqlalchemy" in result["top_level"]  # sanity: the probe sees real imports
    assert "textual" not in result["top_level"]


def test_domain_imports_no_database_library() -> None:
    """mpp_tui.domain is pure: no sqlalchemy, sqlmodel, alembic, psycopg or textual."""
    result = probe("mpp_tui.domain")
    assert {"mpp_tui.domain.rules", "mpp_tui.domain.errors"} <= set(result["imported"])
    banned = {"sqlalchemy", "sqlmodel", "alembic", "psycopg", "textual"}
    assert banned & set(result["top_level"]) == set()


def _tui_files() -> list[Path]:
    return sorted((ROOT / "mpp_tui" / "tui").rglob("*.py"))


def _imported_names(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_tui_does_not_touch_the_database() -> None:
    """No module under mpp_tui/tui imports sqlalchemy, sqlmodel or mpp_tui.db directly."""
    offenders = {
        str(path.relative_to(ROOT)): sorted(
            name
            for name in _imported_names(path)
            if name.split(".")[0] in {"sqlalchemy", "sqlmodel"} or name.startswith("mpp_tui.db")
        )
        for path in _tui_files()
    }
    assert {path: names for path, names in offenders.items() if names} == {}


def test_screen_commands_paint_before_the_database_layer_loads() -> None:
    """`mpp counter` imports the CLI, the app and the sign-in screen before its first frame;
    none of them may pull in SQLAlchemy, SQLModel or psycopg (they cost about a second and load
    in a worker after the first paint)."""
    code = (
        "import json, sys\n"
        "import mpp_tui.cli.main, mpp_tui.tui.app, mpp_tui.tui.screens.login\n"
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    loaded = set(json.loads(done.stdout.strip().splitlines()[-1]))
    assert "textual" in loaded  # sanity: the probe imported the screens
    assert {"sqlalchemy", "sqlmodel", "psycopg", "alembic"} & loaded == set()
