"""`mpp status`: the supervisor's flags in a plain terminal, and `--watch` redrawing on change."""

from __future__ import annotations

import os
import pty
import re
import select
import signal
import subprocess
import sys
import time

import pytest

from mpp_tui.db.engine import make_engine
from mpp_tui.services.facade import Hall
from tests.cli.test_cli import Mpp, as_json, ok

pytestmark = pytest.mark.usefixtures("officers")
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


@pytest.fixture
def mpp(db_url: str) -> Mpp:
    return Mpp(db_url)


def test_status_flags_a_crowded_service(mpp: Mpp) -> None:
    for _ in range(4):
        mpp.issue("KTP")
    mpp.issue("NIB")
    text = ok(mpp("status")).stdout
    assert "ramai" in text  # KTP: 4 waiting, over 1.5 × the average (2.5)
    assert "Datang" in text
    data = as_json(ok(mpp("status", "--json")))
    ktp = next(s for s in data["overview"]["services"] if s["load"]["code"] == "KTP")
    assert ktp["crowded"] is True
    assert sum(data["overview"]["arrivals_by_hour"]) == 5


def test_watch_and_json_do_not_mix(mpp: Mpp) -> None:
    """Refused as any error is under --json: exit 1 and a JSON error naming both flags."""
    result = mpp("status", "--watch", "--json")
    assert result.exit_code == 1
    error = as_json(result)["error"]
    assert error["code"] == "err.watch_json"
    assert "--watch" in error["message"]


def _read_until(fd: int, needle: str, seen: list[str], deadline: float) -> bool:
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(fd, 65536).decode("utf-8", "replace")
            except OSError:
                return False
            seen.append(chunk)
            if needle in ANSI.sub("", "".join(seen)):
                return True
    return False


def test_watch_redraws_when_the_hall_changes(db_url: str) -> None:
    """A ticket issued elsewhere shows up without a key; Ctrl+C ends it cleanly (exit 0)."""
    main, child = pty.openpty()
    env = {**os.environ, "COLUMNS": "160", "LINES": "60", "MPP_DATABASE_URL": db_url}
    proc = subprocess.Popen(
        [sys.executable, "-m", "mpp_tui", "status", "--watch", "--interval", "30"],
        stdin=child,
        stdout=child,
        stderr=child,
        env=env,
        close_fds=True,
    )
    os.close(child)
    try:
        seen: list[str] = []
        assert _read_until(main, "Loket Prioritas", seen, time.monotonic() + 30), "".join(seen)
        engine = make_engine(db_url)
        try:
            Hall(engine).issuing.issue_ticket(service="KTP", override_by="spv")
        finally:
            engine.dispose()
        seen.clear()  # the interval is 30 s: only the change feed can redraw this soon
        assert _read_until(main, "Perekaman", seen, time.monotonic() + 15), "".join(seen)
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=15) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(main)
