"""Backup and restore of the embedded SQLite database with SQLite's online backup API.

The backup API copies a consistent snapshot while counters keep writing (WAL readers never block
writers), so nobody has to stop. Every file written is checked before it is kept: SQLite's
integrity check, the schema revision, and the rows of every table. A restore refuses any file
that is not a healthy mpp database of a schema this version knows, keeps the replaced database
as a side copy, and writes through SQLite (never a file copy over a live database).

PostgreSQL is backed up with pg_dump / pg_restore (docs/deployment.md).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from mpp_tui.domain.errors import DatabaseUnavailable, InvalidInput

BUSY_TIMEOUT_S = 60.0  # a writer holding the lock only delays the backup's start
LIVE_WITHIN = timedelta(minutes=2)
"""A counter whose screen beat this recently is live (the screen beats every 30 s)."""
SQLITE_MAGIC = b"SQLite format 3\x00"
# Tables every mpp database has since the first release (0001); a file without them is foreign.
MPP_TABLES = frozenset({"alembic_version", "hall", "ticket", "ticket_event", "counter_event"})


@dataclass(frozen=True)
class DatabaseCheck:
    """What verifying an SQLite file found (all checks passed, or it would have raised).

    Attributes:
        path: the file checked.
        revision: its schema revision (alembic_version).
        at_head: whether that revision is this version's newest.
        size: the file's size in bytes.
        rows: the number of rows in each table, by table name.
    """

    path: Path
    revision: str
    at_head: bool
    size: int
    rows: dict[str, int]


@dataclass(frozen=True)
class Restored:
    """The outcome of a restore: the database as it is now, and where the old one went."""

    database: DatabaseCheck
    side_copy: Path | None


def known_revisions() -> list[str]:
    """The revisions of this version's migration scripts, oldest first."""
    from alembic.script import ScriptDirectory

    from mpp_tui.db.migrate import alembic_config

    script = ScriptDirectory.from_config(alembic_config())
    return [s.revision for s in reversed(list(script.walk_revisions()))]


@contextlib.contextmanager
def _connect(path: Path, *, read_only: bool = False) -> Iterator[sqlite3.Connection]:
    """A plain sqlite3 connection (closed afterwards) that never creates a missing file."""
    mode = "ro" if read_only else "rw"
    conn = sqlite3.connect(
        f"{path.resolve().as_uri()}?mode={mode}", uri=True, timeout=BUSY_TIMEOUT_S
    )
    try:
        yield conn
    finally:
        conn.close()


def verify(path: Path, *, integrity: bool = True) -> DatabaseCheck:
    """Check that `path` is a healthy mpp database of a schema this version knows.

    Args:
        path: the SQLite file.
        integrity: run SQLite's integrity check (reads every page; off for the live database,
            whose copy is checked instead).

    Raises:
        InvalidInput: the file is missing, not SQLite, damaged, not an mpp database, or has a
            newer schema than this version of mpp.
    """
    if not path.is_file():
        raise InvalidInput("err.backup_not_mpp", path=str(path), reason="file not found")
    with path.open("rb") as handle:
        if handle.read(len(SQLITE_MAGIC)) != SQLITE_MAGIC:
            raise InvalidInput("err.backup_not_mpp", path=str(path), reason="not an SQLite file")
    try:
        with _connect(path, read_only=True) as conn:
            problems = (
                [r[0] for r in conn.execute("PRAGMA integrity_check(5)")] if integrity else ["ok"]
            )
            if problems != ["ok"]:
                raise InvalidInput(
                    "err.backup_not_mpp", path=str(path), reason="; ".join(problems)[:200]
                )
            tables = {
                r[0]
                for r in conn.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' "
                    "AND name NOT LIKE 'sqlite_%'"
                )
            }
            missing = ", ".join(sorted(MPP_TABLES - tables))
            if missing:
                raise InvalidInput(
                    "err.backup_not_mpp", path=str(path), reason=f"no table {missing}"
                )
            revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            rows = {
                name: int(conn.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0])
                for name in sorted(tables)
            }
    except sqlite3.DatabaseError as exc:  # "file is not a database", "malformed", …
        raise InvalidInput("err.backup_not_mpp", path=str(path), reason=str(exc)[:200]) from None
    known = known_revisions()
    if revision is None:
        raise InvalidInput("err.backup_not_mpp", path=str(path), reason="no schema revision")
    if revision[0] not in known:
        raise InvalidInput(
            "err.backup_newer_schema", path=str(path), revision=revision[0], head=known[-1]
        )
    return DatabaseCheck(path, revision[0], revision[0] == known[-1], path.stat().st_size, rows)


def default_backup_path(database: Path, now: datetime | None = None) -> Path:
    """`backups/<name>-YYYYMMDD-HHMMSS.sqlite` next to the database (local time)."""
    stamp = (now or datetime.now(UTC)).astimezone().strftime("%Y%m%d-%H%M%S")
    return database.parent / "backups" / f"{database.stem}-{stamp}.sqlite"


def _copy(source: sqlite3.Connection, target: Path) -> None:
    """Copy `source` into a new file `target` in one backup step, as a self-contained file."""
    with contextlib.closing(sqlite3.connect(target)) as dest:
        # One step (pages=-1) reads one snapshot: concurrent writers go on in WAL mode and the
        # copy never restarts.
        source.backup(dest)
        dest.execute("PRAGMA journal_mode = DELETE")  # no -wal file needed beside the copy


def backup(database: Path, target: Path) -> DatabaseCheck:
    """Write a verified copy of the live `database` to `target` (which must not exist).

    The copy goes to a temporary file next to `target` and takes its name only once verified,
    so a failed or interrupted backup never leaves a half-written file under that name.

    Raises:
        DatabaseUnavailable: the database file does not exist or cannot be read.
        InvalidInput: `target` exists or its folder is missing; the copy failed verification.
    """
    if not database.is_file():
        raise DatabaseUnavailable("err.db_missing", path=str(database))
    if target.exists():
        raise InvalidInput("err.backup_exists", path=str(target))
    if not target.parent.is_dir():
        raise InvalidInput("err.backup_dir_missing", path=str(target.parent))
    verify(database, integrity=False)  # never "back up" something that is not mpp's
    partial = target.with_name(f".{target.name}.partial")
    partial.unlink(missing_ok=True)
    try:
        with _connect(database) as source:
            _copy(source, partial)
        try:
            check = verify(partial)
        except InvalidInput as exc:
            raise InvalidInput(
                "err.backup_verify_failed", path=str(target), reason=exc.message("en")
            ) from None
        os.replace(partial, target)
    except sqlite3.Error as exc:
        raise DatabaseUnavailable(
            "err.db_unreachable", url=str(database), reason=str(exc)[:200]
        ) from None
    finally:
        partial.unlink(missing_ok=True)
    return DatabaseCheck(target, check.revision, check.at_head, check.size, check.rows)


def side_copy_path(database: Path, now: datetime | None = None) -> Path:
    """Where a restore keeps the database it replaces."""
    stamp = (now or datetime.now(UTC)).astimezone().strftime("%Y%m%d-%H%M%S")
    return database.with_name(f"{database.stem}.before-restore-{stamp}{database.suffix}")


def restore(source: Path, database: Path) -> Restored:
    """Replace the contents of `database` with the verified backup `source`.

    The current database (if any) is first kept as a side copy; then the backup is written into
    it through SQLite's backup API, which takes the write lock like any writer, so the -wal and
    -shm files stay consistent.

    Raises:
        InvalidInput: `source` is not a healthy mpp backup of a known schema.
        DatabaseUnavailable: the database could not be written.
    """
    verify(source)
    if not database.parent.is_dir():
        raise DatabaseUnavailable("err.db_dir_missing", path=str(database.parent))
    side = _keep_side_copy(database) if database.exists() else None
    try:
        with (
            _connect(source, read_only=True) as src,
            contextlib.closing(sqlite3.connect(database, timeout=BUSY_TIMEOUT_S)) as dest,
        ):
            src.backup(dest)
            dest.execute("PRAGMA journal_mode = WAL")  # what mpp's engine sets anyway
            # A new restore epoch: screens that outlive the restore notice it on their next
            # reload (ServiceContext.check_epoch) and start again.
            dest.execute(f"PRAGMA user_version = {secrets.randbelow(2**31 - 2) + 1}")
            dest.commit()
    except sqlite3.Error as exc:
        raise DatabaseUnavailable(
            "err.db_unreachable", url=str(database), reason=str(exc)[:200]
        ) from None
    return Restored(verify(database), side)


def live_counters(database: Path, now: datetime | None = None) -> list[str]:
    """Counters with a signed-in officer whose screen beat within LIVE_WITHIN: screens a restore
    would pull the data from under. A database that cannot be read has none."""
    since = ((now or datetime.now(UTC)) - LIVE_WITHIN).astimezone(UTC).replace(tzinfo=None)
    try:
        with _connect(database, read_only=True) as conn:
            rows = conn.execute(
                "SELECT code FROM counter WHERE officer_id IS NOT NULL AND last_seen_at >= ? "
                "ORDER BY code",
                (since.isoformat(sep=" "),),
            ).fetchall()
    except sqlite3.Error:
        return []
    return [r[0] for r in rows]


def _keep_side_copy(database: Path) -> Path:
    """Keep the database a restore replaces: a consistent copy, or, when SQLite cannot read
    it (a damaged file), the file itself moved aside with its -wal and -shm."""
    side = side_copy_path(database)
    try:
        with _connect(database) as conn:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            _copy(conn, side)
        return side
    except sqlite3.DatabaseError:
        side.unlink(missing_ok=True)
    for suffix in ("", "-wal", "-shm"):
        path = Path(f"{database}{suffix}")
        if path.exists():
            os.replace(path, Path(f"{side}{suffix}"))
    return side
