"""The database goes away in a busy hour; everyone carries on by themselves.

PostgreSQL: while counter, kiosk and board robots work, every connection to the hall's database
is cut with ``pg_terminate_backend`` again and again, and the server itself is restarted. The
robots do what a person at a screen does when told "database unreachable": try again a moment
later. Afterwards no action was applied twice, nothing a robot was told had happened is missing,
every ticket the robots were not told about is covered by an error they were shown, and every
robot worked again after the last outage.

SQLite: a reader holds a snapshot open for seconds and an online backup copies the file while
the robots write; nobody waits in vain and nobody is ever told "database is locked".
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy import Engine, func, select

from mpp_tui.db.engine import make_engine
from mpp_tui.db.invariants import find_violations
from mpp_tui.db.tables import TICKET, TICKET_EVENT
from mpp_tui.domain.enums import TicketStatus as S
from tests.conftest import pg_admin_url
from tests.faults.hall import COUNTERS, officer_of, robot_context, set_up_hall
from tests.faults.robots import board_robot, counter_robot, kiosk_robot, read_journal
from tests.figures import record

pytestmark = pytest.mark.slow

KIOSKS = ("kiosk1", "kiosk2")
CUTS = 10  # rounds of pg_terminate_backend on every connection to the database
STOP_TIMEOUT_S = 90.0


class Hall:
    """The robots of one busy hall, their journals, and how to stop them."""

    def __init__(self, url: str, folder: Path) -> None:
        self.url = url
        self.folder = folder
        ctx = robot_context()
        self.procs = [
            ctx.Process(
                target=counter_robot,
                args=(url, str(folder), code, officer_of(code), 0),
                daemon=True,
            )
            for code in COUNTERS
        ]
        self.procs += [
            ctx.Process(target=kiosk_robot, args=(url, str(folder), k, i, 0.03), daemon=True)
            for i, k in enumerate(KIOSKS)
        ]
        self.procs.append(
            ctx.Process(target=board_robot, args=(url, str(folder), "board"), daemon=True)
        )

    def __enter__(self) -> Hall:
        for proc in self.procs:
            proc.start()
        return self

    def __exit__(self, *exc: object) -> None:
        (self.folder / "STOP").touch()
        for proc in self.procs:
            proc.join(timeout=STOP_TIMEOUT_S)
            if proc.is_alive():
                proc.kill()

    def stopped_cleanly(self) -> bool:
        return all(proc.exitcode == 0 for proc in self.procs)

    def journal(self, name: str) -> list[list[str]]:
        return read_journal(self.folder, name)

    def names(self) -> list[str]:
        return [*COUNTERS, *KIOSKS, "board"]


def _finished(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(
            conn.execute(
                select(func.count()).select_from(TICKET).where(TICKET.c.status == S.DONE)
            ).scalar_one()
        )


def _wait_until(what: str, check: Any, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.05)
    pytest.fail(f"timed out waiting for {what}")


def _cut_connections(database: str) -> int:
    with psycopg.connect(pg_admin_url(), autocommit=True) as conn:
        rows = conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            (database,),
        ).fetchall()
    return sum(1 for (done,) in rows if done)


def _restart_postgres() -> None:
    version = sorted(p.name for p in Path("/etc/postgresql").iterdir())[0]
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"],
        check=True,
        capture_output=True,
        timeout=120,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with psycopg.connect(pg_admin_url(), connect_timeout=2):
                return
        except psycopg.OperationalError:
            time.sleep(0.2)
    pytest.fail("PostgreSQL did not come back after the restart")


@pytest.mark.postgres
def test_postgres_cut_and_restarted_in_a_busy_hour(postgres_db: str, tmp_path: Path) -> None:
    db_url = postgres_db
    if shutil.which("pg_ctlcluster") is None or not Path("/etc/postgresql").is_dir():
        pytest.fail("pg_ctlcluster is needed to restart the server")
    database = db_url.rsplit("/", 1)[1]
    engine = make_engine(db_url)
    set_up_hall(engine)
    folder = tmp_path / "journals"
    folder.mkdir()
    cut = 0
    with Hall(db_url, folder) as hall:
        _wait_until("the first finished tickets", lambda: _finished(engine) >= 20)
        for _ in range(CUTS):
            time.sleep(0.3)
            cut += _cut_connections(database)
        engine.dispose()
        _restart_postgres()
        engine.dispose()  # the test's own pooled connections died with the server
        after_restart = _finished(engine)
        _wait_until("work after the restart", lambda: _finished(engine) >= after_restart + 20)
        marks = {name: len(hall.journal(name)) for name in hall.names()}
        # Every robot works again: the board looks, kiosks issue, counters act without errors.
        time.sleep(1.0)
    assert hall.stopped_cleanly()
    told = Counter(name for name in hall.names() for w in hall.journal(name) if w[0] == "told")
    record(
        f"faults/postgresql: 1 server restart and {cut} connections cut survived; "
        f"{sum(told.values())} errors shown to robots, each retried by them"
    )
    assert cut >= CUTS, "the cuts hit nobody"
    assert sum(told.values()) > 0, "no robot noticed the outages"
    for name in hall.names():
        later = hall.journal(name)[marks[name] :]
        assert later, f"{name} did nothing after the outages"

    assert find_violations(engine) == []
    _assert_nothing_twice(engine)
    _assert_nothing_lost(engine, hall)
    engine.dispose()


def _assert_nothing_twice(engine: Engine) -> None:
    """Robots never recall: a second call, start or finish of one ticket would be a retry
    applied twice."""
    with engine.connect() as conn:
        twice = conn.execute(
            select(TICKET_EVENT.c.ticket_id, TICKET_EVENT.c.kind)
            .where(TICKET_EVENT.c.kind.in_(("called", "started", "finished")))
            .group_by(TICKET_EVENT.c.ticket_id, TICKET_EVENT.c.kind)
            .having(func.count() > 1)
        ).all()
    assert twice == []


def _assert_nothing_lost(engine: Engine, hall: Hall) -> None:
    """What a kiosk was told it issued exists; a ticket no kiosk heard of can only come from a
    commit whose answer was lost, and each of those is matched by an error the kiosk showed."""
    with engine.connect() as conn:
        in_db = {r.id for r in conn.execute(select(TICKET.c.id))}
        active = conn.execute(
            select(func.count())
            .select_from(TICKET)
            .where(TICKET.c.status.in_((S.CALLED, S.SERVING)))
        ).scalar_one()
    announced: set[int] = set()
    errors = 0
    for kiosk in KIOSKS:
        for words in hall.journal(kiosk):
            if words[0] == "issued":
                announced.add(int(words[1]))
            elif words[0] == "told":
                errors += 1
    assert announced <= in_db
    assert len(in_db - announced) <= errors
    assert active == 0


def test_sqlite_long_reader_and_backup_never_lock_out_writers(
    sqlite_db: str, tmp_path: Path
) -> None:
    db_url = sqlite_db
    path = db_url.removeprefix("sqlite:///")
    engine = make_engine(db_url)
    set_up_hall(engine)
    folder = tmp_path / "journals"
    folder.mkdir()
    copy = tmp_path / "backup.sqlite"
    with Hall(db_url, folder):
        _wait_until("the first finished tickets", lambda: _finished(engine) >= 20)
        # A reader keeps one snapshot open for three seconds (a long report, a slow export)...
        held = threading.Event()
        reader = threading.Thread(target=_hold_snapshot, args=(path, 3.0, held))
        reader.start()
        held.wait(10)
        before = _finished(engine)
        _wait_until("writes while the snapshot is held", lambda: _finished(engine) >= before + 20)
        reader.join()
        # ...then an online backup copies the whole file while the robots write on.
        before = _finished(engine)
        with sqlite3.connect(path) as source, sqlite3.connect(copy) as target:
            source.backup(target)
        _wait_until("writes after the backup", lambda: _finished(engine) >= before + 20)
    told = [(n, w) for n in [*COUNTERS, *KIOSKS, "board"] for w in read_journal(folder, n)]
    assert [pair for pair in told if pair[1][0] == "told"] == []
    with sqlite3.connect(copy) as check:
        assert check.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert check.execute("SELECT count(*) FROM ticket").fetchone()[0] > 0
    assert find_violations(engine) == []
    engine.dispose()


def _hold_snapshot(path: str, seconds: float, held: threading.Event) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("BEGIN")
        conn.execute("SELECT count(*) FROM ticket_event").fetchone()
        held.set()
        time.sleep(seconds)  # the reader's own work, not a wait for the system under test
        conn.execute("COMMIT")
    finally:
        conn.close()
