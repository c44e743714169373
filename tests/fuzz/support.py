"""Shared pieces of the fuzz suites: settings, the case tally, nasty inputs, snapshots, the CLI.

Every fuzz test calls :func:`tally` once per generated case with the name of the input it
fuzzes; ``tests/fuzz/conftest.py`` prints the totals at the end of the run (and writes them to
the JSON file named by ``MPP_FUZZ_REPORT``), so the README's "fuzz cases tried per input" come
from the run itself.

Sizes: each suite asks for a number of examples sized so the whole fuzz suite stays within about
two minutes on a 2-core CI machine with both backends; ``MPP_FUZZ_SCALE`` multiplies them for a
longer local run (``MPP_FUZZ_SCALE=10 uv run pytest tests/fuzz``).
"""

from __future__ import annotations

import json
import os
import string
from collections import Counter
from typing import Any

import typer.main
import typer.testing
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, MetaData, select
from typer.testing import CliRunner, Result

from mpp_tui.cli.main import app
from mpp_tui.db import engine as db_engine
from mpp_tui.i18n import t

# (input, backend) -> generated cases run.
TALLY: Counter[tuple[str, str]] = Counter()
NO_DB = "-"


def fuzz_settings(examples: int) -> settings:
    """Hypothesis settings for one fuzz test: `examples` cases (times MPP_FUZZ_SCALE).

    No example database (nothing is written under the repository), no deadline (a database
    round trip on a busy CI machine is not a bug), and fixtures may be function-scoped because
    every test snapshots the database inside its body.
    """
    scale = float(os.environ.get("MPP_FUZZ_SCALE", "1") or 1)
    return settings(
        max_examples=max(1, round(examples * scale)),
        database=None,
        deadline=None,
        print_blob=True,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
        ],
    )


def backend_of(url: str | None) -> str:
    """`sqlite`, `postgres` or NO_DB, for the tally."""
    if url is None:
        return NO_DB
    return "sqlite" if url.startswith("sqlite") else "postgres"


def tally(name: str, url: str | None = None) -> None:
    """Count one generated case of input `name` (on the backend of `url`)."""
    TALLY[(name, backend_of(url))] += 1


# --- nasty inputs ---------------------------------------------------------------------------------

ESC_CLEAR = "\x1b[2J"
ESC_TITLE = "\x1b]0;title\x07"
ESC_RED = "\x1b[31m"
OSC8_LINK = "\x1b]8;;http://evil.example/\x1b\\klik\x1b]8;;\x1b\\"
NASTY = (
    "",
    " ",
    "\n",
    "\t",
    "\r\n",
    ESC_CLEAR,
    ESC_TITLE,
    ESC_RED,
    OSC8_LINK,
    "\x1b[0m",
    "\x1b",
    "\x1b]",
    "\x07",
    "\x08\x08\x08",
    "\x9b31m",
    "\x7f",
    "[bold]",
    "[/]",
    "[/bold]",
    "[red]merah[/red]",
    "[link=http://evil.example]klik[/link]",
    "[@click=app.quit]x[/]",
    "\\[bold]",
    "'; DROP TABLE ticket; --",
    "' OR '1'='1",
    '"; DELETE FROM officer; --',
    "%s %d %(x)s",
    "{ticket} {0} {}",
    "NULL",
    "null",
    "\u202e\u202d",
    "\u200b\u200d",
    "👩‍👩‍👧‍👦",
    "e\u0301\u0301\u0301",
    "Ｌ０１",
    "A-001",
    "a1",
    "-",
    "--",
    "--json",
    "-1",
    "0",
    "9" * 30,
    "😀" * 300,
    "x" * 501,
)

# Characters that cannot travel in argv or the environment (C strings).
_NOT_IN_ARGV = "\x00"


def nasty_text(*, argv: bool = False, max_size: int = 60) -> st.SearchStrategy[str]:
    """Any text, weighted towards what breaks things: escapes, markup, SQL, huge, empty.

    Args:
        argv: leave out characters a command line or an environment variable cannot hold.
        max_size: length of the plain random part (huge inputs come from NASTY and repeats).
    """
    chars = st.characters(exclude_characters=_NOT_IN_ARGV) if argv else st.characters()
    plain = st.text(chars, max_size=max_size)
    picked = st.sampled_from(NASTY)
    mixed = st.lists(st.one_of(picked, plain), min_size=1, max_size=4).map("".join)
    huge = st.tuples(st.one_of(picked, st.text(chars, max_size=8)), st.integers(50, 2_000)).map(
        lambda pair: pair[0] * pair[1]
    )
    text = st.one_of(picked, plain, mixed, huge)
    return text.map(lambda s: s.replace(_NOT_IN_ARGV, "")) if argv else text


def near(valid: list[str]) -> st.SearchStrategy[str]:
    """Valid values, their case and spacing variants, and nasty text: for codes and choices."""
    variants = st.sampled_from(valid).flatmap(
        lambda v: st.sampled_from([v, v.lower(), v.upper(), f" {v} ", v[:-1], v + v[-1:]])
    )
    return st.one_of(variants, nasty_text(argv=True, max_size=12))


DIGITS = st.text(string.digits, min_size=0, max_size=12)


# --- database snapshots ---------------------------------------------------------------------------


_REFLECTED: dict[str, MetaData] = {}


def snapshot(engine: Engine, *, skip: frozenset[str] = frozenset()) -> dict[str, list[Any]]:
    """Every row of every table (but `skip`), in primary-key order: what a refusal must keep.

    The tables are read from the database itself (reflected once per database), so a table
    the models forgot is compared too.
    """
    key = engine.url.render_as_string(hide_password=False)
    meta = _REFLECTED.get(key)
    if meta is None:
        meta = _REFLECTED[key] = MetaData()
        meta.reflect(bind=engine)
    out: dict[str, list[Any]] = {}
    with engine.connect() as conn:
        for table in meta.sorted_tables:
            if table.name in skip:
                continue
            order = list(table.primary_key.columns) or list(table.columns)
            out[table.name] = [tuple(r) for r in conn.execute(select(table).order_by(*order))]
    return out


# --- the CLI in process ---------------------------------------------------------------------------

_RUNNER = CliRunner()
_make_engine = db_engine.make_engine
_COMMAND = typer.main.get_command(app)
_UNEXPECTED = tuple(t("err.unexpected", lang).split(";")[0] for lang in ("id", "en"))


def _command(typer_app: typer.Typer) -> Any:
    return _COMMAND if typer_app is app else typer.main.get_command(typer_app)


def invoke(args: list[str], env: dict[str, str] | None = None) -> Result:
    """Run `mpp ARGS` in this process (the click tree is built once; it is stateless).

    A real `mpp` process ends after one command, closing its connections; here the engines
    the command made are disposed of instead, or hundreds of cases would exhaust PostgreSQL.
    """
    made: list[Engine] = []

    def recording_make_engine(*a: Any, **kw: Any) -> Engine:
        made.append(_make_engine(*a, **kw))
        return made[-1]

    saved = typer.testing._get_command
    typer.testing._get_command = _command  # type: ignore[assignment]
    db_engine.make_engine = recording_make_engine  # type: ignore[assignment]
    try:
        return _RUNNER.invoke(app, args, env={"COLUMNS": "200", **(env or {})})
    finally:
        typer.testing._get_command = saved
        db_engine.make_engine = _make_engine  # type: ignore[assignment]
        for engine in made:
            engine.dispose()


def is_usage_error(result: Result) -> bool:
    """Click's own usage refusal (unknown option, missing value): the usage, a hint, the error."""
    return result.stderr.startswith("Usage: mpp") and "Error" in result.stderr


def check_cli(result: Result, *, json_out: bool | None = False, one_line: bool = True) -> None:
    """The CLI contract under any input.

    Exit 0 or 1, never 2; no traceback and no escaped exception; never the catch-all "unexpected
    error" (bad input must be named); a refusal prints nothing on stdout and one line on stderr
    (a usage error: click's usage block with one Error line), or with --json one JSON object
    with `ok: false`; a success with --json prints one JSON object with `ok: true`.
    `json_out=None`: either form (the line holds "--json" only as an option's value).
    """
    shown = f"exit {result.exit_code}\nstdout: {result.stdout!r}\nstderr: {result.stderr!r}"
    assert result.exit_code in (0, 1), shown
    assert "Traceback" not in result.output, shown
    exc = result.exception
    assert exc is None or isinstance(exc, SystemExit), f"{exc!r}\n{shown}"
    assert not any(u in result.output for u in _UNEXPECTED), shown
    if result.exit_code == 1 and is_usage_error(result):
        assert result.stdout == "", shown
        return
    if json_out is None:
        json_out = result.stdout.startswith("{")
    if json_out:
        data = json.loads(result.stdout)
        assert isinstance(data, dict), shown
        assert data["ok"] is (result.exit_code == 0), shown
        if not data["ok"]:
            assert data["error"]["message"], shown
        return
    if result.exit_code == 1:
        assert result.stdout == "", shown
        lines = result.stderr.strip().splitlines()
        assert lines, shown
        if one_line:
            assert len(lines) == 1, shown


# --- TOML -----------------------------------------------------------------------------------------


def toml_value(value: Any) -> str:
    """`value` as a TOML value on one line (tables inline), for generated files."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        text = repr(value)
        return {"nan": "nan", "inf": "inf", "-inf": "-inf"}.get(text, text)
    if isinstance(value, str):
        escaped = "".join(
            ch
            if ch.isprintable() and ch not in '"\\'
            else f"\\u{ord(ch):04x}"
            if ord(ch) < 0x10000
            else f"\\U{ord(ch):08x}"
            for ch in value
        )
        return f'"{escaped}"'
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return (
            "{"
            + ", ".join(f"{toml_value(str(k))} = {toml_value(v)}" for k, v in value.items())
            + "}"
        )
    raise TypeError(type(value))


def toml_document(data: dict[str, Any]) -> str:
    """A TOML document holding `data`, one top-level key per line."""
    return "".join(f"{toml_value(str(k))} = {toml_value(v)}\n" for k, v in data.items())


def toml_scalars() -> st.SearchStrategy[Any]:
    """Values a TOML file may hold where the schema expects something else."""
    return st.one_of(
        nasty_text(max_size=40),
        st.integers(min_value=-(2**63), max_value=2**63 - 1),
        st.floats(allow_nan=True, allow_infinity=True),
        st.booleans(),
        st.lists(nasty_text(max_size=10), max_size=3),
        st.dictionaries(nasty_text(max_size=8), nasty_text(max_size=8), max_size=2),
    )
