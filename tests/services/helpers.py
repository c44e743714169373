"""Plain helpers shared by the service tests: raw reads of the tables with SQLAlchemy Core.

The tests check what the services wrote, not what they say they wrote, so these helpers read
the tables directly through the test's engine.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, Row, Table, func, select, update

from mpp_tui.db.tables import CounterEvent, Hall, NumberCounter, Ticket, TicketEvent
from mpp_tui.domain.errors import MppError

TT: Table = Ticket.__table__  # type: ignore[attr-defined]
EV: Table = TicketEvent.__table__  # type: ignore[attr-defined]
CE: Table = CounterEvent.__table__  # type: ignore[attr-defined]
NC: Table = NumberCounter.__table__  # type: ignore[attr-defined]
HALL: Table = Hall.__table__  # type: ignore[attr-defined]

WIB = timedelta(hours=7)


def wib(year: int, month: int, day: int, hour: int, minute: int = 0, second: int = 0) -> datetime:
    """A local (WIB, UTC+7) wall-clock time as an aware UTC datetime."""
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC) - WIB


def last_event_id(engine: Engine) -> int:
    """The id of the newest ticket_event row (0 when there is none)."""
    with engine.connect() as conn:
        return int(conn.execute(select(func.coalesce(func.max(EV.c.id), 0))).scalar_one())


def events_since(engine: Engine, mark: int) -> list[Row[Any]]:
    """Every ticket_event row written after `mark`, oldest first."""
    with engine.connect() as conn:
        return list(conn.execute(select(EV).where(EV.c.id > mark).order_by(EV.c.id)).all())


def event_tuples_since(engine: Engine, mark: int) -> list[tuple[int, str, str | None, str]]:
    """(ticket_id, kind, status_from, status_to) of the events written after `mark`."""
    return [(e.ticket_id, e.kind, e.status_from, e.status_to) for e in events_since(engine, mark)]


def ticket_events(engine: Engine, ticket_id: int) -> list[Row[Any]]:
    """Every ticket_event row of one ticket, oldest first."""
    with engine.connect() as conn:
        return list(
            conn.execute(select(EV).where(EV.c.ticket_id == ticket_id).order_by(EV.c.id)).all()
        )


def counter_events(engine: Engine) -> list[Row[Any]]:
    """Every counter_event row, oldest first."""
    with engine.connect() as conn:
        return list(conn.execute(select(CE).order_by(CE.c.id)).all())


def ticket_row(engine: Engine, ticket_id: int) -> Row[Any]:
    """The raw ticket row."""
    with engine.connect() as conn:
        return conn.execute(select(TT).where(TT.c.id == ticket_id)).one()


def table_count(engine: Engine, table: Table) -> int:
    """Number of rows in `table`."""
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def snapshot(engine: Engine) -> tuple[int, int, list[tuple[Any, ...]]]:
    """Tickets, events and number counters: what a refused call must leave untouched."""
    with engine.connect() as conn:
        numbers = [
            tuple(r)
            for r in conn.execute(
                select(NC.c.prefix, NC.c.business_date, NC.c.last_number).order_by(
                    NC.c.prefix, NC.c.business_date
                )
            )
        ]
    return table_count(engine, TT), table_count(engine, EV), numbers


def set_hall(engine: Engine, **values: Any) -> None:
    """Change hall settings in the database (a fresh service then sees them)."""
    with engine.begin() as conn:
        conn.execute(update(HALL).values(**values))


def assert_readable(err: MppError, *needles: str | tuple[str, str]) -> None:
    """The error reads as a sentence in Indonesian and in English, naming `needles`.

    A needle given as a pair is (Indonesian, English): a service's name in each language.
    """
    for lang in ("id", "en"):
        text = err.message(lang)
        assert text, lang
        assert "{" not in text, f"unfilled placeholder ({lang}): {text}"
        assert "}" not in text, f"unfilled placeholder ({lang}): {text}"
        assert not text.startswith(("err.", "act.", "status.")), f"raw key ({lang}): {text}"
        assert "act." not in text, f"raw fragment ({lang}): {text}"
        assert "status." not in text, f"raw fragment ({lang}): {text}"
        for wanted in needles:
            needle = wanted if isinstance(wanted, str) else wanted[lang == "en"]
            assert needle in text, f"{needle!r} missing from ({lang}) {text!r}"
    assert err.message("id") != err.message("en"), "Indonesian and English are identical"
    assert str(err) == err.message("id"), "the default message is Indonesian"


# Lockout timing read off a frozen clock: on PostgreSQL the lock is judged inside the database on
# the server's clock (migration 0006, `mpp_sign_in`), which a test cannot freeze, so these run on
# SQLite; tests/services/test_attacks.py proves the PostgreSQL lock on the server's time.
SQLITE_CLOCK = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
