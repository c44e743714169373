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
        "mpp_tui.services.facade",
        "mpp_tui.services.calls",
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


def _service_classes() -> list[tuple[str, ast.ClassDef]]:
    found = []
    for path in sorted((ROOT / "mpp_tui" / "services").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        found += [(path.name, node) for node in tree.body if isinstance(node, ast.ClassDef)]
    return found


def test_no_service_inherits_another() -> None:
    """Services are composed (each is handed a ServiceContext), never built from mixins: a
    class in mpp_tui/services/ may only derive from a library or domain base (an error, an
    ABC), never from another class of mpp_tui/services/ — except an interface (a class that
    is itself an ABC, like the change feed with one implementation per database)."""
    classes = _service_classes()
    interfaces = {
        node.name for _, node in classes if any(ast.unparse(b) == "ABC" for b in node.bases)
    }
    assert interfaces == {"ChangeFeed"}
    ours = {node.name for _, node in classes} - interfaces
    assert {"Calls", "Issuing", "Tickets", "Hall", "ServiceContext"} <= ours
    inheriting = [
        f"{name}: {node.name}({ast.unparse(base)})"
        for name, node in classes
        for base in node.bases
        if ast.unparse(base).split(".")[-1] in ours
    ]
    assert inheriting == []


def test_the_facade_names_every_service() -> None:
    """Every service class with a ServiceContext is an attribute of `Hall`, so a call site
    (`hall.calls.call_next`) says which file holds the code."""
    init = next(
        node
        for _, cls in _service_classes()
        if cls.name == "Hall"
        for node in cls.body
        if isinstance(node, ast.FunctionDef) and node.name == "__init__"
    )
    built = {
        call.func.id
        for call in ast.walk(init)
        if isinstance(call, ast.Call) and isinstance(call.func, ast.Name)
    }
    handed_ctx = {
        cls.name
        for _, cls in _service_classes()
        for node in cls.body
        if isinstance(node, ast.FunctionDef)
        and node.name == "__init__"
        and any(a.arg == "ctx" for a in node.args.args)
    }
    assert handed_ctx - {"ServiceContext"} <= built


def test_screens_reach_the_backend_typed() -> None:
    """Screens use MppScreen.backend/.mpp, so mypy checks every call into the services."""
    untyped = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in sorted((ROOT / "mpp_tui" / "tui").rglob("*.py"))
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if "self.app." in line and "type: ignore" in line
    ]
    assert untyped == []
