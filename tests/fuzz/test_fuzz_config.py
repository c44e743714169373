"""Fuzzed config files: any keys and values, damaged text, and the CLI reading them.

load_settings either returns Settings or raises ReferenceDataError whose every problem names
the file (with the line when the key is on one) or the variable; never another exception.
Through the CLI (`--config`), a bad file is exit 1 with that message and no traceback.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from mpp_tui.config import Settings, load_settings
from mpp_tui.domain.errors import ReferenceDataError
from tests.fuzz.support import (
    NASTY,
    check_cli,
    fuzz_settings,
    invoke,
    nasty_text,
    tally,
    toml_document,
    toml_scalars,
)

KEYS = [*Settings.model_fields, "unknown_key", "Database_URL", ""]
GOOD_VALUES: dict[str, Any] = {
    "database_url": "sqlite:////tmp/mpp-fuzz/none.sqlite",
    "lang": "en",
    "hall": "KOTIM",
    "counter": "L01",
    "printer": "tcp:127.0.0.1:9100",
    "printer_width": 58,
    "kiosk_reset_seconds": 8,
    "board_text": "Selamat datang",
}

CONFIG = st.dictionaries(
    st.one_of(st.sampled_from(KEYS), st.text(max_size=12), st.sampled_from(NASTY[:20])),
    st.one_of(toml_scalars(), st.sampled_from(list(GOOD_VALUES.values()))),
    max_size=6,
)
DAMAGED = st.one_of(
    st.binary(max_size=200),
    nasty_text(max_size=200).map(lambda s: s.encode("utf-8", "surrogatepass")),
    CONFIG.map(lambda d: toml_document(d)[:-3].encode()),  # cut off mid-value
)


_SCRATCH: list[Path] = []


def _scratch(factory: Any) -> Path:
    """One folder for every case of the run (a new folder per case costs more than the case)."""
    if not _SCRATCH:
        _SCRATCH.append(factory.mktemp("cfg"))
    return _SCRATCH[0]


def _load(path: Path) -> Settings | None:
    """load_settings, checking that a refusal names the file or variable on every line."""
    try:
        return load_settings(path)
    except ReferenceDataError as exc:
        problems = exc.problems
    assert problems
    for problem in problems:
        assert problem.startswith((f"{path}", "MPP_")), problem
    return None


@fuzz_settings(150)
@given(config=CONFIG)
def test_any_keys_and_values(config: dict[str, Any], tmp_path_factory: Any) -> None:
    """A well-formed TOML file with any keys and values: Settings, or the field and line."""
    tally("config file: load_settings (any keys and values)")
    path = _scratch(tmp_path_factory) / "config.toml"
    path.write_text(toml_document(config), encoding="utf-8")
    settings = _load(path)
    if settings is not None:
        assert settings.lang in ("id", "en")
        assert {k.lower() for k in config} <= set(Settings.model_fields)  # keys ignore case


@fuzz_settings(150)
@given(data=DAMAGED)
def test_damaged_file(data: bytes, tmp_path_factory: Any) -> None:
    """Bytes that are not UTF-8 or not TOML: Settings (it happened to be fine) or a refusal."""
    tally("config file: load_settings (damaged file)")
    path = _scratch(tmp_path_factory) / "config.toml"
    path.write_bytes(data)
    _load(path)


@fuzz_settings(40)
@given(config=CONFIG)
def test_cli_reads_any_config(config: dict[str, Any], tmp_path_factory: Any) -> None:
    """`mpp --config FILE services`: a bad file is refused by name, never a traceback."""
    tally("config file: mpp --config")
    path = _scratch(tmp_path_factory) / "config.toml"
    path.write_text(toml_document(config), encoding="utf-8")
    result = invoke(["--config", str(path), "--db", "sqlite:////nonexistent/x.sqlite", "services"])
    check_cli(result, one_line=False)
    assert result.exit_code == 1


def test_an_unreadable_config_never_prints_a_traceback(tmp_path: Path) -> None:
    """Found by the fuzzing: an integer of 4,400 digits makes tomllib raise a bare ValueError;
    it came before logging was set up, so `mpp` printed the traceback on the screen. Now the
    file is refused by name."""
    config = tmp_path / "config.toml"
    config.write_text(f"kiosk_reset_seconds = {'9' * 4400}\n", encoding="utf-8")
    env = {**os.environ, "XDG_STATE_HOME": str(tmp_path / "state")}
    done = subprocess.run(
        [sys.executable, "-m", "mpp_tui", "--config", str(config), "status"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stdout + done.stderr
    header, problem = done.stderr.strip().splitlines()  # config errors: one line per problem
    assert "Konfigurasi tidak valid" in header
    assert problem.strip().startswith(f"{config}:")
    assert "4300 digits" in done.stderr


def test_a_lone_carriage_return_is_refused_by_name(tmp_path: Path) -> None:
    """Found by test_damaged_file: b"\\r" passed the check (read_text made it a newline) and
    then broke pydantic's TOML source, which reads bytes."""
    path = tmp_path / "config.toml"
    path.write_bytes(b"\r")
    assert _load(path) is None
