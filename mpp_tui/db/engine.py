"""Engine factory: one engine per process; SQLite tuned for many writers; PostgreSQL via psycopg."""

from __future__ import annotations

import random
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, make_url
from sqlalchemy.engine import URL

from mpp_tui.config import sqlite_url

__all__ = ["sqlite_url"]  # re-exported: callers build SQLite URLs from here too

# Seconds a SQLite writer waits for the lock before SQLite gives up; callers never see
# "database is locked" in normal operation because every write takes the lock up front.
SQLITE_BUSY_TIMEOUT_S = 60.0
_SQLITE_TRY_MS = 10  # how long one BEGIN IMMEDIATE waits inside SQLite before we retry
NETWORK_FILESYSTEMS = {"nfs", "nfs4", "cifs", "smb3", "smbfs", "9p", "fuse.sshfs", "afs", "davfs"}


def normalise_url(url: str) -> URL:
    """Parse a database URL; plain `postgresql://` means psycopg 3."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def safe_url(url: str | URL) -> str:
    """The URL with any password hidden, for messages and logs."""
    parsed = url if isinstance(url, URL) else normalise_url(url)
    return parsed.render_as_string(hide_password=True)


def filesystem_type(path: Path) -> str | None:
    """The filesystem type holding `path` (Linux /proc/mounts), or None when unknown."""
    try:
        mounts = Path("/proc/mounts").read_text().splitlines()
    except OSError:
        return None
    target = path.resolve()
    best: tuple[int, str] | None = None
    for line in mounts:
        parts = line.split()
        if len(parts) < 3:
            continue
        mount_point, fstype = parts[1], parts[2]
        if target.is_relative_to(mount_point) and (best is None or len(mount_point) > best[0]):
            best = (len(mount_point), fstype)
    return best[1] if best else None


def sqlite_on_network_share(url: URL) -> str | None:
    """The network filesystem type when an SQLite file sits on one (where its locks fail)."""
    if url.database in (None, "", ":memory:"):
        return None
    fstype = filesystem_type(Path(url.database).parent)
    return fstype if fstype in NETWORK_FILESYSTEMS else None


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create the process's engine.

    SQLite gets WAL, `synchronous=NORMAL`, a long busy timeout and foreign keys; its write
    transactions start with `BEGIN IMMEDIATE` (see :func:`write_tx`) so two writers never
    deadlock on a lock upgrade. PostgreSQL gets pre-ping so a restarted server is survived.
    """
    parsed = normalise_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(
            parsed,
            connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_S},
            **kwargs,
        )
        _tune_sqlite(engine)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    kwargs.setdefault("pool_size", 2)
    kwargs.setdefault("max_overflow", 4)
    return create_engine(parsed, **kwargs)


def _tune_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Take transaction control away from the sqlite3 module; we emit BEGIN ourselves.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {int(SQLITE_BUSY_TIMEOUT_S * 1000)}")
        cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA synchronous = NORMAL")
        cur.execute("PRAGMA foreign_keys = ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        if conn.get_execution_options().get("mpp_write", False):
            _begin_immediate(conn.connection.dbapi_connection)
        else:
            conn.exec_driver_sql("BEGIN")


def _begin_immediate(dbapi_conn: Any) -> None:
    """Take SQLite's write lock, waiting fairly.

    SQLite's own busy handler backs off up to 100 ms between tries, so under load one writer can
    lose the lock to newcomers for seconds. Here each try waits at most a few milliseconds inside
    SQLite and then retries after a short random pause, so every waiter keeps an equal chance;
    the total wait is still bounded by SQLITE_BUSY_TIMEOUT_S.
    """
    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_S
    dbapi_conn.execute(f"PRAGMA busy_timeout = {_SQLITE_TRY_MS}")
    try:
        while True:
            try:
                dbapi_conn.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) and "busy" not in str(exc):
                    raise
                if time.monotonic() >= deadline:
                    raise
                time.sleep(random.uniform(0.0001, 0.001))
    finally:
        dbapi_conn.execute(f"PRAGMA busy_timeout = {int(SQLITE_BUSY_TIMEOUT_S * 1000)}")


def is_sqlite(engine: Engine) -> bool:
    """Whether the engine talks to SQLite."""
    return engine.dialect.name == "sqlite"


@contextmanager
def write_tx(engine: Engine) -> Iterator[Connection]:
    """A write transaction: `BEGIN IMMEDIATE` on SQLite, a plain transaction on PostgreSQL."""
    with engine.connect() as conn:
        conn.execution_options(mpp_write=True)
        with conn.begin():
            yield conn


@contextmanager
def read_tx(engine: Engine) -> Iterator[Connection]:
    """A read-only unit of work (a consistent snapshot on both backends)."""
    with engine.connect() as conn, conn.begin():
        yield conn


def server_clock_skew(conn: Connection) -> float | None:
    """Seconds this PC's clock is ahead of the database server's (None: SQLite, no server).

    The server's `clock_timestamp()` is compared with the midpoint of this PC's clock before
    and after the query, so the network's round trip does not count as skew.
    """
    if conn.dialect.name != "postgresql":
        return None
    before = datetime.now(UTC)
    server = conn.exec_driver_sql("SELECT clock_timestamp()").scalar_one()
    after = datetime.now(UTC)
    return float(((before + (after - before) / 2) - server).total_seconds())
