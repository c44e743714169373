"""The change feed (DESIGN §5): LISTEN/NOTIFY on PostgreSQL, data_version polling on SQLite."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from time import monotonic

import pytest
from sqlalchemy import Engine, text

from mpp_tui.db.engine import make_engine, sqlite_url
from mpp_tui.domain.errors import DatabaseUnavailable
from mpp_tui.services.facade import Hall
from mpp_tui.services.feed import ChangeFeed, PostgresFeed, open_feed

postgres_only = pytest.mark.parametrize(
    "db_url", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)


@pytest.fixture
def feed(engine: Engine, queue: Hall) -> Iterator[ChangeFeed]:
    """A feed for the test hall, opened after the fixtures' own writes."""
    opened = open_feed(engine, hall_id=queue.ref().hall_id)
    yield opened
    opened.close()


def later(seconds: float, action: Callable[[], object]) -> threading.Timer:
    """Run `action` on another thread after `seconds` (while this thread blocks in wait())."""
    timer = threading.Timer(seconds, action)
    timer.start()
    return timer


def notify(engine: Engine, payload: str) -> None:
    with engine.begin() as conn:
        conn.execute(text("SELECT pg_notify('mpp_events', :p)"), {"p": payload})


# --- both backends --------------------------------------------------------------------------------


def test_quiet_database_times_out(feed: ChangeFeed) -> None:
    """Nothing written since the feed opened: wait() blocks for its timeout and says False."""
    started = monotonic()
    assert feed.wait(0.2) is False
    assert 0.15 <= monotonic() - started < 1.5


def test_write_before_wait_is_reported(feed: ChangeFeed, queue: Hall) -> None:
    """A ticket issued between two waits is reported by the next one, at once."""
    queue.issuing.issue_ticket(service="KTP")
    started = monotonic()
    assert feed.wait(5) is True
    assert monotonic() - started < 1.0
    assert feed.wait(0.2) is False


def test_write_during_wait_wakes_it_promptly(feed: ChangeFeed, queue: Hall) -> None:
    """A ticket issued by another thread while wait(5) blocks ends the wait well before 5 s."""
    timer = later(0.3, lambda: queue.issuing.issue_ticket(service="KTP"))
    started = monotonic()
    try:
        assert feed.wait(5) is True
    finally:
        timer.join()
    assert monotonic() - started < 2.0


def test_burst_is_reported_once(feed: ChangeFeed, queue: Hall) -> None:
    """Five writes (tickets and counter events) make one True; the next wait is quiet."""
    for _ in range(3):
        queue.issuing.issue_ticket(service="KTP")
    queue.sessions.open_counter(counter="L01", officer="budi")
    queue.calls.call_next(counter="L01", officer="budi")
    assert feed.wait(5) is True
    assert feed.wait(0.2) is False


def test_writes_before_opening_are_not_reported(engine: Engine, queue: Hall) -> None:
    """A new feed starts from the database as it is: earlier writes are not news."""
    queue.issuing.issue_ticket(service="KTP")
    fresh = open_feed(engine)
    try:
        assert fresh.wait(0.2) is False
    finally:
        fresh.close()


def test_close_from_another_thread_unblocks_wait(feed: ChangeFeed) -> None:
    """close() on another thread makes a blocked wait(10) return False within a moment."""
    timer = later(0.3, feed.close)
    started = monotonic()
    try:
        assert feed.wait(10) is False
    finally:
        timer.join()
    assert monotonic() - started < 2.0
    assert feed.closed


def test_close_is_idempotent(feed: ChangeFeed) -> None:
    """Closing twice is harmless; a closed feed never blocks and reports nothing."""
    feed.close()
    feed.close()
    started = monotonic()
    assert feed.wait(5) is False
    assert monotonic() - started < 0.5


# --- PostgreSQL -----------------------------------------------------------------------------------


@postgres_only
def test_other_halls_are_ignored_on_postgres(feed: ChangeFeed, engine: Engine, queue: Hall) -> None:
    """A feed for one hall ignores notifications about another; one without a hall sees all."""
    everything = open_feed(engine)
    try:
        notify(engine, "ticket_event:999999:1")
        assert feed.wait(0.3) is False
        assert everything.wait(5) is True

        notify(engine, f"counter_event:{queue.ref().hall_id}:1")
        assert feed.wait(5) is True
    finally:
        everything.close()


@postgres_only
def test_terminated_listener_raises_database_unavailable_on_postgres(
    feed: ChangeFeed, engine: Engine
) -> None:
    """pg_terminate_backend on the listener turns into DatabaseUnavailable, not a driver error."""
    assert isinstance(feed, PostgresFeed)
    with engine.begin() as conn:
        killed = conn.execute(text("SELECT pg_terminate_backend(:p)"), {"p": feed.backend_pid})
        assert killed.scalar() is True
    started = monotonic()
    with pytest.raises(DatabaseUnavailable) as err:
        feed.wait(5)
    assert monotonic() - started < 3.0
    assert err.value.key == "err.db_unreachable"
    feed.close()
    feed.close()


@postgres_only
def test_listener_terminated_during_wait_raises_on_postgres(
    feed: ChangeFeed, engine: Engine
) -> None:
    """A listener killed while wait(10) blocks raises DatabaseUnavailable at once."""
    assert isinstance(feed, PostgresFeed)
    pid = feed.backend_pid

    def terminate() -> None:
        with engine.begin() as conn:
            conn.execute(text("SELECT pg_terminate_backend(:p)"), {"p": pid})

    timer = later(0.3, terminate)
    started = monotonic()
    try:
        with pytest.raises(DatabaseUnavailable):
            feed.wait(10)
    finally:
        timer.join()
    assert monotonic() - started < 3.0


@postgres_only
def test_listener_shows_in_pg_stat_activity_on_postgres(feed: ChangeFeed, engine: Engine) -> None:
    """The feed listens on its own backend, named for operators in pg_stat_activity."""
    assert isinstance(feed, PostgresFeed)
    with engine.connect() as conn:
        row = conn.execute(
            text("SELECT application_name, query FROM pg_stat_activity WHERE pid = :p"),
            {"p": feed.backend_pid},
        ).one()
    assert row.application_name == "mpp-feed"
    assert row.query.startswith("LISTEN")


# --- unreachable databases ------------------------------------------------------------------------


def test_unreachable_postgres_raises_database_unavailable() -> None:
    """Nothing listens on port 1: open_feed fails quickly with a readable error."""
    engine = make_engine("postgresql://postgres:secret@127.0.0.1:1/x")
    started = monotonic()
    with pytest.raises(DatabaseUnavailable) as err:
        open_feed(engine)
    assert monotonic() - started < 5.0
    assert err.value.key == "err.db_unreachable"
    assert "secret" not in str(err.value)


def test_missing_sqlite_file_raises_database_unavailable(tmp_path: Path) -> None:
    """A feed never creates the database file it is asked to watch."""
    path = tmp_path / "absent.sqlite"
    with pytest.raises(DatabaseUnavailable):
        open_feed(make_engine(sqlite_url(path)))
    assert not path.exists()
