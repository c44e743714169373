"""Fuzzed reference data (TOML): MPP Kotim's file with one part broken, or not TOML at all.

read_seed either returns a valid spec or raises ReferenceDataError naming the file (and the
entry and field); a valid spec holds no control character in any text a screen shows; and
load_seed on both backends either loads it or refuses it with every table unchanged.
"""

from __future__ import annotations

import copy
import tomllib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Engine

from mpp_tui.db.seed import (
    SeedSpec,
    default_seed_file,
    first_control_character,
    load_seed,
    read_seed,
)
from mpp_tui.domain.errors import ReferenceDataError
from tests.fuzz.support import (
    check_cli,
    fuzz_settings,
    invoke,
    nasty_text,
    snapshot,
    tally,
    toml_document,
    toml_scalars,
)

KOTIM_TEXT = default_seed_file().read_text(encoding="utf-8")
KOTIM: dict[str, Any] = tomllib.loads(KOTIM_TEXT)


def _paths(node: Any, here: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in the document a value sits (dict keys and list positions)."""
    out = [here] if here else []
    if isinstance(node, dict):
        for key, value in node.items():
            out += _paths(value, (*here, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            out += _paths(value, (*here, index))
    return out


PATHS = _paths(KOTIM)


def _at(doc: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        doc = doc[step]
    return doc


def _mutated(path: tuple[Any, ...], action: str, value: Any) -> dict[str, Any]:
    """The Kotim document with the value at `path` replaced, removed, duplicated or joined."""
    doc = copy.deepcopy(KOTIM)
    parent: Any = doc
    for step in path[:-1]:
        parent = parent[step]
    last = path[-1]
    if action == "replace":
        parent[last] = value
    elif action == "remove":
        del parent[last]
    elif action == "duplicate" and isinstance(parent, list):
        parent.append(copy.deepcopy(parent[last]))
    elif action == "extra key" and isinstance(parent, dict):
        parent[str(value)[:20] or "x"] = value
    return doc


MUTATION = st.builds(
    _mutated,
    st.sampled_from(PATHS),
    st.sampled_from(["replace", "replace", "replace", "remove", "duplicate", "extra key"]),
    toml_scalars(),
)


_CODED = {"code", "prefix", "agency", "services", "timezone", "hours", "zone"}
TEXT_PATHS = [
    p for p in PATHS if isinstance(_at(KOTIM, p), str) and not _CODED & {str(s) for s in p}
]
PRINTABLE = st.one_of(
    st.sampled_from(["[/]", "[bold]Dinas[/bold]", "'; DROP TABLE hall; --", "👩‍👩‍👧", "{hall}"]),
    st.text(st.characters(exclude_categories=["Cc", "Cs"]), min_size=1, max_size=80),
)
# A name or a description replaced by any printable text: mostly still a valid file.
NEW_NAME = st.builds(_mutated, st.sampled_from(TEXT_PATHS), st.just("replace"), PRINTABLE)


def _text_damage(text: str) -> st.SearchStrategy[bytes]:
    """The file cut short, a line of junk spliced in, or bytes that are not UTF-8."""
    lines = text.splitlines(keepends=True)
    return st.one_of(
        st.integers(0, len(text)).map(lambda n: text[:n].encode()),
        st.tuples(st.integers(0, len(lines)), nasty_text(max_size=40)).map(
            lambda p: "".join([*lines[: p[0]], p[1] + "\n", *lines[p[0] :]]).encode()
        ),
        st.binary(max_size=200),
        st.just(text.encode("utf-16")),
    )


_SCRATCH: list[Path] = []


def _scratch(factory: Any) -> Path:
    """One folder for every case of the run (a new folder per case costs more than the case)."""
    if not _SCRATCH:
        _SCRATCH.append(factory.mktemp("seed"))
    return _SCRATCH[0]


def _read(path: Path) -> SeedSpec | None:
    """read_seed, checking what a refusal says: one line per problem, each naming the file."""
    try:
        return read_seed(path)
    except ReferenceDataError as exc:
        problems = exc.problems
    assert problems
    assert all(p.startswith(f"{path}:") for p in problems), problems
    return None


def _texts(node: Any) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [t for value in node.values() for t in _texts(value)]
    if isinstance(node, list | tuple):
        return [t for value in node for t in _texts(value)]
    return []


def _assert_printable(spec: SeedSpec) -> None:
    for text in _texts(spec.model_dump()):
        assert first_control_character(text) is None, repr(text)


@fuzz_settings(150)
@given(doc=MUTATION)
def test_read_seed_with_one_part_broken(doc: dict[str, Any], tmp_path_factory: Any) -> None:
    """A document with any one value changed: a valid spec, or a refusal naming the field."""
    tally("TOML reference data: read_seed (one value changed)")
    path = _scratch(tmp_path_factory) / "mpp.toml"
    path.write_text(toml_document(doc), encoding="utf-8")
    spec = _read(path)
    if spec is not None:
        _assert_printable(spec)


@fuzz_settings(150)
@given(data=_text_damage(KOTIM_TEXT))
def test_read_seed_with_damaged_text(data: bytes, tmp_path_factory: Any) -> None:
    """A file cut short, with junk spliced in, or not UTF-8: a valid spec, or a refusal."""
    tally("TOML reference data: read_seed (damaged file)")
    path = _scratch(tmp_path_factory) / "mpp.toml"
    path.write_bytes(data)
    spec = _read(path)
    if spec is not None:
        _assert_printable(spec)


@fuzz_settings(10)
@given(doc=st.one_of(NEW_NAME, MUTATION))
def test_load_seed_loads_or_changes_nothing(
    doc: dict[str, Any], db_url: str, engine: Engine, tmp_path_factory: Any
) -> None:
    """A spec that validates loads on both backends; a refusal leaves every table unchanged."""
    path = _scratch(tmp_path_factory) / "mpp.toml"
    path.write_text(toml_document(doc), encoding="utf-8")
    spec = _read(path)
    if spec is None:
        return
    tally("TOML reference data: load_seed (valid after a change)", db_url)
    before = snapshot(engine)
    try:
        counts = load_seed(engine, spec)
    except ReferenceDataError:
        assert snapshot(engine) == before
    else:
        assert counts["counters"] == len(spec.counters)
        for command in (["services"], ["status"], ["queue"], ["report"]):
            check_cli(invoke(["--db", db_url, "--hall", spec.hall.code, *command]))


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", "MPP\x1b[2J Kotim"),
        ("short_name", "Kotim\x1b]0;title\x07"),
        ("running_text", "Selamat datang\x1b[31m"),
        ("address", "Jl. MT Haryono\nSampit"),
    ],
)
def test_control_characters_in_reference_data_are_refused(
    field: str, value: str, tmp_path: Path
) -> None:
    """Found by the fuzzing: escape codes in a hall's name reached every screen and report."""
    doc = copy.deepcopy(KOTIM)
    doc["hall"][field] = value
    path = tmp_path / "mpp.toml"
    path.write_text(toml_document(doc), encoding="utf-8")
    with pytest.raises(ReferenceDataError) as refused:
        read_seed(path)
    assert any(f"hall.{field}" in p and "control" in p for p in refused.value.problems)


def test_an_integer_too_long_to_read_is_refused(tmp_path: Path) -> None:
    """Found by the fuzzing: tomllib raises a bare ValueError (not TOMLDecodeError) for an
    integer of more than 4,300 digits; it escaped read_seed as an unexpected error."""
    path = tmp_path / "mpp.toml"
    path.write_text(KOTIM_TEXT.replace("max_minutes = 30", "max_minutes = " + "9" * 4400, 1))
    with pytest.raises(ReferenceDataError) as refused:
        read_seed(path)
    assert "4300" in refused.value.problems[0]
