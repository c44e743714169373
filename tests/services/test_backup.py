"""Backups: `mpp backup` / `mpp restore` on SQLite, and the pg_dump / pg_restore procedure.

SQLite backups are taken while a real process keeps issuing tickets; a restore must bring back
exactly the rows of the backup; a foreign or damaged file is refused and changes nothing. The
PostgreSQL procedure of docs/deployment.md is run with the real tools and mpp then works on
the restored database.
"""

from __future__ import annotations

import hashlib
import multiprocessing as mp
import os
import shutil
import sqlite3
import subprocess
import sys
import traceback
import uuid
from pathlib import Path
from select import select as wait_readable
from typing import Any

import pytest
from sqlalchemy import Engine, MetaData, create_engine, select, text
from typer.testing import CliRunner, Result

from mpp_tui.cli.main import app
from mpp_tui.db.engine import make_engine, sqlite_url
from mpp_tui.domain.clock import FrozenClock
from mpp_tui.domain.errors import DatabaseReplaced
from mpp_tui.services.facade import Hall
from tests.conftest import (
    ADMIN_PIN,
    FAST_HASHER,
    MONDAY_0900,
    OPERATOR_PIN,
    PG_REQUIRED,
    fresh_sqlite_url,
    pg_exec,
    pg_url_for,
)

runner = CliRunner()
QUOTA_FREE = ("PDAM_BAYAR", "PLN_ADUAN")  # no daily quota: a writer can issue all day
WRITER_TIMEOUT_S = 120.0


def mpp(*args: str) -> Result:
    """`mpp ARGS` in-process; never a traceback."""
    result = runner.invoke(app, list(args), env={"COLUMNS": "200"})
    assert "Traceback" not in result.output, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    return result


def _path(url: str) -> Path:
    return Path(url.removeprefix("sqlite:///"))


def dump(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, sorted: what "the data equals" compares."""
    meta = MetaData()
    meta.reflect(engine)
    with engine.connect() as conn:
        return {
            name: sorted((tuple(r) for r in conn.execute(select(table))), key=repr)
            for name, table in sorted(meta.tables.items())
        }


def dump_url(url: str) -> dict[str, list[tuple[Any, ...]]]:
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        return dump(engine)
    finally:
        engine.dispose()


def fingerprint(path: Path) -> str:
    """A hash of the database file and its -wal: "nothing changed" means this stays equal."""
    digest = hashlib.sha256()
    for suffix in ("", "-wal"):
        part = Path(f"{path}{suffix}")
        digest.update(part.read_bytes() if part.exists() else b"")
    return digest.hexdigest()


@pytest.fixture
def sqlite_db(sqlite_template: Path, tmp_path: Path) -> str:
    """A fresh SQLite database with officers and a morning's activity at L01."""
    url = fresh_sqlite_url(sqlite_template, tmp_path)
    engine = make_engine(url)
    Hall(engine, clock=FrozenClock(MONDAY_0900), hasher=FAST_HASHER).officers.add(
        username="budi", pin=OPERATOR_PIN
    )
    queue = Hall(engine, clock=FrozenClock(MONDAY_0900))
    queue.sessions.open_counter(counter="L01", officer="budi")
    for service in ("KTP", "KK", "KTP", "NIB"):
        queue.issuing.issue_ticket(service=service)
    queue.calls.call_next(counter="L01", officer="budi")
    queue.calls.finish(counter="L01", officer="budi")
    engine.dispose()
    return url


# --- backup while a real process writes -----------------------------------------------------------


def _writer(url: str, issued: Any, stop: Any, errors: Any) -> None:
    """A kiosk process: issue tickets as fast as it can until told to stop."""
    try:
        engine = make_engine(url)
        queue = Hall(engine, clock=FrozenClock(MONDAY_0900))
        n = 0
        while not stop.is_set():
            queue.issuing.issue_ticket(service=QUOTA_FREE[n % 2])
            n += 1
            with issued.get_lock():
                issued.value = n
        engine.dispose()
    except BaseException:
        errors.put(traceback.format_exc())


def _wait_for(issued: Any, at_least: int, proc: Any) -> None:
    """Block (without sleeping on a timer) until the writer has issued `at_least` tickets."""
    deadline_polls = 0
    while issued.value < at_least:
        assert proc.is_alive(), "the writer stopped early"
        proc.join(timeout=0.05)
        deadline_polls += 1
        assert deadline_polls < WRITER_TIMEOUT_S / 0.05, "the writer made no progress"


def test_backup_while_another_process_writes(sqlite_db: str, tmp_path: Path) -> None:
    """A kiosk process keeps issuing before, during and after `mpp backup`: the writer never
    fails, the copy passes its checks, and it is one consistent moment of the live database —
    every ticket with its `issued` event, the number counters matching the numbers issued,
    and every copied ticket identical to the live one."""
    ctx = mp.get_context("spawn")
    issued, stop, errors = ctx.Value("i", 0), ctx.Event(), ctx.Queue()
    proc = ctx.Process(target=_writer, args=(sqlite_db, issued, stop, errors))
    proc.start()
    target = tmp_path / "copy.sqlite"
    try:
        _wait_for(issued, 50, proc)
        res = mpp("--db", sqlite_db, "--lang", "en", "backup", "--output", str(target))
        during = issued.value
        _wait_for(issued, during + 50, proc)  # the writer went on after the backup
    finally:
        stop.set()
        proc.join(timeout=WRITER_TIMEOUT_S)
    assert proc.exitcode == 0
    assert errors.empty()
    assert res.exit_code == 0, res.output
    assert f"Backup written: {target}" in res.stdout
    assert "integrity check ok" in res.stdout

    copy, live = dump_url(sqlite_url(target)), dump_url(sqlite_db)
    tickets = {row[0]: row for row in copy["ticket"]}
    assert 4 + 50 <= len(tickets) < len(live["ticket"])
    assert f"ticket  {len(tickets):>10,}".split() == next(
        line.split() for line in res.stdout.splitlines() if line.startswith("ticket ")
    )
    live_tickets = {row[0]: row for row in live["ticket"]}
    assert all(live_tickets[tid] == row for tid, row in tickets.items() if row[8] == "waiting")
    issued_events = {row[2] for row in copy["ticket_event"] if row[3] == "issued"}
    assert issued_events == set(tickets)
    with sqlite3.connect(target) as conn:
        top = dict(conn.execute("SELECT prefix, max(number) FROM ticket GROUP BY prefix"))
        counters = dict(conn.execute("SELECT prefix, last_number FROM number_counter"))
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    assert counters == top
    assert not Path(f"{target}-wal").exists()
    assert [p.name for p in tmp_path.iterdir() if "partial" in p.name] == []


# --- restore ----------------------------------------------------------------------------------


def test_restore_brings_back_exactly_the_backup(sqlite_db: str, tmp_path: Path) -> None:
    """After more work, `mpp restore --yes` makes every table equal the backup again; the
    replaced database is kept and holds the later work; mpp works on the restored database."""
    backup = tmp_path / "before.sqlite"
    assert mpp("--db", sqlite_db, "backup", "-o", str(backup)).exit_code == 0
    saved = dump_url(sqlite_db)

    engine = make_engine(sqlite_db)
    later = Hall(engine, clock=FrozenClock(MONDAY_0900))
    later.issuing.issue_ticket(service="KTP")
    later.calls.call_next(counter="L01", officer="budi")
    engine.dispose()
    changed = dump_url(sqlite_db)
    assert changed != saved

    res = mpp("--db", sqlite_db, "--lang", "en", "restore", str(backup), "--yes")

    assert res.exit_code == 0, res.output
    restored = dump_url(sqlite_db)
    audit = restored.pop("audit_log")
    assert [row for row in audit if "backup.restore" in row] != []  # the restore is audited
    assert audit[: len(saved["audit_log"])] == saved.pop("audit_log")  # … and only added
    assert restored == saved
    side = next(tmp_path.glob("*.before-restore-*"))
    assert f"The previous database was kept as {side}." in res.stdout
    assert dump_url(sqlite_url(side)) == changed
    engine = make_engine(sqlite_db)
    try:
        queue = Hall(engine, clock=FrozenClock(MONDAY_0900))
        called = queue.calls.call_next(counter="L01", officer="budi")
        assert called.code == "A-002"  # the KTP issued after the backup is gone again
    finally:
        engine.dispose()


def _foreign_sqlite(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
        conn.execute("INSERT INTO notes (body) VALUES ('not mpp')")
    conn.close()


def _newer_schema(path: Path, good: Path) -> None:
    shutil.copyfile(good, path)
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.close()


def _damaged(path: Path, good: Path) -> None:
    data = bytearray(good.read_bytes())
    page = 4096
    for offset in range(page * 3, min(len(data), page * 9), 97):  # scribble over b-tree pages
        data[offset] = 0xFF
    path.write_bytes(bytes(data))


def _truncated(path: Path, good: Path) -> None:
    data = good.read_bytes()
    path.write_bytes(data[: len(data) // 3])


BAD_FILES = {
    "random bytes": ("not an SQLite file", lambda p, g: p.write_bytes(os.urandom(8192))),
    "empty": ("not an SQLite file", lambda p, g: p.write_bytes(b"")),
    "missing": ("file not found", lambda p, g: None),
    "foreign SQLite": ("no table", lambda p, g: _foreign_sqlite(p)),
    "newer schema": ("schema 9999, newer than this version", _newer_schema),
    "damaged": ("is not a healthy mpp database", _damaged),
    "truncated": ("is not a healthy mpp database", _truncated),
}


@pytest.mark.parametrize("kind", sorted(BAD_FILES))
def test_a_foreign_or_damaged_file_is_refused(sqlite_db: str, tmp_path: Path, kind: str) -> None:
    """`mpp restore BAD --yes` exits 1 with one line naming the file and why; the database is
    byte for byte unchanged and no side copy is made."""
    good = tmp_path / "good.sqlite"
    assert mpp("--db", sqlite_db, "backup", "-o", str(good)).exit_code == 0
    bad = tmp_path / "bad.sqlite"
    needle, make = BAD_FILES[kind]
    make(bad, good)
    live = _path(sqlite_db)
    before = fingerprint(live)

    res = mpp("--db", sqlite_db, "--lang", "en", "restore", str(bad), "--yes")

    assert res.exit_code == 1
    assert res.stdout == ""
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1, res.stderr
    assert str(bad) in lines[0]
    assert needle in lines[0]
    assert "nothing was changed" in lines[0].lower()
    assert fingerprint(live) == before
    assert list(tmp_path.glob("*.before-restore-*")) == []


def test_backup_refusals(sqlite_db: str, tmp_path: Path) -> None:
    """An existing output file, a missing folder, a missing database and PostgreSQL are each
    refused in one line, and no file is written."""
    taken = tmp_path / "taken.sqlite"
    taken.write_bytes(b"keep me")
    cases = [
        (("--db", sqlite_db, "backup", "-o", str(taken)), f"File {taken} already exists"),
        (
            ("--db", sqlite_db, "backup", "-o", str(tmp_path / "nope" / "x.sqlite")),
            "does not exist",
        ),
        (("--db", sqlite_url(tmp_path / "none.sqlite"), "backup"), "does not exist"),
        (("--db", "postgresql://mpp@127.0.0.1:1/mpp", "backup"), "pg_dump"),
        (("--db", "postgresql://mpp@127.0.0.1:1/mpp", "restore", str(taken)), "pg_restore"),
    ]
    for args, needle in cases:
        res = mpp("--lang", "en", *args)
        assert res.exit_code == 1, (args, res.output)
        assert needle in res.stderr, (args, res.stderr)
        assert len(res.stderr.strip().splitlines()) == 1
    assert taken.read_bytes() == b"keep me"
    assert not (tmp_path / "nope").exists()
    assert not (tmp_path / "none.sqlite").exists()


# --- confirmation, in a real terminal ---------------------------------------------------------


def _in_terminal(args: list[str], answer: bytes) -> tuple[int, str]:
    """Run `python -m mpp_tui ARGS` on a pseudo-terminal, answer its question, return
    (exit code, everything it printed)."""
    main, child = os.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "mpp_tui", *args],
        stdin=child,
        stdout=child,
        stderr=child,
        env={**os.environ, "COLUMNS": "200"},
    )
    os.close(child)
    seen = b""
    answered = False
    try:
        while True:
            ready, _, _ = wait_readable([main], [], [], WRITER_TIMEOUT_S)
            assert ready, f"no output from mpp: {seen!r}"
            try:
                chunk = os.read(main, 4096)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            seen += chunk
            if not answered and b"[y/N]" in seen:
                os.write(main, answer + b"\n")
                answered = True
    finally:
        os.close(main)
        code = proc.wait(timeout=WRITER_TIMEOUT_S)
    assert answered, seen
    return code, seen.decode(errors="replace")


def test_restore_asks_first_and_no_changes_nothing(sqlite_db: str, tmp_path: Path) -> None:
    """Without --yes, restore shows both ticket counts and asks; "n" leaves everything as it
    was (exit 1), "y" restores."""
    backup = tmp_path / "b.sqlite"
    assert mpp("--db", sqlite_db, "backup", "-o", str(backup)).exit_code == 0
    engine = make_engine(sqlite_db)
    Hall(engine, clock=FrozenClock(MONDAY_0900)).issuing.issue_ticket(service="KK")
    engine.dispose()
    live = _path(sqlite_db)
    before = fingerprint(live)
    args = ["--db", sqlite_db, "--lang", "en", "restore", str(backup)]

    code, shown = _in_terminal(args, b"n")

    assert code == 1
    assert f"Replace {live} (5 tickets) with the backup {backup} (4 tickets" in shown
    assert "Restore cancelled; nothing was changed." in shown
    assert fingerprint(live) == before

    code, shown = _in_terminal(args, b"y")

    assert code == 0, shown
    assert "restored from" in shown
    restored, saved = dump_url(sqlite_db), dump_url(sqlite_url(backup))
    assert restored.pop("audit_log")[-1][5] == "backup.restore"  # the one row the restore adds
    saved.pop("audit_log")
    assert restored == saved


# --- PostgreSQL: the documented pg_dump / pg_restore procedure ------------------------------------


def _pg_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        if PG_REQUIRED or os.environ.get("CI"):
            pytest.fail(f"{name} is needed for the PostgreSQL backup procedure")
        pytest.skip(f"{name} is not installed")
    return path


@pytest.mark.parametrize(
    "db_url", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)
def test_pg_dump_and_pg_restore_procedure(queue: Hall, db_url: str, tmp_path: Path) -> None:
    """`pg_dump -Fc`, then `pg_restore` into a new database: every table's rows are equal,
    the event logs are still append-only, and mpp works there (`mpp status`, call next)."""
    queue.sessions.open_counter(counter="L01", officer="budi")
    for service in ("KTP", "KK", "NIB"):
        queue.issuing.issue_ticket(service=service)
    queue.calls.call_next(counter="L01", officer="budi")
    queue.calls.finish(counter="L01", officer="budi")
    dump_file = tmp_path / "mpp.dump"
    libpq = db_url.replace("postgresql+psycopg://", "postgresql://")
    subprocess.run(
        [_pg_tool("pg_dump"), "-Fc", "--no-owner", "-f", str(dump_file), libpq], check=True
    )
    restored = f"mpp_restored_{uuid.uuid4().hex[:8]}"
    pg_exec(f"CREATE DATABASE {restored}")
    try:
        subprocess.run(
            [
                _pg_tool("pg_restore"),
                "--no-owner",
                "--exit-on-error",
                "-d",
                pg_url_for(restored),
                str(dump_file),
            ],
            check=True,
        )
        url = pg_url_for(restored)
        assert dump_url(url) == dump_url(libpq)

        status = mpp("--db", url, "status", "--json")
        assert status.exit_code == 0, status.output
        assert '"business_date"' in status.stdout
        engine = make_engine(url)
        try:
            with pytest.raises(Exception, match="append-only"), engine.begin() as conn:
                conn.execute(text("DELETE FROM ticket_event"))
            again = Hall(engine, clock=queue.clock)
            assert again.calls.call_next(counter="L01", officer="budi").code == "A-002"
        finally:
            engine.dispose()
    finally:
        pg_exec(f"DROP DATABASE IF EXISTS {restored} WITH (FORCE)")


# --- restore and the screens that run on the database ---------------------------------------------


def _admin_and_live_counter(url: str) -> None:
    """An admin, and budi's screen at L01 beating now (a live counter screen)."""
    engine = make_engine(url)
    try:
        hall = Hall(engine, hasher=FAST_HASHER)
        hall.officers.add(username="admin", pin=ADMIN_PIN, role="admin")
        hall.sessions.heartbeat(counter="L01", officer="budi")
    finally:
        engine.dispose()


def test_restore_refuses_live_screens_and_needs_the_admin(sqlite_db: str, tmp_path: Path) -> None:
    """With an admin in the database, a restore without the admin's sign-in is refused; with a
    counter screen live (heartbeat within two minutes), it is refused naming the counter and
    nothing changes; --force restores, and the audit log of the restored database says who did
    it and that L01 was live."""
    backup = tmp_path / "before.sqlite"
    assert mpp("--db", sqlite_db, "backup", "-o", str(backup)).exit_code == 0
    _admin_and_live_counter(sqlite_db)
    before = dump_url(sqlite_db)
    args = ["--db", sqlite_db, "--lang", "en", "restore", str(backup), "--yes"]

    res = mpp(*args)
    assert res.exit_code == 1
    assert "needs a signed-in admin" in res.stderr

    signed = {"MPP_BY": "admin", "MPP_BY_PIN": ADMIN_PIN}
    res = runner_env(args, signed)
    assert res.exit_code == 1
    assert "1 counter screen is still live (L01)" in res.stderr
    assert dump_url(sqlite_db) == before

    res = runner_env([*args, "--force"], signed)
    assert res.exit_code == 0, res.output
    engine = make_engine(sqlite_db)
    try:
        (entry,) = Hall(engine).audit.entries(action="backup.restore")
    finally:
        engine.dispose()
    assert entry.after == {"source": str(backup), "by": "admin", "live_counters": ["L01"]}


def runner_env(args: list[str], env: dict[str, str]) -> Result:
    result = CliRunner().invoke(app, args, env=env)
    assert "Traceback" not in result.output, result.output
    return result


def test_a_restore_gives_the_database_a_new_epoch(sqlite_db: str, tmp_path: Path) -> None:
    """A process that read the database before a restore is told once, on its next desk,
    overview or board read, that the database was replaced; the read after works."""
    backup = tmp_path / "before.sqlite"
    assert mpp("--db", sqlite_db, "backup", "-o", str(backup)).exit_code == 0
    engine = make_engine(sqlite_db)
    try:
        screen = Hall(engine, clock=FrozenClock(MONDAY_0900))
        screen.desk.counter_desk(counter="L01", officer="budi")
        screen.public.board()
        assert mpp("--db", sqlite_db, "restore", str(backup), "--yes").exit_code == 0
        with pytest.raises(DatabaseReplaced):
            screen.desk.counter_desk(counter="L01", officer="budi")
        screen.public.board()
        screen.desk.counter_desk(counter="L01", officer="budi")
    finally:
        engine.dispose()
