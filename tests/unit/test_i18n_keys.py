"""Every catalogue key used in mpp_tui/ exists in both languages, and every key is used.

Keys appear as string literals: the first argument of ``t()``, ``tr()``, ``cli.tr()``, ``Act()`` and
the error classes, a Binding's description, an error class's ``title_key``, tuples of column keys.
A few are built at run time (``f"status.{value}"``); those prefixes are listed in :data:`DYNAMIC`
with the values they take, and the scan fails on a dynamic prefix that is not listed.
"""

from __future__ import annotations

import ast
import re
import string
from collections.abc import Iterable
from pathlib import Path

import pytest

from mpp_tui.domain.enums import (
    CounterEventKind,
    CounterState,
    EventKind,
    PauseReason,
    QueuePosition,
    TicketStatus,
)
from mpp_tui.domain.report_views import ReportGroup
from mpp_tui.domain.rules import TRANSITIONS, WEEKDAYS
from mpp_tui.i18n import MESSAGES
from mpp_tui.i18n.catalog import DuplicateKeyError, merge

PACKAGE = Path(__file__).resolve().parents[2] / "mpp_tui"
CATALOGUE = PACKAGE / "i18n" / "catalog"


def _sources() -> list[tuple[Path, ast.AST]]:
    return [
        (path, ast.parse(path.read_text(encoding="utf-8")))
        for path in sorted(PACKAGE.rglob("*.py"))
        if CATALOGUE not in path.parents
    ]


SOURCES = _sources()


def _illegal_actions() -> set[str]:
    """Actions the services name by hand: `illegal(ticket, "action")` builds act.<action>."""
    found = set()
    for _, tree in SOURCES:
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "illegal"
                and len(node.args) > 1
                and isinstance(node.args[1], ast.Constant)
            ):
                found.add(str(node.args[1].value))
    return found


# Keys built at run time: prefix -> every value the code puts after it.
DYNAMIC: dict[str, Iterable[object]] = {
    "status.": TicketStatus,
    "counter.": CounterState,
    "pause.": PauseReason,
    "pos.": QueuePosition,
    "event.": EventKind,
    "counter_event.": CounterEventKind,
    "act.": (*TRANSITIONS, *_illegal_actions()),
    "report.group.": ReportGroup,
    "report.weekday.": range(1, 8),
    "sim.weekday.": WEEKDAYS,
    "day.when.": ("today", "past", "future"),  # cli/day.py: the day being closed
    # column keys listed next to the f-string in cli/simulate.py and cli/survey.py
    "sim.col.": (
        "agency", "visitors", "served", "no_show", "transferred", "refused", "expired",
        "wait_avg", "wait_p90", "queue", "counters", "util", "counter", "officer", "visits",
        "paused",
    ),
    "skm.col.": ("element", "name", "total", "nrr", "weighted", "score", "grade"),
}  # fmt: skip
# Keys extended at run time with a suffix (`svc.closed + ".long"`): suffix -> the keys extended.
SUFFIXED: dict[str, tuple[str, ...]] = {
    ".long": ("kiosk.closed.day", "kiosk.closed.hours", "kiosk.closed.quota"),
}
# Literals that look like keys but are not: a file name and a SQL column.
# Dotted names that are not catalogue keys: a file name, a column.
NOT_KEYS = {"plan.sqlite", "counter.id"}

KEYISH = re.compile(r"[a-z_]+(\.[a-z0-9_]+)+")
PREFIXES = {key.split(".")[0] for key in MESSAGES}


def placeholders(text: str) -> set[str]:
    """Field names used by a str.format template."""
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


def _literals() -> dict[str, set[str]]:
    """Every string constant in mpp_tui/ (outside the catalogue) -> files it is in. An audit-log
    action name (`action="day.close"`) is a record, not a message, and is left out."""
    found: dict[str, set[str]] = {}
    for path, tree in SOURCES:
        actions = {
            id(kw.value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Call)
            for kw in node.keywords
            if kw.arg == "action"
        }
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in actions
            ):
                found.setdefault(node.value, set()).add(str(path.relative_to(PACKAGE)))
    return found


def _dynamic_prefixes() -> dict[str, set[str]]:
    """Constant heads of f-strings that look like key prefixes (`f"status.{x}"`) -> files."""
    found: dict[str, set[str]] = {}
    for path, tree in SOURCES:
        for node in ast.walk(tree):
            if not isinstance(node, ast.JoinedStr) or len(node.values) < 2:
                continue
            head = node.values[0]
            if (
                isinstance(head, ast.Constant)
                and isinstance(head.value, str)
                and re.fullmatch(r"[a-z_]+(\.[a-z0-9_]+)*\.", head.value)
                and head.value.split(".")[0] in PREFIXES
            ):
                found.setdefault(head.value, set()).add(str(path.relative_to(PACKAGE)))
    return found


def _suffixes() -> set[str]:
    """Constants added to a value to make a key (`something + ".long"`)."""
    found = set()
    for _, tree in SOURCES:
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.BinOp)
                and isinstance(node.op, ast.Add)
                and isinstance(node.right, ast.Constant)
                and isinstance(node.right.value, str)
                and re.fullmatch(r"\.[a-z_]+", node.right.value)
            ):
                found.add(node.right.value)
    return found


LITERALS = _literals()
DYNAMIC_FOUND = _dynamic_prefixes()


def _dynamic_keys() -> set[str]:
    keys = {f"{prefix}{value}" for prefix, values in DYNAMIC.items() for value in values}
    keys |= {key + suffix for suffix, bases in SUFFIXED.items() for key in bases}
    return keys


def test_the_scan_finds_keys() -> None:
    """The scan itself works: it sees hundreds of literal keys and the known dynamic prefixes."""
    assert len(set(LITERALS) & set(MESSAGES)) > 500
    assert {"status.", "event.", "report.group."} <= set(DYNAMIC_FOUND)


def test_every_dynamic_prefix_is_listed() -> None:
    """A new f"prefix.{x}" key must be listed in DYNAMIC, with the values it takes."""
    assert sorted(set(DYNAMIC_FOUND) - set(DYNAMIC)) == []
    assert sorted(set(DYNAMIC) - set(DYNAMIC_FOUND)) == [], "listed but no longer used"
    assert _suffixes() == set(SUFFIXED)


def test_every_dynamic_key_exists() -> None:
    """Every value of the enum (or list) behind a dynamic prefix has a catalogue entry."""
    assert sorted(_dynamic_keys() - set(MESSAGES)) == []


def test_every_literal_key_exists() -> None:
    """Every literal in mpp_tui/ shaped like a catalogue key is in the catalogue."""
    missing = {
        value: sorted(files)
        for value, files in LITERALS.items()
        if KEYISH.fullmatch(value)
        and value.split(".")[0] in PREFIXES
        and value not in MESSAGES
        and value not in NOT_KEYS
        and not any(value + suffix in MESSAGES for suffix in SUFFIXED)
    }
    assert missing == {}


def test_every_catalogue_key_is_used() -> None:
    """A key no code uses (literally or through a dynamic prefix) is dead text: remove it."""
    used = set(LITERALS) | _dynamic_keys()
    assert sorted(set(MESSAGES) - used) == []


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_both_languages_have_the_same_placeholders(key: str) -> None:
    """Indonesian and English fill the same named fields."""
    text_id, text_en = MESSAGES[key]
    assert text_id.strip()
    assert text_en.strip()
    assert placeholders(text_id) == placeholders(text_en), key


def test_a_duplicate_key_fails_loudly() -> None:
    """Two catalogue modules defining one key stop the merge, naming both."""
    with pytest.raises(DuplicateKeyError, match=r"'a\.b' is in both one and two"):
        merge([("one", {"a.b": ("x", "x")}), ("two", {"a.b": ("y", "y")})])
    assert merge([("one", {"a.b": ("x", "x")}), ("two", {"c.d": ("y", "y")})]) == {
        "a.b": ("x", "x"),
        "c.d": ("y", "y"),
    }
