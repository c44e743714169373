"""Change feed (DESIGN §5): tells a screen that the database changed, so it refreshes."""

from __future__ import annotations

import logging
import sqlite3
import threading
from abc import ABC, abstractmethod
from pathlib import Path
from time import monotonic
from typing import Any

import psycopg
from sqlalchemy import Engine
from sqlalchemy.engine import URL

from mpp_tui.db.engine import is_sqlite, safe_url
from mpp_tui.domain.errors import DatabaseUnavailable

log = logging.getLogger(__name__)

CHANNEL = "mpp_events"
CONNECT_TIMEOUT_S = 3
# How long one blocking step lasts: close() from another thread takes effect within one step.
PG_STEP_S = 0.2
# After the first relevant notification, keep reading this long so a burst yields one True.
PG_SETTLE_S = 0.03
SQLITE_POLL_S = 0.05
# libpq keepalives so a silently dropped network turns into an error within about half a minute.
_PG_KEEPALIVES = {
    "keepalives": "1",
    "keepalives_idle": "10",
    "keepalives_interval": "5",
    "keepalives_count": "3",
}


class ChangeFeed(ABC):
    """Tells one thread when the database changed.

    A feed belongs to the thread that calls :meth:`wait`; :meth:`close` may be called from any
    thread and makes a blocked :meth:`wait` return ``False`` promptly.
    """

    def __init__(self, url: URL) -> None:
        self._url = url
        self._lock = threading.Lock()  # held by wait(); close() takes it to free the connection
        self._stop = threading.Event()
        self._released = False

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` has been called."""
        return self._stop.is_set()

    def wait(self, timeout: float) -> bool:
        """Block until the database changes or `timeout` passes.

        Args:
            timeout: the longest time to block, in seconds.

        Returns:
            True as soon as something changed since the previous call (or since the feed was
            opened), False on timeout or once the feed is closed.

        Raises:
            DatabaseUnavailable: the database cannot be reached; close this feed and open a new
                one later.
        """
        deadline = monotonic() + max(0.0, timeout)
        with self._lock:
            try:
                if self._stop.is_set():
                    return False
                return self._wait(deadline)
            finally:
                if self._stop.is_set():
                    self._release()

    def close(self) -> None:
        """Stop the feed and free its connection; idempotent and safe from any thread."""
        self._stop.set()
        # A blocked wait() notices the flag within one step and frees the connection itself;
        # otherwise free it here.
        if self._lock.acquire(timeout=2 * PG_STEP_S + 1.0):
            try:
                self._release()
            finally:
                self._lock.release()

    def _release(self) -> None:
        if not self._released:
            self._released = True
            self._close_connection()

    def _unavailable(self, exc: BaseException) -> DatabaseUnavailable:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return DatabaseUnavailable("err.db_unreachable", url=safe_url(self._url), reason=reason)

    @abstractmethod
    def _wait(self, deadline: float) -> bool:
        """Wait until `deadline` (a monotonic time); called with the lock held."""

    @abstractmethod
    def _close_connection(self) -> None:
        """Close the feed's own connection; called once, with the lock held."""


class PostgresFeed(ChangeFeed):
    """LISTEN on ``mpp_events`` over a dedicated autocommit psycopg connection.

    Args:
        url: the engine's URL.
        hall_id: when given, notifications about other halls are ignored.
    """

    def __init__(self, url: URL, *, hall_id: int | None = None) -> None:
        super().__init__(url)
        self._hall_id = hall_id
        try:
            self._conn = psycopg.connect(autocommit=True, **_pg_params(url))
        except psycopg.Error as exc:
            raise self._unavailable(exc) from exc
        try:
            self._conn.execute(f"LISTEN {CHANNEL}")
        except psycopg.Error as exc:
            self._conn.close()
            raise self._unavailable(exc) from exc

    @property
    def backend_pid(self) -> int:
        """Process id of the listening server backend (for pg_stat_activity and tests)."""
        return self._conn.info.backend_pid

    def _wait(self, deadline: float) -> bool:
        settle_until: float | None = None
        try:
            while not self._stop.is_set():
                now = monotonic()
                if settle_until is not None:
                    if now >= settle_until:
                        return True
                    step = settle_until - now
                else:
                    step = max(0.0, min(PG_STEP_S, deadline - now))
                relevant = False
                for note in self._conn.notifies(timeout=step, stop_after=1):
                    relevant = relevant or self._relevant(note.channel, note.payload)
                if relevant and settle_until is None:
                    settle_until = monotonic() + PG_SETTLE_S
                if self._conn.broken or self._conn.closed:
                    raise psycopg.OperationalError("the connection to the server was lost")
                if settle_until is None and monotonic() >= deadline:
                    return False
        except psycopg.Error as exc:
            if self._stop.is_set():
                return False
            log.warning("change feed lost its connection: %s", exc)
            raise self._unavailable(exc) from exc
        return False

    def _relevant(self, channel: str, payload: str) -> bool:
        """Whether a notification concerns this feed (payload ``<table>:<hall_id>:<id>``)."""
        if channel != CHANNEL:
            return False
        if self._hall_id is None:
            return True
        parts = payload.split(":")
        if len(parts) < 2 or not parts[1].strip().lstrip("-").isdigit():
            return True  # unknown shape: better one refresh too many than one too few
        return int(parts[1]) == self._hall_id

    def _close_connection(self) -> None:
        try:
            self._conn.close()
        except psycopg.Error:  # pragma: no cover - closing a broken connection
            log.debug("closing the change feed connection failed", exc_info=True)


class SqliteFeed(ChangeFeed):
    """Polls ``PRAGMA data_version`` on a dedicated sqlite3 connection to the same file.

    The value changes whenever another connection commits, so every hall in the file counts.

    Args:
        url: the engine's URL (an SQLite file).
    """

    def __init__(self, url: URL) -> None:
        super().__init__(url)
        database = url.database or ""
        if database in ("", ":memory:"):
            raise self._unavailable(ValueError("an in-memory database cannot be watched"))
        uri = Path(database).absolute().as_uri() + "?mode=rw"
        try:
            self._conn = sqlite3.connect(
                uri, uri=True, isolation_level=None, check_same_thread=False, timeout=1.0
            )
            self._version = self._data_version()
        except sqlite3.Error as exc:
            raise self._unavailable(exc) from exc

    def _data_version(self) -> int:
        row = self._conn.execute("PRAGMA data_version").fetchone()
        return int(row[0])

    def _wait(self, deadline: float) -> bool:
        while not self._stop.is_set():
            try:
                version = self._data_version()
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) and "busy" not in str(exc):
                    raise self._unavailable(exc) from exc
                version = self._version  # busy: no news this round
            except sqlite3.Error as exc:
                raise self._unavailable(exc) from exc
            if version != self._version:
                self._version = version
                return True
            remaining = deadline - monotonic()
            if remaining <= 0:
                return False
            self._stop.wait(min(SQLITE_POLL_S, remaining))
        return False

    def _close_connection(self) -> None:
        self._conn.close()


def open_feed(engine: Engine, *, hall_id: int | None = None) -> ChangeFeed:
    """Open a change feed on the engine's database.

    Args:
        engine: the process's engine; the feed makes its own connection from its URL.
        hall_id: on PostgreSQL, ignore changes in other halls (SQLite cannot tell them apart).

    Returns:
        A :class:`PostgresFeed` or a :class:`SqliteFeed`.

    Raises:
        DatabaseUnavailable: the database cannot be reached.
    """
    if is_sqlite(engine):
        return SqliteFeed(engine.url)
    return PostgresFeed(engine.url, hall_id=hall_id)


def _pg_params(url: URL) -> dict[str, Any]:
    """libpq connection parameters from an SQLAlchemy URL."""
    params: dict[str, Any] = {
        key: value if isinstance(value, str) else value[-1] for key, value in url.query.items()
    }
    for key, value in (
        ("host", url.host),
        ("port", url.port),
        ("user", url.username),
        ("password", url.password),
        ("dbname", url.database),
    ):
        if value is not None:
            params.setdefault(key, value)
    params.setdefault("connect_timeout", CONNECT_TIMEOUT_S)
    params.setdefault("application_name", "mpp-feed")
    for key, value in _PG_KEEPALIVES.items():
        params.setdefault(key, value)
    return params
