"""What must hold in any database, read straight from the tables: the one invariant checker.

The tests (state machine, fault injection, simulation), the simulator's benchmark and
`mpp doctor --deep` all use this module, so one definition of "sound" serves them all:

- `double_held`: no ticket is held by two counters at once (in its event log, a counter other
  than the holder calls it or acts on it before the holder let go);
- `two_active`: a counter holds at most one called/serving ticket;
- `numbering`: display numbers run 1..N per (hall, prefix, business day), each once, and the
  day's running number says N; a transfer child carries its parent's number, and only its
  parent (`transferred`) shares it;
- `replay`: each ticket's event log is one legal chain (it begins with the issue, or the
  transfer, into `waiting`; each event starts where the one before ended and is a move
  `mpp_tui.domain.rules.TRANSITIONS` allows) and replays to the ticket's row: its status, and
  for a called/serving ticket the counter that called it;
- `left_active` (only when asked, for a day that is over): no ticket is still called/serving.

Checking reads only; :func:`find_violations` does it in one read-only snapshot.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, Engine, select, union

from mpp_tui.db.invariant_checks import EVENT_ACTIONS, DayChecks, Violation, ViolationKind
from mpp_tui.db.tables import COUNTER, HALL, NUMBER_COUNTER, TICKET, TICKET_EVENT

_T, _E, _NC = TICKET, TICKET_EVENT, NUMBER_COUNTER


@dataclass(frozen=True, slots=True)
class Audit:
    """What one check read and found.

    Attributes:
        days: the (hall code, business date) pairs that held tickets or a running number.
        tickets: tickets read.
        events: ticket events read.
        violations: everything broken, per day in date order.
    """

    days: tuple[tuple[str, date], ...]
    tickets: int
    events: int
    violations: tuple[Violation, ...]

    @property
    def sound(self) -> bool:
        """Whether no invariant is broken."""
        return not self.violations


@contextmanager
def snapshot(engine: Engine) -> Iterator[Connection]:
    """One read-only transaction that sees a single state of the database.

    PostgreSQL: REPEATABLE READ, READ ONLY (every statement sees the same snapshot). SQLite in
    WAL mode: one deferred transaction, whose snapshot is taken at its first read, on a
    connection switched to `query_only` until it goes back to the pool.
    """
    with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
            with conn.begin():
                yield conn
            return
        raw = conn.connection.dbapi_connection
        assert raw is not None
        raw.execute("PRAGMA query_only = ON")
        try:
            with conn.begin():
                yield conn
        finally:
            raw.execute("PRAGMA query_only = OFF")


def find_violations(
    engine: Engine,
    *,
    hall_id: int | None = None,
    days: Iterable[date] | None = None,
    day_over: bool = False,
) -> list[Violation]:
    """Every broken invariant, read in one snapshot (see :func:`audit` for the arguments)."""
    with snapshot(engine) as conn:
        return list(audit(conn, hall_id=hall_id, days=days, day_over=day_over).violations)


def audit(
    conn: Connection,
    *,
    hall_id: int | None = None,
    days: Iterable[date] | None = None,
    day_over: bool = False,
) -> Audit:
    """Check the invariants of the business days asked for, in the caller's transaction.

    Each (hall, day) is read and checked on its own, so memory stays bounded by one day.

    Args:
        conn: a connection inside a transaction (see :func:`snapshot`).
        hall_id: one hall; None for every hall of the database.
        days: these business dates; None for every day that holds tickets.
        day_over: the days are over: a ticket still called or serving is a violation.

    Returns:
        The days read, the numbers of tickets and events read, and the violations.
    """
    wanted = None if days is None else sorted(set(days))
    halls = dict(conn.execute(select(HALL.c.id, HALL.c.code)).all())
    counters = dict(conn.execute(select(COUNTER.c.id, COUNTER.c.code)).all())
    found: list[Violation] = []
    seen: list[tuple[str, date]] = []
    tickets = events = 0
    for hid, day in _days(conn, hall_id, wanted):
        place = DayChecks(halls.get(hid, f"#{hid}"), day, counters)
        rows = conn.execute(
            select(
                _T.c.id,
                _T.c.code,
                _T.c.prefix,
                _T.c.number,
                _T.c.status,
                _T.c.counter_id,
                _T.c.parent_id,
            )
            .where(_T.c.hall_id == hid, _T.c.business_date == day)
            .order_by(_T.c.id)
        ).all()
        log = conn.execute(
            select(
                _E.c.id,
                _E.c.ticket_id,
                _E.c.kind,
                _E.c.status_from,
                _E.c.status_to,
                _E.c.counter_id,
            )
            .where(
                _E.c.ticket_id.in_(
                    select(_T.c.id).where(_T.c.hall_id == hid, _T.c.business_date == day)
                )
            )
            .order_by(_E.c.id)
        ).all()
        running = dict(
            conn.execute(
                select(_NC.c.prefix, _NC.c.last_number).where(
                    _NC.c.hall_id == hid, _NC.c.business_date == day
                )
            ).all()
        )
        seen.append((place.hall, day))
        tickets += len(rows)
        events += len(log)
        found += place.check(rows, log, running, day_over=day_over)
    return Audit(tuple(seen), tickets, events, tuple(found))


def _days(
    conn: Connection, hall_id: int | None, wanted: Sequence[date] | None
) -> list[tuple[int, date]]:
    """The (hall id, business date) pairs to check: those with tickets or a running number."""
    parts = []
    for table in (_T, _NC):
        query = select(table.c.hall_id, table.c.business_date)
        if hall_id is not None:
            query = query.where(table.c.hall_id == hall_id)
        if wanted is not None:
            query = query.where(table.c.business_date.in_(wanted))
        parts.append(query)
    pairs = union(*parts).subquery()
    return [
        (int(h), d)
        for h, d in conn.execute(
            select(pairs.c.hall_id, pairs.c.business_date).order_by(
                pairs.c.business_date, pairs.c.hall_id
            )
        )
    ]


__all__ = [
    "EVENT_ACTIONS",
    "Audit",
    "Violation",
    "ViolationKind",
    "audit",
    "find_violations",
    "snapshot",
]
