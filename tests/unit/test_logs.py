"""Log files: they rotate (1 MB × 5), and a CLI failure's traceback lands there, not on screen."""

from __future__ import annotations

import logging
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from mpp_tui.logs import setup_logging

MAX_BYTES, BACKUPS = 1_000_000, 5


@pytest.fixture
def root_logger(monkeypatch: pytest.MonkeyPatch) -> Iterator[logging.Logger]:
    """The root logger without the handlers other tests' CLI runs installed (restored after)."""
    root = logging.getLogger()
    monkeypatch.setattr(root, "handlers", [])
    monkeypatch.setattr(root, "level", root.level)
    yield root
    for handler in root.handlers:
        handler.close()


def test_log_files_rotate_and_stay_bounded(root_logger: logging.Logger, tmp_path: Path) -> None:
    """Seven megabytes of records leave mpp.log plus mpp.log.1–.5, none over 1 MB, the newest
    record in mpp.log, older ones in higher numbers, and nothing beyond .5."""
    path = tmp_path / "logs" / "mpp.log"
    assert setup_logging(path) == path
    log = logging.getLogger("mpp_tui.test")
    filler = "x" * 1000
    for n in range(7_000):
        log.info("record %05d %s", n, filler)

    names = sorted(p.name for p in path.parent.iterdir())
    assert names == ["mpp.log"] + [f"mpp.log.{i}" for i in range(1, BACKUPS + 1)]
    sizes = {p.name: p.stat().st_size for p in path.parent.iterdir()}
    assert all(size <= MAX_BYTES for size in sizes.values()), sizes
    assert sum(sizes.values()) <= MAX_BYTES * (BACKUPS + 1)

    def first_record(name: str) -> int:
        line = (path.parent / name).read_text(encoding="utf-8").splitlines()[0]
        return int(line.split("record ")[1].split()[0])

    assert "record 06999" in path.read_text(encoding="utf-8").splitlines()[-1]
    order = [first_record(n) for n in ["mpp.log.5", "mpp.log.4", "mpp.log.3", "mpp.log.2"]]
    assert order == sorted(order)
    assert first_record("mpp.log.1") > order[-1]
    assert first_record("mpp.log.5") > 0  # the oldest records were dropped


def test_setup_twice_adds_one_handler(root_logger: logging.Logger, tmp_path: Path) -> None:
    """A second set-up (a second command in one process) does not double every line."""
    setup_logging(tmp_path / "mpp.log")
    setup_logging(tmp_path / "mpp.log")
    logging.getLogger("mpp_tui.test").warning("once")
    assert (tmp_path / "mpp.log").read_text(encoding="utf-8").count("once") == 1
    assert len([h for h in root_logger.handlers if getattr(h, "_mpp", False)]) == 1


def _broken_hall_database(tmp_path: Path) -> str:
    """An mpp database whose hall names a time zone that does not exist: every command that
    loads the hall fails with an error mpp does not expect."""
    db = tmp_path / "broken.sqlite"
    url = f"sqlite:///{db}"
    subprocess.run(_mpp("--db", url, "init"), check=True, capture_output=True, env=_env(None))
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE hall SET timezone = 'Mars/Olympus_Mons'")
    conn.close()
    return url


def _mpp(*args: str) -> list[str]:
    return [sys.executable, "-m", "mpp_tui", *args]


def _env(log_file: Path | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MPP_")}
    if log_file is not None:
        env["MPP_LOG_FILE"] = str(log_file)
    return env


def test_a_cli_crash_writes_its_traceback_to_the_log_only(tmp_path: Path) -> None:
    """An unexpected error in a real `mpp status` process: one line on stderr pointing at the
    log, nothing on stdout, exit 1; the traceback, with the error, is in the log file."""
    url = _broken_hall_database(tmp_path)
    log_file = tmp_path / "logs" / "mpp.log"

    done = subprocess.run(
        _mpp("--db", url, "--lang", "en", "status"),
        capture_output=True,
        text=True,
        env=_env(log_file),
        timeout=120,
        check=False,
    )

    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.strip().splitlines() == [
        f"An unexpected error occurred; details are in {log_file}."
    ]
    logged = log_file.read_text(encoding="utf-8")
    assert "ERROR" in logged
    assert "unexpected error" in logged
    assert "Traceback (most recent call last)" in logged
    assert "ZoneInfoNotFoundError" in logged
    assert "Mars/Olympus_Mons" in logged


def test_no_traceback_on_screen_when_the_log_cannot_be_written(tmp_path: Path) -> None:
    """With a log path that cannot exist (its folder is a file), the crash still shows one line
    and no traceback."""
    url = _broken_hall_database(tmp_path)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")

    done = subprocess.run(
        _mpp("--db", url, "--lang", "en", "status"),
        capture_output=True,
        text=True,
        env=_env(blocker / "mpp.log"),
        timeout=120,
        check=False,
    )

    assert done.returncode == 1
    assert done.stdout == ""
    assert "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert done.stderr.startswith("An unexpected error occurred")
