"""Kiosk mode in a real terminal: `mpp kiosk` with MPP_LOCKED=1 on a pty that is its
controlling terminal (as systemd's StandardInput=tty makes /dev/tty1), sent the bytes a
keyboard sends for Ctrl+C, Ctrl+Z, Ctrl+\\, Ctrl+P and Ctrl+Q, keeps running, unstopped.

The controls prove the harness can see a failure: unlocked, Ctrl+Q ends the process; with
TEXTUAL_ALLOW_SIGNALS set and no lock, Ctrl+Z stops it (a frozen screen) — the locked run sets
that variable too and is not stopped.
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import fresh_sqlite_url

pytestmark = [
    pytest.mark.slow,  # three real `mpp kiosk` processes: about 10 s
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a pty and /proc"),
]

ANSI = re.compile(r"\x1b(\[[0-9;?<>=$]*[A-Za-z~]|\][^\x07\x1b]*(\x07|\x1b\\)|[()][A-Z0-9]|.)")
KEYS = {"Ctrl+C": b"\x03", "Ctrl+Z": b"\x1a", "Ctrl+\\": b"\x1c", "Ctrl+P": b"\x10"}
CTRL_Q = b"\x11"
DOWN = b"\x1b[B"
READY = "Pilih instansi"  # the kiosk's first question, painted once Textual owns the terminal


def _take_terminal() -> None:
    """In the child: a session of its own with the pty as controlling terminal, so the
    terminal's signal keys would reach it if Textual left them on."""
    os.setsid()
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


class Terminal:
    """One `mpp kiosk` process on a pty of 120×40."""

    def __init__(self, db_url: str, **env: str) -> None:
        main, child = pty.openpty()
        fcntl.ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        self.fd = main
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "mpp_tui", "kiosk"],
            stdin=child,
            stdout=child,
            stderr=child,
            env={**os.environ, "TERM": "xterm-256color", "MPP_DATABASE_URL": db_url, **env},
            close_fds=True,
            preexec_fn=_take_terminal,
        )
        os.close(child)
        self.seen = ""

    def read(self, seconds: float, until: str | None = None) -> str:
        """What the screen printed (escapes removed) within `seconds`, or until `until` shows."""
        chunks: list[str] = []
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.fd], [], [], 0.05)
            if not ready:
                continue
            try:
                data = os.read(self.fd, 65536)
            except OSError:  # the process ended and closed the terminal
                break
            if not data:
                break
            chunks.append(data.decode("utf-8", "replace"))
            if until is not None and until in ANSI.sub("", "".join(chunks)):
                break
        text = ANSI.sub("", "".join(chunks))
        self.seen += text
        return text

    def wait(self, seconds: float) -> int | None:
        """The exit code once the process ends within `seconds` (its output drained meanwhile,
        or it could block writing to a full terminal), else None."""
        deadline = time.monotonic() + seconds
        while self.proc.poll() is None and time.monotonic() < deadline:
            self.read(0.1)
        return self.proc.poll()

    def send(self, key: bytes) -> None:
        os.write(self.fd, key)

    def state(self) -> str:
        """`running`, `stopped` (Ctrl+Z reached it) or `exited`."""
        if self.proc.poll() is not None:
            return "exited"
        stat = Path(f"/proc/{self.proc.pid}/stat").read_text()
        return "stopped" if stat.rsplit(")", 1)[1].split()[0] in "Tt" else "running"

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)
        os.close(self.fd)


@pytest.fixture
def kiosk_db(sqlite_template: Path, tmp_path: Path) -> str:
    return fresh_sqlite_url(sqlite_template, tmp_path)


@pytest.fixture
def terminals() -> Iterator[list[Terminal]]:
    opened: list[Terminal] = []
    yield opened
    for terminal in opened:
        terminal.close()


def _start(terminals: list[Terminal], db_url: str, *envs: dict[str, str]) -> list[Terminal]:
    """One kiosk per environment, started together, each waited for until it has painted (a
    key sent earlier would meet a terminal Textual has not switched to raw mode yet)."""
    started = [Terminal(db_url, **env) for env in envs]
    terminals.extend(started)
    for terminal in started:
        assert READY in terminal.read(30, until=READY), terminal.seen[-2000:]
    return started


def test_a_locked_kiosk_survives_every_escape_key(kiosk_db: str, terminals: list[Terminal]) -> None:
    [screen] = _start(terminals, kiosk_db, {"MPP_LOCKED": "1", "TEXTUAL_ALLOW_SIGNALS": "1"})
    for name, key in [*KEYS.items(), ("Ctrl+Q", CTRL_Q)]:
        screen.send(key)
        screen.read(0.4)
        assert screen.state() == "running", f"after {name}: {screen.state()}"
    assert "quit" not in screen.seen  # not even Textual's "press ctrl+q to quit" hint
    # Not just alive: the kiosk still answers a key (Down shows the second agency).
    screen.send(DOWN)
    assert "Penanaman Modal" in screen.read(5, until="Penanaman Modal"), screen.seen[-2000:]


def test_unlocked_ctrl_q_quits_and_allowed_signals_stop(
    kiosk_db: str, terminals: list[Terminal]
) -> None:
    quits, signals = _start(terminals, kiosk_db, {}, {"TEXTUAL_ALLOW_SIGNALS": "1"})
    quits.send(CTRL_Q)
    assert quits.wait(10) == 0
    signals.send(KEYS["Ctrl+Z"])
    deadline = time.monotonic() + 5
    while signals.state() == "running" and time.monotonic() < deadline:
        signals.read(0.1)
    assert signals.state() == "stopped"
